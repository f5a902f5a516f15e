//! Translation of the GC instructions (issue #13): `struct.get*`/`struct.set`,
//! `array.get*`/`array.set` of values of at most 8 bytes, `array.len`, `ref.test`, `ref.cast`
//! and the tests of `br_on_cast*` become their own instructions (operands read where they are;
//! field offsets, element sizes, cast targets' depths resolved here); the others one
//! [`Instr::Gc`] whose operands are materialised into consecutive slots (a v128 value takes
//! two), except
//! `ref.eq` (a comparison of cells), `any.convert_extern` and `extern.convert_any` (nothing:
//! both hierarchies share the cell encoding, so the conversion keeps the cell), and
//! `br_on_cast`/`br_on_cast_fail` (a test into a temporary, then `br_if`).

use wasmparser::Operator;

use super::Translator;
use crate::engine::cells_of;
use crate::engine::ir::gc::{heap_bits, slot_bits, GcOp, CAST_DEPTH_SHIFT, CAST_NEGATE, CAST_NULLABLE, SLOT_SIGNED};
use crate::engine::ir::Instr;
use crate::engine::store::gc::layout::storage_slot;
use crate::engine::store::gc::StructLayout;
use crate::error::CompileError;
use crate::types::{CompositeType, FuncTypeId, HeapType, RefType, StorageType, ValType};

/// The cells of a value of storage type `s` (unpacked).
fn storage_cells(s: &StorageType) -> usize {
    cells_of(&[s.unpacked()])
}

/// The cast flags' depth bits of target heap type `h` (see [`CAST_DEPTH_SHIFT`]).
fn cast_depth_bits(h: HeapType) -> u32 {
    match h {
        HeapType::Concrete(id) => (id.display().len() as u32 - 1) << CAST_DEPTH_SHIFT,
        _ => 0,
    }
}

impl Translator<'_> {
    /// The canonical id of module type `index`.
    fn type_id(&self, index: u32) -> FuncTypeId {
        FuncTypeId::of(&self.module.types[index as usize])
    }

    /// The composite type of module type `index`.
    fn composite(&self, index: u32) -> CompositeType {
        self.type_id(index).sub_type().composite
    }

    /// The field types of struct type `index`.
    fn struct_fields(&self, index: u32) -> Vec<StorageType> {
        match self.composite(index) {
            CompositeType::Struct(s) => s.fields.iter().map(|f| f.storage).collect(),
            _ => Vec::new(),
        }
    }

    /// The element type of array type `index`.
    fn array_element(&self, index: u32) -> StorageType {
        match self.composite(index) {
            CompositeType::Array(a) => a.element.storage,
            _ => StorageType::Val(ValType::I32),
        }
    }

    /// The [`slot_bits`] of field `f` of struct type `index`.
    fn field_slot_bits(&self, index: u32, f: u32) -> u32 {
        match self.composite(index) {
            CompositeType::Struct(s) => {
                let slot = StructLayout::of(&s).fields[f as usize];
                slot_bits(slot.offset, slot.size, slot.kind)
            }
            _ => 0,
        }
    }

    /// The [`slot_bits`] of the elements of array type `index` (offset 0).
    fn element_slot_bits(&self, index: u32) -> u32 {
        let (size, kind) = storage_slot(&self.array_element(index));
        slot_bits(0, size, kind)
    }

    /// Emits a GC instruction taking the top `n` cells and producing `results` cells.
    fn gc_instr(&mut self, n: usize, results: usize, op: GcOp, a: u32, b: u32) {
        let h = self.stack.height();
        let pos = h - n;
        for p in pos..h {
            self.materialize(p);
        }
        let args = self.stack.slot(pos);
        self.pop_n(n);
        self.stack.reserve_height(pos + results.max(1));
        self.emit(Instr::Gc { dst: args, args, op, a, b });
        self.stack.push_temps(results);
    }

    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_gc_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        match *op {
            O::StructNew { struct_type_index: t } => {
                let n = self.struct_fields(t).iter().map(storage_cells).sum();
                self.gc_instr(n, 1, GcOp::StructNew, self.type_id(t).to_bits(), 0);
            }
            O::StructNewDefault { struct_type_index: t } => {
                self.gc_instr(0, 1, GcOp::StructNewDefault, self.type_id(t).to_bits(), 0)
            }
            O::StructGet { struct_type_index: t, field_index: f }
            | O::StructGetS { struct_type_index: t, field_index: f }
            | O::StructGetU { struct_type_index: t, field_index: f } => {
                let cells = storage_cells(&self.struct_fields(t)[f as usize]);
                let op = match *op {
                    O::StructGetS { .. } => GcOp::StructGetS,
                    O::StructGetU { .. } => GcOp::StructGetU,
                    _ => GcOp::StructGet,
                };
                let slot = self.field_slot_bits(t, f);
                if cells == 1 {
                    let slot = if op == GcOp::StructGetS { slot | SLOT_SIGNED } else { slot };
                    let obj = self.operand_slot(self.stack.height() - 1);
                    self.stack.pop();
                    self.emit_result(|dst| Instr::GcStructGet { dst, obj, slot });
                } else {
                    self.gc_instr(1, cells, op, self.type_id(t).to_bits(), slot);
                }
            }
            O::StructSet { struct_type_index: t, field_index: f } => {
                let cells = storage_cells(&self.struct_fields(t)[f as usize]);
                let slot = self.field_slot_bits(t, f);
                if cells == 1 {
                    let h = self.stack.height();
                    let value = self.operand_slot(h - 1);
                    let obj = self.operand_slot(h - 2);
                    self.pop_n(2);
                    self.emit(Instr::GcStructSet { obj, value, slot });
                } else {
                    self.gc_instr(1 + cells, 0, GcOp::StructSet, self.type_id(t).to_bits(), slot);
                }
            }
            O::ArrayNew { array_type_index: t } => {
                let cells = storage_cells(&self.array_element(t));
                self.gc_instr(cells + 1, 1, GcOp::ArrayNew, self.type_id(t).to_bits(), 0);
            }
            O::ArrayNewDefault { array_type_index: t } => {
                self.gc_instr(1, 1, GcOp::ArrayNewDefault, self.type_id(t).to_bits(), 0)
            }
            O::ArrayNewFixed { array_type_index: t, array_size: n } => {
                let cells = storage_cells(&self.array_element(t));
                self.gc_instr(cells * n as usize, 1, GcOp::ArrayNewFixed, self.type_id(t).to_bits(), n);
            }
            O::ArrayNewData { array_type_index: t, array_data_index: d } => {
                self.gc_instr(2, 1, GcOp::ArrayNewData, self.type_id(t).to_bits(), d)
            }
            O::ArrayNewElem { array_type_index: t, array_elem_index: e } => {
                self.gc_instr(2, 1, GcOp::ArrayNewElem, self.type_id(t).to_bits(), e)
            }
            O::ArrayGet { array_type_index: t }
            | O::ArrayGetS { array_type_index: t }
            | O::ArrayGetU { array_type_index: t } => {
                let cells = storage_cells(&self.array_element(t));
                let op = match *op {
                    O::ArrayGetS { .. } => GcOp::ArrayGetS,
                    O::ArrayGetU { .. } => GcOp::ArrayGetU,
                    _ => GcOp::ArrayGet,
                };
                let slot = self.element_slot_bits(t);
                if cells == 1 {
                    let slot = if op == GcOp::ArrayGetS { slot | SLOT_SIGNED } else { slot };
                    let h = self.stack.height();
                    let index = self.operand_slot(h - 1);
                    let arr = self.operand_slot(h - 2);
                    self.pop_n(2);
                    self.emit_result(|dst| Instr::GcArrayGet { dst, arr, index, slot });
                } else {
                    self.gc_instr(2, cells, op, self.type_id(t).to_bits(), slot);
                }
            }
            O::ArraySet { array_type_index: t } => {
                let cells = storage_cells(&self.array_element(t));
                let slot = self.element_slot_bits(t);
                if cells == 1 {
                    let h = self.stack.height();
                    let value = self.operand_slot(h - 1);
                    let index = self.operand_slot(h - 2);
                    let arr = self.operand_slot(h - 3);
                    self.pop_n(3);
                    self.emit(Instr::GcArraySet { arr, index, value, slot });
                } else {
                    self.gc_instr(2 + cells, 0, GcOp::ArraySet, self.type_id(t).to_bits(), slot);
                }
            }
            O::ArrayLen => {
                let arr = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit_result(|dst| Instr::GcArrayLen { dst, arr });
            }
            O::ArrayFill { array_type_index: t } => {
                let cells = storage_cells(&self.array_element(t));
                self.gc_instr(3 + cells, 0, GcOp::ArrayFill, self.type_id(t).to_bits(), self.element_slot_bits(t));
            }
            O::ArrayCopy { array_type_index_dst: d, array_type_index_src: s } => {
                self.gc_instr(5, 0, GcOp::ArrayCopy, self.type_id(d).to_bits(), self.type_id(s).to_bits())
            }
            O::ArrayInitData { array_type_index: t, array_data_index: d } => {
                self.gc_instr(4, 0, GcOp::ArrayInitData, self.type_id(t).to_bits(), d)
            }
            O::ArrayInitElem { array_type_index: t, array_elem_index: e } => {
                self.gc_instr(4, 0, GcOp::ArrayInitElem, self.type_id(t).to_bits(), e)
            }
            O::RefI31 => self.gc_instr(1, 1, GcOp::RefI31, 0, 0),
            O::I31GetS => self.gc_instr(1, 1, GcOp::I31GetS, 0, 0),
            O::I31GetU => self.gc_instr(1, 1, GcOp::I31GetU, 0, 0),
            O::RefEq => return Some(self.translate_plain_op(&O::I64Eq)),
            O::AnyConvertExtern | O::ExternConvertAny => {}
            O::RefTestNonNull { hty }
            | O::RefTestNullable { hty }
            | O::RefCastNonNull { hty }
            | O::RefCastNullable { hty } => {
                let nullable = matches!(op, O::RefTestNullable { .. } | O::RefCastNullable { .. });
                let Some(r) = wasmparser::RefType::new(nullable, hty) else {
                    return Some(Err(CompileError::new("bad heap type", None)));
                };
                let r = match RefType::from_wasmparser_with(r, &self.module.types, self.module.profile.gc()) {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                let flags = if nullable { CAST_NULLABLE } else { 0 } | cast_depth_bits(r.heap_type());
                let test = matches!(op, O::RefTestNonNull { .. } | O::RefTestNullable { .. });
                let ty = heap_bits(r.heap_type());
                let src = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                if test {
                    self.emit_result(|dst| Instr::GcRefTest { dst, src, ty, flags });
                } else {
                    self.emit_result(|dst| Instr::GcRefCast { dst, src, ty, flags });
                }
            }
            O::BrOnCast { relative_depth, to_ref_type, .. } | O::BrOnCastFail { relative_depth, to_ref_type, .. } => {
                let r = match RefType::from_wasmparser_with(to_ref_type, &self.module.types, self.module.profile.gc()) {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                let mut flags = if r.is_nullable() { CAST_NULLABLE } else { 0 } | cast_depth_bits(r.heap_type());
                if matches!(op, O::BrOnCastFail { .. }) {
                    flags |= CAST_NEGATE;
                }
                // The test reads the reference where it is and leaves it on the stack.
                let h = self.stack.height();
                self.materialize(h - 1);
                let src = self.stack.slot(h - 1);
                self.stack.reserve_height(h + 1);
                self.emit(Instr::GcRefTest { dst: self.stack.slot(h), src, ty: heap_bits(r.heap_type()), flags });
                self.stack.push_temps(1);
                self.visit_br_if(relative_depth);
            }
            _ => return None,
        }
        Some(Ok(()))
    }
}
