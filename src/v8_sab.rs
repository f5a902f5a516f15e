//! SharedArrayBuffers over bytes we own, through the V8 shim (`src/v8_shim.cc`, built when
//! `build.rs` finds Node's V8 headers: cfg `jitless_v8_shim`): [`Store`] owns a V8 backing store,
//! which can give SharedArrayBuffer objects in any thread's isolate ([`Store::sab`]).

use std::ffi::c_void;
use std::ptr::{self, NonNull};

use crate::raw::{Env, JsResult, Value};

/// V8's `BackingStore::DeleterCallback`.
pub(crate) type Deleter = unsafe extern "C" fn(data: *mut c_void, length: usize, deleter_data: *mut c_void);

extern "C" {
    fn jitless_wasm_store_new(
        data: *mut c_void,
        length: usize,
        deleter: Deleter,
        deleter_data: *mut c_void,
    ) -> *mut c_void;
    fn jitless_wasm_store_drop(store: *mut c_void);
    fn jitless_wasm_store_downgrade(store: *mut c_void) -> *mut c_void;
    fn jitless_wasm_weak_upgrade(weak: *mut c_void) -> *mut c_void;
    fn jitless_wasm_weak_drop(weak: *mut c_void);
    fn jitless_wasm_store_sab(store: *mut c_void, result: *mut Value) -> std::ffi::c_int;
    fn jitless_wasm_sab_data(value: Value, length: *mut usize) -> *mut c_void;
}

/// An owning pointer to a V8 backing store (a `std::shared_ptr`): the store lives while this
/// or any SharedArrayBuffer over it (in any isolate) does.
pub(crate) struct Store(NonNull<c_void>);

// SAFETY: a `std::shared_ptr` may be used and released on any thread (atomic counts); V8 runs
// the backing store's deleter on whichever thread releases it last.
unsafe impl Send for Store {}
// SAFETY: as above; `&Store` only reads the pointer.
unsafe impl Sync for Store {}

impl Store {
    /// A backing store of `len` bytes at `data`; `deleter(data, len, owner)` runs once, on any
    /// thread, when it is no longer used.
    ///
    /// # Safety
    /// `data` must stay valid for `len` bytes until `deleter` runs, and `deleter` must accept
    /// `owner`.
    pub(crate) unsafe fn new(data: *mut c_void, len: usize, deleter: Deleter, owner: *mut c_void) -> Store {
        // SAFETY: the caller's contract; the shim never returns null.
        Store(unsafe { NonNull::new_unchecked(jitless_wasm_store_new(data, len, deleter, owner)) })
    }

    /// A weak pointer to the same backing store.
    pub(crate) fn downgrade(&self) -> WeakStore {
        // SAFETY: `self.0` is a live `Store*`; the shim never returns null.
        WeakStore(unsafe { NonNull::new_unchecked(jitless_wasm_store_downgrade(self.0.as_ptr())) })
    }

    /// A new SharedArrayBuffer object over this backing store in `env`'s isolate. Must run in
    /// a callback of `env` (the handle lands in its scope).
    pub(crate) fn sab(&self, env: Env) -> JsResult<Value> {
        let mut sab = ptr::null_mut();
        // SAFETY: `self.0` is a live `Store*`; we are on `env`'s thread inside a callback.
        let status = unsafe { jitless_wasm_store_sab(self.0.as_ptr(), &mut sab) };
        if status != 0 || sab.is_null() {
            return Err(env.throw_error("jitless-wasm: could not create a SharedArrayBuffer"));
        }
        Ok(sab)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a `Store*` owned by this value alone.
        unsafe { jitless_wasm_store_drop(self.0.as_ptr()) }
    }
}

/// A weak pointer to a V8 backing store.
pub(crate) struct WeakStore(NonNull<c_void>);

// SAFETY: see `Store`.
unsafe impl Send for WeakStore {}
// SAFETY: see `Store`.
unsafe impl Sync for WeakStore {}

impl WeakStore {
    /// The store, if it is still alive.
    pub(crate) fn upgrade(&self) -> Option<Store> {
        // SAFETY: `self.0` is a live `WeakStore*`.
        NonNull::new(unsafe { jitless_wasm_weak_upgrade(self.0.as_ptr()) }).map(Store)
    }
}

impl Drop for WeakStore {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a `WeakStore*` owned by this value alone.
        unsafe { jitless_wasm_weak_drop(self.0.as_ptr()) }
    }
}

/// The data address and length of `value` if it is a SharedArrayBuffer.
pub(crate) fn sab_data(value: Value) -> Option<(*mut c_void, usize)> {
    let mut len = 0;
    // SAFETY: `value` is a handle of the current scope; the shim only inspects it.
    let data = unsafe { jitless_wasm_sab_data(value, &mut len) };
    (!data.is_null()).then_some((data, len))
}
