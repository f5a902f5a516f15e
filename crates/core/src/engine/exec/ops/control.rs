//! Control handlers: branches (plain, conditional, fused compare-and-branch, `br_table`),
//! returns and `unreachable`.

use std::ptr;

use super::call::{ret, ret_value};
use super::{get, handlers, set, src, trap_at};
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::{dispatch, Fp, Ip, Mem, Stop};
use crate::engine::ir::{Instr, ACC_IN1, ACC_IN2};
use crate::error::TrapCode;

/// Takes a branch from the instruction at `$ip` to `$target`: checks the thread's interrupt
/// word first (every loop iteration takes a branch), continuing in [`interrupted_branch`]
/// when it is set. Expands to a `return`.
macro_rules! branch {
    ($ip:expr, $target:expr, $fp:expr, $mem:expr, $len:expr, $cx:expr, $acc:expr, $facc:expr) => {{
        let target: Ip = $target;
        let cx: &mut Ctx = $cx;
        if cx.interrupt_pending() {
            cx.ip = target;
            return interrupted_branch($ip, $fp, $mem, $len, cx, $acc, $facc);
        }
        dispatch!(target, $fp, $mem, $len, cx, $acc, $facc)
    }};
}

/// A branch at `ip` (to `cx.ip`) found an interrupt pending: traps with `Interrupted` there,
/// or takes the branch if the interrupt does not stop execution.
///
/// # Safety
/// As for a handler; `cx.ip` is the branch target.
#[cold]
#[inline(never)]
pub(super) unsafe fn interrupted_branch(
    ip: Ip,
    fp: Fp,
    mem: Mem,
    len: usize,
    cx: &mut Ctx,
    acc: u64,
    facc: f64,
) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if cx.take_stop() {
            return trap_at(ip, cx, TrapCode::Interrupted);
        }
        dispatch!(cx.ip, fp, mem, len, cx, acc, facc)
    }
}

/// Handlers `Name: T, op` branching by `offset` when `lhs op rhs` holds.
macro_rules! br_cmp {
    ($lookup:ident; $( $name:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 2] { lhs, rhs, offset } => {
                let next = ip.add(1);
                if src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0) $op src::<$t>(fp, rhs, acc, facc, M & ACC_IN2 != 0) {
                    branch!(ip, next.offset(offset as isize), fp, mem, len, cx, acc, facc)
                }
                dispatch!(next, fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Handlers `Name: T, op` branching by `offset` when `lhs op imm` holds.
macro_rules! br_imm {
    ($lookup:ident; $( $name:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1] { lhs, imm, offset } => {
                let next = ip.add(1);
                if src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0) $op (imm as $t) {
                    branch!(ip, next.offset(offset as isize), fp, mem, len, cx, acc, facc)
                }
                dispatch!(next, fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Loop latch handlers `Imm, ImmImm, Slot: T, op`: add to a slot, then branch when the new
/// value `op` the right operand holds.
macro_rules! latch {
    ($lookup:ident; $( $li:ident, $lii:ident, $ls:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $(
                $li [0] { slot, imm, rhs, offset } => {
                    let v = get::<u32>(fp, slot).wrapping_add(imm as u32);
                    set(fp, slot, v);
                    let next = ip.add(1);
                    if (v as $t) $op get::<$t>(fp, rhs) {
                        branch!(ip, next.offset(offset as isize), fp, mem, len, cx, v as u64, facc)
                    }
                    dispatch!(next, fp, mem, len, cx, v as u64, facc)
                }
                $lii [0] { slot, imm, offset, limit } => {
                    let v = get::<u32>(fp, slot).wrapping_add(imm as u32);
                    set(fp, slot, v);
                    let next = ip.add(1);
                    if (v as $t) $op (limit as $t) {
                        branch!(ip, next.offset(offset as isize), fp, mem, len, cx, v as u64, facc)
                    }
                    dispatch!(next, fp, mem, len, cx, v as u64, facc)
                }
                $ls [0] { slot, step, rhs, offset } => {
                    let v = get::<u32>(fp, slot).wrapping_add(get::<u32>(fp, step));
                    set(fp, slot, v);
                    let next = ip.add(1);
                    if (v as $t) $op get::<$t>(fp, rhs) {
                        branch!(ip, next.offset(offset as isize), fp, mem, len, cx, v as u64, facc)
                    }
                    dispatch!(next, fp, mem, len, cx, v as u64, facc)
                }
            )*
        }
    };
}

latch! { lookup_latch;
    LatchImmEq, LatchImmEqImm, LatchEq: u32, ==,
    LatchImmNe, LatchImmNeImm, LatchNe: u32, !=,
    LatchImmLtS, LatchImmLtSImm, LatchLtS: i32, <,
    LatchImmLtU, LatchImmLtUImm, LatchLtU: u32, <,
    LatchImmGtS, LatchImmGtSImm, LatchGtS: i32, >,
    LatchImmGtU, LatchImmGtUImm, LatchGtU: u32, >,
    LatchImmLeS, LatchImmLeSImm, LatchLeS: i32, <=,
    LatchImmLeU, LatchImmLeUImm, LatchLeU: u32, <=,
    LatchImmGeS, LatchImmGeSImm, LatchGeS: i32, >=,
    LatchImmGeU, LatchImmGeUImm, LatchGeU: u32, >=,
}

br_cmp! { lookup_br_cmp;
    BrI32Eq: u32, ==, BrI32Ne: u32, !=,
    BrI32LtS: i32, <, BrI32LtU: u32, <, BrI32GtS: i32, >, BrI32GtU: u32, >,
    BrI32LeS: i32, <=, BrI32LeU: u32, <=, BrI32GeS: i32, >=, BrI32GeU: u32, >=,
    BrI64Eq: u64, ==, BrI64Ne: u64, !=,
    BrI64LtS: i64, <, BrI64LtU: u64, <, BrI64GtS: i64, >, BrI64GtU: u64, >,
    BrI64LeS: i64, <=, BrI64LeU: u64, <=, BrI64GeS: i64, >=, BrI64GeU: u64, >=,
}

br_imm! { lookup_br_imm;
    BrI32EqImm: u32, ==, BrI32NeImm: u32, !=,
    BrI32LtSImm: i32, <, BrI32LtUImm: u32, <, BrI32GtSImm: i32, >, BrI32GtUImm: u32, >,
    BrI32LeSImm: i32, <=, BrI32LeUImm: u32, <=, BrI32GeSImm: i32, >=, BrI32GeUImm: u32, >=,
    BrI64EqImm: u64, ==, BrI64NeImm: u64, !=,
    BrI64LtSImm: i64, <, BrI64LtUImm: u64, <, BrI64GtSImm: i64, >, BrI64GtUImm: u64, >,
    BrI64LeSImm: i64, <=, BrI64LeUImm: u64, <=, BrI64GeSImm: i64, >=, BrI64GeUImm: u64, >=,
}

/// Conditional branches on one operand: `Name: T, op` branches when `cond op 0`.
macro_rules! br_cond {
    ($lookup:ident; $( $name:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1] { cond, offset } => {
                let next = ip.add(1);
                if src::<$t>(fp, cond, acc, facc, M & ACC_IN1 != 0) $op 0 {
                    branch!(ip, next.offset(offset as isize), fp, mem, len, cx, acc, facc)
                }
                dispatch!(next, fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

br_cond! { lookup_br_cond;
    BrIfNez: u32, !=, BrIfEqz: u32, ==, BrI64Eqz: u64, ==, BrI64Nez: u64, !=,
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup_other;
    Unreachable [0] {} => {
        trap_at(ip, cx, TrapCode::Unreachable)
    }
    Br [0] { offset } => {
        branch!(ip, ip.add(1).offset(offset as isize), fp, mem, len, cx, acc, facc)
    }
    BrTable [0, 1] { index, len: n } => {
        let i = src::<u32>(fp, index, acc, facc, M & ACC_IN1 != 0);
        let entry = ip.add(1 + i.min(n) as usize);
        // Translation makes every entry a `Br`.
        let Instr::Br { offset } = (*entry).instr else { super::mismatch() };
        branch!(ip, entry.add(1).offset(offset as isize), fp, mem, len, cx, acc, facc)
    }
    BrI32AndNezImm [0, 1] { lhs, imm, offset } => {
        let next = ip.add(1);
        if src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0) & imm as u32 != 0 {
            branch!(ip, next.offset(offset as isize), fp, mem, len, cx, acc, facc)
        }
        dispatch!(next, fp, mem, len, cx, acc, facc)
    }
    BrI32AndEqzImm [0, 1] { lhs, imm, offset } => {
        let next = ip.add(1);
        if src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0) & imm as u32 == 0 {
            branch!(ip, next.offset(offset as isize), fp, mem, len, cx, acc, facc)
        }
        dispatch!(next, fp, mem, len, cx, acc, facc)
    }
    Return [0] {} => {
        ret(cx)
    }
    ReturnSlot [0, 1] { src: s } => {
        ret_value(fp, src::<u64>(fp, s, acc, facc, M & ACC_IN1 != 0), cx)
    }
    ReturnImm [0] { value } => {
        ret_value(fp, value, cx)
    }
    ReturnSpan [0] { src: s, len: n } => {
        ptr::copy(fp.add(s as usize), fp, n as usize);
        ret(cx)
    }
}

/// The handler of `op` in accumulator mode `mode`, if it is defined here.
pub(crate) const fn lookup(op: crate::engine::ir::Op, mode: u8) -> Option<crate::engine::exec::dispatch::Handler> {
    match (lookup_br_cond(op, mode), lookup_latch(op, mode)) {
        (Some(h), _) | (None, Some(h)) => Some(h),
        (None, None) => lookup_other(op, mode),
    }
}
