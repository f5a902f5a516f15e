//! The binding's data on core objects: the identity caches that give one JS object per core
//! object (issue #17: on the objects, not in maps keyed by their addresses).
//!
//! Every core instance, memory, table, global, tag and exception carries an
//! [`EmbedderSlot`]; each env keeps its data there under its own id ([`State::id`]: the main
//! thread and every Worker have their own JS objects):
//! - an instance: [`InstanceData`], the Exported Function of each of its functions (by function
//!   index) and its import-values array;
//! - a table, global or tag: a [`JsCell`] holding its JS wrapper;
//! - a memory: its `MemState` (`memory.rs`), which holds the wrapper's [`JsCell`] and the
//!   `buffer`;
//! - an exception: its `Exception` object (`exception.rs`);
//! - a host function is the binding's own object (`JsHostFunc`): it holds the [`JsCell`] of
//!   its Exported Function itself.
//!
//! A cached JS object is held by a *weak* reference, so it can be collected. An entry is
//! cleared by the finalizer of the native data that owns it (a handle's `Owned`, an Exported
//! Function's `FuncData`), and only if the entry still carries that data's id: a dead wrapper may
//! already have been replaced by a new one. Clearing never waits for a borrow (`Cell`s, or
//! `try_borrow_mut`: finalizers may run inside a Node-API call). The data lives as long as the
//! core object; it holds its env's [`State`] weakly and deletes its references only while the
//! env is alive ([`State::delete_ref`]; at teardown Node deletes them itself).
//!
//! No core object that crosses threads carries binding data: a `Module` has none (each thread
//! makes its own handles for it), and a shared memory is a new core `Memory` in every thread
//! that receives it (`SharedMemory::memory`), with a slot of its own.

use std::cell::{Cell, RefCell};
use std::ptr;
use std::rc::{Rc, Weak};

use jitless_wasm_core::{EmbedderSlot, Instance};

use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;

/// One cached JS object: a weak reference and the id of the native data that owns the entry
/// (a null reference: no object).
#[derive(Clone, Copy)]
struct CacheEntry {
    r: Ref,
    id: u64,
}

impl CacheEntry {
    const EMPTY: CacheEntry = CacheEntry { r: ptr::null_mut(), id: 0 };
}

/// The JS object of one core object in one env (its wrapper, or its Exported Function).
pub(crate) struct JsCell {
    state: Weak<State>,
    entry: Cell<CacheEntry>,
}

impl JsCell {
    /// An empty cell of the env of `st`.
    pub(crate) fn new(st: &Rc<State>) -> JsCell {
        JsCell { state: Rc::downgrade(st), entry: Cell::new(CacheEntry::EMPTY) }
    }

    /// The cell of the env of `st` in `slot` (a new empty one if there is none).
    pub(crate) fn of(st: &Rc<State>, slot: &EmbedderSlot) -> Rc<JsCell> {
        slot.get_or_insert_with(st.id(), || JsCell::new(st))
    }

    /// The cached object, if it is alive.
    #[inline]
    pub(crate) fn get(&self, env: Env) -> Option<Value> {
        let r = self.entry.get().r;
        if r.is_null() {
            return None;
        }
        env.reference_value(r)
    }

    /// Caches `value` (weakly) for the native data with `id`, replacing a stale entry.
    pub(crate) fn put(&self, st: &State, env: Env, id: u64, value: Value) -> JsResult<()> {
        let r = env.reference(value, 0)?;
        let old = self.entry.replace(CacheEntry { r, id });
        st.delete_ref(old.r);
        Ok(())
    }

    /// Clears the entry if it belongs to `id` (called when that native data is freed).
    pub(crate) fn clear(&self, id: u64) {
        let e = self.entry.get();
        if e.r.is_null() || e.id != id {
            return;
        }
        self.entry.set(CacheEntry::EMPTY);
        delete(&self.state, e.r);
    }
}

impl Drop for JsCell {
    fn drop(&mut self) {
        delete(&self.state, self.entry.get().r);
    }
}

/// Deletes `r` if the env of `state` is still alive.
fn delete(state: &Weak<State>, r: Ref) {
    if r.is_null() {
        return;
    }
    if let Some(st) = state.upgrade() {
        st.delete_ref(r);
    }
}

/// What one env keeps on a core instance.
pub(crate) struct InstanceData {
    state: Weak<State>,
    /// The Exported Function of each function (by function index; grown on demand).
    funcs: RefCell<Vec<CacheEntry>>,
    /// A weak reference to the instance's import values (the array `lib/instance.js` handed
    /// to `instanceNew`), which the Exported Functions made later keep alive.
    imports: Cell<Ref>,
}

impl InstanceData {
    /// The data of the env of `st` on `instance` (made on first use).
    pub(crate) fn of(st: &Rc<State>, instance: &Instance) -> Rc<InstanceData> {
        instance.embedder().get_or_insert_with(st.id(), || InstanceData {
            state: Rc::downgrade(st),
            funcs: RefCell::default(),
            imports: Cell::new(ptr::null_mut()),
        })
    }

    /// The data of the env of `st` on `instance`, if it has some.
    #[inline]
    pub(crate) fn get(st: &State, instance: &Instance) -> Option<Rc<InstanceData>> {
        instance.embedder().get(st.id())
    }

    /// The cached Exported Function of function `index` of `instance` in the env of `st`, if
    /// it is alive (the Exported Function identity lookup: no count taken).
    #[inline]
    pub(crate) fn cached_func(env: Env, st: &State, instance: &Instance, index: u32) -> Option<Value> {
        let r = instance.embedder().with(st.id(), |d: &InstanceData| {
            d.funcs.try_borrow().ok().and_then(|f| f.get(index as usize).map(|e| e.r))
        })??;
        if r.is_null() {
            return None;
        }
        env.reference_value(r)
    }

    /// Caches `value` (weakly) as the Exported Function of function `index`, owned by the
    /// native data with `id`, replacing a stale entry.
    pub(crate) fn put_func(&self, st: &State, env: Env, index: u32, id: u64, value: Value) -> JsResult<()> {
        let r = env.reference(value, 0)?;
        let old = {
            let mut funcs = self.funcs.borrow_mut();
            let i = index as usize;
            if funcs.len() <= i {
                funcs.resize(i + 1, CacheEntry::EMPTY);
            }
            std::mem::replace(&mut funcs[i], CacheEntry { r, id })
        };
        st.delete_ref(old.r);
        Ok(())
    }

    /// Clears the entry of function `index` if it belongs to `id` (from finalizers: skipped if
    /// the cache is borrowed, which only a lookup in progress does).
    pub(crate) fn clear_func(&self, index: u32, id: u64) {
        let Ok(mut funcs) = self.funcs.try_borrow_mut() else { return };
        let Some(e) = funcs.get_mut(index as usize) else { return };
        if e.r.is_null() || e.id != id {
            return;
        }
        let r = std::mem::replace(e, CacheEntry::EMPTY).r;
        drop(funcs);
        delete(&self.state, r);
    }

    /// Records (weakly) the instance's import values, replacing earlier ones.
    pub(crate) fn set_imports(&self, st: &State, r: Ref) {
        st.delete_ref(self.imports.replace(r));
    }

    /// The weak reference to the instance's import values (null if none were recorded).
    pub(crate) fn imports(&self) -> Ref {
        self.imports.get()
    }
}

impl Drop for InstanceData {
    fn drop(&mut self) {
        delete(&self.state, self.imports.get());
        for e in self.funcs.get_mut().drain(..) {
            delete(&self.state, e.r);
        }
    }
}
