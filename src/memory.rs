//! `WebAssembly.Memory` (https://webassembly.github.io/spec/js-api/#memories): the native side of
//! `lib/memory.js`.
//!
//! `buffer` is an external ArrayBuffer aliasing the core memory's bytes (whose base never
//! moves); its finalizer owns a `Memory` clone, so the bytes outlive the JS `Memory` while any
//! buffer points at them. The core runs a grow hook after every successful grow, from JS or from
//! wasm (`memory.grow`), and the hook detaches the cached buffer before control returns to JS or
//! enters an import. The JS getter keeps its own copy of the buffer and only calls
//! `memoryBuffer` when that copy has a zero length (detached, or an empty memory).
//!
//! Shared memories (threads) are backed by a JS `SharedArrayBuffer` (Node-API 8 cannot create
//! one over our own bytes): the core calls this thread's shared-memory allocator
//! ([`install_shared_allocator`]) for every shared memory type, from `new Memory({shared})` and
//! for memories modules define. It makes a growable SAB with `maxByteLength` = the maximum,
//! takes its (stable) data pointer through a `Uint8Array` view, and grows the SAB when the
//! memory grows. `buffer` is then a frozen SAB over the same bytes, a new object after every
//! grow (a structured clone of the backing SAB); nothing is detached. Unlike V8's, these SABs
//! are growable (`growable` is true and `maxByteLength` is the memory's maximum), and an old
//! `buffer` object sees the new length after a grow.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::c_void;
use std::ptr;
use std::rc::{Rc, Weak};

use jitless_wasm_core::runtime::{set_shared_memory_allocator, ExternalAtomics, PAGE_SIZE};
use jitless_wasm_core::{Error, Limits, Memory, MemoryType, TrapCode};
use napi_sys as sys;

use crate::handle::{memory_of, register_wrapper, wrapper_to_js, Handle};
use crate::raw::{native_fn, Env, JsResult, Ref, Value};
use crate::state::{State, WrapperKind};
use crate::webidl;

/// The JS-API limit on pages of a 32-bit memory.
const MAX_PAGES: u64 = 65_536;
/// The JS-API limit on the `min` and `max` of a 64-bit memory type, in pages (2^37 − 1).
const MAX_PAGES64_TYPE: u64 = (1 << 37) - 1;

/// The JS-side state of one core memory: its current `buffer` (weakly referenced), and the
/// size reported to V8 as external memory.
pub(crate) struct MemState {
    buffer: Cell<Ref>,
    addr: usize,
    accounted: Cell<usize>,
    state: Rc<State>,
    /// For a shared memory: its backing SharedArrayBuffer, and the length `buffer` had when
    /// it was made (a new `buffer` object is due when the memory has grown since).
    shared: Option<(Ref, Cell<usize>)>,
}

impl MemState {
    /// The state of `mem`, created (with its grow hook) on first use.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Rc<MemState> {
        let addr = mem.addr();
        if let Some(ms) = st.mem_states.borrow().get(&addr).and_then(Weak::upgrade) {
            return ms;
        }
        let shared = backing_of(mem).map(|r| (r, Cell::new(0)));
        // A SharedArrayBuffer's bytes are V8's own: only our mappings are reported.
        let accounted = if shared.is_some() { 0 } else { mem.data_len() };
        let ms = Rc::new(MemState {
            buffer: Cell::new(ptr::null_mut()),
            addr,
            accounted: Cell::new(accounted),
            state: st.clone(),
            shared,
        });
        st.account_external(accounted as i64);
        let hook_state = ms.clone();
        mem.set_grow_hook(Some(Rc::new(move |m: &Memory| hook_state.grown(m))));
        st.mem_states.borrow_mut().insert(addr, Rc::downgrade(&ms));
        ms
    }

    /// The grow hook: accounts for the new size and detaches the buffer.
    fn grown(&self, mem: &Memory) {
        if self.shared.is_some() {
            // The next `buffer` is a new SAB; the old one stays usable (not detached).
            return;
        }
        let len = mem.data_len();
        self.state.account_external(len as i64 - self.accounted.replace(len) as i64);
        self.detach();
    }

    /// Detaches and forgets the cached buffer.
    fn detach(&self) {
        let r = self.buffer.replace(ptr::null_mut());
        if r.is_null() || !self.state.alive() {
            return;
        }
        let env = self.state.env;
        env.scoped(|| {
            if let Some(ab) = env.reference_value(r) {
                env.detach(ab);
            }
        });
        self.state.delete_ref(r);
    }

    /// The current buffer: the cached one if still attached, else a new one.
    fn buffer(&self, env: Env, mem: &Memory) -> JsResult<Value> {
        if let Some((backing, made_at)) = &self.shared {
            return self.shared_buffer(env, mem, *backing, made_at);
        }
        let r = self.buffer.get();
        if !r.is_null() {
            if let Some(ab) = env.reference_value(r) {
                if !env.is_detached(ab) {
                    return Ok(ab);
                }
            }
            self.buffer.set(ptr::null_mut());
            self.state.delete_ref(r);
        }
        let ab = new_buffer(env, mem)?;
        self.buffer.set(env.reference(ab, 0)?);
        Ok(ab)
    }
}

impl MemState {
    /// `buffer` of a shared memory: the cached SAB while the memory has not grown, else a new
    /// frozen SAB over the same bytes.
    fn shared_buffer(&self, env: Env, mem: &Memory, backing: Ref, made_at: &Cell<usize>) -> JsResult<Value> {
        let len = mem.data_len();
        let r = self.buffer.get();
        if !r.is_null() && made_at.get() == len {
            if let Some(b) = env.reference_value(r) {
                return Ok(b);
            }
        }
        let sab = env
            .reference_value(backing)
            .ok_or_else(|| env.throw_error("jitless-wasm: the memory's SharedArrayBuffer is gone"))?;
        let global = global(env)?;
        let clone = env.get_named(global, c"structuredClone")?;
        let b = env.call(global, clone, &[sab])?;
        // SAFETY: live env, handle of the current scope.
        env.check(unsafe { sys::napi_object_freeze(env.raw(), b) })?;
        self.buffer.set(env.reference(b, 0)?);
        self.state.delete_ref(r);
        made_at.set(len);
        Ok(b)
    }
}

/// The global object.
fn global(env: Env) -> JsResult<Value> {
    let mut g = ptr::null_mut();
    // SAFETY: live env, local out-pointer.
    env.check(unsafe { sys::napi_get_global(env.raw(), &mut g) })?;
    Ok(g)
}

thread_local! {
    /// The backing SharedArrayBuffer of every SAB-backed memory of this thread, by base address
    /// (entries leave with the memory's bytes).
    static BACKINGS: RefCell<HashMap<usize, Ref>> = RefCell::new(HashMap::new());
}

/// The backing SharedArrayBuffer of a shared memory made by [`allocate_shared`].
fn backing_of(mem: &Memory) -> Option<Ref> {
    if !mem.is_shared() {
        return None;
    }
    BACKINGS.try_with(|b| b.borrow().get(&(mem.data_ptr() as usize)).copied()).ok().flatten()
}

/// Keeps a memory's backing SharedArrayBuffer alive (a strong reference) for as long as the
/// core memory.
struct SabKeep {
    state: Weak<State>,
    sab: Ref,
    base: usize,
}

impl Drop for SabKeep {
    fn drop(&mut self) {
        // (`try_with`: this may run while the thread's locals are being destroyed.)
        let _ = BACKINGS.try_with(|b| {
            if let Ok(mut b) = b.try_borrow_mut() {
                b.remove(&self.base);
            }
        });
        if let Some(st) = self.state.upgrade() {
            st.delete_ref(self.sab);
        }
    }
}

/// `memory.atomic.wait/notify` of a SAB-backed memory through JS `Atomics.wait/notify` on
/// length-tracking views of the SAB, so that wasm waiters, JS waiters and those of other
/// threads (Workers) on the same bytes all meet in V8's futex table.
struct JsAtomics {
    state: Weak<State>,
    /// `Atomics.wait`, `Atomics.notify`, an `Int32Array` and a `BigInt64Array` over the SAB
    /// (strong references, deleted on drop).
    wait: Ref,
    notify: Ref,
    i32s: Ref,
    i64s: Ref,
}

impl JsAtomics {
    fn new(env: Env, st: &Rc<State>, sab: Value) -> JsResult<JsAtomics> {
        let global = global(env)?;
        let atomics = env.get_named(global, c"Atomics")?;
        let wait = env.get_named(atomics, c"wait")?;
        let notify = env.get_named(atomics, c"notify")?;
        let i32s = env.construct(env.get_named(global, c"Int32Array")?, &[sab])?;
        let i64s = env.construct(env.get_named(global, c"BigInt64Array")?, &[sab])?;
        Ok(JsAtomics {
            state: Rc::downgrade(st),
            wait: env.reference(wait, 1)?,
            notify: env.reference(notify, 1)?,
            i32s: env.reference(i32s, 1)?,
            i64s: env.reference(i64s, 1)?,
        })
    }

    /// Runs `f` with the live env in a handle scope; `None` when the env is gone or `f` threw
    /// (the exception is cleared).
    fn with_env<R>(&self, f: impl FnOnce(Env) -> JsResult<R>) -> Option<R> {
        let st = self.state.upgrade()?;
        if !st.alive() {
            return None;
        }
        let env = st.env;
        env.scoped(|| match f(env) {
            Ok(r) => Some(r),
            Err(_) => {
                if env.is_exception_pending() {
                    env.take_exception();
                }
                None
            }
        })
    }

    fn value(env: Env, r: Ref) -> JsResult<Value> {
        env.reference_value(r).ok_or_else(|| env.throw_error("jitless-wasm: an Atomics helper was collected"))
    }
}

impl ExternalAtomics for JsAtomics {
    fn wait(&self, offset: usize, size: u8, expected: u64, timeout_ns: i64) -> Result<u32, TrapCode> {
        self.with_env(|env| {
            let (view, index, expected) = if size == 2 {
                (Self::value(env, self.i32s)?, offset / 4, env.double(expected as u32 as i32 as f64)?)
            } else {
                (Self::value(env, self.i64s)?, offset / 8, env.bigint_i64(expected as i64)?)
            };
            let timeout = if timeout_ns < 0 { f64::INFINITY } else { timeout_ns as f64 / 1e6 };
            let wait = Self::value(env, self.wait)?;
            let args = [view, env.double(index as f64)?, expected, env.double(timeout)?];
            let r = env.call(env.undefined(), wait, &args)?;
            Ok(match env.get_string(r)?.as_str() {
                "ok" => 0,
                "not-equal" => 1,
                _ => 2,
            })
        })
        // Atomics.wait refused (e.g. on a thread where blocking is not allowed).
        .ok_or(TrapCode::WaitOnUnsharedMemory)
    }

    fn notify(&self, offset: usize, count: u32) -> u32 {
        self.with_env(|env| {
            let notify = Self::value(env, self.notify)?;
            let args = [Self::value(env, self.i32s)?, env.double((offset / 4) as f64)?, env.double(count as f64)?];
            let r = env.call(env.undefined(), notify, &args)?;
            Ok(env.get_f64(r).unwrap_or(0.0) as u32)
        })
        .unwrap_or(0)
    }
}

impl Drop for JsAtomics {
    fn drop(&mut self) {
        if let Some(st) = self.state.upgrade() {
            for r in [self.wait, self.notify, self.i32s, self.i64s] {
                st.delete_ref(r);
            }
        }
    }
}

/// Installs this thread's shared-memory allocator (see the module documentation).
pub(crate) fn install_shared_allocator(st: &Rc<State>) {
    let weak = Rc::downgrade(st);
    set_shared_memory_allocator(Some(Rc::new(move |ty: MemoryType| match weak.upgrade() {
        Some(st) if st.alive() => allocate_shared(&st, ty),
        _ => Err(Error::link("the JS environment is gone", None)),
    })));
}

/// A shared memory over a new growable SharedArrayBuffer.
fn allocate_shared(st: &Rc<State>, ty: MemoryType) -> Result<Memory, Error> {
    let env = st.env;
    let fail = |what: &str| {
        if env.is_exception_pending() {
            env.take_exception();
        }
        Error::link(format!("could not allocate a shared memory: {what}"), None)
    };
    // Shared memories always have a maximum (validation, and the JS API's TypeError). A 64-bit
    // one is reserved up to 65,536 pages too (4 GiB): growing beyond fails.
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
            let (mut ty, mut n, mut data, mut ab, mut off) = (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
            // SAFETY: live env, `view` is a Uint8Array of this scope; local out-pointers.
            env.check(unsafe {
                sys::napi_get_typedarray_info(env.raw(), view, &mut ty, &mut n, &mut data, &mut ab, &mut off)
            })?;
            Ok((sab, data as *mut u8))
        })();
        let Ok((sab, base)) = made else { return Err(fail("SharedArrayBuffer creation failed")) };
        if base.is_null() && reserved != 0 {
            return Err(fail("no data pointer"));
        }
        let base = if base.is_null() { std::ptr::NonNull::<u8>::dangling().as_ptr() } else { base };
        let atomics = JsAtomics::new(env, st, sab).map_err(|_| fail("Atomics"))?;
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
        let keep = Box::new(SabKeep { state: Rc::downgrade(st), sab: sab_ref, base: base as usize });
        BACKINGS.with(|b| b.borrow_mut().insert(base as usize, sab_ref));
        // SAFETY: a growable SAB's data pointer is stable for its life (its maximum is reserved
        // up front), its first `initial` bytes are zeroed and usable, and `keep` holds a strong
        // reference to it for as long as the memory lives; `commit` grows it before the core
        // uses more bytes.
        unsafe { Memory::from_external(ty, base, reserved, commit, keep, Some(Box::new(atomics))) }
    })
}

impl Drop for MemState {
    fn drop(&mut self) {
        self.state.account_external(-(self.accounted.get() as i64));
        let r = self.buffer.replace(ptr::null_mut());
        self.state.delete_ref(r);
        if let Ok(mut map) = self.state.mem_states.try_borrow_mut() {
            if map.get(&self.addr).is_some_and(|w| w.strong_count() == 0) {
                map.remove(&self.addr);
            }
        }
    }
}

/// A new ArrayBuffer over the memory's current bytes.
fn new_buffer(env: Env, mem: &Memory) -> JsResult<Value> {
    let len = mem.data_len();
    if len == 0 {
        return env.arraybuffer_copy(&[]);
    }
    unsafe extern "C" fn finalize(_env: sys::napi_env, _data: *mut c_void, hint: *mut c_void) {
        // SAFETY: `hint` is the `Box<Memory>` leaked below, finalized exactly once.
        drop(unsafe { Box::from_raw(hint as *mut Memory) });
    }
    let owner = Box::into_raw(Box::new(mem.clone()));
    // SAFETY: the memory's base never moves and its first `len` bytes stay committed for the
    // memory's whole life, which `owner` (freed only by `finalize`) extends.
    let result = unsafe { env.external_arraybuffer(mem.data_ptr(), len, Some(finalize), owner as *mut c_void) };
    if result.is_err() {
        // SAFETY: the buffer was not created, so `finalize` will not run.
        drop(unsafe { Box::from_raw(owner) });
    }
    result
}

/// The JS `Memory` of a core memory (one object per memory).
pub(crate) fn to_js(env: Env, st: &Rc<State>, mem: &Memory) -> JsResult<Value> {
    wrapper_to_js(
        env,
        st,
        WrapperKind::Memory,
        mem.addr(),
        || Handle::Memory(mem.clone(), MemState::of(st, mem)),
        |h| h.make_memory,
    )
}

native_fn!(
    /// `memoryNew(wrapper, descriptor) → handle`
    /// https://webassembly.github.io/spec/js-api/#dom-memory-memory
    memory_new, 2, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [this, descriptor] = cx.args;
        let ctx = "WebAssembly.Memory()";
        // The MemoryDescriptor dictionary, members in WebIDL (lexicographic) order: address (an
        // AddressType enumeration), initial and maximum (AddressValue = `any`: only read here,
        // converted below), shared (ToBoolean).
        let d = webidl::dictionary(env, descriptor, ctx, "memory descriptor")?;
        // 1. If descriptor["address"] exists, let addrtype be it; otherwise "i32".
        let is64 = webidl::address_type(env, d, ctx)?;
        let initial_v = webidl::member(env, d, c"initial")?;
        if webidl::is_undefined(env, initial_v) {
            return Err(env.throw_type_error(&format!("{ctx}: Property 'initial' is required")));
        }
        let maximum_v = webidl::member(env, d, c"maximum")?;
        let shared_v = webidl::member(env, d, c"shared")?;
        let shared = env.to_boolean(shared_v)?;
        // 2. Let initial be ? AddressValueToU64(descriptor["initial"], addrtype).
        let initial = webidl::address_value_to_u64(env, initial_v, is64, &format!("{ctx}: Property 'initial'"))?;
        // 3. If descriptor["maximum"] exists, let maximum be ? AddressValueToU64(it, addrtype).
        let maximum = if webidl::is_undefined(env, maximum_v) {
            None
        } else {
            Some(webidl::address_value_to_u64(env, maximum_v, is64, &format!("{ctx}: Property 'maximum'"))?)
        };
        // 4–5. If memtype is not valid, throw a RangeError: limits within the JS-API's page
        // limits (65,536 for 32-bit memories, 2^37 − 1 for 64-bit ones), maximum ≥ initial.
        let limit = if is64 { MAX_PAGES64_TYPE } else { MAX_PAGES };
        for (name, v) in [("initial", Some(initial)), ("maximum", maximum)] {
            if let Some(v) = v.filter(|&v| v > limit) {
                return Err(env.throw_range_error(&format!(
                    "{ctx}: Property '{name}': value {v} is above the upper bound {limit}"
                )));
            }
        }
        if let Some(max) = maximum {
            if max < initial {
                return Err(env.throw_range_error(&format!(
                    "{ctx}: Property 'maximum': value {max} is below the lower bound {initial}"
                )));
            }
        }
        // Threads: a shared memory needs a maximum (then its buffer is a SharedArrayBuffer).
        if shared && maximum.is_none() {
            return Err(env.throw_type_error(&format!("{ctx}: If shared is true, maximum property should be defined.")));
        }
        // 6–7. Let (store, memaddr) be mem_alloc(store, memtype); failure (above the runtime
        // limit, 262,144 pages for a 64-bit memory) → RangeError.
        let ty = MemoryType { limits: Limits { min: initial, max: maximum }, shared, memory64: is64 };
        let mem = Memory::new(ty).map_err(|_| env.throw_range_error(&format!("{ctx}: could not allocate memory")))?;
        // 9. Initialize this from memaddr.
        let ms = MemState::of(st, &mem);
        let h = register_wrapper(env, st, WrapperKind::Memory, mem.addr(), Handle::Memory(mem, ms), this)?;
        st.flush_external();
        Ok(h)
    }
);

native_fn!(
    /// `memoryGrow(handle, delta) → old size in pages`
    /// https://webassembly.github.io/spec/js-api/#dom-memory-grow
    memory_grow, 2, |cx| {
        let env = cx.env;
        let [h, delta] = cx.args;
        let (mem, _) = memory_of(env, h)?;
        // 2. Let delta be AddressValueToU64(delta, the memory's address type) (memory64 JS-API:
        // https://webassembly.github.io/spec/js-api/#addressvaluetou64): a BigInt in [0, 2^64)
        // for a 64-bit memory, else an [EnforceRange] unsigned long.
        let is64 = mem.is_64();
        let delta = webidl::address_value_to_u64(env, delta, is64, "WebAssembly.Memory.grow(): Argument 0")?;
        // 3. Let ret be mem_size(store, memaddr).  4. Let store be mem_grow(store, memaddr, delta).
        // 5. If store is error, throw a RangeError. (The grow hook refreshes the buffer: 6.)
        let grown = mem.grow(delta);
        State::get(env).flush_external();
        match grown {
            // 7. Return U64ToAddressValue(ret, addrtype).
            Some(old) => webidl::u64_to_address_value(env, old, is64),
            None => Err(env.throw_range_error("WebAssembly.Memory.grow(): Maximum memory size exceeded")),
        }
    }
);

native_fn!(
    /// `memoryBuffer(handle) → ArrayBuffer`
    /// https://webassembly.github.io/spec/js-api/#dom-memory-buffer
    memory_buffer, 1, |cx| {
        let env = cx.env;
        let (mem, ms) = memory_of(env, cx.args[0])?;
        ms.buffer(env, mem)
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    install_shared_allocator(State::get(r.env));
    r.add("memoryNew", memory_new)?;
    r.add("memoryGrow", memory_grow)?;
    r.add("memoryBuffer", memory_buffer)
}
