//! Operands of 64-bit tables (`table64`, from the memory64 proposal).
//!
//! A table holds at most 10,000,000 elements (`runtime/table.rs`), far below 2^32, so an
//! i64 address saturated to `u32::MAX` is out of bounds exactly when the original is. The
//! table instructions of 64-bit tables are therefore the ordinary 32-bit ones, preceded by a
//! [`Instr::TableAddress64`] per i64 operand (nothing for constants, which are saturated
//! here); `table.grow`'s result is sign-extended so that its -1 stays -1. 32-bit tables
//! get exactly the code they always had.

use super::stack::Operand;
use super::Translator;
use crate::engine::ir::Instr;

impl Translator<'_> {
    /// Whether table `table` has the i64 address type.
    pub(super) fn is_table64(&self, table: u32) -> bool {
        self.module.tables[table as usize].table64
    }

    /// Saturates the i64 address at stack position `pos` to 32 bits, leaving it in its own
    /// slot (or, for a constant, still a constant).
    pub(super) fn saturate_address(&mut self, pos: usize) {
        let src = match self.stack.get(pos) {
            Operand::Const(v) => return self.stack.set_const(pos, v.min(u32::MAX as u64)),
            Operand::Temp => self.stack.slot(pos),
            Operand::Local(l) => l,
        };
        self.emit(Instr::TableAddress64 { dst: self.stack.slot(pos), src });
        self.stack.set_temp(pos);
    }

    /// Saturates the operands at `depths` below the top (0 = top) that are addresses of a
    /// 64-bit table, as `is64` says for each.
    pub(super) fn saturate_addresses(&mut self, operands: &[(usize, bool)]) {
        let h = self.stack.height();
        for &(depth, is64) in operands {
            if is64 {
                self.saturate_address(h - 1 - depth);
            }
        }
    }
}
