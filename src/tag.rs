//! `WebAssembly.Tag` (https://webassembly.github.io/spec/js-api/#tags): the native side of
//! `lib/tag.js`.
//!
//! The core does not execute exception handling yet, so a tag lives in the binding: a
//! [`TagData`] (its parameter types) whose `Rc` identity is the tag's address. A `Tag` object
//! keeps it in a native handle slot; when the core gains tags, [`TagData`] becomes (or wraps) the
//! core tag object, and exported/imported tags map to the same handle through a cache like the
//! Memory/Table/Global one.

use std::rc::Rc;

use jitless_wasm_core::ValType;

use crate::handle::{get_handle, new_handle, Handle};
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;
use crate::webidl;

/// A tag instance: its type `[params] → []`. Compared by identity (`Rc::ptr_eq`).
#[derive(Debug)]
pub(crate) struct TagData {
    /// The parameter types (`v128` allowed: the spec's ToValueType accepts it).
    pub(crate) params: Box<[ValType]>,
}

/// The tag behind a handle (TypeError otherwise).
pub(crate) fn tag_of<'a>(env: Env, value: Value) -> JsResult<&'a Rc<TagData>> {
    match get_handle(env, value) {
        Some(Handle::Tag(t)) => Ok(t),
        _ => Err(env.throw_type_error("jitless-wasm: expected a native tag handle")),
    }
}

native_fn!(
    /// `tagNew(parameters) → handle`: `parameters` is the array of ValueType strings that
    /// `lib/tag.js` read from the TagType dictionary.
    /// https://webassembly.github.io/spec/js-api/#dom-tag-tag
    tag_new, 1, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let list = cx.args[0];
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
        let tag = Rc::new(TagData { params: params.into() });
        // 7. Initialize this with tagAddress.
        new_handle(env, st, Handle::Tag(tag), None)
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("tagNew", tag_new)
}
