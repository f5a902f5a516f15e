//! Shared memories with the V8 shim (cfg `jitless_v8_shim`, see `build.rs`): as in V8, the bytes are
//! the core's own (reserved for the maximum, so the base never moves) and `buffer` is a frozen,
//! non-growable SharedArrayBuffer of the current size over them, made by `v8_sab`: the cached
//! one while the memory keeps its length, a new object once it has grown (from JS, from wasm),
//! and an old one keeps its length and is never detached. Each buffer's backing store owns a
//! handle of the bytes, so they outlive every buffer, also those posted to Workers.
//!
//! Each buffer has its own V8 backing store (Node-API offers no way to give buffers of
//! different lengths one backing store), mapped at its own address (`SharedMemory::alias`: the
//! same pages again). V8's futex table keys waiters by address and, on `Atomics.notify`, takes a
//! waiter at that address on another *live* backing store for one on a dead store and frees its
//! node (a crash for a synchronous waiter), so two buffers must never share an address. Waiters
//! and notifiers meet per buffer; so the memory keeps every buffer it made (a "generation", with
//! an `Int32Array` over it): wasm `memory.atomic.notify` notifies on each of them, waking JS
//! waiters on any buffer of the memory (in any thread: a buffer posted to a Worker shares its
//! backing store) and wasm waiters; wasm `memory.atomic.wait` waits on the current one. A JS
//! waiter is only woken by a JS `Atomics.notify` on the same buffer (or a clone of it); in V8,
//! on any buffer of the memory.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::{Rc, Weak};

use jitless_wasm_core::runtime::{ExternalAtomics, SharedMemory};
use jitless_wasm_core::{Memory, TrapCode};
use napi_sys as sys;

use crate::js_atomics::{global, JsAtomics};
use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;
use crate::v8_sab;

/// Whether a shared memory's bytes are ours (reported to V8 as external memory, as unshared
/// memories are).
pub(crate) const OWN_BYTES: bool = true;

/// The `buffer` state of a shared memory.
pub(crate) struct SharedBuffers(Rc<Generations>);

/// The SharedArrayBuffers made for one shared memory in this env, and its wait/notify.
struct Generations {
    state: Weak<State>,
    mem: SharedMemory,
    /// Made on the first wait/notify.
    js: OnceCell<JsAtomics>,
    /// Oldest first; the last one is `buffer` until the memory grows.
    list: RefCell<Vec<Generation>>,
    /// Whether the memory has grown since the last buffer was made (every grow, even by 0,
    /// hands out a new buffer, as in V8).
    grown: Cell<bool>,
}

/// One SharedArrayBuffer of a shared memory (strong references, deleted with the memory).
struct Generation {
    len: usize,
    sab: Ref,
    /// An `Int32Array` over `sab`, for `Atomics.notify`.
    i32s: Ref,
}

impl SharedBuffers {
    /// The buffer state of `mem` if it is shared; installs its wait/notify.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Option<SharedBuffers> {
        let gens = Rc::new(Generations {
            state: Rc::downgrade(st),
            mem: mem.share()?,
            js: OnceCell::new(),
            list: RefCell::default(),
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
        let len = self.mem.data_len();
        let fresh = |g: &&Generation| g.len == len && !self.grown.get();
        let last = self.list.borrow().last().filter(fresh).map(|g| (g.sab, g.i32s));
        if let Some((sab, i32s)) = last {
            if let (Some(sab), Some(i32s)) = (env.reference_value(sab), env.reference_value(i32s)) {
                return Ok((sab, i32s));
            }
        }
        let sab = v8_sab::shared_array_buffer(env, &self.mem, len)?;
        // SAFETY: live env, handle of the current scope.
        env.check(unsafe { sys::napi_object_freeze(env.raw(), sab) })?;
        let i32s = env.construct(env.get_named(global(env)?, c"Int32Array")?, &[sab])?;
        let sab_ref = env.reference(sab, 1)?;
        let i32s_ref = match env.reference(i32s, 1) {
            Ok(r) => r,
            Err(e) => {
                self.delete(sab_ref);
                return Err(e);
            }
        };
        self.list.borrow_mut().push(Generation { len, sab: sab_ref, i32s: i32s_ref });
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
        // Newest first; only buffers that reach the address can have waiters there. (No borrow
        // is held while JS runs.)
        let views: Vec<Ref> = self.list.borrow().iter().rev().filter(|g| g.len >= offset + 4).map(|g| g.i32s).collect();
        js.with_env(|env| {
            let mut woken = 0;
            for r in views {
                if woken >= count {
                    break;
                }
                if let Some(view) = env.reference_value(r) {
                    woken += js.notify(env, view, offset / 4, count - woken)?;
                }
            }
            Ok(woken)
        })
        .unwrap_or(0)
    }
}

impl Drop for Generations {
    fn drop(&mut self) {
        for g in self.list.take() {
            self.delete(g.sab);
            self.delete(g.i32s);
        }
    }
}

/// Nothing to install: the core allocates shared memories itself.
pub(crate) fn install(_st: &Rc<State>) {}
