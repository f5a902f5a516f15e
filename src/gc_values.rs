//! WasmGC values at the JS boundary (issue #13): ToJSValue and ToWebAssemblyValue for the
//! internal reference types (https://webassembly.github.io/gc/js-api/#tojsvalue,
//! #towebassemblyvalue), as V8 does them.
//!
//! * An `i31ref` is a Number; a host value made internal (`any.convert_extern`) is the original
//!   JS value; a struct or array is an opaque object (`lib/gc-object.js`), the **same** object
//!   for the same GC object while JS holds it.
//! * The identity cache ([`ObjectCache`], one per env) maps an object's identity
//!   ([`ObjectRef::identity`]) to a weak reference to its JS object. The JS object owns its
//!   native data ([`ObjectData`], through the reclaimer: freed by the first sweep after the JS
//!   object was collected, or by its finalizer); the data holds the [`ObjectRef`], which roots
//!   the GC object, so the identity cannot name another object while the entry exists. The
//!   data's drop clears the entry only if it is still its own (a collected object may already
//!   have been replaced by a new JS object for the same GC object). The entry's weak reference
//!   is the reclaimer's own (valid exactly as long as the data): one reference fewer per object.
//! * The handle is found again from the JS object through `napi_wrap` (a private symbol on the
//!   proxy itself: no trap runs). Other addons' wraps share that symbol, so the unwrapped
//!   pointer is only used if the cache knows it as one of its live [`ObjectData`] (a set of
//!   addresses: cheaper than a type tag, a second private property on every proxy). The wrap's
//!   reference is also the reclaimer's weak reference (one reference per object).

use std::cell::RefCell;
use std::ffi::c_void;
use std::rc::Rc;

use jitless_wasm_core::types::GcTypes;
use jitless_wasm_core::{AnyRef, ExternRef, HeapType, ObjectRef, RefType, Val, ValType};

use crate::convert::{externref_to_js, Persistent, TYPE_INCOMPATIBLE};
use crate::raw::{Env, JsResult, JsType, Ref, Value};
use crate::reclaim::attach_wrapped;
use crate::state::{KeyMap, State};

/// The smallest and largest `i31` values.
const I31_MIN: f64 = -1_073_741_824.0;
const I31_MAX: f64 = 1_073_741_823.0;

/// One cached JS object: the reclaimer's weak reference to it (valid while the native data
/// that owns the entry lives) and that data's id.
#[derive(Clone, Copy)]
struct CacheEntry {
    r: Ref,
    id: u64,
}

/// The JS objects of GC objects in one env, by object identity (a field of [`State`]).
#[derive(Default)]
pub(crate) struct ObjectCache {
    entries: RefCell<KeyMap<u64, CacheEntry>>,
    /// The addresses of the live [`ObjectData`] (what a wrap of ours points at).
    live: RefCell<KeyMap<usize, ()>>,
}

impl ObjectCache {
    /// The live JS object of the GC object with `key`.
    fn get(&self, env: Env, key: u64) -> Option<Value> {
        let r = self.entries.try_borrow().ok()?.get(&key)?.r;
        env.reference_value(r)
    }

    /// Caches the object of weak reference `r` (the reclaimer's, owned by the native data with
    /// `id`) for the GC object with `key`, replacing a stale entry.
    fn put(&self, key: u64, id: u64, r: Ref) {
        // (Never borrowed across a Node-API call; if it were, the object is just not cached.)
        if let Ok(mut m) = self.entries.try_borrow_mut() {
            m.insert(key, CacheEntry { r, id });
        }
    }

    /// Removes the entry of `key` if it belongs to the native data with `id`.
    fn clear(&self, key: u64, id: u64) {
        let Ok(mut m) = self.entries.try_borrow_mut() else { return };
        if m.get(&key).is_some_and(|e| e.id == id) {
            m.remove(&key);
        }
    }

    /// Records (`live`) or forgets the [`ObjectData`] at `addr`. (Never borrowed across a
    /// Node-API call, so the borrow cannot fail.)
    fn set_live(&self, addr: usize, live: bool) {
        if let Ok(mut m) = self.live.try_borrow_mut() {
            if live {
                m.insert(addr, ());
            } else {
                m.remove(&addr);
            }
        }
    }

    /// Whether `addr` is a live [`ObjectData`].
    fn is_live(&self, addr: usize) -> bool {
        self.live.try_borrow().is_ok_and(|m| m.contains_key(&addr))
    }

    /// The number of cached objects (for tests).
    pub(crate) fn len(&self) -> usize {
        self.entries.try_borrow().map(|m| m.len()).unwrap_or(0)
    }
}

/// The native data of one JS object of a GC object: the handle that roots the object.
struct ObjectData {
    obj: ObjectRef,
    state: Rc<State>,
    /// The id of the cache entry this data owns.
    id: u64,
}

impl Drop for ObjectData {
    fn drop(&mut self) {
        let cache = &self.state.gc_objects;
        cache.set_live(self as *const ObjectData as usize, false);
        cache.clear(self.obj.identity(), self.id);
    }
}

/// ToJSValue of a GC struct or array: its cached JS object if alive, else a new one.
pub(crate) fn object_to_js(env: Env, st: &Rc<State>, obj: &ObjectRef) -> JsResult<Value> {
    let key = obj.identity();
    if let Some(v) = st.gc_objects.get(env, key) {
        return Ok(v);
    }
    let make = st.helper(env, |h| h.make_gc_object)?;
    let o = env.call(env.undefined(), make, &[])?;
    let id = st.next_id();
    let data = Box::new(ObjectData { obj: obj.clone(), state: st.clone(), id });
    let p = &*data as *const ObjectData;
    // `o` owns the data from here on (dropped once `o` was collected); the wrap's weak
    // reference is the cache's.
    // SAFETY: the data lives until `o` was collected (it is owned by `o` through the reclaimer).
    let weak = unsafe { attach_wrapped(env, st, o, data, p as *mut c_void)? };
    st.gc_objects.set_live(p as usize, true);
    st.gc_objects.put(key, id, weak);
    Ok(o)
}

/// The GC object of a JS value, if it is the JS object of one.
pub(crate) fn object_from_js(env: Env, value: Value) -> Option<ObjectRef> {
    if env.type_of(value) != JsType::Object {
        return None;
    }
    let p = env.unwrap(value)?;
    if !State::get(env).gc_objects.is_live(p as usize) {
        return None;
    }
    // SAFETY: `p` is a live `ObjectData` (the cache knows its address, forgotten by its drop),
    // owned by the JS object that wraps it; `value` is a live handle.
    Some(unsafe { &*(p as *const ObjectData) }.obj.clone())
}

/// ToJSValue of a non-null reference of the internal hierarchy.
pub(crate) fn to_js(env: Env, st: &Rc<State>, a: &AnyRef) -> JsResult<Value> {
    match a {
        AnyRef::I31(x) => env.int32(*x),
        AnyRef::Object(o) => object_to_js(env, st, o),
        AnyRef::Extern(e) => externref_to_js(env, e),
    }
}

/// The `i31` of a Number in [-2^30, 2^30 - 1] that is an integer and not -0.
fn as_i31(env: Env, value: Value) -> Option<i32> {
    let x = env.get_f64(value)?;
    let integral = x.trunc() == x && (I31_MIN..=I31_MAX).contains(&x);
    (integral && !(x == 0.0 && x.is_sign_negative())).then_some(x as i32)
}

/// Where a JS value is converted to a GC type: V8's TypeError text depends on it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// An Exported Function's argument, an import's result (V8: "type incompatibility when
    /// transforming from/to JS").
    Call,
    /// The `Global` constructor's value.
    GlobalNew,
    /// The `Global.prototype.value` setter.
    GlobalSet,
    /// The `Table` constructor's initial value.
    TableNew,
    /// `Table.prototype.set`'s value.
    TableSet,
    /// `Table.prototype.grow`'s value.
    TableGrow,
    /// The `Exception` constructor's payload.
    Exception,
}

/// V8's TypeError for a value (`is_object`: a GC object) refused by `heap` at `site`.
pub(crate) fn refused(env: Env, heap: HeapType, is_object: bool, site: Site) -> crate::raw::Pending {
    let detail = match heap {
        HeapType::Eq => {
            "eqref object must be null (if nullable), or a wasm struct/array, or a Number that fits in i31ref range"
        }
        HeapType::I31 => "i31ref object must be null (if nullable) or a Number that fits in i31ref range",
        HeapType::Struct => "structref object must be null (if nullable) or a wasm struct",
        HeapType::Array => "arrayref object must be null (if nullable) or a wasm array",
        HeapType::None => "only null allowed for null types",
        _ if is_object => "object is not a subtype of expected type",
        _ => "JS object does not match expected wasm type",
    };
    let setter = crate::global::setter_prefix();
    let msg = match site {
        Site::Call => return env.throw_type_error(TYPE_INCOMPATIBLE),
        Site::GlobalNew => format!("WebAssembly.Global(): {detail}"),
        Site::GlobalSet => format!("{setter}{detail}"),
        Site::TableNew => format!(
            "WebAssembly.Table(): Argument 2 must be undefined or a value of type compatible with the type of the new table: {detail}."
        ),
        Site::TableSet => format!("WebAssembly.Table.set(): Argument 1 is invalid for table: {detail}"),
        Site::TableGrow => format!("WebAssembly.Table.grow(): Argument 1 is invalid: {detail}"),
        Site::Exception => format!("WebAssembly.Exception(): {detail}"),
    };
    env.throw_type_error(&msg)
}

/// ToWebAssemblyValue(v, ty) for a non-null JS value and a reference type of the internal
/// hierarchy: a GC object is itself; an i31-range Number an `i31`; for `anyref` any other value
/// is carried as a host value. The result must be of `heap` (a subtype check through the core
/// for a defined type); anything else is V8's TypeError for `site`.
pub(crate) fn to_wasm(env: Env, st: &Rc<State>, value: Value, heap: HeapType, site: Site) -> JsResult<Val> {
    let a = if let Some(o) = object_from_js(env, value) {
        AnyRef::Object(o)
    } else if let Some(x) = as_i31(env, value) {
        AnyRef::I31(x)
    } else if heap == HeapType::Any {
        return Ok(Val::AnyRef(Some(AnyRef::Extern(ExternRef::new(Persistent::new(env, st, value)?)))));
    } else {
        return Err(refused(env, heap, false, site));
    };
    if a.heap_type().matches(&heap) {
        Ok(Val::AnyRef(Some(a)))
    } else {
        Err(refused(env, heap, matches!(a, AnyRef::Object(_)), site))
    }
}

/// The `externref` of a value that is internal already, while the profile executes GC: a GC
/// object, or a Number in the i31 range (as V8: `any.convert_extern` gives an `i31ref`), made
/// external; `None` for other values.
pub(crate) fn internal_as_extern(env: Env, value: Value) -> Option<ExternRef> {
    if crate::profile::current().gc() != GcTypes::Decode {
        return None;
    }
    let a = match env.type_of(value) {
        JsType::Object => AnyRef::Object(object_from_js(env, value)?),
        JsType::Number => AnyRef::I31(as_i31(env, value)?),
        _ => return None,
    };
    Some(ExternRef::new(a))
}

/// Whether an explicit `undefined` is converted rather than taken as a missing value, for the
/// `Global` constructor and `Table.prototype.grow` with values of type `ty`: V8 converts it for
/// the internal (GC) types (`anyref` then holds `undefined`, the others throw); the other types
/// keep their default.
pub(crate) fn converts_undefined(ty: ValType) -> bool {
    matches!(ty, ValType::Ref(r) if r.heap_type().is_gc())
}

/// A reference type's name in V8's messages: the shorthand of a nullable abstract type
/// (`anyref`, `nullref`, `funcref`, …), else the `(ref null? heap)` form. AD-HOC: V8 names a
/// defined type by its index in the module, which a canonical type does not have; the core's
/// form of it is used instead.
pub(crate) fn ref_type_name(r: RefType) -> String {
    let heap = r.heap_type();
    match heap.abstract_name() {
        Some(name) if r.is_nullable() => match heap {
            HeapType::None | HeapType::NoFunc | HeapType::NoExtern | HeapType::NoExn => {
                format!("null{}ref", heap.top().abstract_name().unwrap_or_default())
            }
            _ => format!("{name}ref"),
        },
        _ => r.to_string(),
    }
}
