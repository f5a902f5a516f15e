//! Per-environment state: the JS classes and helpers that `lib/*.js` registers with `init`, the
//! env's id (under which it keeps its data on core objects: `js_objects.rs`), pools, and the
//! handle-scope batching of host calls.
//!
//! Borrows of the `RefCell`s here are always short and never span a Node-API call that can run
//! JS or a GC (finalizers may run then and touch the same cells; they use `try_borrow_mut`).

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::hash::{BuildHasherDefault, Hasher};
use std::ptr;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use jitless_wasm_core::Val;

use crate::raw::{Env, HandleScope, JsResult, RawEnv, Ref, Value};

/// A fast hasher for the caches' keys (addresses and indices; no untrusted input).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    #[inline]
    fn mix(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for KeyHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // The high bits are the well-mixed ones; addresses have zero low bits.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.mix(b as u64);
        }
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.mix(n as u64);
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

/// A map keyed by ids or indices (the reclaimer's registry; no map here is keyed by a core
/// object's address: the binding's data about a core object is on the object, see
/// `js_objects.rs`).
pub(crate) type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// The JS values `init` hands over (strong references: they are our own functions).
pub(crate) struct Helpers {
    /// `WebAssembly.CompileError`.
    pub(crate) compile_error: Ref,
    /// `WebAssembly.LinkError`.
    pub(crate) link_error: Ref,
    /// `WebAssembly.RuntimeError`.
    pub(crate) runtime_error: Ref,
    /// `(handle) => Memory`: a new `WebAssembly.Memory` over a native handle.
    pub(crate) make_memory: Ref,
    /// `(handle) => Table`.
    pub(crate) make_table: Ref,
    /// `(handle) => Global`.
    pub(crate) make_global: Ref,
    /// `(handle) => Tag`.
    pub(crate) make_tag: Ref,
    /// `(handle) => Exception`.
    pub(crate) make_exception: Ref,
    /// `(v) => handle | undefined`: the native handle of a `WebAssembly.Exception`.
    pub(crate) unwrap_exception: Ref,
    /// `(holder, value) => void`: keeps `value` alive as long as `holder` is.
    pub(crate) retain: Ref,
    /// `(v) => bigint`: ToBigInt64 for values that are not BigInts (may throw).
    pub(crate) to_bigint64: Ref,
    /// `(v) => bigint`: ToBigInt (may throw).
    pub(crate) to_bigint: Ref,
    /// `(v) => Array`: IteratorToList(GetIterator(v)) (may throw).
    pub(crate) iterate: Ref,
    /// `Function.prototype.bind` (Exported Functions are bound functions: no `prototype`).
    pub(crate) bind: Ref,
    /// `() => object`: a new opaque object for a WasmGC struct or array (`lib/gc-object.js`).
    pub(crate) make_gc_object: Ref,
    /// `(a, b) => a + b` for two strings (the JS String Builtin `concat`: V8 joins long strings
    /// without copying them).
    pub(crate) concat: Ref,
}

/// The ids of the envs of the process (see [`State::id`]).
static NEXT_STATE_ID: AtomicU64 = AtomicU64::new(1);

/// The state of one Node-API environment.
pub(crate) struct State {
    /// The env (the same pointer in every callback of this env).
    pub(crate) env: Env,
    /// The env's id, unique in the process: the owner key of its data on core objects.
    id: u64,
    alive: Cell<bool>,
    helpers: OnceCell<Helpers>,
    next_id: Cell<u64>,
    results_pool: RefCell<Vec<Vec<Val>>>,
    /// Reusable handle vectors for the arguments of host (import) calls.
    argv_pool: RefCell<Vec<Vec<Value>>>,
    /// The handle scope shared by the host calls of the innermost Exported Function call
    /// (see [`State::enter_call`]).
    batch: Cell<BatchScope>,
    /// Bytes of linear memory not yet reported to V8 (see [`State::account_external`]).
    external_pending: Cell<i64>,
    /// The native data that sweeps can release before their finalizers run.
    pub(crate) reclaimer: crate::reclaim::Reclaimer,
    /// The JS objects of WasmGC structs and arrays (`gc_values.rs`).
    pub(crate) gc_objects: crate::gc_values::ObjectCache,
}

/// A cleared vector from `pool` (a new one if it is empty).
#[inline]
fn take_pooled<T>(pool: &RefCell<Vec<Vec<T>>>) -> Vec<T> {
    pool.borrow_mut().pop().unwrap_or_default()
}

/// Returns a vector to `pool` (cleared first, outside the borrow), keeping at most 16.
#[inline]
fn put_pooled<T>(pool: &RefCell<Vec<Vec<T>>>, mut v: Vec<T>) {
    v.clear();
    if let Ok(mut pool) = pool.try_borrow_mut() {
        if pool.len() < 16 {
            pool.push(v);
        }
    }
}

/// Host calls that share one handle scope before it is renewed (bounds the live handles of a
/// wasm loop that calls an import).
const HOST_CALLS_PER_SCOPE: u32 = 64;

/// The batch handle scope of one Exported Function call.
#[derive(Clone, Copy)]
struct BatchScope {
    /// Whether an Exported Function call is running (else host calls open their own scope).
    active: bool,
    scope: HandleScope,
    uses: u32,
}

impl BatchScope {
    const OUTSIDE: BatchScope = BatchScope { active: false, scope: ptr::null_mut(), uses: 0 };
    const FRESH: BatchScope = BatchScope { active: true, scope: ptr::null_mut(), uses: 0 };
}

/// Closes the batch scope of an Exported Function call and restores the enclosing call's
/// (see [`State::enter_call`]).
pub(crate) struct CallScope<'a> {
    state: &'a State,
    saved: BatchScope,
}

impl Drop for CallScope<'_> {
    fn drop(&mut self) {
        let mine = self.state.batch.replace(self.saved);
        if !mine.scope.is_null() {
            // SAFETY: the scope was opened by `State::host_scope` during this call and is the
            // innermost one: everything opened inside it was closed (callbacks and scopes nest).
            unsafe { self.state.env.close_scope(mine.scope) };
        }
        // The wasm code may have grown memories: a safe point to tell V8.
        self.state.flush_external();
    }
}

impl State {
    /// Creates the state of `env` and installs it as the env's instance data.
    pub(crate) fn install(env: Env) -> JsResult<()> {
        let state = Rc::new(State {
            env,
            id: NEXT_STATE_ID.fetch_add(1, Ordering::Relaxed),
            alive: Cell::new(true),
            helpers: OnceCell::new(),
            next_id: Cell::new(1),
            results_pool: RefCell::default(),
            argv_pool: RefCell::default(),
            batch: Cell::new(BatchScope::OUTSIDE),
            external_pending: Cell::new(0),
            reclaimer: Default::default(),
            gc_objects: Default::default(),
        });
        crate::reclaim::install(&state);
        unsafe extern "C" fn finalize(_env: RawEnv, data: *mut c_void, _hint: *mut c_void) {
            // SAFETY: `data` is the `Box<Rc<State>>` leaked below, finalized exactly once.
            drop(unsafe { Box::from_raw(data as *mut Rc<State>) });
        }
        unsafe extern "C" fn cleanup(arg: *mut c_void) {
            // SAFETY: `arg` is the `Rc<State>` leaked below; the hook runs exactly once.
            let state = unsafe { Rc::from_raw(arg as *const State) };
            state.alive.set(false);
        }
        let hook_arg = Rc::into_raw(state.clone()) as *mut c_void;
        // SAFETY: live env; the hook owns `hook_arg` and runs once, before the env goes away.
        unsafe { env.add_cleanup_hook(cleanup, hook_arg) }?;
        let data = Box::into_raw(Box::new(state)) as *mut c_void;
        // SAFETY: live env; `finalize` frees `data` when the env is torn down.
        unsafe { env.set_instance_data(data, Some(finalize)) }
    }

    /// The state of `env`.
    ///
    /// The reference is valid for as long as the env: only use it inside a callback.
    pub(crate) fn get<'a>(env: Env) -> &'a Rc<State> {
        let data = env.instance_data();
        assert!(!data.is_null(), "jitless-wasm: the binding state is missing");
        // SAFETY: the instance data is the `Box<Rc<State>>` set by `install`, freed only at
        // env teardown, after which no callback runs.
        unsafe { &*(data as *const Rc<State>) }
    }

    /// The env's id: the owner key of its data in the core objects' embedder slots.
    #[inline(always)]
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Whether the env is still usable (false once its teardown started).
    #[inline]
    pub(crate) fn alive(&self) -> bool {
        self.alive.get()
    }

    /// Stores the helpers handed over by `init` (only the first call counts).
    pub(crate) fn set_helpers(&self, helpers: Helpers) -> bool {
        self.helpers.set(helpers).is_ok()
    }

    /// The value of one helper; throws if `init` was not called.
    pub(crate) fn helper(&self, env: Env, pick: impl FnOnce(&Helpers) -> Ref) -> JsResult<Value> {
        let Some(h) = self.helpers.get() else {
            return Err(env.throw_error("jitless-wasm: the binding was not initialised (load it through index.js)"));
        };
        env.reference_value(pick(h)).ok_or_else(|| env.throw_error("jitless-wasm: a helper was collected"))
    }

    /// A fresh id for a cache entry.
    pub(crate) fn next_id(&self) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// A cleared results vector (from the pool).
    #[inline]
    pub(crate) fn take_results(&self) -> Vec<Val> {
        take_pooled(&self.results_pool)
    }

    /// Returns a results vector to the pool (it is cleared first, outside the borrow).
    #[inline]
    pub(crate) fn put_results(&self, v: Vec<Val>) {
        put_pooled(&self.results_pool, v);
    }

    /// A cleared handle vector (from the pool).
    #[inline]
    pub(crate) fn take_argv(&self) -> Vec<Value> {
        take_pooled(&self.argv_pool)
    }

    /// Returns a handle vector to the pool.
    #[inline]
    pub(crate) fn put_argv(&self, v: Vec<Value>) {
        put_pooled(&self.argv_pool, v);
    }

    /// Brackets the wasm part of an Exported Function call: host (import) calls made meanwhile
    /// share one handle scope, renewed every [`HOST_CALLS_PER_SCOPE`] calls, instead of opening
    /// one each (a malloc/free per import call). The guard closes it, so it must be dropped
    /// before the call creates handles it returns (its results).
    #[inline]
    pub(crate) fn enter_call(&self) -> CallScope<'_> {
        CallScope { state: self, saved: self.batch.replace(BatchScope::FRESH) }
    }

    /// Runs a host call `f` in a handle scope: the current Exported Function call's batch scope,
    /// or a scope of its own outside of one (e.g. a start function).
    #[inline]
    pub(crate) fn host_scope<R>(&self, f: impl FnOnce() -> R) -> R {
        let mut b = self.batch.get();
        if !b.active {
            return self.env.scoped(f);
        }
        if b.scope.is_null() || b.uses >= HOST_CALLS_PER_SCOPE {
            if !b.scope.is_null() {
                // SAFETY: the batch scope is the innermost open scope between two host calls of
                // the same wasm invocation (nested calls close theirs before returning).
                unsafe { self.env.close_scope(b.scope) };
            }
            // Closed by the next renewal or by `CallScope`.
            b.scope = self.env.open_scope();
            b.uses = 0;
        }
        b.uses += 1;
        self.batch.set(b);
        f()
    }

    /// Records a change in the bytes of linear memory that JS objects keep alive. It is reported
    /// to V8 (so that big memories create GC pressure) by [`State::flush_external`], not here:
    /// this runs inside grow hooks and finalizers, where a GC must not be started.
    pub(crate) fn account_external(&self, delta: i64) {
        self.external_pending.set(self.external_pending.get() + delta);
    }

    /// Reports the pending linear-memory size change to V8 (may run a GC and finalizers, so only
    /// call it where no borrow or engine state is live).
    pub(crate) fn flush_external(&self) {
        let delta = self.external_pending.replace(0);
        if delta != 0 && self.alive() {
            // (Only called from callbacks: the env is live.)
            self.env.adjust_external_memory(delta);
        }
    }

    /// Deletes a reference if the env is still alive (at teardown Node deletes them itself).
    pub(crate) fn delete_ref(&self, r: Ref) {
        if self.alive() && !r.is_null() {
            // SAFETY: `r` is a live reference of this env, dropped by its only owner.
            unsafe { self.env.delete_reference(r) };
        }
    }
}
