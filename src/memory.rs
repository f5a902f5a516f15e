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
//! A shared memory's `buffer` is a SharedArrayBuffer, never detached: see `memory_shared.rs`
//! (fixed-length SharedArrayBuffers over the core's bytes, as V8's, through the V8 shim) or,
//! when the V8 shim is not usable (`v8_api.rs`), `memory_shared_growable.rs` (growable ones that V8
//! allocates).

use std::cell::Cell;
use std::ptr;
use std::rc::Rc;

use jitless_wasm_core::{Limits, Memory, MemoryType, Profile};

use crate::handle::{memory_of, register_wrapper, wrapper_to_js, Handle};
use crate::js_objects::JsCell;
use crate::memory_resizable::Resizable;
use crate::memory_shared_select::{self as memory_shared, SharedBuffers};
use crate::raw::{native_fn, Env, JsResult, Ref, Value};
use crate::reclaim::attach;
use crate::state::State;
use crate::webidl::{self, Descriptor};

/// The JS-API limit on pages of a 32-bit memory.
const MAX_PAGES: u64 = 65_536;
/// The JS-API limit on the `min` and `max` of a 64-bit memory type, in pages (2^37 − 1).
const MAX_PAGES64_TYPE: u64 = (1 << 37) - 1;
/// V8 12.4's (Node 22's) limit on pages of a 64-bit memory (16 GiB), which its constructor
/// checks too.
const MAX_PAGES64: u64 = 262_144;

/// The JS-side state of one core memory in one env (kept in the memory's embedder slot): its
/// JS wrapper, its current `buffer` (both weakly referenced), and the size reported to V8 as
/// external memory.
pub(crate) struct MemState {
    /// The cache cell of the memory's `WebAssembly.Memory` object.
    wrapper: Rc<JsCell>,
    buffer: Cell<Ref>,
    accounted: Cell<usize>,
    state: Rc<State>,
    /// For a shared memory: its SharedArrayBuffers.
    shared: Option<SharedBuffers>,
    /// Its resizable buffers (`toResizableBuffer()`).
    pub(crate) resizable: Resizable,
}

impl MemState {
    /// The state of `mem` in the env of `st`, created (with its grow hook) on first use.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Rc<MemState> {
        if let Some(ms) = mem.embedder().get::<MemState>(st.id()) {
            return ms;
        }
        let shared = SharedBuffers::of(st, mem);
        // Only our own mappings are reported (not the bytes of a SharedArrayBuffer V8 allocated).
        let accounted = if shared.is_some() && !memory_shared::own_bytes() { 0 } else { mem.data_len() };
        let ms = Rc::new(MemState {
            wrapper: Rc::new(JsCell::new(st)),
            buffer: Cell::new(ptr::null_mut()),
            accounted: Cell::new(accounted),
            state: st.clone(),
            shared,
            resizable: Resizable::new(st.clone()),
        });
        st.account_external(accounted as i64);
        let hook_state = ms.clone();
        mem.set_grow_hook(Some(Rc::new(move |m: &Memory| hook_state.grown(m))));
        mem.embedder().set(st.id(), ms.clone());
        ms
    }

    /// The grow hook: accounts for the new size and detaches the buffer (of an unshared
    /// memory: a shared memory's next `buffer` is a new SAB, the old one stays usable).
    fn grown(&self, mem: &Memory) {
        if self.shared.is_none() || memory_shared::own_bytes() {
            let len = mem.data_len();
            self.state.account_external(len as i64 - self.accounted.replace(len) as i64);
        }
        self.grown_buffer();
        self.resizable.grown(mem);
    }

    /// The next fixed-length `buffer` is a new object: an unshared memory's current one is
    /// detached, a shared memory's stays usable.
    pub(crate) fn grown_buffer(&self) {
        match &self.shared {
            Some(shared) => shared.grown(),
            None => self.detach(),
        }
    }

    /// Detaches and forgets the cached buffer.
    pub(crate) fn detach(&self) {
        let r = self.buffer.replace(ptr::null_mut());
        if r.is_null() || !self.state.alive() {
            return;
        }
        let env = self.state.env;
        env.scoped(|| {
            if let Some(ab) = env.reference_value(r) {
                // (`false`: detached or transferred already; nothing then aliases the memory.)
                let _detached = env.detach(ab);
            }
        });
        self.state.delete_ref(r);
    }

    /// The current fixed-length buffer: the cached one if still attached, else a new one.
    pub(crate) fn buffer(&self, env: Env, mem: &Memory) -> JsResult<Value> {
        if let Some(shared) = &self.shared {
            return shared.buffer(env, mem);
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

impl Drop for MemState {
    fn drop(&mut self) {
        self.state.account_external(-(self.accounted.get() as i64));
        let r = self.buffer.replace(ptr::null_mut());
        self.state.delete_ref(r);
    }
}

/// A new ArrayBuffer over the memory's current bytes.
fn new_buffer(env: Env, mem: &Memory) -> JsResult<Value> {
    let len = mem.data_len();
    if len == 0 {
        return env.arraybuffer_copy(&[]);
    }
    // SAFETY: the memory's base never moves and its first `len` bytes stay committed for the
    // memory's whole life, which the clone attached below extends until the buffer was
    // collected (freed by a sweep or by the reclaimer's finalizer, not by V8).
    let ab = unsafe { env.external_arraybuffer(mem.data_ptr(), len, None, ptr::null_mut())? };
    attach(env, State::get(env), ab, Box::new(mem.clone()))?;
    Ok(ab)
}

/// The JS `Memory` of a core memory (one object per memory).
pub(crate) fn to_js(env: Env, st: &Rc<State>, mem: &Memory) -> JsResult<Value> {
    let ms = MemState::of(st, mem);
    wrapper_to_js(env, st, ms.wrapper.clone(), || Handle::Memory(mem.clone(), ms), |h| h.make_memory)
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
        // AddressType enumeration), initial, maximum, shared (ToBoolean). Each AddressValue is
        // converted right after it is read (steps 2–3 below), as V8 and the JS-API tests do
        // (`memory/constructor.any.js`, "Order of evaluation for descriptor"); the spec text
        // reads the whole dictionary first.
        let d = webidl::dictionary(env, descriptor, ctx, "memory descriptor")?;
        // 1. If descriptor["address"] exists, let addrtype be it; otherwise "i32".
        let is64 = webidl::address_type(env, d, ctx, Descriptor::Memory)?;
        // 2. Let initial be ? AddressValueToU64(descriptor["initial"], addrtype).
        // 3. If descriptor["maximum"] exists, let maximum be ? AddressValueToU64(it, addrtype).
        let (initial, maximum) = webidl::address_limits(env, d, webidl::bigint_addresses(is64), ctx)?;
        let shared_v = webidl::member(env, d, c"shared")?;
        let shared = env.to_boolean(shared_v)?;
        // 4–5. If memtype is not valid, throw a RangeError: limits within the JS-API's page
        // limits (65,536 for 32-bit memories, 2^37 − 1 for 64-bit ones), maximum ≥ initial.
        // (V8 12.4, Node 22, bounds a 64-bit memory by its runtime limit.)
        let limit = match (is64, crate::profile::current()) {
            (false, _) => MAX_PAGES,
            (true, Profile::Node22) => MAX_PAGES64,
            (true, _) => MAX_PAGES64_TYPE,
        };
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
        crate::limits::adopt_memory(env, &mem, ctx)?;
        // 9. Initialize this from memaddr.
        let ms = MemState::of(st, &mem);
        let cell = ms.wrapper.clone();
        let h = register_wrapper(env, st, cell, Handle::Memory(mem, ms), this)?;
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
        let big = webidl::bigint_addresses(mem.is_64());
        let delta = webidl::address_value_to_u64(env, delta, big, "WebAssembly.Memory.grow(): Argument 0")?;
        // 3. Let ret be mem_size(store, memaddr).  4. Let store be mem_grow(store, memaddr, delta).
        // 5. If store is error, throw a RangeError. (The grow hook refreshes the buffer: 6.)
        let grown = mem.grow(delta);
        State::get(env).flush_external();
        match grown {
            // 7. Return U64ToAddressValue(ret, addrtype).
            Some(old) => webidl::u64_to_address_value(env, old, big),
            None => Err(env.throw_range_error("WebAssembly.Memory.grow(): Maximum memory size exceeded")),
        }
    }
);

native_fn!(
    /// `memoryBuffer(handle) → ArrayBuffer`
    /// https://webassembly.github.io/spec/js-api/#dom-memory-buffer
    memory_buffer, 1, |cx| {
        let env = cx.env;
        let h = cx.args[0];
        let (mem, ms) = memory_of(env, h)?;
        if ms.resizable.active() {
            return ms.resizable.to_resizable(env, h, mem);
        }
        ms.buffer(env, mem)
    }
);

native_fn!(
    /// `memoryHasMaximum(handle) → boolean`: whether the memory's type has a maximum (what
    /// `toResizableBuffer` needs).
    memory_has_maximum, 1, |cx| {
        let env = cx.env;
        let (mem, _) = memory_of(env, cx.args[0])?;
        Ok(env.boolean(mem.ty().limits.max.is_some()))
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    memory_shared::install(State::get(r.env));
    r.add("memoryNew", memory_new)?;
    r.add("memoryGrow", memory_grow)?;
    r.add("memoryBuffer", memory_buffer)?;
    r.add("memoryHasMaximum", memory_has_maximum)?;
    crate::memory_resizable::register(r)
}
