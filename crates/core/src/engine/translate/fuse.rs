//! Peephole optimisations applied while emitting: passing values through the accumulator
//! ([`ir::ACC`]), superinstructions ([`Instr::combine`]), loop latches
//! ([`Instr::combine_latch`]) and back-edge copies (loop inversion and tail duplication).

use super::stack::Operand;
use super::Translator;
use crate::engine::exec::handler_of;
use crate::engine::ir::{self, Instr, Slot};

/// The most straight-line instructions (plus the control transfer) that a backward jump's
/// target may have for [`Translator::emit_back_edge_copy`].
const MAX_HEADER: usize = 12;
/// The most instructions one back-edge copy may have (a `br_table` counts its entries).
const MAX_DUPLICATE: usize = 48;

impl Translator<'_> {
    /// Like [`Translator::emit_result`], for an instruction that may read the previous
    /// instruction's result through the accumulator (see [`Translator::fuse_acc`]).
    pub(super) fn emit_result_fused(&mut self, make: impl FnOnce(Slot) -> Instr) {
        let dst = self.stack.slot(self.stack.height());
        let mut instr = make(dst);
        if self.fuse_acc(&mut instr) {
            // The producer, now writing the accumulator, is the last instruction.
            let producer = self.code.last().expect("fused with the last instruction");
            if let Some(combined) = Instr::combine(producer, &instr).or_else(|| self.xor_shift(producer, &instr)) {
                if handler_of(&combined).is_some() {
                    self.code.pop();
                    instr = combined;
                }
            }
        }
        self.code.push(instr);
        self.last_result = Some(self.code.len() - 1);
        self.stack.push(Operand::Temp);
    }

    /// `x ^ (x >> k)` as one instruction, for `producer` (the shift, the last instruction,
    /// writing the accumulator) and `consumer` (the xor reading it). The xor's other operand
    /// must be the shift's operand: the same slot, or, when the shift reads the accumulator,
    /// the local that the instruction before it wrote (and left in the accumulator).
    fn xor_shift(&self, producer: &Instr, consumer: &Instr) -> Option<Instr> {
        use Instr::*;
        let n = self.code.len();
        let same = |x: Slot, other: Slot| {
            other != ir::ACC
                && (x == other
                    || (x == ir::ACC && n >= 2 && self.last_local_write == Some((n - 2, other)) && {
                        let mut w = self.code[n - 2];
                        w.dst_mut().is_some_and(|d| *d == other)
                    }))
        };
        let other = |lhs: Slot, rhs: Slot| if lhs == ir::ACC { rhs } else { lhs };
        Some(match (*producer, *consumer) {
            (I32ShrUImm { dst: ir::ACC, lhs: x, imm }, I32Xor { dst, lhs, rhs }) if same(x, other(lhs, rhs)) => {
                I32XorShrU { dst, lhs: x, shift: (imm & 31) as u8 }
            }
            (I64ShrUImm { dst: ir::ACC, lhs: x, imm }, I64Xor { dst, lhs, rhs }) if same(x, other(lhs, rhs)) => {
                I64XorShrU { dst, lhs: x, shift: (imm & 63) as u8 }
            }
            _ => return None,
        })
    }

    /// Like [`Translator::emit`], for an instruction that may read the previous instruction's
    /// result through the accumulator (see [`Translator::fuse_acc`]).
    pub(super) fn emit_fused(&mut self, mut instr: Instr) {
        self.fuse_acc(&mut instr);
        self.emit(instr);
    }

    /// Passes a value through the accumulator ([`ir::ACC`]) instead of a temporary slot when
    /// `instr`, about to be emitted, consumes the temporary that the instruction just emitted
    /// computed. The operand stack guarantees that a temporary is read once, by the
    /// instruction that pops it, so nothing else reads the slot; the caller must only pass
    /// instructions that pop the operands they read from the accumulator.
    pub(super) fn fuse_acc(&mut self, instr: &mut Instr) -> bool {
        self.forward_local(instr);
        let Some(i) = self.last_result else { return false };
        if i + 1 != self.code.len() {
            return false;
        }
        let mut producer = self.code[i];
        if !producer.may_write_acc() {
            return false;
        }
        let Some(dst) = producer.dst_mut() else { return false };
        let temp = *dst;
        *dst = ir::ACC;
        let mut consumer = *instr;
        if temp == ir::ACC || consumer.read_acc(temp) != 1 {
            return false;
        }
        if handler_of(&producer).is_none() || handler_of(&consumer).is_none() {
            return false;
        }
        self.code[i] = producer;
        *instr = consumer;
        true
    }

    /// When the instruction just emitted wrote a local (and, like every instruction that may
    /// write the accumulator, left its result there too) and `instr` reads that local, makes
    /// `instr` read the accumulator instead (saving the store-to-load latency).
    fn forward_local(&mut self, instr: &mut Instr) {
        let Some((i, local)) = self.last_local_write else { return };
        if i + 1 != self.code.len() {
            return;
        }
        let mut consumer = *instr;
        if consumer.read_acc(local) == 1 && handler_of(&consumer).is_some() {
            *instr = consumer;
        }
    }

    /// Shortcuts a backward jump to `target` (a loop start) by emitting a copy of the code
    /// there, up to and including its first control transfer, instead of the jump, when that
    /// code is short (see [`MAX_HEADER`], [`MAX_DUPLICATE`]). The copy is equivalent because
    /// instructions other than branches do not depend on their position, and copied branches
    /// are re-resolved through their labels:
    ///
    /// * loop inversion: when the transfer is a conditional branch (the loop test), the copy
    ///   ends with the test negated, jumping into the loop body, followed by a jump to where
    ///   the test goes; the common case (the loop goes on) saves the dispatch of the jump;
    /// * tail duplication: when the transfer is a `br_table` (an interpreter's dispatch) or an
    ///   unconditional branch, the copy replaces the jump entirely (and each copy of a
    ///   `br_table` gets its own branch-prediction history).
    ///
    /// Returns whether it did so.
    pub(super) fn emit_back_edge_copy(&mut self, target: usize) -> bool {
        let end = self.code.len().min(target + MAX_HEADER);
        let Some(at) = (target..end).find(|&i| self.code[i].is_control_transfer()) else { return false };
        let label_of = |t: &Self, i: usize| {
            t.branch_labels.binary_search_by_key(&i, |&(at, _)| at).ok().map(|k| t.branch_labels[k].1)
        };
        let straight = at - target;
        match self.code[at] {
            Instr::BrTable { len, .. } => {
                let entries = len as usize + 1;
                if straight + 1 + entries > MAX_DUPLICATE || self.duplicated + straight + 1 + entries > self.budget() {
                    return false;
                }
                let Some(labels) = (at + 1..at + 1 + entries).map(|e| label_of(self, e)).collect::<Option<Vec<_>>>()
                else {
                    return false;
                };
                self.copy_code(target, at + 1);
                for label in labels {
                    self.emit_branch(Instr::Br { offset: 0 }, label);
                }
                self.duplicated += straight + 1 + entries;
                true
            }
            Instr::Br { .. } => {
                let Some(label) = label_of(self, at) else { return false };
                if self.duplicated + straight + 1 > self.budget() {
                    return false;
                }
                self.copy_code(target, at);
                self.emit_branch(Instr::Br { offset: 0 }, label);
                self.duplicated += straight + 1;
                true
            }
            instr => {
                let Some(exit) = label_of(self, at) else { return false };
                if instr.negate_branch(0).is_none() || self.duplicated + straight + 2 > self.budget() {
                    return false;
                }
                self.copy_code(target, at);
                let mut inverted = instr.negate_branch(0).expect("a conditional branch");
                if straight == 0 {
                    if let Some(latch) = self.latch_for(&inverted) {
                        self.code.pop();
                        self.last_local_write = None;
                        inverted = latch;
                    }
                }
                let from = self.code.len();
                let offset = (at + 1) as i64 - from as i64 - 1;
                *inverted.branch_offset_mut().expect("a branch") = offset as i32;
                self.emit(inverted);
                if at + 2 == from {
                    self.fuse_store_loop(at + 1);
                }
                self.emit_branch(Instr::Br { offset: 0 }, exit);
                self.duplicated += straight + 2;
                true
            }
        }
    }

    /// The loop latch fusing the last instruction (an in-place i32 addition to a slot) with
    /// conditional branch `branch`, about to be emitted, when nothing can jump between them;
    /// the caller pops the last instruction.
    pub(super) fn latch_for(&self, branch: &Instr) -> Option<Instr> {
        if self.last_label_at == Some(self.code.len()) {
            return None;
        }
        let latch = Instr::combine_latch(self.code.last()?, branch)?;
        handler_of(&latch).is_some().then_some(latch)
    }

    /// Turns the one-instruction loop body at `body`, a store of a constant at the induction
    /// variable followed by the loop latch just emitted (which jumps back to it), into an
    /// [`Instr::StoreImmLoop`] that runs the whole loop.
    fn fuse_store_loop(&mut self, body: usize) {
        let size = match self.code[body] {
            Instr::Store8Imm { .. } => 1,
            Instr::Store16Imm { .. } => 2,
            Instr::Store32Imm { .. } => 4,
            _ => return,
        };
        let (Instr::Store8Imm { addr, offset, value }
        | Instr::Store16Imm { addr, offset, value }
        | Instr::Store32Imm { addr, offset, value }) = self.code[body]
        else {
            return;
        };
        let latch = self.code[body + 1];
        if addr == ir::ACC || !crate::engine::exec::fits_store_loop(addr, &latch) {
            return;
        }
        let fused = Instr::StoreImmLoop { addr, offset, value, size };
        if handler_of(&fused).is_some() {
            self.code[body] = fused;
        }
    }

    /// Appends copies of the instructions `from..to`, none of which has a branch offset.
    fn copy_code(&mut self, from: usize, to: usize) {
        for i in from..to {
            let instr = self.code[i];
            self.emit(instr);
            self.copy_location(i, self.code.len() - 1);
            if let Instr::Fuel { .. } = instr {
                // Its block may still be counting: the copy gets the final cost at the end.
                self.fuel_copies.push((self.code.len() - 1, i));
            }
        }
    }

    /// How many instructions back-edge copies may add to this function in total.
    fn budget(&self) -> usize {
        self.code.len().max(256)
    }

    /// Fuses conditional branch `instr`, about to be emitted, with what computed its condition:
    /// through the accumulator, into a superinstruction, or into a loop latch.
    pub(super) fn fuse_branch(&mut self, mut instr: Instr) -> Instr {
        if matches!(instr, Instr::BrIfEqz { .. } | Instr::BrIfNez { .. }) {
            self.fuse_acc(&mut instr);
        }
        // A producer of the accumulator right before the branch is its condition's producer
        // (anything emitted in between would be a copy, which does not write it).
        if let Some(last) = self.code.last() {
            if last.acc_mode() & ir::ACC_OUT != 0 {
                if let Some(combined) = Instr::combine(last, &instr) {
                    if handler_of(&combined).is_some() {
                        self.code.pop();
                        instr = combined;
                    }
                }
            }
        }
        if let Some(latch) = self.latch_for(&instr) {
            self.code.pop();
            self.last_local_write = None;
            instr = latch;
        }
        instr
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::ir::{Instr, ACC};

    /// The translated code of the module's first function.
    fn translate(wat: &str) -> Vec<Instr> {
        let bytes = crate::text::wat_to_wasm(wat).unwrap();
        let module = crate::Module::new(&bytes).unwrap();
        let m = &*module.0;
        m.code.translated(m, 0).unwrap();
        let code = m.code.translated_code().next().flatten().expect("function 0 is translated");
        code.iter().map(|t| t.instr).collect()
    }

    #[test]
    fn select_on_a_bit_test_is_one_instruction() {
        // crcu8's step: (x ^ y) & 1 ? a : b — the and and the select become one instruction,
        // reading the xor's result through the accumulator.
        let code = translate(
            r#"(module (func (param i32 i32 i32 i32) (result i32)
                (select (local.get 2) (local.get 3)
                  (i32.and (i32.xor (local.get 0) (local.get 1)) (i32.const 1)))))"#,
        );
        assert!(code.iter().any(|i| matches!(i, Instr::SelectAndImm { lhs: ACC, imm: 1, a: 2, b: 3, .. })), "{code:?}");
        assert!(!code.iter().any(|i| matches!(i, Instr::Select { .. } | Instr::I32AndImm { .. })), "{code:?}");
    }

    #[test]
    fn select_reads_a_computed_condition_through_the_accumulator() {
        let code = translate(
            r#"(module (func (param i32 i32 f64 f64) (result f64)
                (select (local.get 2) (local.get 3) (i32.lt_s (local.get 0) (local.get 1)))))"#,
        );
        assert!(code.iter().any(|i| matches!(i, Instr::Select { cond: ACC, a: 2, b: 3, .. })), "{code:?}");
    }
}
