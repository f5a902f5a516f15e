//! References of the internal (GC) hierarchy at the API boundary: [`AnyRef`] (an `i31`, a GC
//! object, or a host value converted by `any.convert_extern`) and [`ObjectRef`], a handle to a
//! GC object that keeps it alive while held (a root of the collector, counted per thread).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::ExternRef;
use crate::types::{FuncTypeId, HeapType};

/// A non-null reference of the internal hierarchy (`anyref`).
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRef {
    /// An `i31` (the value, sign-extended from 31 bits).
    I31(i32),
    /// A struct or array of the GC heap.
    Object(ObjectRef),
    /// A host value made internal by `any.convert_extern`.
    Extern(ExternRef),
}

impl AnyRef {
    /// The most precise heap type of this value (its defined type for an object; `any` for a
    /// host value).
    pub fn heap_type(&self) -> HeapType {
        match self {
            AnyRef::I31(_) => HeapType::I31,
            AnyRef::Object(o) => HeapType::Concrete(o.ty()),
            AnyRef::Extern(_) => HeapType::Any,
        }
    }
}

/// A handle to a GC object: while any clone of it lives, the object is a root of its thread's
/// collector. Identity is the object's identity.
#[derive(Clone)]
pub struct ObjectRef(Rc<Root>);

/// One registration in the thread's handle roots.
struct Root {
    cell: u64,
    ty: FuncTypeId,
}

thread_local! {
    /// The objects held by handles: object cell → number of [`Root`]s.
    static HANDLE_ROOTS: RefCell<HashMap<u64, usize>> = RefCell::new(HashMap::new());
}

impl ObjectRef {
    /// A handle to the object in interpreter cell `cell` of defined type `ty` (the runtime's
    /// encoding; the object must be live in this thread's heap).
    pub(crate) fn new(cell: u64, ty: FuncTypeId) -> ObjectRef {
        HANDLE_ROOTS.with(|r| *r.borrow_mut().entry(cell).or_default() += 1);
        ObjectRef(Rc::new(Root { cell, ty }))
    }

    /// The object's interpreter cell.
    pub(crate) fn cell(&self) -> u64 {
        self.0.cell
    }

    /// The object's defined (struct or array) type.
    pub fn ty(&self) -> FuncTypeId {
        self.0.ty
    }

    /// The object's identity as a number: equal for two handles exactly when they are the same
    /// object ([`PartialEq`]), and stable while any handle to the object lives (a handle roots
    /// the object, and the collector does not move objects). Once every handle is gone the
    /// number may name another object: an embedder's map keyed by it must hold a handle, or
    /// drop its entry with the last one.
    pub fn identity(&self) -> u64 {
        self.0.cell
    }

    /// The number of distinct objects of this thread that handles keep alive now (for an
    /// embedder's tests: the objects it still roots).
    pub fn rooted_objects() -> usize {
        HANDLE_ROOTS.with(|r| r.borrow().len())
    }
}

impl ObjectRef {
    /// This handle's registration, shared by its clones, as an address, and how many clones
    /// hold it (for the cycle collector: which of them it can account for).
    pub(crate) fn registration(&self) -> (usize, usize) {
        (Rc::as_ptr(&self.0) as usize, Rc::strong_count(&self.0))
    }
}

/// How many handle registrations keep the object in `cell` alive on this thread.
pub(crate) fn handle_registrations(cell: u64) -> usize {
    HANDLE_ROOTS.with(|r| r.borrow().get(&cell).copied().unwrap_or(0))
}

/// Calls `f` with every object cell held by handles of this thread.
pub(crate) fn for_each_handle_root(mut f: impl FnMut(u64)) {
    HANDLE_ROOTS.with(|r| r.borrow().keys().for_each(|&c| f(c)));
}

impl Drop for Root {
    fn drop(&mut self) {
        // During thread teardown the table may be gone already: nothing to unregister then.
        let _ = HANDLE_ROOTS.try_with(|r| {
            let mut r = r.borrow_mut();
            if let Some(n) = r.get_mut(&self.cell) {
                *n -= 1;
                if *n == 0 {
                    r.remove(&self.cell);
                }
            }
        });
    }
}

impl PartialEq for ObjectRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.cell == other.0.cell
    }
}

impl std::fmt::Debug for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectRef({:#x})", self.0.cell)
    }
}
