//! The handler of [`Instr::StoreImmLoop`]: a counted loop storing a constant at its induction
//! variable (filling or striking out an array), run inside one handler with the induction
//! variable in a register.

use std::ptr;

use super::control::interrupted_branch;
use super::memory::access;
use super::{get, handlers, set, trap_at};
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::Instr;
use crate::error::TrapCode;

/// How the latch after a [`Instr::StoreImmLoop`] compares the new induction value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cmp {
    LtU,
    LtS,
    Ne,
}

/// Whether the latch `latch` (the instruction after a store of a constant at slot `addr`) may
/// drive an [`Instr::StoreImmLoop`]: it steps slot `addr`, compares with `<` or `!=`, and its
/// step and bound are not `addr` itself.
pub(crate) fn fits_store_loop(addr: u16, latch: &Instr) -> bool {
    match *latch {
        Instr::LatchImmLtU { slot, rhs, .. }
        | Instr::LatchImmLtS { slot, rhs, .. }
        | Instr::LatchImmNe { slot, rhs, .. } => slot == addr && rhs != addr,
        Instr::LatchImmLtUImm { slot, .. } | Instr::LatchImmLtSImm { slot, .. } | Instr::LatchImmNeImm { slot, .. } => {
            slot == addr
        }
        Instr::LatchLtU { slot, step, rhs, .. }
        | Instr::LatchLtS { slot, step, rhs, .. }
        | Instr::LatchNe { slot, step, rhs, .. } => slot == addr && step != addr && rhs != addr,
        _ => false,
    }
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    StoreImmLoop [0] { addr: slot, offset, value, size } => {
        let latch = ip.add(1);
        // Translation pairs this instruction with one of these latches (`fits_store_loop`).
        let (step, limit, cmp) = match (*latch).instr {
            Instr::LatchImmLtU { imm, rhs, .. } => (imm as u32, get::<u32>(fp, rhs), Cmp::LtU),
            Instr::LatchImmLtS { imm, rhs, .. } => (imm as u32, get::<u32>(fp, rhs), Cmp::LtS),
            Instr::LatchImmNe { imm, rhs, .. } => (imm as u32, get::<u32>(fp, rhs), Cmp::Ne),
            Instr::LatchImmLtUImm { imm, limit, .. } => (imm as u32, limit as u32, Cmp::LtU),
            Instr::LatchImmLtSImm { imm, limit, .. } => (imm as u32, limit as u32, Cmp::LtS),
            Instr::LatchImmNeImm { imm, limit, .. } => (imm as u32, limit as u32, Cmp::Ne),
            Instr::LatchLtU { step, rhs, .. } => (get::<u32>(fp, step), get::<u32>(fp, rhs), Cmp::LtU),
            Instr::LatchLtS { step, rhs, .. } => (get::<u32>(fp, step), get::<u32>(fp, rhs), Cmp::LtS),
            Instr::LatchNe { step, rhs, .. } => (get::<u32>(fp, step), get::<u32>(fp, rhs), Cmp::Ne),
            _ => super::mismatch(),
        };
        let mut j = get::<u32>(fp, slot);
        loop {
            let Some(ea) = access(mem, j, offset, size as usize, len) else {
                set(fp, slot, j);
                return trap_at(ip, cx, TrapCode::MemOutOfBounds);
            };
            match size {
                1 => *ea = value as u8,
                2 => ptr::write_unaligned(ea as *mut u16, (value as u16).to_le()),
                _ => ptr::write_unaligned(ea as *mut u32, (value as u32).to_le()),
            }
            j = j.wrapping_add(step);
            let again = match cmp {
                Cmp::LtU => j < limit,
                Cmp::LtS => (j as i32) < (limit as i32),
                Cmp::Ne => j != limit,
            };
            if !again {
                set(fp, slot, j);
                dispatch!(latch.add(1), fp, mem, len, cx, j as u64, facc)
            }
            if cx.interrupt_pending() {
                // The latch's branch back here found the interrupt (as `branch!` does).
                set(fp, slot, j);
                cx.ip = ip;
                return interrupted_branch(latch, fp, mem, len, cx, j as u64, facc);
            }
        }
    }
}
