//! `WebAssembly.Global` (https://webassembly.github.io/spec/js-api/#globals): the native side of
//! `lib/global.js`.

use std::rc::Rc;

use jitless_wasm_core::{Global, GlobalType, ValType};

use crate::convert::{self, TYPE_INCOMPATIBLE};
use crate::gc_values::{self, Site};
use crate::handle::{global_of, register_wrapper, wrapper_to_js, Handle};
use crate::js_objects::JsCell;
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;
use crate::webidl;

/// The JS `Global` of a core global (one object per global).
pub(crate) fn to_js(env: Env, st: &Rc<State>, global: &Global) -> JsResult<Value> {
    wrapper_to_js(env, st, JsCell::of(st, global.embedder()), || Handle::Global(global.clone()), |h| h.make_global)
}

native_fn!(
    /// `globalNew(wrapper, descriptor, v, vPresent) → handle`
    /// https://webassembly.github.io/spec/js-api/#dom-global-global
    global_new, 4, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [this, descriptor, v, present] = cx.args;
        let ctx = "WebAssembly.Global()";
        // GlobalDescriptor members, in order: mutable, value.
        let d = webidl::dictionary(env, descriptor, ctx, "global descriptor")?;
        // 1. Let mutable be descriptor["mutable"].
        let mutable_v = webidl::member(env, d, c"mutable")?;
        let mutable = env.to_boolean(mutable_v)?;
        // 2. Let valuetype be ToValueType(descriptor["value"]). (A missing `value` is
        //    "undefined" here, which names no type: V8's message, not WebIDL's "required".)
        let value_v = webidl::member(env, d, c"value")?;
        let name = env.to_string(value_v)?;
        let Some(ty) = webidl::value_type(&name) else {
            return Err(env.throw_type_error(&format!("{ctx}: Descriptor property 'value' must be a WebAssembly type")));
        };
        // 3. If valuetype is v128, throw a TypeError.
        if ty == ValType::V128 {
            return Err(env.throw_type_error(&format!("{ctx}: {TYPE_INCOMPATIBLE}")));
        }
        // 4. If v is missing, let value be DefaultValue(valuetype).
        // 5. Otherwise, let value be ToWebAssemblyValue(v, valuetype).
        // AD-HOC (as V8): an explicit `undefined` is a value for the GC types.
        let given = env.get_bool(present) == Some(true) && gc_values::converts_undefined(ty);
        let value = if webidl::is_undefined(env, v) && !given {
            convert::default_value(env, st, ty)?
        } else {
            convert::to_wasm_at(env, st, v, ty, Site::GlobalNew)?
        };
        // 6–8. Let (store, globaladdr) be global_alloc(store, globaltype, value).
        let global = Global::new(GlobalType { content: ty, mutable }, value)
            .map_err(|_| env.throw_type_error(&format!("{ctx}: {TYPE_INCOMPATIBLE}")))?;
        // 9. Initialize this from globaladdr.
        let cell = JsCell::of(st, global.embedder());
        register_wrapper(env, st, cell, Handle::Global(global), this)
    }
);

native_fn!(
    /// `globalGet(handle) → value` (the `value` getter and `valueOf`)
    /// https://webassembly.github.io/spec/js-api/#dom-global-value
    global_get, 1, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let global = global_of(env, cx.args[0])?;
        // GetGlobalValue: 3. If valuetype is v128 or exnref, throw a TypeError.
        if matches!(global.ty().content, ValType::V128 | ValType::EXNREF) {
            return Err(env.throw_type_error(TYPE_INCOMPATIBLE));
        }
        // 4–5. Let value be global_read(store, globaladdr); return ToJSValue(value).
        convert::to_js(env, st, &global.get())
    }
);

/// The prefix of V8's TypeErrors from the `value` setter in the current profile (V8 13.6 and
/// later print the setter's name with a stray parenthesis).
pub(crate) fn setter_prefix() -> &'static str {
    match crate::profile::current() {
        jitless_wasm_core::Profile::Node20 | jitless_wasm_core::Profile::Node22 => "set WebAssembly.Global.value: ",
        _ => "set WebAssembly.Global.value): ",
    }
}

native_fn!(
    /// `globalSet(handle, v) → undefined` (the `value` setter)
    /// https://webassembly.github.io/spec/js-api/#dom-global-value
    global_set, 2, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [h, v] = cx.args;
        let global = global_of(env, h)?;
        let ty = global.ty();
        // 2. If mut is const, throw a TypeError.
        if !ty.mutable {
            let message = format!("{}Can't set the value of an immutable global.", setter_prefix());
            return Err(env.throw_type_error(&message));
        }
        // 3. Let value be ToWebAssemblyValue(the given value, valuetype).
        let value = convert::to_wasm_at(env, st, v, ty.content, Site::GlobalSet)?;
        // 4–5. Let store be global_write(store, globaladdr, value).
        global.set(value).map_err(|_| env.throw_type_error(TYPE_INCOMPATIBLE))?;
        Ok(env.undefined())
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("globalNew", global_new)?;
    r.add("globalGet", global_get)?;
    r.add("globalSet", global_set)
}
