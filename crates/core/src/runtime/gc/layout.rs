//! Object layout of GC structs and arrays: where each field of a struct type sits in an
//! object's payload, how big an array's elements are, and which of them the collector traces.
//!
//! A payload is a sequence of 64-bit words. Struct fields are placed in declaration order, each
//! at its natural alignment (at most 8; padding before a field when needed), so no field other
//! than a `v128` (two whole words) spans a word boundary, and a subtype's fields start with its
//! supertype's at the same offsets (a subtype declares its supertype's fields first, of the
//! same sizes): a field's offset is known from the static type at translation, whatever
//! subtype the object is. Every reference is an 8-byte slot holding
//! the interpreter's cell ([`GcRef`](super::GcRef)); the collector traces all of them (an
//! `externref` field may hold an object made external by `extern.convert_any`), marking objects
//! and keeping the host values they name in the heap's host table.

use crate::types::{ArrayType, CompositeType, FuncTypeId, StorageType, StructType, ValType};

/// How a field's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// Plain bytes (numbers, vectors, packed integers).
    Bytes,
    /// A reference of the internal hierarchy (`any`…): a traced [`GcRef`](super::GcRef).
    GcRef,
    /// A reference of another hierarchy (`func`, `extern`, `exn`), traced like the others.
    HostRef,
}

/// One field of a struct layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSlot {
    /// The byte offset in the payload.
    pub offset: u32,
    /// The size in bytes (1, 2, 4, 8 or 16).
    pub size: u32,
    /// How the bytes are read.
    pub kind: SlotKind,
}

/// The size and kind of a value of storage type `s` in an object.
pub fn storage_slot(s: &StorageType) -> (u32, SlotKind) {
    match s {
        StorageType::I8 => (1, SlotKind::Bytes),
        StorageType::I16 => (2, SlotKind::Bytes),
        StorageType::Val(ValType::I32 | ValType::F32) => (4, SlotKind::Bytes),
        StorageType::Val(ValType::I64 | ValType::F64) => (8, SlotKind::Bytes),
        StorageType::Val(ValType::V128) => (16, SlotKind::Bytes),
        StorageType::Val(ValType::Ref(r)) if r.heap_type().is_gc() => (8, SlotKind::GcRef),
        StorageType::Val(ValType::Ref(_)) => (8, SlotKind::HostRef),
    }
}

/// The layout of a struct type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructLayout {
    /// The payload's size in words.
    pub words: u32,
    /// Each field by its index in the type.
    pub fields: Box<[FieldSlot]>,
    /// The byte offsets of the reference slots (all traced), ascending.
    pub refs: Box<[u32]>,
}

impl StructLayout {
    /// The layout of struct type `t`.
    pub fn of(t: &StructType) -> StructLayout {
        let mut at = 0u32;
        let fields: Vec<FieldSlot> = t
            .fields
            .iter()
            .map(|f| {
                let (size, kind) = storage_slot(&f.storage);
                let offset = at.next_multiple_of(size.min(8));
                at = offset + size;
                FieldSlot { offset, size, kind }
            })
            .collect();
        let mut refs: Vec<u32> = fields.iter().filter(|f| f.kind != SlotKind::Bytes).map(|f| f.offset).collect();
        refs.sort_unstable();
        StructLayout { words: at.div_ceil(8), fields: fields.into(), refs: refs.into() }
    }
}

/// The layout of an array type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArrayLayout {
    /// The size of one element in bytes.
    pub element_size: u32,
    /// How an element's bytes are read.
    pub kind: SlotKind,
}

impl ArrayLayout {
    /// The layout of array type `t`.
    pub fn of(t: &ArrayType) -> ArrayLayout {
        let (element_size, kind) = storage_slot(&t.element.storage);
        ArrayLayout { element_size, kind }
    }

    /// The payload's size in words of an array of `len` elements (`None` beyond what an
    /// object can hold).
    pub fn words(&self, len: u32) -> Option<u32> {
        u32::try_from((u64::from(len) * u64::from(self.element_size)).div_ceil(8)).ok()
    }
}

/// The layout of a GC object's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A struct.
    Struct(StructLayout),
    /// An array.
    Array(ArrayLayout),
}

impl Shape {
    /// The layout of canonical type `id` (`None` for a function type).
    pub fn of(id: FuncTypeId) -> Option<Shape> {
        match id.sub_type().composite {
            CompositeType::Struct(s) => Some(Shape::Struct(StructLayout::of(&s))),
            CompositeType::Array(a) => Some(Shape::Array(ArrayLayout::of(&a))),
            CompositeType::Func(_) => None,
        }
    }
}
