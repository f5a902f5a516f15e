//! What modules of a limited namespace (`jitless-wasm/limits`) get translated in; nothing here
//! emits anything for plain modules.
//!
//! **Fuel.** Every basic block starts with a [`Instr::Fuel`] charge whose cost is the number of
//! *original wasm operators* of the block (so the cost does not depend on our instruction
//! form): one per operator, structured ones (`block`, `loop`, `if`, `else`, `end`, `try_table`)
//! included, `nop` and `drop` too. A block starts at the function's entry, at a `loop` start, an
//! `if`'s then-part, an `else`, a `try_table`'s body and a catch's entry. The code after a
//! construct's `end` is counted with the block open where the construct started (every path
//! to the `end` went through that block once). So a block is charged before it runs, in full: a
//! `br_if` (or `br_on_null`/`br_on_non_null`) that is taken, a trap, or an exception thrown by
//! a call in its middle has paid for the rest of it, up to the next branch target. (As wasmi's
//! per-block fuel; a conditional branch does not start a block, which keeps loops to one
//! charge per iteration.) The count depends only on the bytecode's structure, never on our
//! instruction form. Bulk operations (`memory.fill/copy/init`,
//! `table.fill/copy/init`) cost 1 here and, at run time, one more unit per 64 bytes or per
//! element they touch (see `exec/ops/limits.rs`).
//!
//! **Determinism.** Every operator that computes a float and may produce a NaN (arithmetic,
//! `sqrt`, `min`/`max`, rounding, `demote`/`promote`, and the same SIMD lane operations,
//! relaxed ones included) is followed by an instruction that replaces a NaN result with the
//! canonical NaN (`0x7fc00000`, `0x7ff8000000000000`). Operators that only move bits (`abs`,
//! `neg`, `copysign`, loads, `reinterpret`, `pmin`/`pmax`, lane moves) keep NaN payloads, as the
//! deterministic profile of the spec says. Relaxed SIMD already takes the deterministic
//! profile's choice for each instruction (see `engine/simd`).

use wasmparser::Operator;

use super::stack::Operand;
use super::Translator;
use crate::engine::ir::Instr;

/// Which NaN canonicalisation an operator's result needs.
#[derive(Clone, Copy)]
enum Canon {
    F32,
    F64,
    F32x4,
    F64x2,
}

/// The canonicalisation `op`'s result needs in deterministic mode, if any.
fn canon_of(op: &Operator<'_>) -> Option<Canon> {
    use Operator as O;
    Some(match op {
        O::F32Add
        | O::F32Sub
        | O::F32Mul
        | O::F32Div
        | O::F32Sqrt
        | O::F32Min
        | O::F32Max
        | O::F32Ceil
        | O::F32Floor
        | O::F32Trunc
        | O::F32Nearest
        | O::F32DemoteF64 => Canon::F32,
        O::F64Add
        | O::F64Sub
        | O::F64Mul
        | O::F64Div
        | O::F64Sqrt
        | O::F64Min
        | O::F64Max
        | O::F64Ceil
        | O::F64Floor
        | O::F64Trunc
        | O::F64Nearest
        | O::F64PromoteF32 => Canon::F64,
        O::F32x4Add
        | O::F32x4Sub
        | O::F32x4Mul
        | O::F32x4Div
        | O::F32x4Sqrt
        | O::F32x4Min
        | O::F32x4Max
        | O::F32x4Ceil
        | O::F32x4Floor
        | O::F32x4Trunc
        | O::F32x4Nearest
        | O::F32x4DemoteF64x2Zero
        | O::F32x4RelaxedMadd
        | O::F32x4RelaxedNmadd
        | O::F32x4RelaxedMin
        | O::F32x4RelaxedMax => Canon::F32x4,
        O::F64x2Add
        | O::F64x2Sub
        | O::F64x2Mul
        | O::F64x2Div
        | O::F64x2Sqrt
        | O::F64x2Min
        | O::F64x2Max
        | O::F64x2Ceil
        | O::F64x2Floor
        | O::F64x2Trunc
        | O::F64x2Nearest
        | O::F64x2PromoteLowF32x4
        | O::F64x2RelaxedMadd
        | O::F64x2RelaxedNmadd
        | O::F64x2RelaxedMin
        | O::F64x2RelaxedMax => Canon::F64x2,
        _ => return None,
    })
}

/// Whether the code after `op` starts a basic block: an `if`'s then-part (its own arm).
fn starts_block_after(op: &Operator<'_>) -> bool {
    matches!(op, Operator::If { .. })
}

impl Translator<'_> {
    /// Starts a basic block here (with fuel metering): a charge instruction whose cost the
    /// block's operators add up. Reuses the open one when nothing was emitted after it.
    pub(super) fn fuel_open(&mut self) {
        if !self.fuel {
            return;
        }
        // (A label bound just before, with nothing counted since, already starts a block here.)
        if self.fuel_at.is_some_and(|i| i + 1 == self.code.len() && matches!(self.code[i], Instr::Fuel { cost: 0 })) {
            return;
        }
        self.code.push(Instr::Fuel { cost: 0 });
        self.fuel_at = Some(self.code.len() - 1);
    }

    /// Before bulk operation `instr` (operands at `args`), with fuel metering: its run-time
    /// charge, one unit per 64 bytes (memory) or per element (tables).
    pub(super) fn fuel_bulk(&mut self, instr: &Instr, args: u16) {
        if !self.fuel {
            return;
        }
        let shift = match instr {
            Instr::MemoryCopy { .. }
            | Instr::MemoryFill { .. }
            | Instr::MemoryInit { .. }
            | Instr::MemoryCopyMem { .. }
            | Instr::MemoryFillMem { .. }
            | Instr::MemoryInitMem { .. } => 6,
            Instr::TableCopy { .. } | Instr::TableFill { .. } | Instr::TableInit { .. } => 0,
            _ => return,
        };
        self.code.push(Instr::FuelBulk { args, shift });
    }

    /// Where a label bound now goes: the open charge instruction when it is the last
    /// instruction and nothing was counted since it opened (so the label's block starts with
    /// it), else the next instruction.
    pub(super) fn fuel_label_target(&self) -> usize {
        let len = self.code.len();
        match self.fuel_at {
            Some(i) if i + 1 == len && matches!(self.code[i], Instr::Fuel { cost: 0 }) => i,
            _ => len,
        }
    }

    /// Gives every copied charge instruction its original's final cost (a copy may have been
    /// made while its block was still being counted).
    pub(super) fn finish_fuel_copies(&mut self) {
        for k in 0..self.fuel_copies.len() {
            let (copy, original) = self.fuel_copies[k];
            if let (Instr::Fuel { cost }, Instr::Fuel { .. }) = (self.code[original], self.code[copy]) {
                self.code[copy] = Instr::Fuel { cost };
            }
        }
    }

    /// Continues basic block `entry` here (after a construct's `end`, or a `br_if` not taken):
    /// every path arriving here went through `entry` once, so the code that follows is counted
    /// there. A charge instruction opened here with nothing counted yet is dropped (the labels
    /// bound to it then name the next instruction).
    pub(super) fn fuel_resume(&mut self, entry: Option<usize>) {
        let (true, Some(entry)) = (self.fuel, entry) else { return };
        if let Some(i) = self.fuel_at {
            if i != entry && i + 1 == self.code.len() && matches!(self.code[i], Instr::Fuel { cost: 0 }) {
                self.code.pop();
            }
        }
        self.fuel_at = Some(entry);
    }

    /// Counts one operator of the current basic block.
    pub(super) fn fuel_count(&mut self) {
        if let Some(i) = self.fuel_at {
            if let Instr::Fuel { cost } = &mut self.code[i] {
                *cost = cost.saturating_add(1);
            }
        }
    }

    /// After a reachable operator of a limited module: a new basic block for an `if`'s
    /// then-part; the canonical NaN for a float result in deterministic mode.
    pub(super) fn after_op_limits(&mut self, op: &Operator<'_>) {
        if self.fuel && starts_block_after(op) {
            self.fuel_open();
        }
        if self.deterministic {
            if let Some(c) = canon_of(op) {
                self.canonicalize(c);
            }
        }
    }

    /// Replaces a NaN in the result on top of the stack by the canonical NaN.
    fn canonicalize(&mut self, c: Canon) {
        let h = self.stack.height();
        let (pos, instr): (usize, fn(u16) -> Instr) = match c {
            Canon::F32 => (h - 1, |slot| Instr::CanonF32 { slot }),
            Canon::F64 => (h - 1, |slot| Instr::CanonF64 { slot }),
            Canon::F32x4 => (h - 2, |slot| Instr::CanonF32x4 { slot }),
            Canon::F64x2 => (h - 2, |slot| Instr::CanonF64x2 { slot }),
        };
        match self.stack.get(pos) {
            // (The emitted instruction also ends any accumulator passing from the producer.)
            Operand::Temp => {
                let slot = self.stack.slot(pos);
                self.emit(instr(slot));
            }
            Operand::Const(bits) => {
                let canonical = match c {
                    Canon::F32 if f32::from_bits(bits as u32).is_nan() => 0x7fc0_0000,
                    Canon::F64 if f64::from_bits(bits).is_nan() => 0x7ff8_0000_0000_0000,
                    _ => bits,
                };
                self.stack.set_const(pos, canonical);
            }
            Operand::Local(_) => {
                self.materialize(pos);
                let slot = self.stack.slot(pos);
                self.emit(instr(slot));
            }
        }
    }
}
