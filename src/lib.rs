//! # jitless-wasm (the Node-API binding)
//!
//! The WebAssembly JavaScript API (https://webassembly.github.io/spec/js-api/) for Node.js over
//! the `jitless-wasm-core` interpreter. The interface classes are written in JS (`lib/*.js`, for
//! WebIDL-exact behaviour) over the native functions registered here; the hot paths (calling an
//! Exported Function, calling an imported JS function, `Memory.prototype.buffer`) are raw
//! Node-API callbacks. This file only does module initialisation and registration.

#![deny(clippy::all)]
// napi-rs only registers the module (`init`, `#[napi(module_exports)]`); the macro's module
// initialiser is not built in the test profile, so there what `init` registers looks unused
// (`cargo clippy --all-targets`).
#![cfg_attr(test, allow(dead_code))]

mod convert;
mod errors;
mod exception;
mod exported_function;
mod gc_values;
mod global;
mod handle;
mod host_func;
mod instance;
mod interrupt;
mod js_atomics;
mod js_objects;
mod js_string;
mod jspi;
mod limits;
mod memory;
#[cfg(jitless_v8_shim)]
mod memory_resizable;
mod memory_shared;
mod memory_shared_growable;
mod memory_shared_select;
mod module;
mod namespace;
mod profile;
mod raw;
mod reclaim;
mod stack_limit;
mod state;
mod table;
mod tag;
#[cfg(jitless_v8_shim)]
mod transfer;
mod v8_api;
#[cfg(jitless_v8_shim)]
mod v8_sab;
mod wat;
// jitless-wasm/wasi host calls (#14)
#[cfg(target_os = "linux")]
mod wasi_host;
#[cfg(target_os = "linux")]
mod wasi_io;
#[cfg(target_os = "linux")]
mod wasi_native;
#[cfg(target_os = "linux")]
mod wasi_native_open;
#[cfg(target_os = "linux")]
mod wasi_native_path;
#[cfg(target_os = "linux")]
mod wasi_native_readdir;
mod webidl;

use napi::bindgen_prelude::{JsValue, Object};
use napi_derive::napi;

use crate::raw::{c_string, Callback, Env, JsResult, Value};

/// Adds native functions to the binding's exports object.
pub(crate) struct Registrar {
    env: Env,
    exports: Value,
}

impl Registrar {
    /// Adds `exports[name]`, a native function running `cb`.
    pub(crate) fn add(&mut self, name: &str, cb: Callback) -> JsResult<()> {
        let f = self.env.function(name, cb, std::ptr::null_mut())?;
        self.env.set_named(self.exports, &c_string(name), f)
    }
}

/// The native side of `lib/transfer.js` (tokens need the V8 shim's SharedArrayBuffers).
fn register_transfer(r: &mut Registrar) -> JsResult<()> {
    #[cfg(jitless_v8_shim)]
    if v8_api::features().sab {
        return transfer::register(r);
    }
    let _ = r;
    Ok(())
}

/// The native side of `lib/wasi` (#14): its host calls, on Linux only.
fn register_wasi(r: &mut Registrar) -> JsResult<()> {
    #[cfg(target_os = "linux")]
    return wasi_host::register(r).and_then(|()| wasi_native::register(r));
    #[cfg(not(target_os = "linux"))]
    {
        let _ = r;
        Ok(())
    }
}

/// The native WASI host function for a function import `callable` of type `ty` (#14), when
/// `callable` is one of `jitless-wasm/wasi`'s functions that has one (Linux only).
pub(crate) fn wasi_link(
    env: Env,
    st: &std::rc::Rc<state::State>,
    callable: Value,
    ty: &jitless_wasm_core::FuncType,
    index: u32,
) -> JsResult<Option<jitless_wasm_core::FuncRef>> {
    #[cfg(target_os = "linux")]
    return wasi_native::link(env, st, callable, ty, index);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (env, st, callable, ty, index);
        Ok(None)
    }
}

/// Module initialisation: creates the per-env state and registers the native functions.
#[napi(module_exports)]
pub fn init(exports: Object, env: napi::Env) -> napi::Result<()> {
    // SAFETY: napi-rs hands us the live env of the module being initialised.
    let env = unsafe { Env::from_raw(env.raw()) };
    stack_limit::extend_main_thread_js_stack();
    let mut r = Registrar { env, exports: exports.raw() };
    let registered = state::State::install(env)
        .and_then(|()| interrupt::install(env))
        .and_then(|()| namespace::register(&mut r))
        .and_then(|()| profile::register(&mut r))
        .and_then(|()| module::register(&mut r))
        .and_then(|()| instance::register(&mut r))
        .and_then(|()| memory::register(&mut r))
        .and_then(|()| table::register(&mut r))
        .and_then(|()| global::register(&mut r))
        .and_then(|()| tag::register(&mut r))
        .and_then(|()| exception::register(&mut r))
        .and_then(|()| jspi::register(&mut r))
        .and_then(|()| register_transfer(&mut r))
        .and_then(|()| reclaim::register_natives(&mut r))
        .and_then(|()| v8_api::register(&mut r))
        .and_then(|()| wat::register(&mut r))
        // jitless-wasm/limits (#15)
        .and_then(|()| limits::register(&mut r))
        // jitless-wasm/wasi (#14)
        .and_then(|()| register_wasi(&mut r));
    registered.map_err(|_| napi::Error::new(napi::Status::PendingException, "jitless-wasm: initialisation failed"))
}
