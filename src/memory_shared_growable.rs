//! Shared memories without the V8 shim (not built: no V8 headers or not Linux; or not usable
//! in this host: Deno, Bun; see `v8_api.rs`). Node-API 8 cannot create a SharedArrayBuffer over our own bytes, so every shared
//! memory is backed by a JS `SharedArrayBuffer`: the core calls this thread's shared-memory
//! allocator ([`install`]) for every shared memory type, from `new Memory({shared})` and for
//! memories modules define. It makes a growable SAB with `maxByteLength` = the maximum, takes
//! its (stable) data pointer through a `Uint8Array` view, and grows the SAB when the memory
//! grows. `buffer` is then a frozen SAB over the same bytes, a new object after every grow (a
//! structured clone of the backing SAB); nothing is detached. Unlike V8's, these SABs are
//! growable (`growable` is true and `maxByteLength` is the memory's maximum), and an old
//! `buffer` object sees the new length after a grow.

use std::cell::Cell;
use std::ptr;
use std::rc::{Rc, Weak};

use jitless_wasm_core::runtime::{set_shared_memory_allocator, ExternalAtomics, PAGE_SIZE};
use jitless_wasm_core::{Error, Memory, MemoryType, ResourceError, TrapCode};

use crate::js_atomics::{global, JsAtomics};
use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;

/// The JS-API limit on pages of a 32-bit memory.
const MAX_PAGES: u64 = 65_536;

/// The `buffer` state of a shared memory: its backing SharedArrayBuffer, the last `buffer`
/// (weakly referenced) and the length it had when made (a new `buffer` object is due when the
/// memory has grown since).
pub(crate) struct SharedBuffers {
    state: Rc<State>,
    backing: Ref,
    buffer: Cell<Ref>,
    made_at: Cell<usize>,
}

impl SharedBuffers {
    /// The buffer state of `mem` if it is a SAB-backed shared memory.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Option<SharedBuffers> {
        let backing = backing_of(mem)?;
        Some(SharedBuffers { state: st.clone(), backing, buffer: Cell::new(ptr::null_mut()), made_at: Cell::new(0) })
    }

    /// The grow hook's part: the next `buffer` is a new object (as in V8, even after a grow
    /// by 0).
    pub(crate) fn grown(&self) {
        self.made_at.set(usize::MAX);
    }

    /// `buffer`: the cached SAB while the memory has not grown, else a new frozen SAB over the
    /// same bytes.
    pub(crate) fn buffer(&self, env: Env, mem: &Memory) -> JsResult<Value> {
        let len = mem.data_len();
        let r = self.buffer.get();
        if !r.is_null() && self.made_at.get() == len {
            if let Some(b) = env.reference_value(r) {
                return Ok(b);
            }
        }
        let sab = env
            .reference_value(self.backing)
            .ok_or_else(|| env.throw_error("jitless-wasm: the memory's SharedArrayBuffer is gone"))?;
        let global = global(env)?;
        let clone = env.get_named(global, c"structuredClone")?;
        let b = env.call(global, clone, &[sab])?;
        env.freeze(b)?;
        self.buffer.set(env.reference(b, 0)?);
        self.state.delete_ref(r);
        self.made_at.set(len);
        Ok(b)
    }
}

/// For `toResizableBuffer()` (`memory_resizable.rs`): a new growable SharedArrayBuffer over the
/// backing store of a SAB-backed shared memory (a structured clone of its backing SAB, so its
/// length follows every grow, in any thread, as V8's do); `None` for another memory.
pub(crate) fn growable_buffer(env: Env, mem: &Memory) -> JsResult<Option<Value>> {
    let Some(backing) = backing_of(mem) else { return Ok(None) };
    let sab = env
        .reference_value(backing)
        .ok_or_else(|| env.throw_error("jitless-wasm: the memory's SharedArrayBuffer is gone"))?;
    let global = global(env)?;
    let clone = env.get_named(global, c"structuredClone")?;
    env.call(global, clone, &[sab]).map(Some)
}

impl Drop for SharedBuffers {
    fn drop(&mut self) {
        self.state.delete_ref(self.buffer.replace(ptr::null_mut()));
    }
}

/// The backing SharedArrayBuffer of a shared memory made by [`allocate_shared`] (its
/// [`SabKeep`], which the core memory holds).
fn backing_of(mem: &Memory) -> Option<Ref> {
    mem.external_keep()?.downcast_ref::<SabKeep>().map(|k| k.sab)
}

/// Keeps a memory's backing SharedArrayBuffer alive (a strong reference) for as long as the
/// core memory; the binding finds it there ([`Memory::external_keep`]).
struct SabKeep {
    state: Weak<State>,
    sab: Ref,
}

impl Drop for SabKeep {
    fn drop(&mut self) {
        if let Some(st) = self.state.upgrade() {
            st.delete_ref(self.sab);
        }
    }
}

/// wait/notify of a SAB-backed memory on length-tracking views of its backing SAB.
struct BackingAtomics {
    js: JsAtomics,
    /// An `Int32Array` and a `BigInt64Array` over the SAB (strong references, deleted on drop).
    i32s: Ref,
    i64s: Ref,
}

impl BackingAtomics {
    fn new(env: Env, st: &Rc<State>, sab: Value) -> JsResult<BackingAtomics> {
        let global = global(env)?;
        let i32s = env.construct(env.get_named(global, c"Int32Array")?, &[sab])?;
        let i64s = env.construct(env.get_named(global, c"BigInt64Array")?, &[sab])?;
        Ok(BackingAtomics {
            js: JsAtomics::new(env, st)?,
            i32s: env.reference(i32s, 1)?,
            i64s: env.reference(i64s, 1)?,
        })
    }

    fn view(env: Env, r: Ref) -> JsResult<Value> {
        env.reference_value(r).ok_or_else(|| env.throw_error("jitless-wasm: an Atomics view was collected"))
    }
}

impl ExternalAtomics for BackingAtomics {
    fn wait(&self, offset: usize, size: u8, expected: u64, timeout_ns: i64) -> Result<u32, TrapCode> {
        self.js
            .with_env(|env| {
                let view = Self::view(env, if size == 2 { self.i32s } else { self.i64s })?;
                self.js.wait(env, view, offset >> size, size, expected, timeout_ns)
            })
            // Atomics.wait refused (e.g. on a thread where blocking is not allowed).
            .ok_or(TrapCode::WaitOnUnsharedMemory)
    }

    fn notify(&self, offset: usize, count: u32) -> u32 {
        self.js.with_env(|env| self.js.notify(env, Self::view(env, self.i32s)?, offset / 4, count)).unwrap_or(0)
    }
}

impl Drop for BackingAtomics {
    fn drop(&mut self) {
        if let Some(st) = self.js.state() {
            st.delete_ref(self.i32s);
            st.delete_ref(self.i64s);
        }
    }
}

/// Installs this thread's shared-memory allocator (see the module documentation).
pub(crate) fn install(st: &Rc<State>) {
    let weak = Rc::downgrade(st);
    set_shared_memory_allocator(Some(Rc::new(move |ty: MemoryType| match weak.upgrade() {
        Some(st) if st.alive() => allocate_shared(&st, ty),
        _ => Err(ResourceError::SharedMemory { step: "the JS environment is gone" }.into()),
    })));
}

/// A shared memory over a new growable SharedArrayBuffer.
fn allocate_shared(st: &Rc<State>, ty: MemoryType) -> Result<Memory, Error> {
    let env = st.env;
    let fail = |step: &'static str| -> Error {
        if env.is_exception_pending() {
            env.take_exception();
        }
        ResourceError::SharedMemory { step }.into()
    };
    // Shared memories always have a maximum (validation, and the JS API's TypeError).
    let max_pages = ty.limits.max.unwrap_or(ty.limits.min).min(MAX_PAGES);
    if ty.limits.min > max_pages {
        return Err(fail("unsupported limits"));
    }
    let initial = ty.limits.min as usize * PAGE_SIZE;
    let reserved = max_pages as usize * PAGE_SIZE;
    env.scoped(|| {
        let made = (|| -> JsResult<(Value, *mut u8)> {
            let global = global(env)?;
            let ctor = env.get_named(global, c"SharedArrayBuffer")?;
            let opts = env.object()?;
            env.set_named(opts, c"maxByteLength", env.double(reserved as f64)?)?;
            let sab = env.construct(ctor, &[env.double(initial as f64)?, opts])?;
            let view_ctor = env.get_named(global, c"Uint8Array")?;
            let view = env.construct(view_ctor, &[sab])?;
            Ok((sab, env.typedarray_data(view)?))
        })();
        let Ok((sab, base)) = made else { return Err(fail("SharedArrayBuffer creation failed")) };
        if base.is_null() && reserved != 0 {
            return Err(fail("no data pointer"));
        }
        let base = if base.is_null() { std::ptr::NonNull::<u8>::dangling().as_ptr() } else { base };
        let atomics = BackingAtomics::new(env, st, sab).map_err(|_| fail("Atomics"))?;
        let sab_ref = env.reference(sab, 1).map_err(|_| fail("reference"))?;
        let weak = Rc::downgrade(st);
        let commit = Box::new(move |bytes: usize| -> bool {
            let Some(st) = weak.upgrade() else { return false };
            if !st.alive() {
                return false;
            }
            let env = st.env;
            env.scoped(|| {
                let grown = (|| -> JsResult<()> {
                    let sab = env.reference_value(sab_ref).ok_or_else(|| env.throw_error("gone"))?;
                    let len = env.get_named(sab, c"byteLength")?;
                    if env.get_f64(len).is_some_and(|l| l >= bytes as f64) {
                        return Ok(()); // already grown (e.g. by `buffer.grow()` from JS)
                    }
                    let grow = env.get_named(sab, c"grow")?;
                    env.call(sab, grow, &[env.double(bytes as f64)?])?;
                    Ok(())
                })();
                if grown.is_err() && env.is_exception_pending() {
                    env.take_exception();
                }
                grown.is_ok()
            })
        });
        let keep = Box::new(SabKeep { state: Rc::downgrade(st), sab: sab_ref });
        // SAFETY: a growable SAB's data pointer is stable for its life (its maximum is reserved
        // up front), its first `initial` bytes are zeroed and usable, and `keep` holds a strong
        // reference to it for as long as the memory lives; `commit` grows it before the core
        // uses more bytes.
        unsafe { Memory::from_external(ty, base, reserved, commit, keep, Some(Box::new(atomics))) }
    })
}
