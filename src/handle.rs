//! Native handles: napi Externals that the JS classes in `lib/*.js` keep in private fields.
//!
//! Every External the binding creates holds one [`Owned`] (a [`Handle`] plus the identity-cache
//! entry its JS wrapper occupies, a [`JsCell`] on the core object) and carries [`HANDLE_TAG`], so a foreign External can never be mistaken for
//! one of ours.

use std::ffi::c_void;
use std::rc::Rc;

use jitless_wasm_core::{Exn, Global, Instance, Memory, Module, Table, Tag};

use crate::js_objects::JsCell;
use crate::memory::MemState;
use crate::raw::{Env, JsResult, JsType, TypeTag, Value};
use crate::reclaim::attach;
use crate::state::State;

/// The type tag of the binding's Externals.
const HANDLE_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x6861_6e64_6c65_0001 };

/// What a handle points at.
pub(crate) enum Handle {
    /// A compiled module.
    Module(Module),
    /// An instance (held so the core instance lives as long as its JS `Instance`).
    #[allow(dead_code)]
    Instance(Instance),
    /// A memory and its buffer state.
    Memory(Memory, Rc<MemState>),
    /// A table.
    Table(Table),
    /// A global.
    Global(Global),
    /// A tag (`WebAssembly.Tag`).
    Tag(Tag),
    /// An exception (`WebAssembly.Exception`).
    Exception(Exn),
}

/// The data of one handle External.
pub(crate) struct Owned {
    handle: Handle,
    /// The cache cell this handle's JS wrapper occupies, and the entry's id.
    cache: Option<(Rc<JsCell>, u64)>,
    state: Rc<State>,
    /// Native bytes reported to V8 for this handle (given back on drop).
    external: usize,
}

impl Drop for Owned {
    fn drop(&mut self) {
        if self.external != 0 {
            self.state.account_external(-(self.external as i64));
        }
        if let Some((cell, id)) = &self.cache {
            cell.clear(*id);
        }
        if matches!(self.handle, Handle::Instance(_) | Handle::Table(_) | Handle::Global(_)) {
            // Lets the core free instances kept alive only by reference cycles.
            jitless_wasm_core::runtime::note_release();
        }
    }
}

/// A new handle External. `cache` names the cache cell (and entry id) the handle's wrapper will
/// occupy.
/// The External owns its data through the reclaimer ([`attach`]), so the core object is freed
/// by the first sweep after the External was collected, without waiting for the event loop.
pub(crate) fn new_handle(
    env: Env,
    st: &Rc<State>,
    handle: Handle,
    cache: Option<(Rc<JsCell>, u64)>,
) -> JsResult<Value> {
    let external = match &handle {
        Handle::Instance(i) => INSTANCE_BYTES + i.tables().iter().map(table_bytes).sum::<usize>(),
        Handle::Table(t) => table_bytes(t),
        _ => 0,
    };
    new_handle_sized(env, st, handle, cache, external)
}

/// Native bytes reported to V8 for an instance besides its tables and memories (its context,
/// globals, segments: an estimate).
const INSTANCE_BYTES: usize = 2048;

/// Native bytes reported to V8 for a table: its elements when the handle is made (an exported
/// table is counted by its instance and by its own handle; later grows are not counted).
fn table_bytes(t: &Table) -> usize {
    t.size() as usize * std::mem::size_of::<jitless_wasm_core::Val>()
}

/// Native bytes reported to V8 for a compiled module, per byte of its binary and in all (an
/// estimate of its decoded sections, validated code and first translations, so that V8's GC
/// runs before dropped modules pile up: their wrappers are small JS objects).
const MODULE_BYTES_PER_BYTE: usize = 2;
const MODULE_BYTES_BASE: usize = 4096;

/// A handle External for a compiled module of `binary_len` bytes; its estimated native size is
/// reported to V8 (see [`MODULE_BYTES_PER_BYTE`]).
pub(crate) fn new_module_handle(env: Env, st: &Rc<State>, module: Module, binary_len: usize) -> JsResult<Value> {
    let size = MODULE_BYTES_BASE + binary_len * MODULE_BYTES_PER_BYTE;
    let h = new_handle_sized(env, st, Handle::Module(module), None, size)?;
    st.flush_external();
    Ok(h)
}

/// A new handle External that reports `external` native bytes to V8 while it lives.
fn new_handle_sized(
    env: Env,
    st: &Rc<State>,
    handle: Handle,
    cache: Option<(Rc<JsCell>, u64)>,
    external: usize,
) -> JsResult<Value> {
    st.account_external(external as i64);
    let owned = Box::new(Owned { handle, cache, state: st.clone(), external });
    let data = &*owned as *const Owned as *mut c_void;
    // (If this fails, `owned` is dropped: nothing points at it.)
    let v = env.external_unowned(data)?;
    // From here on the box lives until `v` was collected.
    attach(env, st, v, owned)?;
    env.type_tag(v, &HANDLE_TAG)?;
    Ok(v)
}

/// The handle behind `value`, if it is one of ours.
///
/// The reference is only valid while `value` is reachable (keep its handle in scope).
pub(crate) fn get_handle<'a>(env: Env, value: Value) -> Option<&'a Handle> {
    if env.type_of(value) != JsType::External || !env.has_type_tag(value, &HANDLE_TAG) {
        return None;
    }
    // SAFETY: every External carrying HANDLE_TAG was created by `new_handle` over an `Owned`,
    // which lives until the External was collected (and `value` keeps it alive).
    unsafe { env.external_data::<Owned>(value) }.map(|o| &o.handle)
}

/// Throws the TypeError for a value that is not the expected kind of handle.
fn bad_handle(env: Env, what: &str) -> crate::raw::Pending {
    env.throw_type_error(&format!("jitless-wasm: expected a native {what} handle"))
}

/// The module behind a handle (TypeError otherwise).
pub(crate) fn module_of<'a>(env: Env, value: Value) -> JsResult<&'a Module> {
    match get_handle(env, value) {
        Some(Handle::Module(m)) => Ok(m),
        _ => Err(bad_handle(env, "module")),
    }
}

/// The memory behind a handle.
pub(crate) fn memory_of<'a>(env: Env, value: Value) -> JsResult<(&'a Memory, &'a Rc<MemState>)> {
    match get_handle(env, value) {
        Some(Handle::Memory(m, s)) => Ok((m, s)),
        _ => Err(bad_handle(env, "memory")),
    }
}

/// The table behind a handle.
pub(crate) fn table_of<'a>(env: Env, value: Value) -> JsResult<&'a Table> {
    match get_handle(env, value) {
        Some(Handle::Table(t)) => Ok(t),
        _ => Err(bad_handle(env, "table")),
    }
}

/// The global behind a handle.
pub(crate) fn global_of<'a>(env: Env, value: Value) -> JsResult<&'a Global> {
    match get_handle(env, value) {
        Some(Handle::Global(g)) => Ok(g),
        _ => Err(bad_handle(env, "global")),
    }
}

/// The JS wrapper (`WebAssembly.Memory`/`Table`/`Global`/`Tag`) of a core object whose cache
/// cell is `cell`: the cached one if alive, else a new one made by the JS factory `factory`
/// over a new handle.
pub(crate) fn wrapper_to_js(
    env: Env,
    st: &Rc<State>,
    cell: Rc<JsCell>,
    handle: impl FnOnce() -> Handle,
    factory: fn(&crate::state::Helpers) -> crate::raw::Ref,
) -> JsResult<Value> {
    if let Some(obj) = cell.get(env) {
        return Ok(obj);
    }
    let id = st.next_id();
    let h = new_handle(env, st, handle(), Some((cell.clone(), id)))?;
    let make = st.helper(env, factory)?;
    let undefined = env.undefined();
    let obj = env.call(undefined, make, &[h])?;
    cell.put(st, env, id, obj)?;
    Ok(obj)
}

/// A handle for a core object created by a JS constructor, registering `wrapper` (the object
/// under construction, maybe of a subclass) as the JS object of that core object (its cache
/// cell is `cell`).
pub(crate) fn register_wrapper(
    env: Env,
    st: &Rc<State>,
    cell: Rc<JsCell>,
    handle: Handle,
    wrapper: Value,
) -> JsResult<Value> {
    let id = st.next_id();
    let h = new_handle(env, st, handle, Some((cell.clone(), id)))?;
    cell.put(st, env, id, wrapper)?;
    Ok(h)
}
