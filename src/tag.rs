//! `WebAssembly.Tag` (https://webassembly.github.io/spec/js-api/#tags): the native side of
//! `lib/tag.js`.
//!
//! A tag is a core [`Tag`] (its identity is the tag address). A `Tag` object keeps it in a
//! native handle slot; the wrapper cache gives one JS object per core tag, so an exported tag is
//! the same `Tag` object every time, and a `Tag` imported and re-exported is the very object
//! that was imported.

use std::cell::OnceCell;
use std::rc::Rc;

use jitless_wasm_core::{FuncType, Tag, ValType};

use crate::handle::{get_handle, register_wrapper, wrapper_to_js, Handle};
use crate::js_objects::JsCell;
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;
use crate::webidl;

/// The tag behind a handle (TypeError otherwise).
pub(crate) fn tag_of<'a>(env: Env, value: Value) -> JsResult<&'a Tag> {
    match get_handle(env, value) {
        Some(Handle::Tag(t)) => Ok(t),
        _ => Err(env.throw_type_error("jitless-wasm: expected a native tag handle")),
    }
}

/// The `WebAssembly.Tag` object of a core tag (cached: the same object while it lives).
pub(crate) fn to_js(env: Env, st: &Rc<State>, tag: &Tag) -> JsResult<Value> {
    wrapper_to_js(env, st, JsCell::of(st, tag.embedder()), || Handle::Tag(tag.clone()), |h| h.make_tag)
}

thread_local! {
    /// The JavaScript exception tag (https://webassembly.github.io/spec/js-api/#js-exception-tag):
    /// `[externref] → []`, the tag of the exceptions that wrap JS values thrown into wasm;
    /// exposed as `WebAssembly.JSTag` (one tag per thread, as the spec's one per agent).
    static JS_TAG: OnceCell<Tag> = const { OnceCell::new() };
}

/// The JavaScript exception tag of this thread.
pub(crate) fn js_tag() -> Tag {
    JS_TAG.with(|t| t.get_or_init(|| Tag::new(FuncType::new([ValType::EXTERNREF], []))).clone())
}

native_fn!(
    /// `tagNew(parameters, wrapper) → handle`: `parameters` is the array of ValueType strings
    /// that `lib/tag.js` read from the TagType dictionary; `wrapper` is the object under
    /// construction (registered as the JS object of the new tag).
    /// https://webassembly.github.io/spec/js-api/#dom-tag-tag
    tag_new, 2, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [list, wrapper] = cx.args;
        // 2. Let wasmParameters be «».
        let n = env.array_length(list)?;
        let mut params = Vec::with_capacity(n as usize);
        // 3. For each type of parameters, append ToValueType(type) to wasmParameters.
        for i in 0..n {
            let name = env.get_string(env.get_element(list, i)?)?;
            let Some(ty) = webidl::value_type(&name) else {
                let msg = format!("WebAssembly.Tag(): Argument 0 parameter type at index #{i} must be a value type");
                return Err(env.throw_type_error(&msg));
            };
            params.push(ty);
        }
        // 4–6. Let (store, tagAddress) be tag_alloc(store, wasmParameters → « »).
        let tag = Tag::new(FuncType::new(params, []));
        // 7. Initialize this with tagAddress.
        let cell = JsCell::of(st, tag.embedder());
        register_wrapper(env, st, cell, Handle::Tag(tag), wrapper)
    }
);

native_fn!(
    /// `jsTag() → Tag`: the `Tag` object of the JavaScript exception tag (the getter steps of
    /// `WebAssembly.JSTag`; `lib/namespace.js` keeps the object, so it stays the same one).
    /// https://webassembly.github.io/spec/js-api/#dom-webassembly-jstag
    js_tag_object, 0, |cx| {
        let env = cx.env;
        let st = State::get(env);
        // 1. Let JSTagAddr be the result of getting the JavaScript exception tag.
        // 2–3. Return the result of creating a Tag object from JSTagAddr (the Tag object cache).
        to_js(env, st, &js_tag())
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("tagNew", tag_new)?;
    r.add("jsTag", js_tag_object)
}
