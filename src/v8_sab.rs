//! Fixed-length SharedArrayBuffers over a shared memory's own bytes, through the V8 shim
//! (`src/v8_shim.cc`, built when `build.rs` finds Node's V8 headers: cfg `jitless_v8_shim`).

use std::ffi::{c_int, c_void};
use std::ptr;

use jitless_wasm_core::runtime::{MemoryAlias, SharedMemory};
use napi_sys as sys;

use crate::raw::{Env, JsResult, Value};

/// V8's `BackingStore::DeleterCallback`.
type Deleter = unsafe extern "C" fn(data: *mut c_void, length: usize, deleter_data: *mut c_void);

extern "C" {
    /// See `src/v8_shim.cc`.
    fn jitless_wasm_shared_array_buffer(
        data: *mut c_void,
        length: usize,
        deleter: Deleter,
        deleter_data: *mut c_void,
        result: *mut sys::napi_value,
    ) -> c_int;
}

/// Unmaps the [`MemoryAlias`] a backing store owned (any thread, once).
unsafe extern "C" fn release(_data: *mut c_void, _length: usize, owner: *mut c_void) {
    // SAFETY: `owner` is the box leaked by `shared_array_buffer`, and V8 (or the shim, on
    // failure) calls the deleter exactly once.
    drop(unsafe { Box::from_raw(owner as *mut MemoryAlias) });
}

/// A new non-growable SharedArrayBuffer over the first `len` bytes of `mem` (committed: at
/// most its current length). They are mapped at an address of their own
/// ([`SharedMemory::alias`]): V8's `Atomics.notify` takes a waiter at the same address on
/// another live backing store for a dead one and frees it (a crash), so buffers with
/// different backing stores must not share addresses. The backing store owns the alias, so
/// the bytes outlive every SharedArrayBuffer over them, in any isolate. Must run in a callback
/// of `env`.
pub(crate) fn shared_array_buffer(env: Env, mem: &SharedMemory, len: usize) -> JsResult<Value> {
    let alias =
        mem.alias(len).ok_or_else(|| env.throw_range_error("WebAssembly.Memory.buffer: out of address space"))?;
    let data = alias.ptr() as *mut c_void;
    let owner = Box::into_raw(Box::new(alias)) as *mut c_void;
    let mut sab = ptr::null_mut();
    // SAFETY: `data` is valid for `len` bytes (a mapping of committed pages) for as long as
    // `owner` lives, which the backing store frees through `release` once no buffer uses it;
    // the shim takes `owner` in every case. We are inside a Node-API callback of the current
    // thread (the handle lands in its scope).
    let status = unsafe { jitless_wasm_shared_array_buffer(data, len, release, owner, &mut sab) };
    if status != 0 || sab.is_null() {
        return Err(env.throw_error("jitless-wasm: could not create a SharedArrayBuffer"));
    }
    Ok(sab)
}
