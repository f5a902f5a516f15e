//! Global instances.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::error::ValueTypeError;
use crate::runtime::Error;
use crate::runtime::Val;
use crate::types::GlobalType;

/// A global variable. Cheap to clone (shared).
#[derive(Clone)]
pub struct Global(pub(crate) Rc<GlobalInner>);

pub(crate) struct GlobalInner {
    pub(crate) ty: GlobalType,
    pub(crate) value: RefCell<Val>,
    /// The embedder's data (for the binding: its JS wrapper).
    pub(crate) embedder: super::EmbedderSlot,
}

impl Global {
    /// The value's cell, for the engine's `global.get`/`global.set` (no borrow flag checked:
    /// the engine never holds a borrow across wasm code).
    #[inline(always)]
    pub(crate) fn value_ptr(&self) -> *mut Val {
        self.0.value.as_ptr()
    }

    /// A new global of type `ty` holding `value` (which must have the content type).
    pub fn new(ty: GlobalType, value: Val) -> Result<Global, Error> {
        if !value.matches(&ty.content) {
            return Err(ValueTypeError { expected: ty.content, actual: value.ty() }.into());
        }
        Ok(Global::alloc(ty, value))
    }

    /// [`Global::new`] for instantiation, where a global of a non-defaultable type gets its
    /// initial value right after allocation: `value` only needs the type's representation.
    pub(crate) fn alloc(ty: GlobalType, value: Val) -> Global {
        let inner = Rc::new(GlobalInner { ty, value: RefCell::new(value), embedder: super::EmbedderSlot::new() });
        super::cycles::maybe_collect();
        super::cycles::register_global(&inner);
        Global(inner)
    }

    /// The global's type.
    pub fn ty(&self) -> GlobalType {
        self.0.ty
    }

    /// The current value.
    pub fn get(&self) -> Val {
        self.0.value.borrow().clone()
    }

    /// Sets the value. The caller must have checked mutability and converted the value to the
    /// content type; a type mismatch is reported as an error all the same.
    pub fn set(&self, value: Val) -> Result<(), Error> {
        if !value.matches(&self.0.ty.content) {
            return Err(ValueTypeError { expected: self.0.ty.content, actual: value.ty() }.into());
        }
        *self.0.value.borrow_mut() = value;
        Ok(())
    }

    /// Whether two handles denote the same global.
    pub fn ptr_eq(a: &Global, b: &Global) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The embedder's data on this global.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
    }

    /// The address of the global, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl fmt::Debug for Global {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Global({:?}, {:?})", self.0.ty, self.0.value.borrow())
    }
}
