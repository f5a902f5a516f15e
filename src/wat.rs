//! `watToWasm`: the WebAssembly text format, exposed to JavaScript.
//!
//! This backs the package's `jitless-wasm/wat` entry (`wat.js`), which is
//! how the tests and the examples turn WAT text into module bytes. A raw
//! Node-API function like every other native function of the binding (napi-rs
//! only registers the module, in `lib.rs`).

use crate::raw::{native_fn, Env, JsResult, JsType, Pending, Value};

native_fn!(
    /// `watToWasm(text) → Uint8Array`: converts WebAssembly text to a module's binary encoding.
    ///
    /// The pre-2018 instruction names (`get_local`, `anyfunc`, ...) are accepted too. On a
    /// syntax error this throws a JavaScript `SyntaxError` whose message is
    /// `"<line>:<column>: <message>"` (1-based).
    wat_to_wasm, 1, |cx| {
        let env = cx.env;
        let [text] = cx.args;
        if env.type_of(text) != JsType::String {
            return Err(env.throw_type_error("watToWasm: the text must be a string"));
        }
        match jitless_wasm_core::text::wat_to_wasm(&env.get_string(text)?) {
            Ok(bytes) => uint8_array(env, &bytes),
            Err(err) => Err(throw_syntax_error(env, &format!("{}:{}: {}", err.line, err.column, err.message))),
        }
    }
);

/// A new `Uint8Array` holding a copy of `bytes`.
fn uint8_array(env: Env, bytes: &[u8]) -> JsResult<Value> {
    let buffer = env.arraybuffer_copy(bytes)?;
    let ctor = env.get_named(env.global()?, c"Uint8Array")?;
    env.construct(ctor, &[buffer])
}

/// Throws a new `SyntaxError` (`node_api_throw_syntax_error` needs Node-API 9 and the binding
/// targets Node-API 8, so the error is built with the global constructor).
fn throw_syntax_error(env: Env, message: &str) -> Pending {
    let made = (|| {
        let ctor = env.get_named(env.global()?, c"SyntaxError")?;
        env.construct(ctor, &[env.string(message)?])
    })();
    match made {
        Ok(error) => env.throw(error),
        Err(pending) => pending,
    }
}

/// Registers `watToWasm`.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("watToWasm", wat_to_wasm)
}
