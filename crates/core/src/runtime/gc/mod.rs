//! The GC heap (issue #13 groundwork, not yet wired to the interpreter): object layout from
//! struct and array types ([`layout`]), an allocator over one vector of 64-bit words with
//! exact-size free lists and bump allocation ([`heap`]), and a precise, non-moving mark-sweep
//! collector tracing from a root set ([`collect`]).
//!
//! A reference of the internal hierarchy is a [`GcRef`]: 32 bits that are null, an unboxed
//! `i31`, or an object's word address. Objects never move, so a `GcRef` stays valid for as long
//! as the object is reachable from the roots the collector is given.

pub mod collect;
pub mod heap;
pub mod layout;

pub use collect::CollectStats;
pub use heap::{AllocError, Heap, ShapeId};
pub use layout::{ArrayLayout, FieldSlot, Shape, SlotKind, StructLayout};

/// A reference of the internal hierarchy (`anyref` and below): `0` is null, an odd value an
/// `i31` (the value shifted left by one), any other even value the word address of an object
/// shifted left by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GcRef(pub u32);

impl GcRef {
    /// The null reference.
    pub const NULL: GcRef = GcRef(0);

    /// `ref.i31`: the low 31 bits of `value`.
    pub fn i31(value: i32) -> GcRef {
        GcRef(((value as u32) << 1) | 1)
    }

    /// The object at word address `addr` (below 2^31).
    pub(crate) fn object(addr: u32) -> GcRef {
        GcRef(addr << 1)
    }

    /// Whether this is null.
    pub fn is_null(self) -> bool {
        self.0 == 0
    }

    /// `i31.get_s`, if this is an `i31`.
    pub fn i31_get_s(self) -> Option<i32> {
        (self.0 & 1 == 1).then_some((self.0 as i32) >> 1)
    }

    /// `i31.get_u`, if this is an `i31`.
    pub fn i31_get_u(self) -> Option<i32> {
        (self.0 & 1 == 1).then_some((self.0 >> 1) as i32)
    }

    /// The word address of the object, if this refers to one.
    pub fn addr(self) -> Option<u32> {
        (self.0 != 0 && self.0 & 1 == 0).then_some(self.0 >> 1)
    }
}
