//! `watToWasm`: the WebAssembly text format, exposed to JavaScript.
//!
//! This backs the package's `jitless-wasm/wat` entry (`wat.js`), which is
//! how the tests and the examples turn WAT text into module bytes.

use napi::bindgen_prelude::{Function, JsObjectValue, Uint8Array, Unknown};
use napi::{Env, Error, Result};
use napi_derive::napi;

/// Converts WebAssembly text (`text`) to a module's binary encoding.
///
/// The pre-2018 instruction names (`get_local`, `anyfunc`, ...) are
/// accepted too. On a syntax error this throws a JavaScript `SyntaxError`
/// whose message is `"<line>:<column>: <message>"` (1-based).
#[napi(js_name = "watToWasm")]
pub fn wat_to_wasm(env: Env, text: String) -> Result<Uint8Array> {
    match jitless_wasm_core::text::wat_to_wasm(&text) {
        Ok(bytes) => Ok(Uint8Array::new(bytes)),
        Err(err) => Err(syntax_error(&env, format!("{}:{}: {}", err.line, err.column, err.message))),
    }
}

/// Creates a JavaScript `SyntaxError` with `message`, wrapped as a napi
/// error so that returning it throws that very object.
///
/// `node_api_throw_syntax_error` needs Node-API 9 and the binding targets
/// Node-API 8, so the error is built with the global constructor instead.
/// If that fails, the failure itself is returned (it is thrown as an
/// ordinary `Error`).
fn syntax_error(env: &Env, message: String) -> Error {
    let build = || -> Result<Unknown<'_>> {
        let global = env.get_global()?;
        let constructor: Function<String, Unknown> = global.get_named_property("SyntaxError")?;
        constructor.new_instance(message.clone())
    };
    match build() {
        Ok(value) => Error::from(value),
        Err(err) => err,
    }
}
