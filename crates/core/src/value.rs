//! Values at the API boundary, over any reference handles: this ground layer does not name
//! the store; the store's value type is `runtime::Val` (`ValOf<FuncRef, Exn>`).

use std::any::Any;
use std::fmt;
use std::rc::Rc;

pub use self::any_ref::{AnyRef, ObjectRef};
use crate::types::{FuncType, HeapType, RefType, ValType};

pub(crate) mod any_ref;

/// A reference to a host value (`externref`). Cloning shares the same host value; identity is
/// pointer identity ([`ExternRef::ptr_eq`]). The payload belongs to the embedder (the binding
/// stores a napi reference to the JS value in it).
#[derive(Clone)]
pub struct ExternRef(pub(crate) Rc<dyn Any>);

impl ExternRef {
    /// Wraps a host value.
    pub fn new(value: impl Any) -> Self {
        ExternRef(Rc::new(value))
    }

    /// The host value.
    pub fn data(&self) -> &dyn Any {
        &*self.0
    }

    /// Whether two references point at the same host value.
    pub fn ptr_eq(a: &ExternRef, b: &ExternRef) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The raw pointer, for the interpreter's untyped value cells (does not own a count).
    pub(crate) fn as_raw(&self) -> *const () {
        Rc::as_ptr(&self.0) as *const ()
    }
}

impl fmt::Debug for ExternRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExternRef({:p})", self.as_raw())
    }
}

impl PartialEq for ExternRef {
    fn eq(&self, other: &Self) -> bool {
        ExternRef::ptr_eq(self, other)
    }
}

/// What a value needs to know of a function reference (implemented by the store's `FuncRef`).
pub trait FuncHandle {
    /// The function's type.
    fn func_type(&self) -> &FuncType;
}

/// A typed WebAssembly value with function references `F` and exception references `E`
/// (the store's are `runtime::Val`). Floats are kept as raw bits so NaN payloads and `-0`
/// survive.
#[derive(Debug, Clone, PartialEq)]
pub enum ValOf<F, E> {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bit pattern.
    F32(u32),
    /// An `f64`, as its bit pattern.
    F64(u64),
    /// A `v128`.
    V128(u128),
    /// A `funcref` (`None` is `ref.null func`).
    FuncRef(Option<F>),
    /// An `externref` (`None` is `ref.null extern`).
    ExternRef(Option<ExternRef>),
    /// An `exnref` (`None` is `ref.null exn`).
    ExnRef(Option<E>),
    /// A reference of the internal (GC) hierarchy, `anyref` and below (`None` is `ref.null any`).
    AnyRef(Option<AnyRef>),
}

impl<F, E> ValOf<F, E> {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Self::I32(_) => ValType::I32,
            Self::I64(_) => ValType::I64,
            Self::F32(_) => ValType::F32,
            Self::F64(_) => ValType::F64,
            Self::V128(_) => ValType::V128,
            Self::FuncRef(_) => ValType::FUNCREF,
            Self::ExternRef(_) => ValType::EXTERNREF,
            Self::ExnRef(_) => ValType::EXNREF,
            Self::AnyRef(_) => ValType::Ref(RefType::Typed { nullable: true, heap: HeapType::Any }),
        }
    }

    /// The default (zero or null) value of a type.
    pub fn default_for(ty: ValType) -> Self {
        match ty {
            ValType::I32 => Self::I32(0),
            ValType::I64 => Self::I64(0),
            ValType::F32 => Self::F32(0),
            ValType::F64 => Self::F64(0),
            ValType::V128 => Self::V128(0),
            // Non-nullable reference types have no default; null of the representation is
            // returned (validation guarantees it is never observed).
            ValType::Ref(r) => match r.top() {
                RefType::ExternRef => Self::ExternRef(None),
                RefType::ExnRef => Self::ExnRef(None),
                RefType::FuncRef => Self::FuncRef(None),
                _ => Self::AnyRef(None),
            },
        }
    }

    /// The null reference of a reference type.
    pub fn null(ty: RefType) -> Self {
        Self::default_for(ValType::Ref(ty))
    }

    /// Whether this is a null reference.
    pub fn is_null_ref(&self) -> bool {
        matches!(self, Self::FuncRef(None) | Self::ExternRef(None) | Self::ExnRef(None) | Self::AnyRef(None))
    }

    /// An `f32` value from a Rust float.
    pub fn from_f32(v: f32) -> Self {
        Self::F32(v.to_bits())
    }

    /// An `f64` value from a Rust float.
    pub fn from_f64(v: f64) -> Self {
        Self::F64(v.to_bits())
    }
}

impl<F: FuncHandle, E> ValOf<F, E> {
    /// Whether this value is of type `ty` (for references: its representation matches and,
    /// for a non-nullable type, it is not null; a function's own type is checked against a
    /// concrete heap type).
    pub fn matches(&self, ty: &ValType) -> bool {
        match (self, ty) {
            (Self::FuncRef(f), ValType::Ref(r)) if r.top() == RefType::FuncRef => match f {
                None => r.is_nullable(),
                Some(f) => match r.heap_type() {
                    crate::types::HeapType::Concrete(id) => f.func_type().matches(&id.func_type()),
                    crate::types::HeapType::NoFunc => false,
                    _ => true,
                },
            },
            (Self::ExternRef(e), ValType::Ref(r)) if r.top() == RefType::ExternRef => {
                if e.is_none() {
                    r.is_nullable()
                } else {
                    r.heap_type() != crate::types::HeapType::NoExtern
                }
            }
            (Self::ExnRef(e), ValType::Ref(r)) if r.top() == RefType::ExnRef => {
                if e.is_none() {
                    r.is_nullable()
                } else {
                    r.heap_type() != crate::types::HeapType::NoExn
                }
            }
            (Self::AnyRef(a), ValType::Ref(r)) if r.top() == RefType::new(true, HeapType::Any) => match a {
                None => r.is_nullable(),
                Some(a) => a.heap_type().matches(&r.heap_type()),
            },
            (v, t) => v.ty() == *t,
        }
    }
}
