//! `WebAssembly.Exception` (https://webassembly.github.io/spec/js-api/#exceptions): the native
//! side of `lib/exception.js`.
//!
//! An exception is its tag and its payload as WebAssembly values ([`ExnData`]), so that once the
//! core executes `throw`/`catch` an exception created in JS can be thrown into wasm (and one
//! thrown by wasm shown to JS) without another conversion.

use std::rc::Rc;

use jitless_wasm_core::{Val, ValType};

use crate::convert::{self, TYPE_INCOMPATIBLE};
use crate::handle::{get_handle, new_handle, Handle};
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;
use crate::tag::{tag_of, TagData};
use crate::webidl;

/// An exception instance: `exn_alloc(store, tagaddr, payload)`.
pub(crate) struct ExnData {
    /// The tag (its identity is the exception's [[Type]]).
    pub(crate) tag: Rc<TagData>,
    /// The payload, one value per tag parameter.
    pub(crate) payload: Box<[Val]>,
}

/// The exception behind a handle (TypeError otherwise).
fn exn_of<'a>(env: Env, value: Value) -> JsResult<&'a ExnData> {
    match get_handle(env, value) {
        Some(Handle::Exception(e)) => Ok(e),
        _ => Err(env.throw_type_error("jitless-wasm: expected a native exception handle")),
    }
}

native_fn!(
    /// `exceptionNew(tagHandle, payload) → handle`: `payload` is the list `lib/exception.js`
    /// made of the `sequence<any>` argument.
    /// https://webassembly.github.io/spec/js-api/#dom-exception-exception
    exception_new, 2, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [th, payload] = cx.args;
        let ctx = "WebAssembly.Exception()";
        let tag = tag_of(env, th)?.clone();
        // (1–2. The JavaScript exception tag is not exposed yet, so it cannot be passed here.)
        // 3–4. Let [types] → [] be tag_type(store, exceptionTag.[[Address]]).
        // 5. If types's size is not payload's size, throw a TypeError.
        // AD-HOC (spec): V8 accepts any length (missing values read back as zero/undefined).
        let n = env.array_length(payload)?;
        if n as usize != tag.params.len() {
            let msg = format!("{ctx}: Number of exception values does not match signature length");
            return Err(env.throw_type_error(&msg));
        }
        // 6. Let wasmPayload be « ».
        let mut values = Vec::with_capacity(tag.params.len());
        // 7. For each value and resultType of payload and types, paired linearly,
        for (i, &ty) in tag.params.iter().enumerate() {
            let v = env.get_element(payload, i as u32)?;
            // 7.1 If resultType is v128 or exnref, throw a TypeError.
            if ty == ValType::V128 {
                return Err(env.throw_type_error(&format!("{ctx}: {TYPE_INCOMPATIBLE}")));
            }
            // 7.2 Append ? ToWebAssemblyValue(value, resultType) to wasmPayload.
            values.push(convert::to_wasm(env, st, v, ty)?);
        }
        // 8–10. Let (store, exceptionAddr) be exn_alloc(store, tag, wasmPayload); initialize this.
        new_handle(env, st, Handle::Exception(ExnData { tag, payload: values.into() }), None)
    }
);

native_fn!(
    /// `exceptionGetArg(handle, tagHandle, index) → value` (the tag argument is already
    /// brand-checked by `lib/exception.js`; `index` is converted here).
    /// https://webassembly.github.io/spec/js-api/#dom-exception-getarg
    exception_get_arg, 3, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [h, th, index] = cx.args;
        let ctx = "WebAssembly.Exception.getArg()";
        let exn = exn_of(env, h)?;
        let tag = tag_of(env, th)?;
        // (WebIDL) index: [EnforceRange] unsigned long.
        let index = webidl::enforce_range_u32(env, index, &format!("{ctx}: Index"))?;
        // 2. If this.[[Type]] is not equal to exceptionTag.[[Address]], throw a TypeError.
        if !Rc::ptr_eq(&exn.tag, tag) {
            return Err(env.throw_type_error(&format!("{ctx}: First argument does not match the exception tag")));
        }
        // 3–6. If index ≥ payload's size, throw a RangeError.
        let Some(value) = exn.payload.get(index as usize) else {
            return Err(env.throw_range_error(&format!("{ctx}: Index out of range")));
        };
        // 7–8. If types[index] is v128 or exnref, throw a TypeError.
        if exn.tag.params[index as usize] == ValType::V128 {
            return Err(env.throw_type_error(&format!("{ctx}: {TYPE_INCOMPATIBLE}")));
        }
        // 9. Return ! ToJSValue(payload[index]).
        convert::to_js(env, st, value)
    }
);

native_fn!(
    /// `exceptionIs(handle, tagHandle) → boolean`
    /// https://webassembly.github.io/spec/js-api/#dom-exception-is
    exception_is, 2, |cx| {
        let env = cx.env;
        let [h, th] = cx.args;
        let exn = exn_of(env, h)?;
        let tag = tag_of(env, th)?;
        // 1–2. Whether this.[[Type]] is exceptionTag.[[Address]].
        Ok(env.boolean(Rc::ptr_eq(&exn.tag, tag)))
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("exceptionNew", exception_new)?;
    r.add("exceptionGetArg", exception_get_arg)?;
    r.add("exceptionIs", exception_is)
}
