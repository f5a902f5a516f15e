//! Release that does not wait for finalizers.
//!
//! Node-API finalizers run after a GC only when the event loop turns (Node queues them on
//! `SetImmediate`), so a synchronous loop that creates and drops instances, memories or tables
//! never sees its garbage freed: the native data of dead wrappers piles up (memories keep their
//! address-space reservations, Node keeps a record per pending finalizer) until the process
//! runs out of address space or mappings.
//!
//! But a *weak* reference is cleared by the GC itself: `napi_get_reference_value` returns
//! nothing as soon as its object was collected, before any finalizer runs. So the native data
//! that holds core objects (handle Externals, Exported Functions) is owned here, each with a
//! weak reference to the JS object that owns it, made by `napi_add_finalizer` (so the reference
//! also carries the finalizer). Whichever comes first frees the data:
//! - a *sweep* finds the reference empty: it deletes the reference, which also cancels the
//!   pending finalizer (Node dequeues it), and drops the data; nothing is left for the event loop;
//! - the finalizer (the event loop turned first): it drops the data; the reference is deleted
//!   by the next sweep (not inside its own finalizer).
//!
//! A sweep visits every entry, so it runs after as many new entries as were alive after the last
//! one (at least [`SWEEP_MIN`]): constant amortised cost per object. When a memory cannot get its
//! address space, the core calls the reclaim hook installed by [`install`]: a full GC (through the
//! V8 shim, when it is built), then a sweep; the core then runs its cycle collector and retries.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::{Rc, Weak};

use crate::raw::{native_fn, Env, JsResult, RawEnv, Ref, Value};
use crate::state::{KeyMap, State};

/// The fewest new entries between two automatic sweeps.
const SWEEP_MIN: usize = 1024;

/// One owned native data: its owner's weak reference (which carries the finalizer) and the data.
struct Entry {
    id: u64,
    state: Weak<State>,
    owner: Ref,
    /// What the entry owns (dropped with it).
    _data: Box<dyn Any>,
}

/// The registry of one env (a field of [`State`]).
#[derive(Default)]
pub(crate) struct Reclaimer {
    /// Live entries by id (the finalizer's data is the entry's address).
    entries: RefCell<KeyMap<u64, *mut Entry>>,
    next_id: Cell<u64>,
    /// Entries added since the last sweep.
    since_sweep: Cell<usize>,
    /// Add this many before the next automatic sweep.
    sweep_after: Cell<usize>,
    /// References whose finalizer ran, deleted by the next sweep.
    stale: RefCell<Vec<Ref>>,
    /// Data freed by sweeps so far (for probes and tests).
    swept: Cell<u64>,
}

/// Makes `data` owned by the JS object `owner`: it is dropped once `owner` was collected, by
/// the next sweep or by the finalizer, whichever comes first. May sweep first.
///
/// If this fails, `data` is leaked (never freed): `owner` may already point at it.
pub(crate) fn attach(env: Env, st: &Rc<State>, owner: Value, data: Box<dyn Any>) -> JsResult<()> {
    attach_weak(env, st, owner, data).map(|_| ())
}

/// [`attach`], returning the entry's weak reference to `owner`: it stays valid until `data`
/// was dropped (a sweep deletes it just before dropping the data, or after a finalizer dropped
/// it), so `data`'s own drop must not use it.
pub(crate) fn attach_weak(env: Env, st: &Rc<State>, owner: Value, data: Box<dyn Any>) -> JsResult<Ref> {
    // SAFETY: `entry` is the live entry `attach_with` made; `owner` is a handle of this scope.
    attach_with(env, st, data, |entry| unsafe { env.add_finalizer(owner, entry, Some(finalize)) })
}

/// [`attach_weak`] with the reference made by wrapping `native` in `owner` (`napi_wrap`, so
/// [`Env::unwrap`] finds `native` again): the wrap's reference carries the entry's finalizer,
/// one reference per object instead of a wrap and a finalizer.
///
/// # Safety
/// `native` must stay valid for as long as `owner` is alive (`data` owning it does that).
pub(crate) unsafe fn attach_wrapped(
    env: Env,
    st: &Rc<State>,
    owner: Value,
    data: Box<dyn Any>,
    native: *mut c_void,
) -> JsResult<Ref> {
    /// The wrap's finalizer: the entry is its hint.
    unsafe extern "C" fn finalize_wrap(env: RawEnv, _native: *mut c_void, hint: *mut c_void) {
        // SAFETY: the hint is the live entry `attach_with` registered.
        unsafe { finalize(env, hint, ptr::null_mut()) }
    }
    // SAFETY: guaranteed by the caller for `native`; `entry` is live (as in `attach_weak`).
    attach_with(env, st, data, |entry| unsafe { env.wrap_with_finalizer(owner, native, finalize_wrap, entry) })
}

/// Registers `data` in a new entry whose weak reference `make_ref` makes (with the entry's
/// address as its finalizer's data). May sweep first.
fn attach_with(
    env: Env,
    st: &Rc<State>,
    data: Box<dyn Any>,
    make_ref: impl FnOnce(*mut c_void) -> JsResult<Ref>,
) -> JsResult<Ref> {
    let r = &st.reclaimer;
    let since = r.since_sweep.get() + 1;
    r.since_sweep.set(since);
    if since >= r.sweep_after.get().max(SWEEP_MIN) {
        sweep(env, st);
    }
    let id = r.next_id.get() + 1;
    r.next_id.set(id);
    let entry = Box::into_raw(Box::new(Entry { id, state: Rc::downgrade(st), owner: ptr::null_mut(), _data: data }));
    // `entry` stays valid until `finalize` or a sweep frees it (a sweep deletes the reference
    // first, which cancels the finalizer).
    let owner_ref = make_ref(entry as *mut c_void)?;
    // SAFETY: `entry` is live: its finalizer cannot run before `owner` dies, and `owner` is a
    // handle of the current scope.
    unsafe { (*entry).owner = owner_ref };
    r.entries.borrow_mut().insert(id, entry);
    Ok(owner_ref)
}

/// The finalizer of an entry (the event loop turned before a sweep found the owner dead).
unsafe extern "C" fn finalize(_env: RawEnv, data: *mut c_void, _hint: *mut c_void) {
    let entry = data as *mut Entry;
    // SAFETY: `data` is the live entry `attach` registered; only this finalizer or a sweep
    // (which cancels the finalizer) frees it.
    let (id, state) = unsafe { ((*entry).id, (*entry).state.upgrade()) };
    let Some(st) = state else {
        // The state is gone (teardown): nothing else can free the entry.
        // SAFETY: as above.
        drop(unsafe { Box::from_raw(entry) });
        return;
    };
    // (Finalizers never run inside our callbacks, so the map is not borrowed; if it were, the
    // entry would leak rather than dangle.)
    let Ok(mut m) = st.reclaimer.entries.try_borrow_mut() else { return };
    m.remove(&id);
    drop(m);
    // SAFETY: removed from the map, so this is the only owner.
    let entry = unsafe { Box::from_raw(entry) };
    st.reclaimer.stale.borrow_mut().push(entry.owner);
    drop(entry);
}

/// Frees the data of every entry whose owner was collected. Returns how many were freed.
pub(crate) fn sweep(env: Env, st: &State) -> usize {
    let r = &st.reclaimer;
    r.since_sweep.set(0);
    let dead: Vec<*mut Entry> = {
        let Ok(mut m) = r.entries.try_borrow_mut() else { return 0 };
        // SAFETY: entries in the map are live.
        let ids: Vec<u64> = m
            .iter()
            .filter(|(_, &e)| env.reference_value(unsafe { (*e).owner }).is_none())
            .map(|(id, _)| *id)
            .collect();
        ids.iter().filter_map(|id| m.remove(id)).collect()
    };
    let stale = std::mem::take(&mut *r.stale.borrow_mut());
    for s in stale {
        st.delete_ref(s);
    }
    // Freed outside the borrow: dropping core objects may free other entries' data.
    for &e in &dead {
        // SAFETY: removed from the map: we own the entry. Deleting the reference cancels its
        // pending finalizer, so nothing else frees it.
        let entry = unsafe { Box::from_raw(e) };
        st.delete_ref(entry.owner);
        drop(entry);
    }
    r.swept.set(r.swept.get() + dead.len() as u64);
    if dead.len() >= TRIM_AFTER {
        trim_heap();
    }
    let live = r.entries.try_borrow().map(|m| m.len()).unwrap_or(0);
    r.sweep_after.set(live);
    dead.len()
}

/// A sweep that frees at least this many data gives free heap pages back to the system.
const TRIM_AFTER: usize = 4096;

/// Returns the free pages of the C heap to the system: a sweep frees thousands of small blocks
/// at once, between long-lived ones, and glibc keeps such holes resident otherwise.
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs a full garbage collection now, if the V8 shim is built (else nothing).
fn full_gc() {
    #[cfg(jitless_v8_shim)]
    if crate::v8_api::features().gc {
        extern "C" {
            /// See `src/v8_shim.cc`.
            fn jitless_wasm_low_memory_notification() -> std::ffi::c_int;
        }
        // SAFETY: called on the env's own thread, inside a Node-API callback (the reclaim
        // hook runs inside `Memory::new`, which only runs from our callbacks).
        unsafe { jitless_wasm_low_memory_notification() };
    }
}

/// Frees what is unreachable: a full GC, then a sweep. Returns how many data were freed.
pub(crate) fn reclaim_now(st: &State) -> usize {
    if !st.alive() {
        return 0;
    }
    let env = st.env;
    env.scoped(|| {
        full_gc();
        sweep(env, st)
    })
}

/// Installs the core's reclaim hook for this thread (see the module docs).
pub(crate) fn install(st: &Rc<State>) {
    let weak: Weak<State> = Rc::downgrade(st);
    jitless_wasm_core::runtime::set_reclaim_hook(Some(Rc::new(move || {
        if let Some(st) = weak.upgrade() {
            reclaim_now(&st);
        }
    })));
}

native_fn!(
    /// `reclaimStats(sweep) → [entries, swept, reclaims, gcObjects, gcRooted, gcCollections]`:
    /// the data owned now, the data freed by sweeps so far, the reclaims the core asked for on
    /// this thread, the JS objects of WasmGC objects cached now, the WasmGC objects handles root
    /// in this thread, and the collections of this thread's GC heap so far. With `sweep` true,
    /// sweeps first. For tests and probes.
    reclaim_stats, 1, |cx| {
        let env = cx.env;
        let st = State::get(env);
        if env.get_bool(cx.args[0]) == Some(true) {
            sweep(env, st);
        }
        let entries = st.reclaimer.entries.try_borrow().map(|m| m.len()).unwrap_or(0);
        let values = [
            env.double(entries as f64)?,
            env.double(st.reclaimer.swept.get() as f64)?,
            env.double(jitless_wasm_core::runtime::reclaim_count() as f64)?,
            env.double(st.gc_objects.len() as f64)?,
            env.double(jitless_wasm_core::ObjectRef::rooted_objects() as f64)?,
            env.double(jitless_wasm_core::runtime::gc::collections() as f64)?,
        ];
        env.array_of(&values)
    }
);

/// Registers the native functions of this file.
pub(crate) fn register_natives(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("reclaimStats", reclaim_stats)
}
