//! Shared memories with the V8 shim (cfg `jitless_v8_shim`, see `build.rs`, when `v8_api.rs` finds it usable): as in V8, the bytes are
//! the core's own (reserved for the maximum, so the base never moves) and `buffer` is a frozen,
//! non-growable SharedArrayBuffer of the current size over them: the cached one while the
//! memory keeps its length, a new object after every grow (from JS, from wasm, even by 0), and
//! an old one keeps its length and is never detached.
//!
//! **One backing store per length, process-wide.** V8's futex table keys waiters by address,
//! and (Node 20) a notify at an address takes a waiter there on another backing store for one
//! on a dead store and frees its node (a crash for a synchronous waiter): two live backing
//! stores must never share an address. So every length the memory has had gets one V8
//! backing store over its own mapping of the pages ([`SharedMemory::alias`]), shared by all
//! threads ([`StoreSet`], in the shared bytes' embedder slot): the `buffer`s of every thread
//! (and of Memories that crossed threads by postMessage) of one length are objects over the
//! same store. A grow by 0 gives a new object over the same store, so no mapping is made; the
//! store of an old length is unmapped once no SharedArrayBuffer over it is left anywhere.
//!
//! wasm `memory.atomic.wait` waits through JS `Atomics.wait` on the current store (the same in
//! every thread); wasm `memory.atomic.notify` notifies through JS `Atomics.notify` on every live
//! store of the memory: wasm waiters and JS waiters on any buffer, in any thread, meet. A JS
//! `Atomics.notify` reaches the waiters on buffers of the same length (in V8: any buffer of the
//! memory).

use std::cell::{Cell, OnceCell, RefCell};
use std::ffi::c_void;
use std::rc::{Rc, Weak};
use std::sync::{Arc, Mutex};

use jitless_wasm_core::runtime::{ExternalAtomics, MemoryAlias, SharedMemory};
use jitless_wasm_core::{Memory, TrapCode};

use crate::js_atomics::{global, JsAtomics};
use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;
use crate::v8_sab::{sab_data, Store, WeakStore};

/// The backing stores of one shared memory, in every thread.
struct StoreSet {
    mem: SharedMemory,
    stores: Mutex<Stores>,
}

#[derive(Default)]
struct Stores {
    /// The store of the latest length (kept while any thread uses the memory).
    current: Option<(usize, Store)>,
    /// Earlier lengths, alive while a SharedArrayBuffer over them is.
    old: Vec<(usize, WeakStore)>,
}

/// Unmaps the [`MemoryAlias`] a backing store owned (any thread, once).
unsafe extern "C" fn release(_data: *mut c_void, _length: usize, owner: *mut c_void) {
    // SAFETY: `owner` is the box leaked by `StoreSet::current`; V8 calls the deleter once.
    drop(unsafe { Box::from_raw(owner as *mut MemoryAlias) });
}

impl StoreSet {
    /// The set of `mem` (made on first use; the bytes hold it weakly, every thread's
    /// [`SharedBuffers`] strongly).
    fn of(mem: SharedMemory) -> Arc<StoreSet> {
        let shared = mem.clone();
        shared.embedder().get_or_insert_with(|| StoreSet { mem, stores: Mutex::default() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Stores> {
        self.stores.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new SharedArrayBuffer (in `env`) over the store of the memory's current length, and
    /// that length; the store is made when the memory has grown since the last one.
    fn current_sab(&self, env: Env) -> JsResult<(Value, usize)> {
        let len = self.mem.data_len();
        let mut stores = self.lock();
        // Lengths only grow: a store at least as long as `len` (made by a thread that saw a
        // later grow) is current.
        if let Some((l, store)) = stores.current.as_ref().filter(|(l, _)| *l >= len) {
            return Ok((store.sab(env)?, *l));
        }
        let alias = self
            .mem
            .alias(len)
            .ok_or_else(|| env.throw_range_error("WebAssembly.Memory.buffer: out of address space"))?;
        let data = alias.ptr() as *mut c_void;
        let owner = Box::into_raw(Box::new(alias)) as *mut c_void;
        // SAFETY: `data` is valid for `len` bytes (a mapping of committed pages) for as long as
        // `owner` lives, which the store frees through `release` once nothing uses it.
        let store = unsafe { Store::new(data, len, release, owner) };
        let sab = store.sab(env);
        if let Some((l, old)) = stores.current.replace((len, store)) {
            stores.old.push((l, old.downgrade()));
        }
        stores.old.retain(|(_, w)| w.upgrade().is_some());
        Ok((sab?, len))
    }

    /// The live stores that reach `end` bytes, the current one first.
    fn live(&self, end: usize) -> Vec<Store> {
        let stores = self.lock();
        let current = stores.current.as_ref().filter(|(l, _)| *l >= end).map(|(_, s)| s.downgrade());
        let old = stores.old.iter().rev().filter(|(l, _)| *l >= end).map(|(_, w)| w);
        current.iter().chain(old).filter_map(WeakStore::upgrade).collect()
    }
}

/// The `buffer` state of a shared memory.
pub(crate) struct SharedBuffers(Rc<Generations>);

/// A shared memory's current SharedArrayBuffer in this env, and its wait/notify.
struct Generations {
    state: Weak<State>,
    set: Arc<StoreSet>,
    /// Made on the first wait/notify.
    js: OnceCell<JsAtomics>,
    /// The current buffer (strong references, deleted with the memory or on the next one).
    current: RefCell<Option<Generation>>,
    /// Whether the memory has grown since the current buffer was made (every grow, even by 0,
    /// hands out a new buffer, as in V8).
    grown: Cell<bool>,
}

/// One SharedArrayBuffer of a shared memory.
struct Generation {
    len: usize,
    sab: Ref,
    /// An `Int32Array` over `sab`, for `Atomics.wait`/`notify`.
    i32s: Ref,
}

impl SharedBuffers {
    /// The buffer state of `mem` if it is shared; installs its wait/notify.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Option<SharedBuffers> {
        let gens = Rc::new(Generations {
            state: Rc::downgrade(st),
            set: StoreSet::of(mem.share()?),
            js: OnceCell::new(),
            current: RefCell::default(),
            grown: Cell::new(false),
        });
        mem.set_external_atomics(Some(gens.clone()));
        Some(SharedBuffers(gens))
    }

    /// The grow hook's part: the next `buffer` is a new object.
    pub(crate) fn grown(&self) {
        self.0.grown.set(true);
    }

    /// `buffer`: https://webassembly.github.io/threads/js-api/#dom-memory-buffer
    pub(crate) fn buffer(&self, env: Env, _mem: &Memory) -> JsResult<Value> {
        Ok(self.0.current(env)?.0)
    }
}

impl Generations {
    /// The buffer of the memory's current length and its `Int32Array`, made if the memory has
    /// grown since the last one.
    fn current(&self, env: Env) -> JsResult<(Value, Value)> {
        let len = self.set.mem.data_len();
        let cached =
            self.current.borrow().as_ref().filter(|g| g.len >= len && !self.grown.get()).map(|g| (g.sab, g.i32s));
        if let Some((sab, i32s)) = cached {
            if let (Some(sab), Some(i32s)) = (env.reference_value(sab), env.reference_value(i32s)) {
                return Ok((sab, i32s));
            }
        }
        let (sab, len) = self.set.current_sab(env)?;
        env.freeze(sab)?;
        let i32s = int32_array(env, sab)?;
        let sab_ref = env.reference(sab, 1)?;
        let i32s_ref = match env.reference(i32s, 1) {
            Ok(r) => r,
            Err(e) => {
                self.delete(sab_ref);
                return Err(e);
            }
        };
        if let Some(old) = self.current.replace(Some(Generation { len, sab: sab_ref, i32s: i32s_ref })) {
            self.delete(old.sab);
            self.delete(old.i32s);
        }
        self.grown.set(false);
        Ok((sab, i32s))
    }

    /// The JS Atomics functions, looked up on first use; `None` if the env is gone.
    fn js(&self) -> Option<&JsAtomics> {
        if self.js.get().is_none() {
            let st = self.state.upgrade().filter(|st| st.alive())?;
            let env = st.env;
            let made = env.scoped(|| {
                JsAtomics::new(env, &st).inspect_err(|_| {
                    if env.is_exception_pending() {
                        env.take_exception();
                    }
                })
            });
            let _ = self.js.set(made.ok()?);
        }
        self.js.get()
    }

    fn delete(&self, r: Ref) {
        if let Some(st) = self.state.upgrade() {
            st.delete_ref(r);
        }
    }
}

/// `new Int32Array(sab)`.
fn int32_array(env: Env, sab: Value) -> JsResult<Value> {
    env.construct(env.get_named(global(env)?, c"Int32Array")?, &[sab])
}

impl ExternalAtomics for Generations {
    fn wait(&self, offset: usize, size: u8, expected: u64, timeout_ns: i64) -> Result<u32, TrapCode> {
        let js = self.js().ok_or(TrapCode::WaitOnUnsharedMemory)?;
        js.with_env(|env| {
            let (sab, i32s) = self.current(env)?;
            let view =
                if size == 2 { i32s } else { env.construct(env.get_named(global(env)?, c"BigInt64Array")?, &[sab])? };
            js.wait(env, view, offset >> size, size, expected, timeout_ns)
        })
        // Atomics.wait refused (e.g. on a thread where blocking is not allowed).
        .ok_or(TrapCode::WaitOnUnsharedMemory)
    }

    fn notify(&self, offset: usize, count: u32) -> u32 {
        let Some(js) = self.js() else { return 0 };
        js.with_env(|env| {
            let (current_sab, current) = self.current(env)?;
            let mut woken = js.notify(env, current, offset / 4, count)?;
            // The other live stores (older lengths, or a newer one another thread made), each
            // through a temporary buffer of this env. (No lock is held while JS runs.)
            let ours = sab_data(current_sab).map(|(p, _)| p);
            let stores = self.set.live(offset + 4);
            for store in &stores {
                if woken >= count {
                    break;
                }
                let sab = store.sab(env)?;
                if sab_data(sab).map(|(p, _)| p) == ours {
                    continue; // the current store, already notified
                }
                woken += js.notify(env, int32_array(env, sab)?, offset / 4, count - woken)?;
            }
            Ok(woken)
        })
        .unwrap_or(0)
    }
}

impl Drop for Generations {
    fn drop(&mut self) {
        if let Some(g) = self.current.take() {
            self.delete(g.sab);
            self.delete(g.i32s);
        }
    }
}
