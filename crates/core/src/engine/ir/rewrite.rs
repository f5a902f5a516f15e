//! Rewrites of instructions used by the translator's peephole optimisations: fused
//! compare-and-branch, immediate operands, branch negation (loop inversion), superinstructions
//! (pairs of instructions passing a value through the accumulator) and loop latches.

use super::{Instr, Slot, ACC};

impl Instr {
    /// The fused compare-and-branch instruction for comparison instruction `cmp`, branching
    /// when the comparison holds (`negate == false`) or fails (`negate == true`). Only integer
    /// comparisons fuse (a negated float comparison is not a comparison, because of NaN).
    pub(crate) fn fuse_compare(cmp: &Instr, negate: bool, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! pick {
            ($lhs:expr, $rhs:expr, $yes:ident, $no:ident) => {
                if negate {
                    $no { lhs: $lhs, rhs: $rhs, offset }
                } else {
                    $yes { lhs: $lhs, rhs: $rhs, offset }
                }
            };
        }
        macro_rules! pick_imm {
            ($lhs:expr, $imm:expr, $yes:ident, $no:ident) => {
                if negate {
                    $no { lhs: $lhs, imm: $imm, offset }
                } else {
                    $yes { lhs: $lhs, imm: $imm, offset }
                }
            };
        }
        Some(match *cmp {
            I32Eqz { src, .. } => {
                if negate {
                    BrIfNez { cond: src, offset }
                } else {
                    BrIfEqz { cond: src, offset }
                }
            }
            I64Eqz { src, .. } => {
                if negate {
                    BrI64Nez { cond: src, offset }
                } else {
                    BrI64Eqz { cond: src, offset }
                }
            }
            I32Eq { lhs, rhs, .. } => pick!(lhs, rhs, BrI32Eq, BrI32Ne),
            I32Ne { lhs, rhs, .. } => pick!(lhs, rhs, BrI32Ne, BrI32Eq),
            I32LtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LtS, BrI32GeS),
            I32LtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LtU, BrI32GeU),
            I32GtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GtS, BrI32LeS),
            I32GtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GtU, BrI32LeU),
            I32LeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LeS, BrI32GtS),
            I32LeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LeU, BrI32GtU),
            I32GeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GeS, BrI32LtS),
            I32GeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GeU, BrI32LtU),
            I64Eq { lhs, rhs, .. } => pick!(lhs, rhs, BrI64Eq, BrI64Ne),
            I64Ne { lhs, rhs, .. } => pick!(lhs, rhs, BrI64Ne, BrI64Eq),
            I64LtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LtS, BrI64GeS),
            I64LtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LtU, BrI64GeU),
            I64GtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GtS, BrI64LeS),
            I64GtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GtU, BrI64LeU),
            I64LeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LeS, BrI64GtS),
            I64LeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LeU, BrI64GtU),
            I64GeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GeS, BrI64LtS),
            I64GeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GeU, BrI64LtU),
            I32AndImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32AndNezImm, BrI32AndEqzImm),
            I32EqImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32EqImm, BrI32NeImm),
            I32NeImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32NeImm, BrI32EqImm),
            I32LtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LtSImm, BrI32GeSImm),
            I32LtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LtUImm, BrI32GeUImm),
            I32GtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GtSImm, BrI32LeSImm),
            I32GtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GtUImm, BrI32LeUImm),
            I32LeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LeSImm, BrI32GtSImm),
            I32LeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LeUImm, BrI32GtUImm),
            I32GeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GeSImm, BrI32LtSImm),
            I32GeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GeUImm, BrI32LtUImm),
            I64EqImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64EqImm, BrI64NeImm),
            I64NeImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64NeImm, BrI64EqImm),
            I64LtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LtSImm, BrI64GeSImm),
            I64LtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LtUImm, BrI64GeUImm),
            I64GtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GtSImm, BrI64LeSImm),
            I64GtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GtUImm, BrI64LeUImm),
            I64LeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LeSImm, BrI64GtSImm),
            I64LeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LeUImm, BrI64GtUImm),
            I64GeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GeSImm, BrI64LtSImm),
            I64GeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GeUImm, BrI64LtUImm),
            _ => return None,
        })
    }

    /// The superinstruction for `producer` followed by `consumer`, where `consumer` reads the
    /// result of `producer` (its destination) through [`ACC`] and nothing else reads it.
    pub(crate) fn combine(producer: &Instr, consumer: &Instr) -> Option<Instr> {
        use Instr::*;
        Some(match (*producer, *consumer) {
            (I32ShlImm { dst: ACC, lhs: x, imm }, I32Add { dst, lhs, rhs }) if (lhs == ACC) != (rhs == ACC) => {
                let base = if lhs == ACC { rhs } else { lhs };
                I32AddShl { dst, lhs: base, rhs: x, shift: (imm & 31) as u8 }
            }
            (I32ShrUImm { dst: ACC, lhs: x, imm }, I32AndImm { dst, lhs: ACC, imm: mask }) => {
                I32ShrUAnd { dst, lhs: x, shift: (imm & 31) as u8, mask }
            }
            (I32ShlImm { dst: ACC, lhs: x, imm }, load) if load.scaled_load(x, (imm & 31) as u8).is_some() => {
                load.scaled_load(x, (imm & 31) as u8)?
            }
            (I32Load { dst: ACC, addr, offset }, I32Add { dst, lhs, rhs }) if addr != ACC => {
                I32AddLoad { dst, lhs: other_operand(lhs, rhs)?, addr, offset }
            }
            (I64Load { dst: ACC, addr, offset }, I64Add { dst, lhs, rhs }) if addr != ACC => {
                I64AddLoad { dst, lhs: other_operand(lhs, rhs)?, addr, offset }
            }
            (F64Load { dst: ACC, addr, offset }, F64Add { dst, lhs, rhs }) if addr != ACC => {
                F64AddLoad { dst, lhs: other_operand(lhs, rhs)?, addr, offset }
            }
            (F64Load { dst: ACC, addr, offset }, F64Mul { dst, lhs, rhs }) if addr != ACC => {
                F64MulLoad { dst, lhs: other_operand(lhs, rhs)?, addr, offset }
            }
            (F64Load { dst: ACC, addr, offset }, F64Sub { dst, lhs, rhs: ACC }) if addr != ACC && lhs != ACC => {
                F64SubLoad { dst, lhs, addr, offset }
            }
            (I32AndImm { dst: ACC, lhs, imm }, Select { dst, cond: ACC, a, b }) if a != ACC && b != ACC => {
                SelectAndImm { dst, lhs, imm, a, b }
            }
            (I32AndImm { dst: ACC, lhs, imm }, BrIfNez { cond: ACC, offset }) => BrI32AndNezImm { lhs, imm, offset },
            (I32AndImm { dst: ACC, lhs, imm }, BrIfEqz { cond: ACC, offset }) => BrI32AndEqzImm { lhs, imm, offset },
            _ => return None,
        })
    }

    /// The loop latch for `producer` (an in-place i32 addition to a slot) followed by the
    /// conditional branch `branch` testing that slot (or, through [`ACC`], its new value).
    pub(crate) fn combine_latch(producer: &Instr, branch: &Instr) -> Option<Instr> {
        use Instr::*;
        enum Step {
            Imm(i16),
            Slot(Slot),
        }
        let (slot, step) = match *producer {
            I32AddImm { dst, lhs, imm } if dst == lhs && dst != ACC => (dst, Step::Imm(i16::try_from(imm).ok()?)),
            I32Add { dst, lhs, rhs } if dst == lhs && dst != ACC && rhs != ACC && rhs != dst => (dst, Step::Slot(rhs)),
            I32Add { dst, lhs, rhs } if dst == rhs && dst != ACC && lhs != ACC && lhs != dst => (dst, Step::Slot(lhs)),
            _ => return None,
        };
        let is_slot = |s: Slot| s == slot || s == ACC;
        let other = |s: Slot| if s == ACC { slot } else { s };
        macro_rules! latch {
            ($($br:ident, $bri:ident => $li:ident, $lii:ident, $ls:ident;)*) => {
                match *branch {
                    $(
                        $br { lhs, rhs, offset } if is_slot(lhs) => match step {
                            Step::Imm(imm) => $li { slot, imm, rhs: other(rhs), offset },
                            Step::Slot(step) => $ls { slot, step, rhs: other(rhs), offset },
                        },
                        $bri { lhs, imm: limit, offset } if is_slot(lhs) => match step {
                            Step::Imm(imm) => $lii { slot, imm, offset, limit },
                            Step::Slot(_) => return None,
                        },
                    )*
                    _ => return None,
                }
            };
        }
        Some(latch! {
            BrI32Eq, BrI32EqImm => LatchImmEq, LatchImmEqImm, LatchEq;
            BrI32Ne, BrI32NeImm => LatchImmNe, LatchImmNeImm, LatchNe;
            BrI32LtS, BrI32LtSImm => LatchImmLtS, LatchImmLtSImm, LatchLtS;
            BrI32LtU, BrI32LtUImm => LatchImmLtU, LatchImmLtUImm, LatchLtU;
            BrI32GtS, BrI32GtSImm => LatchImmGtS, LatchImmGtSImm, LatchGtS;
            BrI32GtU, BrI32GtUImm => LatchImmGtU, LatchImmGtUImm, LatchGtU;
            BrI32LeS, BrI32LeSImm => LatchImmLeS, LatchImmLeSImm, LatchLeS;
            BrI32LeU, BrI32LeUImm => LatchImmLeU, LatchImmLeUImm, LatchLeU;
            BrI32GeS, BrI32GeSImm => LatchImmGeS, LatchImmGeSImm, LatchGeS;
            BrI32GeU, BrI32GeUImm => LatchImmGeU, LatchImmGeUImm, LatchGeU;
        })
    }

    /// The result destination of a call instruction.
    pub(crate) fn call_dst_mut(&mut self) -> Option<&mut Slot> {
        match self {
            Instr::Call { dst, .. }
            | Instr::CallImport { dst, .. }
            | Instr::CallIndirect { dst, .. }
            | Instr::CallRef { dst, .. } => Some(dst),
            _ => None,
        }
    }

    /// The first slot of the v128 result of a SIMD instruction (it writes `dst` and `dst + 1`
    /// after reading every operand, so `local.set` may retarget it to the local, as
    /// [`Instr::dst_mut`] allows for scalar results).
    pub(crate) fn v128_dst_mut(&mut self) -> Option<&mut Slot> {
        match self {
            Instr::V128Const { dst, .. }
            | Instr::I8x16Shuffle { dst, .. }
            | Instr::V128Unop { dst, .. }
            | Instr::V128Binop { dst, .. }
            | Instr::V128BinopK { dst, .. }
            | Instr::V128LoadBinopK { dst, .. }
            | Instr::V128BinopLoad { dst, .. }
            | Instr::V128BinopBinop { dst, .. }
            | Instr::V128Ternop { dst, .. }
            | Instr::V128Shift { dst, .. }
            | Instr::V128Splat { dst, .. }
            | Instr::V128Replace { dst, .. }
            | Instr::V128Load { dst, .. }
            | Instr::V128LoadPartial { dst, .. }
            | Instr::V128LoadLane { dst, .. }
            | Instr::V128Select { dst, .. }
            | Instr::GlobalGetV128 { dst, .. }
            | Instr::V128LoadMem { dst, .. }
            | Instr::V128LoadPartialMem { dst, .. }
            | Instr::V128LoadLaneMem { dst, .. } => Some(dst),
            _ => None,
        }
    }

    /// Whether this instruction may continue elsewhere than at the next instruction (branches,
    /// `br_table`, returns, `unreachable`); calls return to the next instruction.
    pub(crate) fn is_control_transfer(&self) -> bool {
        let mut i = *self;
        i.branch_offset_mut().is_some()
            || matches!(
                self,
                Instr::BrTable { .. }
                    | Instr::Return
                    | Instr::ReturnSlot { .. }
                    | Instr::ReturnImm { .. }
                    | Instr::ReturnSpan { .. }
                    | Instr::Unreachable
            )
    }

    /// The store of constant `c` (raw cell bits) for store operator `op`.
    pub(crate) fn store_imm(op: &wasmparser::Operator<'_>, addr: Slot, offset: u32, c: u64) -> Option<Instr> {
        use wasmparser::Operator as O;
        let value = c as u32 as i32;
        Some(match op {
            O::I32Store8 { .. } | O::I64Store8 { .. } => Instr::Store8Imm { addr, offset, value },
            O::I32Store16 { .. } | O::I64Store16 { .. } => Instr::Store16Imm { addr, offset, value },
            O::I32Store { .. } | O::F32Store { .. } | O::I64Store32 { .. } => Instr::Store32Imm { addr, offset, value },
            O::I64Store { .. } | O::F64Store { .. } => Instr::Store64Imm { addr, offset, value: c as i64 },
            _ => return None,
        })
    }

    /// For a conditional branch, the branch with the opposite condition and branch offset
    /// `offset` (integer conditions only, so the negation is exact).
    pub(crate) fn negate_branch(&self, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! flip {
            ($($a:ident <=> $b:ident),* $(,)?) => {
                match *self {
                    BrIfNez { cond, .. } => BrIfEqz { cond, offset },
                    BrIfEqz { cond, .. } => BrIfNez { cond, offset },
                    BrI64Eqz { cond, .. } => BrI64Nez { cond, offset },
                    BrI64Nez { cond, .. } => BrI64Eqz { cond, offset },
                    $(
                        $a { lhs, rhs, .. } => $b { lhs, rhs, offset },
                        $b { lhs, rhs, .. } => $a { lhs, rhs, offset },
                    )*
                    _ => return self.negate_branch_imm(offset),
                }
            };
        }
        Some(flip! {
            BrI32Eq <=> BrI32Ne, BrI32LtS <=> BrI32GeS, BrI32LtU <=> BrI32GeU,
            BrI32GtS <=> BrI32LeS, BrI32GtU <=> BrI32LeU,
            BrI64Eq <=> BrI64Ne, BrI64LtS <=> BrI64GeS, BrI64LtU <=> BrI64GeU,
            BrI64GtS <=> BrI64LeS, BrI64GtU <=> BrI64LeU,
        })
    }

    /// [`Instr::negate_branch`] for the compare-with-immediate branches.
    fn negate_branch_imm(&self, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! flip {
            ($($a:ident <=> $b:ident),* $(,)?) => {
                match *self {
                    $(
                        $a { lhs, imm, .. } => $b { lhs, imm, offset },
                        $b { lhs, imm, .. } => $a { lhs, imm, offset },
                    )*
                    _ => return None,
                }
            };
        }
        Some(flip! {
            BrI32EqImm <=> BrI32NeImm, BrI32LtSImm <=> BrI32GeSImm, BrI32LtUImm <=> BrI32GeUImm,
            BrI32GtSImm <=> BrI32LeSImm, BrI32GtUImm <=> BrI32LeUImm, BrI32AndNezImm <=> BrI32AndEqzImm,
            BrI64EqImm <=> BrI64NeImm, BrI64LtSImm <=> BrI64GeSImm, BrI64LtUImm <=> BrI64GeUImm,
            BrI64GtSImm <=> BrI64LeSImm, BrI64GtUImm <=> BrI64LeUImm,
        })
    }

    /// The immediate form of a binary operator whose right operand is the constant `c`
    /// (raw cell bits), if there is one. A subtraction becomes an addition of `-c`.
    pub(crate) fn binary_imm(op: &wasmparser::Operator<'_>, dst: Slot, lhs: Slot, c: u64) -> Option<Instr> {
        use wasmparser::Operator as O;
        use Instr::*;
        let c32 = c as u32 as i32;
        let c64 = c as i64;
        Some(match op {
            O::I32Add => I32AddImm { dst, lhs, imm: c32 },
            O::I32Sub => I32AddImm { dst, lhs, imm: c32.wrapping_neg() },
            O::I32Mul => I32MulImm { dst, lhs, imm: c32 },
            O::I32DivU if c as u32 >= 2 => I32DivUImm { dst, lhs, imm: div_u_reciprocal(c as u32) as i64 },
            O::I32And => I32AndImm { dst, lhs, imm: c32 },
            O::I32Or => I32OrImm { dst, lhs, imm: c32 },
            O::I32Xor => I32XorImm { dst, lhs, imm: c32 },
            O::I32Shl => I32ShlImm { dst, lhs, imm: c32 },
            O::I32ShrS => I32ShrSImm { dst, lhs, imm: c32 },
            O::I32ShrU => I32ShrUImm { dst, lhs, imm: c32 },
            O::I32Rotl => I32RotlImm { dst, lhs, imm: c32 },
            O::I32Rotr => I32RotrImm { dst, lhs, imm: c32 },
            O::I32Eq => I32EqImm { dst, lhs, imm: c32 },
            O::I32Ne => I32NeImm { dst, lhs, imm: c32 },
            O::I32LtS => I32LtSImm { dst, lhs, imm: c32 },
            O::I32LtU => I32LtUImm { dst, lhs, imm: c32 },
            O::I32GtS => I32GtSImm { dst, lhs, imm: c32 },
            O::I32GtU => I32GtUImm { dst, lhs, imm: c32 },
            O::I32LeS => I32LeSImm { dst, lhs, imm: c32 },
            O::I32LeU => I32LeUImm { dst, lhs, imm: c32 },
            O::I32GeS => I32GeSImm { dst, lhs, imm: c32 },
            O::I32GeU => I32GeUImm { dst, lhs, imm: c32 },
            O::I64Add => I64AddImm { dst, lhs, imm: c64 },
            O::I64Sub => I64AddImm { dst, lhs, imm: c64.wrapping_neg() },
            O::I64Mul => I64MulImm { dst, lhs, imm: c64 },
            O::I64And => I64AndImm { dst, lhs, imm: c64 },
            O::I64Or => I64OrImm { dst, lhs, imm: c64 },
            O::I64Xor => I64XorImm { dst, lhs, imm: c64 },
            O::I64Shl => I64ShlImm { dst, lhs, imm: c64 },
            O::I64ShrS => I64ShrSImm { dst, lhs, imm: c64 },
            O::I64ShrU => I64ShrUImm { dst, lhs, imm: c64 },
            O::I64Rotl => I64RotlImm { dst, lhs, imm: c64 },
            O::I64Rotr => I64RotrImm { dst, lhs, imm: c64 },
            O::I64Eq => I64EqImm { dst, lhs, imm: c64 },
            O::I64Ne => I64NeImm { dst, lhs, imm: c64 },
            O::I64LtS => I64LtSImm { dst, lhs, imm: c64 },
            O::I64LtU => I64LtUImm { dst, lhs, imm: c64 },
            O::I64GtS => I64GtSImm { dst, lhs, imm: c64 },
            O::I64GtU => I64GtUImm { dst, lhs, imm: c64 },
            O::I64LeS => I64LeSImm { dst, lhs, imm: c64 },
            O::I64LeU => I64LeUImm { dst, lhs, imm: c64 },
            O::I64GeS => I64GeSImm { dst, lhs, imm: c64 },
            O::I64GeU => I64GeUImm { dst, lhs, imm: c64 },
            O::F32Add => F32AddImm { dst, lhs, imm: c32 },
            O::F32Sub => F32SubImm { dst, lhs, imm: c32 },
            O::F32Mul => F32MulImm { dst, lhs, imm: c32 },
            O::F32Div => F32DivImm { dst, lhs, imm: c32 },
            O::F64Add => F64AddImm { dst, lhs, imm: c64 },
            O::F64Sub => F64SubImm { dst, lhs, imm: c64 },
            O::F64Mul => F64MulImm { dst, lhs, imm: c64 },
            O::F64Div => F64DivImm { dst, lhs, imm: c64 },
            _ => return None,
        })
    }
}

/// The reciprocal of an `i32.div_u` divisor `d` (2 or more) as a 0.64 fixed-point number,
/// rounded up: `u64::MAX / d + 1`. For every 32-bit `x`, `x / d` is the high 64 bits of the
/// 128-bit product `x * reciprocal` (Lemire, Kaser and Kurz, "Faster Remainder by Direct
/// Computation", 2019: exact for 32-bit dividends with a 64-bit reciprocal), which costs a
/// multiplication instead of a division.
pub(crate) fn div_u_reciprocal(d: u32) -> u64 {
    debug_assert!(d >= 2);
    u64::MAX / u64::from(d) + 1
}

/// Of two operands of a commutative operation, the one that is not [`ACC`] (when exactly one
/// is).
fn other_operand(lhs: Slot, rhs: Slot) -> Option<Slot> {
    match (lhs == ACC, rhs == ACC) {
        (true, false) => Some(rhs),
        (false, true) => Some(lhs),
        _ => None,
    }
}

/// For a commutative-with-mirror binary operator, the operator to use when its operands are
/// swapped (`c < x` is `x > c`), so that a constant left operand can become an immediate.
pub(crate) fn swapped_operator<'a>(op: &wasmparser::Operator<'a>) -> Option<wasmparser::Operator<'a>> {
    use wasmparser::Operator as O;
    Some(match op {
        O::I32Add => O::I32Add,
        O::I32Mul => O::I32Mul,
        O::I32And => O::I32And,
        O::I32Or => O::I32Or,
        O::I32Xor => O::I32Xor,
        O::I32Eq => O::I32Eq,
        O::I32Ne => O::I32Ne,
        O::I32LtS => O::I32GtS,
        O::I32LtU => O::I32GtU,
        O::I32GtS => O::I32LtS,
        O::I32GtU => O::I32LtU,
        O::I32LeS => O::I32GeS,
        O::I32LeU => O::I32GeU,
        O::I32GeS => O::I32LeS,
        O::I32GeU => O::I32LeU,
        O::I64Add => O::I64Add,
        O::I64Mul => O::I64Mul,
        O::I64And => O::I64And,
        O::I64Or => O::I64Or,
        O::I64Xor => O::I64Xor,
        O::I64Eq => O::I64Eq,
        O::I64Ne => O::I64Ne,
        O::I64LtS => O::I64GtS,
        O::I64LtU => O::I64GtU,
        O::I64GtS => O::I64LtS,
        O::I64GtU => O::I64LtU,
        O::I64LeS => O::I64GeS,
        O::I64LeU => O::I64GeU,
        O::I64GeS => O::I64LeS,
        O::I64GeU => O::I64LeU,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::div_u_reciprocal;

    #[test]
    fn instr_is_at_most_16_bytes() {
        assert!(std::mem::size_of::<Instr>() <= 16, "Instr is {} bytes", std::mem::size_of::<Instr>());
    }

    #[test]
    fn tags_are_op_numbers() {
        let samples = [
            Instr::I32Eqz { dst: 1, src: 2 },
            Instr::I64Add { dst: 1, lhs: 2, rhs: 3 },
            Instr::BrI64GeUImm { lhs: 1, offset: -4, imm: 7 },
            Instr::Unreachable,
            Instr::MemoryGrow { dst: 1, delta: 2 },
            Instr::GlobalGetV128 { dst: 1, global: 2 },
        ];
        for i in samples {
            // SAFETY: `Instr` is `repr(u16)`: its first two bytes are the tag.
            let tag = unsafe { *(&i as *const Instr as *const u16) };
            assert_eq!(tag, i.op() as u16);
            assert_eq!(Op::from_index(tag as usize), i.op());
        }
        // The last operation is one of the `other_with_dst` list (feature groups append there).
        assert!((Instr::GlobalGetV128 { dst: 1, global: 2 }.op() as usize) < Op::COUNT);
        assert!(Op::from_index(Op::COUNT - 1) as usize >= Op::MemoryGrow as usize);
    }

    #[test]
    fn fused_compare_negation() {
        let cmp = Instr::I32LtS { dst: 5, lhs: 1, rhs: 2 };
        assert_eq!(Instr::fuse_compare(&cmp, false, 3), Some(Instr::BrI32LtS { lhs: 1, rhs: 2, offset: 3 }));
        assert_eq!(Instr::fuse_compare(&cmp, true, 3), Some(Instr::BrI32GeS { lhs: 1, rhs: 2, offset: 3 }));
        let fcmp = Instr::F32Lt { dst: 5, lhs: 1, rhs: 2 };
        assert_eq!(Instr::fuse_compare(&fcmp, true, 3), None);
    }

    #[test]
    fn branch_negation() {
        let b = Instr::BrI32LtU { lhs: 1, rhs: 2, offset: 9 };
        assert_eq!(b.negate_branch(-3), Some(Instr::BrI32GeU { lhs: 1, rhs: 2, offset: -3 }));
        let b = Instr::BrI64GtSImm { lhs: 1, offset: 9, imm: -5 };
        assert_eq!(b.negate_branch(4), Some(Instr::BrI64LeSImm { lhs: 1, offset: 4, imm: -5 }));
        assert_eq!(Instr::BrIfEqz { cond: 3, offset: 1 }.negate_branch(2), Some(Instr::BrIfNez { cond: 3, offset: 2 }));
        assert_eq!(Instr::Br { offset: 1 }.negate_branch(2), None);
    }

    #[test]
    fn immediates() {
        use wasmparser::Operator as O;
        let imm = |op: &O<'_>, c: u64| Instr::binary_imm(op, 0, 1, c);
        assert_eq!(imm(&O::I32Sub, 5), Some(Instr::I32AddImm { dst: 0, lhs: 1, imm: -5 }));
        assert_eq!(imm(&O::I64Add, 1 << 40), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: 1 << 40 }));
        assert_eq!(imm(&O::I64Add, (-7i64) as u64), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: -7 }));
        assert_eq!(imm(&O::I64Sub, i64::MIN as u64), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: i64::MIN }));
        assert_eq!(imm(&O::F64Add, 0), Some(Instr::F64AddImm { dst: 0, lhs: 1, imm: 0 }));
        assert_eq!(imm(&O::F64Min, 0), None);
        assert_eq!(imm(&O::I32DivU, 1), None);
        assert_eq!(imm(&O::I32DivU, 0), None);
        assert_eq!(imm(&O::I32DivS, 3), None);
        assert!(matches!(imm(&O::I32DivU, 10), Some(Instr::I32DivUImm { .. })));
    }

    #[test]
    fn div_u_by_reciprocal_is_exact() {
        let quotient = |x: u32, d: u32| ((u128::from(x) * u128::from(div_u_reciprocal(d))) >> 64) as u32;
        let divisors = [2, 3, 5, 7, 10, 16, 100, 641, 1000, 65535, 65536, 1 << 31, u32::MAX - 1, u32::MAX];
        let edges = [0, 1, 2, 9, 10, 11, 99, 100, 101, 1 << 31, u32::MAX - 1, u32::MAX];
        let mut x = 0x1234_5678u32;
        for &d in &divisors {
            for &e in &edges {
                for x in [e, e.wrapping_mul(d), e / d * d, (e / d * d).wrapping_sub(1)] {
                    assert_eq!(quotient(x, d), x / d, "{x} / {d}");
                }
            }
            for _ in 0..100_000 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                assert_eq!(quotient(x, d), x / d, "{x} / {d}");
            }
        }
    }
}
