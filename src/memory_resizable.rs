//! `Memory.prototype.toResizableBuffer()` over ours (the JS-API's resizable buffer integration,
//! https://webassembly.github.io/spec/js-api/#dom-memory-toresizablebuffer), as V8 14.6 has it.
//!
//! V8's API makes resizable ArrayBuffers and growable SharedArrayBuffers only over memory it
//! allocates itself. So the buffer is one V8 makes (`new ArrayBuffer(length, { maxByteLength })`,
//! or a growable `SharedArrayBuffer`, by the JS helper `make` of `lib/memory-buffers.js`), for
//! which V8 reserves the whole maximum up front at an address that never moves; then the
//! memory's pages are mapped over that reservation (`Memory::alias_into`: an unshared memory's
//! pages are made shared in place first), so the buffer and the memory are the same bytes. V8
//! still owns the reservation: when the buffer is collected or detached V8 unmaps it (our alias
//! with it), and the pages live on in the memory's own mapping. Nothing in the binding points
//! into V8's mapping, so no lifetime ties the two.
//!
//! Lengths: a grow of the memory (wasm `memory.grow`, `Memory.prototype.grow`, or `resize`/`grow`
//! of the buffer, which `lib/memory-buffers.js` turns into a grow of the memory) runs the grow
//! hook, which sets each live buffer's length with V8's own `resize`/`grow` (the helper `sync`)
//! before control returns to JS or enters an import. A shared memory grown by another thread is
//! seen at this thread's next `buffer` or `toResizableBuffer()`.
//!
//! A shared memory whose bytes V8 allocated (a growable SharedArrayBuffer: Deno, Bun, builds
//! without the V8 shim, see `memory_shared_growable.rs`) needs no mapping: its buffer is a new
//! growable SharedArrayBuffer over that backing store. The mapping is Linux only (`mremap`);
//! elsewhere `toResizableBuffer()` of an unshared memory throws a TypeError saying so.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jitless_wasm_core::Memory;

use crate::handle::memory_of;
use crate::raw::{native_fn, Env, JsResult, Ref, Value};
use crate::state::State;

/// Bytes per wasm page.
const PAGE: usize = 65_536;

thread_local! {
    /// This thread's helpers from `lib/memory-buffers.js` (strong references): `make(handle,
    /// length, maxByteLength, shared, existing) → Uint8Array` over a new resizable ArrayBuffer or
    /// growable SharedArrayBuffer (or over `existing`, a growable one the binding made), and
    /// `sync(buffer, length, shared)`, V8's own `resize`/`grow` to `length`.
    static HELPERS: Cell<Option<(Ref, Ref)>> = const { Cell::new(None) };
    /// Whether this host's resizable buffers are V8's (Node): only then are pages mapped into
    /// their reservations (`memoryResizableInit`'s third argument).
    static V8_BUFFERS: Cell<bool> = const { Cell::new(false) };
}

/// This thread's helpers, or an Error if `lib/memory-buffers.js` did not install them.
fn helpers(env: Env) -> JsResult<(Value, Value)> {
    let (make, sync) = HELPERS.get().ok_or_else(|| env.throw_error("jitless-wasm: resizable buffers not installed"))?;
    let get = |r| env.reference_value(r).ok_or_else(|| env.throw_error("jitless-wasm: helper collected"));
    Ok((get(make)?, get(sync)?))
}

/// The resizable buffers of one memory in this thread.
pub(crate) struct Resizable {
    state: Rc<State>,
    /// Whether the memory's `buffer` is resizable (`toResizableBuffer()` was called, and
    /// `toFixedLengthBuffer()` not since).
    active: Cell<bool>,
    /// The buffers handed out, weakly referenced, the current one last. An unshared memory keeps
    /// only its current one (the others were detached); a shared memory's earlier growable
    /// SharedArrayBuffers keep following its length, as V8's do.
    buffers: RefCell<Vec<Ref>>,
}

impl Resizable {
    /// No resizable buffer yet.
    pub(crate) fn new(state: Rc<State>) -> Resizable {
        Resizable { state, active: Cell::new(false), buffers: RefCell::new(Vec::new()) }
    }

    /// Whether the memory's `buffer` is resizable now.
    pub(crate) fn active(&self) -> bool {
        self.active.get()
    }

    /// The current resizable buffer, if the memory has one that is still alive and attached.
    fn current(&self, env: Env, mem: &Memory) -> Option<Value> {
        if !self.active.get() {
            return None;
        }
        let r = *self.buffers.borrow().last()?;
        let b = env.reference_value(r)?;
        (mem.is_shared() || !env.is_detached(b)).then_some(b)
    }

    /// `toResizableBuffer()` after V8's checks (the maximum): the current resizable buffer,
    /// its length brought up to date, or a new one over the memory's pages. `h` is the memory's
    /// handle (the JS side maps each buffer to it, for `resize`/`grow`).
    pub(crate) fn to_resizable(&self, env: Env, h: Value, mem: &Memory) -> JsResult<Value> {
        let (make, sync) = helpers(env)?;
        let len = mem.data_len();
        let shared = env.boolean(mem.is_shared());
        if let Some(b) = self.current(env, mem) {
            env.call(env.undefined(), sync, &[b, env.double(len as f64)?, shared])?;
            return Ok(b);
        }
        let max = mem.reserved_len();
        // A shared memory whose bytes V8 allocated: a growable SharedArrayBuffer over them.
        let existing = if mem.is_shared() { crate::memory_shared_growable::growable_buffer(env, mem)? } else { None };
        if existing.is_none() && max != 0 {
            if !cfg!(target_os = "linux") {
                return Err(unsupported(env, "the memory's pages can be mapped into a buffer only on Linux"));
            }
            if !V8_BUFFERS.get() {
                return Err(unsupported(env, "this host's resizable ArrayBuffers are not V8's"));
            }
        }
        let args = [h, env.double(len as f64)?, env.double(max as f64)?, shared, existing.unwrap_or(env.undefined())];
        let view = env.call(env.undefined(), make, &args)?;
        let (buffer, data) = env.typedarray_buffer(view)?;
        if existing.is_none() && max != 0 {
            // V8 reserves a resizable buffer's maximum (here `max` bytes, whole pages) up front,
            // page-aligned; anything else is not a reservation we may replace.
            if data.is_null() || !(data as usize).is_multiple_of(4096) {
                return Err(unsupported(env, "the host's resizable buffer is not a reservation of its own"));
            }
            // SAFETY: `data..data+max` is the reservation V8 made for `buffer` (just created, held
            // by this scope, its bytes never read or written): replacing its pages with the
            // memory's loses nothing. V8 unmaps it with the buffer.
            if !unsafe { mem.alias_into(data) } {
                return Err(unsupported(env, "the memory's pages cannot be mapped here"));
            }
        }
        self.active.set(true);
        let r = env.reference(buffer, 0)?;
        let mut list = self.buffers.borrow_mut();
        // Collected buffers leave the list (and an unshared memory keeps only its current one).
        let keep_old = mem.is_shared();
        list.retain(|&old| {
            let live = keep_old && env.reference_value(old).is_some();
            if !live {
                self.state.delete_ref(old);
            }
            live
        });
        list.push(r);
        Ok(buffer)
    }

    /// `toFixedLengthBuffer()`'s part: the buffer is no longer resizable; an unshared memory's
    /// resizable buffer is detached (V8 then unmaps its reservation, our alias with it).
    pub(crate) fn to_fixed(&self, env: Env, mem: &Memory) {
        if !self.active.replace(false) || mem.is_shared() {
            return;
        }
        for r in self.buffers.take() {
            if let Some(b) = env.reference_value(r) {
                let _detached = env.detach(b);
            }
            self.state.delete_ref(r);
        }
    }

    /// The grow hook's part: every live buffer gets the memory's new length (V8's own
    /// `resize`/`grow`, run before JS can observe the length).
    pub(crate) fn grown(&self, mem: &Memory) {
        if self.buffers.borrow().is_empty() || !self.state.alive() {
            return;
        }
        let env = self.state.env;
        env.scoped(|| {
            let Ok((_, sync)) = helpers(env) else {
                let _ = env.take_exception();
                return;
            };
            let Ok(len) = env.double(mem.data_len() as f64) else { return };
            let shared = env.boolean(mem.is_shared());
            // (A copy of the list: no borrow is held while JS runs.)
            let list = self.buffers.borrow().clone();
            for r in list {
                let Some(b) = env.reference_value(r) else { continue };
                if !mem.is_shared() && env.is_detached(b) {
                    continue;
                }
                if env.call(env.undefined(), sync, &[b, len, shared]).is_err() {
                    // (Only when V8 refuses, e.g. a buffer detached behind our back.)
                    let _ = env.take_exception();
                }
            }
        });
    }

    /// Whether `b` is one of the memory's live resizable buffers (the current one of an
    /// unshared memory), and the memory is `shared` or not as the caller's method expects
    /// (SharedArrayBuffer methods on a shared memory's, ArrayBuffer methods on another's).
    fn owns(&self, env: Env, mem: &Memory, b: Value, shared: bool) -> bool {
        if mem.is_shared() != shared {
            return false;
        }
        let list = self.buffers.borrow().clone();
        let mut live = list.iter().filter_map(|&r| env.reference_value(r));
        if mem.is_shared() {
            live.any(|x| env.strict_equals(x, b).unwrap_or(false))
        } else {
            self.active.get()
                && !env.is_detached(b)
                && list
                    .last()
                    .and_then(|&r| env.reference_value(r))
                    .is_some_and(|x| env.strict_equals(x, b).unwrap_or(false))
        }
    }
}

impl Drop for Resizable {
    fn drop(&mut self) {
        for r in self.buffers.take() {
            self.state.delete_ref(r);
        }
    }
}

/// The TypeError for a host where the resizable buffer cannot be made.
fn unsupported(env: Env, why: &str) -> crate::raw::Pending {
    env.throw_type_error(&format!(
        "WebAssembly.Memory.toResizableBuffer(): resizable buffers over a memory are not supported by jitless-wasm \
         here ({why})"
    ))
}

native_fn!(
    /// `memoryResizableInit(make, sync, v8Buffers)`: installs this thread's helpers (see
    /// [`HELPERS`], [`V8_BUFFERS`]).
    memory_resizable_init, 3, |cx| {
        let env = cx.env;
        let [make, sync, v8_buffers] = cx.args;
        V8_BUFFERS.set(env.get_bool(v8_buffers).unwrap_or(false));
        let refs = (env.reference(make, 1)?, env.reference(sync, 1)?);
        if let Some((a, b)) = HELPERS.replace(Some(refs)) {
            let st = State::get(env);
            st.delete_ref(a);
            st.delete_ref(b);
        }
        Ok(env.undefined())
    }
);

native_fn!(
    /// `memoryToResizable(handle) → buffer`, after V8's checks (receiver, maximum).
    /// https://webassembly.github.io/spec/js-api/#dom-memory-toresizablebuffer
    memory_to_resizable, 1, |cx| {
        let env = cx.env;
        let h = cx.args[0];
        let (mem, ms) = memory_of(env, h)?;
        let was = ms.resizable.active();
        let b = ms.resizable.to_resizable(env, h, mem)?;
        // 4. Detach the fixed-length buffer (an unshared memory's; SharedArrayBuffers stay).
        if !was {
            ms.detach();
        }
        Ok(b)
    }
);

native_fn!(
    /// `memoryToFixed(handle) → buffer`.
    /// https://webassembly.github.io/spec/js-api/#dom-memory-tofixedlengthbuffer
    memory_to_fixed, 1, |cx| {
        let env = cx.env;
        let (mem, ms) = memory_of(env, cx.args[0])?;
        if ms.resizable.active() {
            ms.resizable.to_fixed(env, mem);
            // A new fixed-length buffer (a shared memory's too).
            ms.grown_buffer();
        }
        ms.buffer(env, mem)
    }
);

native_fn!(
    /// `memoryResizeBuffer(handle, buffer, newLength, shared) → boolean`: `resize` (`shared`
    /// false) or `grow` (true) of one of the memory's resizable buffers (the JS-API's HostResizeArrayBuffer / HostGrowSharedArrayBuffer
    /// hooks): `newLength` (an integer Number) a multiple of the page size, not below the
    /// current length, grows the memory by the difference; else a RangeError with V8's text.
    /// `false` if `buffer` is not a live resizable buffer of the memory (the caller then runs
    /// V8's own method).
    memory_resize_buffer, 4, |cx| {
        let env = cx.env;
        let [h, b, n, shared] = cx.args;
        let (mem, ms) = memory_of(env, h)?;
        if !ms.resizable.owns(env, mem, b, env.get_bool(shared).unwrap_or(false)) {
            return Ok(env.boolean(false));
        }
        let method = if mem.is_shared() { "SharedArrayBuffer.prototype.grow" } else { "ArrayBuffer.prototype.resize" };
        let invalid = || env.throw_range_error(&format!("{method}: Invalid length parameter"));
        let n = env.get_f64(n).ok_or_else(invalid)?;
        let len = mem.data_len();
        let in_range = n >= len as f64 && n <= mem.reserved_len() as f64;
        if !in_range || !(n as usize).is_multiple_of(PAGE) {
            return Err(invalid());
        }
        // The grow hook brings every buffer's length up to date.
        let grown = mem.grow(((n as usize - len) / PAGE) as u64);
        State::get(env).flush_external();
        grown.ok_or_else(invalid)?;
        Ok(env.boolean(true))
    }
);

native_fn!(
    /// `memoryOwnsBuffer(handle, buffer) → boolean`: whether `buffer` is a live resizable
    /// ArrayBuffer of the (unshared) memory (not detachable, as V8's memory buffers are).
    memory_owns_buffer, 2, |cx| {
        let env = cx.env;
        let [h, b] = cx.args;
        let (mem, ms) = memory_of(env, h)?;
        Ok(env.boolean(ms.resizable.owns(env, mem, b, false)))
    }
);

/// Registers the native functions of this file.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("memoryResizableInit", memory_resizable_init)?;
    r.add("memoryToResizable", memory_to_resizable)?;
    r.add("memoryToFixed", memory_to_fixed)?;
    r.add("memoryResizeBuffer", memory_resize_buffer)?;
    r.add("memoryOwnsBuffer", memory_owns_buffer)
}
