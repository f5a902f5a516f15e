//! The operations of the generic GC instruction ([`super::Instr::Gc`]): every GC instruction
//! that allocates, reads or writes objects and has no instruction of its own, with its
//! immediates in the instruction's `a` and `b` (see each variant) and its operands in
//! consecutive slots from `args`. The hottest ones have their own instructions (`GcStructGet`,
//! `GcStructSet`, `GcArrayGet`, `GcArraySet`, `GcArrayLen`, `GcRefTest`, `GcRefCast`) whose
//! immediates are resolved here at translation: [`slot_bits`] and the cast flags.

/// A GC operation. Types in `a`/`b` are canonical type ids ([`crate::types::FuncTypeId`]
/// bits) unless said otherwise; heap types of casts are [`heap_bits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum GcOp {
    /// `struct.new a`: the fields' values (a v128 takes two cells).
    StructNew,
    /// `struct.new_default a`.
    StructNewDefault,
    /// `struct.get a b` of a `v128` field (`b`: its [`slot_bits`]; smaller fields have
    /// `GcStructGet`).
    StructGet,
    /// `struct.get_s a b`.
    StructGetS,
    /// `struct.get_u a b`.
    StructGetU,
    /// `struct.set a b` of a `v128` field: the struct, then the value (`b`: its [`slot_bits`]).
    StructSet,
    /// `array.new a`: the value, then the length.
    ArrayNew,
    /// `array.new_default a`: the length.
    ArrayNewDefault,
    /// `array.new_fixed a b`: `b` values.
    ArrayNewFixed,
    /// `array.new_data a b` (data segment `b`): offset, length.
    ArrayNewData,
    /// `array.new_elem a b` (element segment `b`): offset, length.
    ArrayNewElem,
    /// `array.get a b` of `v128` elements: array, index (`b`: the elements' [`slot_bits`]).
    ArrayGet,
    /// `array.get_s a`.
    ArrayGetS,
    /// `array.get_u a`.
    ArrayGetU,
    /// `array.set a b` of `v128` elements: array, index, value.
    ArraySet,
    /// `array.fill a b`: array, offset, value, count (`b`: the elements' [`slot_bits`]).
    ArrayFill,
    /// `array.copy a b`: destination array, offset, source array, offset, count.
    ArrayCopy,
    /// `array.init_data a b`: array, offset, segment offset, count.
    ArrayInitData,
    /// `array.init_elem a b`: array, offset, segment offset, count.
    ArrayInitElem,
    /// `ref.i31`.
    RefI31,
    /// `i31.get_s`.
    I31GetS,
    /// `i31.get_u`.
    I31GetU,
}

/// The flags of a cast or test ([`super::Instr::GcRefTest`], [`super::Instr::GcRefCast`],
/// whose `ty` is the target's [`heap_bits`]): null passes.
pub(crate) const CAST_NULLABLE: u32 = 1;
/// The flags of a test: the result is negated (`br_on_cast_fail`).
pub(crate) const CAST_NEGATE: u32 = 2;

/// The bits of a heap type in a cast: a defined type's canonical id bits (its top two bits are
/// its kind, below 3), or `0xc000_0000 | n` for the abstract heap type number `n`.
pub(crate) fn heap_bits(h: crate::types::HeapType) -> u32 {
    use crate::types::HeapType as H;
    match h {
        H::Concrete(id) => id.to_bits(),
        abs => 0xc000_0000 | ABSTRACT.iter().position(|&a| a == abs).expect("an abstract heap type") as u32,
    }
}

/// The heap type of [`heap_bits`].
pub(crate) fn heap_of_bits(bits: u32) -> crate::types::HeapType {
    if bits >> 30 == 3 {
        ABSTRACT[(bits & 0xff) as usize]
    } else {
        crate::types::HeapType::Concrete(crate::types::FuncTypeId::from_bits(bits))
    }
}

/// The abstract heap types by number.
const ABSTRACT: [crate::types::HeapType; 12] = {
    use crate::types::HeapType as H;
    [H::Any, H::Eq, H::I31, H::Struct, H::Array, H::None, H::Func, H::Extern, H::NoFunc, H::NoExtern, H::Exn, H::NoExn]
};

/// The flags of a cast or test: the target's depth in its type hierarchy (its display's length − 1)
/// from this bit up, for a concrete target (resolved at translation: the cast reads the
/// object's supertype chain at that depth without the type registry).
pub(crate) const CAST_DEPTH_SHIFT: u32 = 8;

/// `b` of `struct.get*`/`struct.set` and the element accesses of arrays: a field or element
/// slot resolved at translation (byte offset, size, kind), so the handler needs no layout.
pub(crate) fn slot_bits(offset: u32, size: u32, kind: crate::engine::store::gc::SlotKind) -> u32 {
    use crate::engine::store::gc::SlotKind;
    let kind = match kind {
        SlotKind::Bytes => 0,
        SlotKind::GcRef => 1,
        SlotKind::HostRef => 2,
    };
    debug_assert!(offset < 1 << 24, "a field offset fits 24 bits (at most 10000 16-byte fields)");
    (offset << 8) | (size.trailing_zeros() << 2) | kind
}

/// A [`slot_bits`] flag: the value read is sign-extended (`struct.get_s`, `array.get_s`).
pub(crate) const SLOT_SIGNED: u32 = 1 << 5;

/// The (byte offset, size, kind) of [`slot_bits`].
#[inline]
pub(crate) fn slot_of_bits(bits: u32) -> (u32, u32, crate::engine::store::gc::SlotKind) {
    use crate::engine::store::gc::SlotKind;
    let kind = match bits & 3 {
        0 => SlotKind::Bytes,
        1 => SlotKind::GcRef,
        _ => SlotKind::HostRef,
    };
    (bits >> 8, 1 << ((bits >> 2) & 7), kind)
}
