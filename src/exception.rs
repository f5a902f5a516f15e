//! `WebAssembly.Exception` (https://webassembly.github.io/spec/js-api/#exceptions): the native
//! side of `lib/exception.js`, and the crossing of exceptions between JS and wasm.
//!
//! An `Exception` object holds a core [`Exn`] (tag and payload) in its handle; the `Exn` holds
//! the object back *weakly* (in its embedder slot), so an exception that goes into wasm and comes out
//! again is the same JS object (while that object lives; a collected one is recreated with the
//! same tag and payload, which nothing can tell apart).
//!
//! * JS → wasm ([`from_js`], for a value thrown by an import): an `Exception` is its `Exn`;
//!   any other value is wrapped in an exception of the JavaScript exception tag
//!   ([`crate::tag::js_tag`], exposed as `WebAssembly.JSTag`) with the value as its
//!   `externref` payload, which `catch_all` and a `catch` of an imported JSTag catch.
//! * wasm → JS ([`to_js`], for an uncaught exception): the wrapped JS value itself (also for an
//!   exception wasm threw with the JSTag), or the exception's `Exception` object (made on
//!   demand, its tag the cached `Tag` object). No `Exception` object has the JSTag: its
//!   constructor refuses it.

use std::rc::Rc;

use jitless_wasm_core::{Exn, Tag, Val, ValType};

use crate::convert::{self, TYPE_INCOMPATIBLE};
use crate::handle::{get_handle, new_handle, Handle};
use crate::raw::{native_fn, Env, JsResult, Ref, Value};
use crate::state::State;
use crate::tag::{js_tag, tag_of};
use crate::webidl;

/// A weak reference to an exception's JS object (in its [`Exn`]'s embedder slot).
struct JsObject {
    r: Ref,
    state: Rc<State>,
}

impl Drop for JsObject {
    fn drop(&mut self) {
        self.state.delete_ref(self.r);
    }
}

/// Records `object` as the JS object of `exn`.
fn attach(env: Env, st: &Rc<State>, exn: &Exn, object: Value) -> JsResult<()> {
    let r = env.reference(object, 0)?;
    exn.embedder().set(st.id(), Rc::new(JsObject { r, state: st.clone() }));
    Ok(())
}

/// The JS value of an exception leaving wasm: the JS value it wraps (JavaScript exception
/// tag), or its `WebAssembly.Exception` object.
pub(crate) fn to_js(env: Env, st: &Rc<State>, exn: &Exn) -> JsResult<Value> {
    if let Some(obj) = exn.embedder().get::<JsObject>(st.id()).and_then(|o| env.reference_value(o.r)) {
        return Ok(obj);
    }
    if Tag::ptr_eq(exn.tag(), &js_tag()) {
        if let [Val::ExternRef(r)] = exn.payload() {
            return match r {
                Some(r) => convert::externref_to_js(env, r),
                None => Ok(env.null()),
            };
        }
    }
    let h = new_handle(env, st, Handle::Exception(exn.clone()), None)?;
    let make = st.helper(env, |h| h.make_exception)?;
    let undefined = env.undefined();
    let obj = env.call(undefined, make, &[h])?;
    attach(env, st, exn, obj)?;
    Ok(obj)
}

/// The core exception for a JS value thrown into wasm (see the module docs).
pub(crate) fn from_js(env: Env, st: &Rc<State>, value: Value) -> JsResult<Exn> {
    let unwrap = st.helper(env, |h| h.unwrap_exception)?;
    let undefined = env.undefined();
    let h = env.call(undefined, unwrap, &[value])?;
    if let Some(Handle::Exception(exn)) = get_handle(env, h) {
        return Ok(exn.clone());
    }
    // Let payload be ! ToWebAssemblyValue(v, externref) (`null` is `ref.null extern`).
    let payload = Val::ExternRef(convert::to_externref(env, st, value)?);
    Ok(Exn::new(js_tag(), vec![payload]))
}

/// The exception behind a handle (TypeError otherwise).
fn exn_of<'a>(env: Env, value: Value) -> JsResult<&'a Exn> {
    match get_handle(env, value) {
        Some(Handle::Exception(e)) => Ok(e),
        _ => Err(env.throw_type_error("jitless-wasm: expected a native exception handle")),
    }
}

native_fn!(
    /// `exceptionNew(tagHandle, payload, wrapper) → handle`: `payload` is the list
    /// `lib/exception.js` made of the `sequence<any>` argument; `wrapper` is the object under
    /// construction.
    /// https://webassembly.github.io/spec/js-api/#dom-exception-exception
    exception_new, 3, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [th, payload, wrapper] = cx.args;
        let ctx = "WebAssembly.Exception()";
        let tag = tag_of(env, th)?.clone();
        // 1. Let JSTagAddr be the result of getting the JavaScript exception tag.
        // 2. If exceptionTag.[[Address]] is equal to JSTagAddr, throw a TypeError.
        if Tag::ptr_eq(&tag, &js_tag()) {
            let msg = format!("{ctx}: Argument 0 must not be WebAssembly.JSTag (the JavaScript exception tag)");
            return Err(env.throw_type_error(&msg));
        }
        // 3–4. Let [types] → [] be tag_type(store, exceptionTag.[[Address]]).
        let types = tag.ty().params().to_vec();
        // 5. If types's size is not payload's size, throw a TypeError.
        // AD-HOC (spec): V8 accepts any length (missing values read back as zero/undefined).
        let n = env.array_length(payload)?;
        if n as usize != types.len() {
            let msg = format!("{ctx}: Number of exception values does not match signature length");
            return Err(env.throw_type_error(&msg));
        }
        // 6. Let wasmPayload be « ».
        let mut values = Vec::with_capacity(types.len());
        // 7. For each value and resultType of payload and types, paired linearly,
        for (i, &ty) in types.iter().enumerate() {
            let v = env.get_element(payload, i as u32)?;
            // 7.1 If resultType is v128 or exnref, throw a TypeError.
            if ty == ValType::V128 || ty == ValType::EXNREF {
                return Err(env.throw_type_error(&format!("{ctx}: {TYPE_INCOMPATIBLE}")));
            }
            // 7.2 Append ? ToWebAssemblyValue(value, resultType) to wasmPayload.
            values.push(convert::to_wasm_at(env, st, v, ty, crate::gc_values::Site::Exception)?);
        }
        // 8–10. Let (store, exceptionAddr) be exn_alloc(store, tag, wasmPayload); initialize this.
        let exn = Exn::new(tag, values);
        attach(env, st, &exn, wrapper)?;
        new_handle(env, st, Handle::Exception(exn), None)
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
        if !Tag::ptr_eq(exn.tag(), tag) {
            return Err(env.throw_type_error(&format!("{ctx}: First argument does not match the exception tag")));
        }
        // 3–6. If index ≥ payload's size, throw a RangeError.
        let Some(value) = exn.payload().get(index as usize) else {
            return Err(env.throw_range_error(&format!("{ctx}: Index out of range")));
        };
        // 7–8. If types[index] is v128 or exnref, throw a TypeError.
        if matches!(value, Val::V128(_) | Val::ExnRef(_)) {
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
        Ok(env.boolean(Tag::ptr_eq(exn.tag(), tag)))
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("exceptionNew", exception_new)?;
    r.add("exceptionGetArg", exception_get_arg)?;
    r.add("exceptionIs", exception_is)
}
