//! The code-location side table: for the instructions that can trap or call, the byte offset
//! of the wasm operator they came from, so that a trap can report where it happened (and
//! every caller frame its call site) without any cost on the execution path.
//!
//! An entry `(index, offset)` says that instruction `index` (and the instructions before it
//! back to the previous entry, when they are part of the same operator) was translated from
//! the operator at module byte `offset`. Entries are recorded after each reachable operator
//! that is not known to be free of traps and calls, at the operator's last instruction (a
//! superinstruction formed with an earlier instruction replaces that one in place, so it keeps
//! the entry); lookups take the first entry at or after the instruction.

use wasmparser::Operator;

use super::Translator;

/// Whether `op` can neither trap nor call: its instructions need no location. Anything not
/// listed here gets one (a conservative default for operators added later).
fn is_trap_free(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::Nop
            | O::Block { .. }
            | O::Loop { .. }
            | O::If { .. }
            | O::Else
            | O::End
            | O::Br { .. }
            | O::BrIf { .. }
            | O::BrTable { .. }
            | O::Return
            | O::Drop
            | O::Select
            | O::TypedSelect { .. }
            | O::LocalGet { .. }
            | O::LocalSet { .. }
            | O::LocalTee { .. }
            | O::GlobalGet { .. }
            | O::GlobalSet { .. }
            | O::I32Const { .. }
            | O::I64Const { .. }
            | O::F32Const { .. }
            | O::F64Const { .. }
            | O::RefNull { .. }
            | O::RefIsNull
            | O::RefFunc { .. }
            | O::MemorySize { .. }
            | O::MemoryGrow { .. }
            | O::I32Eqz
            | O::I32Eq
            | O::I32Ne
            | O::I32LtS
            | O::I32LtU
            | O::I32GtS
            | O::I32GtU
            | O::I32LeS
            | O::I32LeU
            | O::I32GeS
            | O::I32GeU
            | O::I64Eqz
            | O::I64Eq
            | O::I64Ne
            | O::I64LtS
            | O::I64LtU
            | O::I64GtS
            | O::I64GtU
            | O::I64LeS
            | O::I64LeU
            | O::I64GeS
            | O::I64GeU
            | O::F32Eq
            | O::F32Ne
            | O::F32Lt
            | O::F32Gt
            | O::F32Le
            | O::F32Ge
            | O::F64Eq
            | O::F64Ne
            | O::F64Lt
            | O::F64Gt
            | O::F64Le
            | O::F64Ge
            | O::I32Clz
            | O::I32Ctz
            | O::I32Popcnt
            | O::I32Add
            | O::I32Sub
            | O::I32Mul
            | O::I32And
            | O::I32Or
            | O::I32Xor
            | O::I32Shl
            | O::I32ShrS
            | O::I32ShrU
            | O::I32Rotl
            | O::I32Rotr
            | O::I64Clz
            | O::I64Ctz
            | O::I64Popcnt
            | O::I64Add
            | O::I64Sub
            | O::I64Mul
            | O::I64And
            | O::I64Or
            | O::I64Xor
            | O::I64Shl
            | O::I64ShrS
            | O::I64ShrU
            | O::I64Rotl
            | O::I64Rotr
            | O::F32Abs
            | O::F32Neg
            | O::F32Ceil
            | O::F32Floor
            | O::F32Trunc
            | O::F32Nearest
            | O::F32Sqrt
            | O::F32Add
            | O::F32Sub
            | O::F32Mul
            | O::F32Div
            | O::F32Min
            | O::F32Max
            | O::F32Copysign
            | O::F64Abs
            | O::F64Neg
            | O::F64Ceil
            | O::F64Floor
            | O::F64Trunc
            | O::F64Nearest
            | O::F64Sqrt
            | O::F64Add
            | O::F64Sub
            | O::F64Mul
            | O::F64Div
            | O::F64Min
            | O::F64Max
            | O::F64Copysign
            | O::I32WrapI64
            | O::I64ExtendI32S
            | O::I64ExtendI32U
            | O::F32ConvertI32S
            | O::F32ConvertI32U
            | O::F32ConvertI64S
            | O::F32ConvertI64U
            | O::F32DemoteF64
            | O::F64ConvertI32S
            | O::F64ConvertI32U
            | O::F64ConvertI64S
            | O::F64ConvertI64U
            | O::F64PromoteF32
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64
            | O::I32Extend8S
            | O::I32Extend16S
            | O::I64Extend8S
            | O::I64Extend16S
            | O::I64Extend32S
            | O::I32TruncSatF32S
            | O::I32TruncSatF32U
            | O::I32TruncSatF64S
            | O::I32TruncSatF64U
            | O::I64TruncSatF32S
            | O::I64TruncSatF32U
            | O::I64TruncSatF64S
            | O::I64TruncSatF64U
    )
}

impl Translator<'_> {
    /// Records the location of operator `op` at module byte `offset`, just translated (`was_reachable`:
    /// whether code was being emitted when it started).
    pub(super) fn note_location(&mut self, op: &Operator<'_>, offset: usize, was_reachable: bool) {
        // SIMD lane operations and constants never trap either (and fusion may remove them).
        let simd_trap_free = matches!(op, Operator::V128Const { .. })
            || crate::engine::simd::ops::SimdBinop::from_operator(op).is_some()
            || crate::engine::simd::ops::SimdSplat::from_operator(op).is_some();
        if !was_reachable || self.code.is_empty() || is_trap_free(op) || simd_trap_free {
            return;
        }
        let at = (self.code.len() - 1) as u32;
        // An entry at or after `at` belongs to instructions that were replaced (fused) since.
        while self.locations.last().is_some_and(|&(i, _)| i >= at) {
            self.locations.pop();
        }
        self.locations.push((at, offset as u32));
    }

    /// Gives instruction `to` (a copy of instruction `from`, just emitted) the location of
    /// `from`.
    pub(super) fn copy_location(&mut self, from: usize, to: usize) {
        if let Some(offset) = lookup(&self.locations, from) {
            while self.locations.last().is_some_and(|&(i, _)| i as usize >= to) {
                self.locations.pop();
            }
            self.locations.push((to as u32, offset));
        }
    }
}

/// The location of instruction `index` in a side table made by [`Translator::note_location`]:
/// the module byte offset of the operator it came from, if it has one.
pub(crate) fn lookup(locations: &[(u32, u32)], index: usize) -> Option<u32> {
    let i = locations.partition_point(|&(at, _)| (at as usize) < index);
    locations.get(i).map(|&(_, offset)| offset)
}
