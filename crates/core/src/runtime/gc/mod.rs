//! The GC heap (issue #13): object layout from
//! struct and array types ([`layout`]), an allocator over one vector of 64-bit words with
//! exact-size free lists and bump allocation ([`heap`]), and a precise, non-moving mark-sweep
//! collector tracing from a root set ([`collect`]), marking at once or incrementally
//! ([`incremental`], with a write barrier) and sweeping lazily.
//!
//! A reference is a [`GcRef`]: the 64-bit cell the interpreter keeps it in (null, an unboxed
//! `i31`, an object's word address, or a host value's address, told apart by the low bits). Objects never move, so a `GcRef` stays valid for as long
//! as the object is reachable from the roots the collector is given.

mod access;
pub mod char_codes;
pub mod collect;
mod free;
pub mod heap;
pub mod incremental;
pub mod layout;
pub mod store;
mod sweep;
pub(crate) mod values;

pub use collect::CollectStats;
pub use heap::{AllocError, Heap, ShapeId};
pub use layout::{ArrayLayout, FieldSlot, Shape, SlotKind, StructLayout};
pub(crate) use store::try_with_heap;
pub use store::{
    alloc_with, collect_now, collections, marking, set_heap_limit, set_incremental_marking, with_heap, CellRoots,
    HeapHandle,
};

/// A reference as the interpreter keeps it in a 64-bit value cell, for every reference type:
/// `0` is null; an odd cell an unboxed `i31` (the value shifted left by one, in the low 32
/// bits); a cell whose low three bits are `0b010` the GC object at word address `cell >> 3`;
/// any other cell (low three bits zero) the address of a host value (a function, an exception,
/// an `externref`'s payload: 8-aligned `Rc` allocations). So `any.convert_extern` and
/// `extern.convert_any` leave the cell as it is (the round trip is identity), and `ref.eq`
/// compares cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GcRef(pub u64);

/// The low bits of an object's cell.
const OBJECT_TAG: u64 = 0b010;

impl GcRef {
    /// The null reference.
    pub const NULL: GcRef = GcRef(0);

    /// `ref.i31`: the low 31 bits of `value`.
    pub fn i31(value: i32) -> GcRef {
        GcRef(u64::from(((value as u32) << 1) | 1))
    }

    /// The object at word address `addr` (below 2^31).
    pub(crate) fn object(addr: u32) -> GcRef {
        GcRef((u64::from(addr) << 3) | OBJECT_TAG)
    }

    /// Whether this is null.
    pub fn is_null(self) -> bool {
        self.0 == 0
    }

    /// Whether this is an `i31`.
    pub fn is_i31(self) -> bool {
        self.0 & 1 == 1
    }

    /// Whether this is a host value's address (not null, not an `i31`, not an object).
    pub fn is_host(self) -> bool {
        self.0 != 0 && self.0 & 0b111 == 0
    }

    /// `i31.get_s`, if this is an `i31`.
    pub fn i31_get_s(self) -> Option<i32> {
        self.is_i31().then_some((self.0 as u32 as i32) >> 1)
    }

    /// `i31.get_u`, if this is an `i31`.
    pub fn i31_get_u(self) -> Option<i32> {
        self.is_i31().then_some((self.0 as u32 >> 1) as i32)
    }

    /// The word address of the object, if this refers to one.
    pub fn addr(self) -> Option<u32> {
        (self.0 & 0b111 == OBJECT_TAG).then_some((self.0 >> 3) as u32)
    }
}
