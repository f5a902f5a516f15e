//! Handlers of SIMD and relaxed SIMD (`v128` values in two consecutive cells, low half first).
//!
//! One handler per operand shape: the instruction names the lane operation
//! ([`crate::engine::simd::ops`]), which the handler evaluates through the SIMD library. None
//! of these handlers uses the accumulator (their instructions are never given [`ACC`]
//! operands: see [`Instr::acc_mode`](crate::engine::ir::Instr::acc_mode)).
//!
//! Loads and stores of memory 0 with 32-bit addresses use the memory base and length held in
//! registers; those of any other memory, or of a 64-bit memory (`*Mem`), find the memory in
//! the instance and check bounds in 64 bits
//! ([`effective_address`](super::memory_ext::effective_address)).
//!
//! On x86-64 the common lane operations take the SSE fast paths of
//! [`simd_x86`](super::simd_x86) first.
//!
//! [`ACC`]: crate::engine::ir::ACC

use std::ptr;

use super::memory::access;
use super::memory_ext::effective_address;
use super::{get, handlers, set, trap};
use crate::engine::exec::dispatch::{dispatch, Fp, Ip};
use crate::engine::ir::{Instr, Slot};
use crate::engine::simd::{self, ops};
use crate::engine::store::Val;
use crate::error::TrapCode;

#[cfg(target_arch = "x86_64")]
use super::simd_x86 as fast;

/// Where there are no fast paths, every operation goes the general way.
#[cfg(not(target_arch = "x86_64"))]
mod fast {
    use crate::engine::exec::dispatch::Fp;
    use crate::engine::ir::Slot;
    use crate::engine::simd::ops::{SimdBinop, SimdShift, SimdSplat, SimdUnop};
    pub(super) unsafe fn shuffle(_: Fp, _: Slot, _: Slot, _: Slot, _: u128) -> bool {
        false
    }
    pub(super) unsafe fn swizzle_slots(_: Fp, _: Slot, _: Slot, _: Slot) -> bool {
        false
    }
    pub(super) unsafe fn unop(_: Fp, _: Slot, _: Slot, _: SimdUnop) -> bool {
        false
    }
    pub(super) unsafe fn binop(_: Fp, _: Slot, _: Slot, _: Slot, _: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn binop_k(_: Fp, _: Slot, _: Slot, _: u128, _: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn load_binop_k(_: Fp, _: Slot, _: *const u8, _: u128, _: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn load_binop_k_acc(_: Fp, _: Slot, _: *const u8, _: u128, _: SimdBinop, _: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn binop_load(_: Fp, _: Slot, _: Slot, _: *const u8, _: SimdBinop, _: Option<SimdBinop>) -> bool {
        false
    }
    pub(super) unsafe fn binop_binop(_: Fp, _: Slot, _: Slot, _: Slot, _: Slot, _: SimdBinop, _: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn load_binop_k_acc_run(ip: Ip, _: Fp, _: *mut u8, _: usize, _: Slot) -> (Ip, bool) {
        (ip, false)
    }
    pub(crate) fn has_binop(_: SimdBinop) -> bool {
        false
    }
    pub(super) unsafe fn shift(_: Fp, _: Slot, _: Slot, _: i32, _: SimdShift) -> bool {
        false
    }
    pub(super) unsafe fn splat(_: Fp, _: Slot, _: u64, _: SimdSplat) -> bool {
        false
    }
}

/// Reads the v128 in slots `s`, `s + 1` of the frame at `fp`.
///
/// # Safety
/// `s` and `s + 1` must be slots of the frame.
#[inline(always)]
unsafe fn get_v(fp: Fp, s: Slot) -> u128 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let p = fp.add(s as usize);
        (*p as u128) | ((*p.add(1) as u128) << 64)
    }
}

/// Writes `v` to slots `s`, `s + 1` of the frame at `fp`.
///
/// # Safety
/// `s` and `s + 1` must be slots of the frame.
#[inline(always)]
unsafe fn set_v(fp: Fp, s: Slot, v: u128) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let p = fp.add(s as usize);
        *p = v as u64;
        *p.add(1) = (v >> 64) as u64;
    }
}

/// The 128 bits of the two [`Instr::PoolData`] entries `rel` instructions from `ip`.
///
/// # Safety
/// `ip + rel` and `ip + rel + 1` must be `PoolData` entries of the same code (translation
/// places them there).
#[inline(always)]
unsafe fn pool(ip: Ip, rel: i32) -> u128 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let p = ip.offset(rel as isize);
        let (Instr::PoolData { bits: lo }, Instr::PoolData { bits: hi }) = ((*p).instr, (*p.add(1)).instr) else {
            super::mismatch()
        };
        (lo as u128) | ((hi as u128) << 64)
    }
}

/// Reads `size` (1, 2, 4 or 8) bytes at `p`, little-endian, zero-extended.
///
/// # Safety
/// `p .. p + size` must be readable.
#[inline(always)]
unsafe fn read_le(p: *const u8, size: u8) -> u64 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        match size {
            1 => *p as u64,
            2 => u16::from_le(ptr::read_unaligned(p as *const u16)) as u64,
            4 => u32::from_le(ptr::read_unaligned(p as *const u32)) as u64,
            _ => u64::from_le(ptr::read_unaligned(p as *const u64)),
        }
    }
}

/// Writes the low `size` (1, 2, 4 or 8) bytes of `v` at `p`, little-endian.
///
/// # Safety
/// `p .. p + size` must be writable.
#[inline(always)]
unsafe fn write_le(p: *mut u8, size: u8, v: u64) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        match size {
            1 => *p = v as u8,
            2 => ptr::write_unaligned(p as *mut u16, (v as u16).to_le()),
            4 => ptr::write_unaligned(p as *mut u32, (v as u32).to_le()),
            _ => ptr::write_unaligned(p as *mut u64, v.to_le()),
        }
    }
}

/// The v128 at `addr + offset` in memory 0 (at `mem`), which the caller checked is in bounds.
///
/// # Safety
/// `addr + offset + 16` must be at most the memory's length.
#[inline(always)]
unsafe fn load_v(mem: *mut u8, addr: u32, offset: u32) -> u128 {
    // SAFETY: guaranteed by the caller.
    unsafe { u128::from_le(ptr::read_unaligned(mem.add(addr as usize + offset as usize) as *const u128)) }
}

/// Whether SIMD binary operation `op` has a fast path on this machine (see
/// [`Instr::V128LoadBinopK`]).
pub(crate) fn has_fast_binop(op: ops::SimdBinop) -> bool {
    fast::has_binop(op)
}

/// The general way of the operations with fast paths (`fast`): out of line, entered by a tail
/// call with the handler's arguments (it decodes the instruction again and dispatches the next
/// one itself), so that a handler whose fast path applies saves no registers and has no stack
/// frame.
mod slow {
    use super::{get, get_v, pool, set_v, simd};
    use crate::engine::exec::ctx::Ctx;
    use crate::engine::exec::dispatch::{dispatch, Fp, Ip, Mem, Stop};
    use crate::engine::exec::ops::mismatch;
    use crate::engine::ir::Instr;
    use crate::engine::simd::ops::SimdBinop;

    /// `i8x16.shuffle` (`Instr::I8x16Shuffle` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for an `I8x16Shuffle` instruction.
    #[inline(never)]
    pub(super) unsafe fn shuffle(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::I8x16Shuffle { dst, a, b, pool: rel } = (*ip).instr else { mismatch() };
            let lanes = pool(ip, rel);
            if !super::fast::shuffle(fp, dst, a, b, lanes) {
                set_v(fp, dst, simd::i8x16_shuffle(get_v(fp, a), get_v(fp, b), lanes.to_le_bytes()));
            }
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A unary operation (`Instr::V128Unop` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for a `V128Unop` instruction.
    #[inline(never)]
    pub(super) unsafe fn unop(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::V128Unop { dst, src, op } = (*ip).instr else { mismatch() };
            set_v(fp, dst, op.eval(get_v(fp, src)));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A binary operation (`Instr::V128Binop` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for a `V128Binop` instruction.
    #[inline(never)]
    pub(super) unsafe fn binop(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::V128Binop { dst, a, b, op } = (*ip).instr else { mismatch() };
            if !(op == SimdBinop::I8x16Swizzle && super::fast::swizzle_slots(fp, dst, a, b)) {
                set_v(fp, dst, op.eval(get_v(fp, a), get_v(fp, b)));
            }
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A binary operation with a constant second operand (`Instr::V128BinopK` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for a `V128BinopK` instruction.
    #[inline(never)]
    pub(super) unsafe fn binop_k(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::V128BinopK { dst, a, op, pool: rel } = (*ip).instr else { mismatch() };
            set_v(fp, dst, op.eval(get_v(fp, a), pool(ip, rel)));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A load fused into a binary operation with a constant (`Instr::V128LoadBinopK`, or the
    /// accumulation `Instr::V128LoadBinopKAcc`, at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for one of those instructions whose access is in bounds.
    #[inline(never)]
    pub(super) unsafe fn load_k(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller (the handler checked the bounds).
        unsafe {
            let (dst, addr, op, op2, offset, rel) = match (*ip).instr {
                Instr::V128LoadBinopK { dst, addr, op, offset, pool } => (dst, addr, op, None, offset, pool),
                Instr::V128LoadBinopKAcc { dst, addr, op, op2, offset, pool } => {
                    (dst, addr, op, Some(op2), offset, pool)
                }
                _ => mismatch(),
            };
            let t = op.eval(super::load_v(mem, get::<u32>(fp, addr), offset), pool(ip, rel));
            set_v(fp, dst, op2.map_or(t, |op2| op2.eval(get_v(fp, dst), t)));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// Two binary operations in one (`Instr::V128BinopBinop` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for a `V128BinopBinop` instruction.
    #[inline(never)]
    pub(super) unsafe fn binop_binop(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::V128BinopBinop { dst, a, b, c, op, op2 } = (*ip).instr else { mismatch() };
            let t = op.eval(get_v(fp, b), get_v(fp, c));
            set_v(fp, dst, op2.eval(get_v(fp, a), t));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A binary operation with a loaded second operand (`Instr::V128BinopLoad` or
    /// `Instr::V128BinopLoadAcc` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for one of those instructions whose access is in bounds.
    #[inline(never)]
    pub(super) unsafe fn binop_load(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller (the handler checked the bounds).
        unsafe {
            let (dst, a, addr, op, op2, offset) = match (*ip).instr {
                Instr::V128BinopLoad { dst, a, addr, op, offset } => (dst, a, addr, op, None, offset),
                Instr::V128BinopLoadAcc { dst, a, addr, op, op2, offset } => (dst, a, addr, op, Some(op2), offset),
                _ => mismatch(),
            };
            let t = op.eval(get_v(fp, a), super::load_v(mem, get::<u32>(fp, addr), offset));
            set_v(fp, dst, op2.map_or(t, |op2| op2.eval(get_v(fp, dst), t)));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }

    /// A shift (`Instr::V128Shift` at `ip`).
    ///
    /// # Safety
    /// The `Handler` contract, for a `V128Shift` instruction.
    #[inline(never)]
    pub(super) unsafe fn shift(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let Instr::V128Shift { dst, a, n, op } = (*ip).instr else { mismatch() };
            set_v(fp, dst, op.eval(get_v(fp, a), get::<i32>(fp, n)));
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
    }
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    V128Const [0] { dst, pool: rel } => {
        set_v(fp, dst, pool(ip, rel));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    I8x16Shuffle [0] { dst, a, b, pool: rel } => {
        // Out of line: its SSSE3 form is a call (see `slow`).
        return slow::shuffle(ip, fp, mem, len, cx, acc, facc);
    }
    V128Unop [0] { dst, src, op } => {
        if !fast::unop(fp, dst, src, op) {
            return slow::unop(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Binop [0] { dst, a, b, op } => {
        if !fast::binop(fp, dst, a, b, op) {
            return slow::binop(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128BinopK [0] { dst, a, op, pool: rel } => {
        let k = pool(ip, rel);
        if !fast::binop_k(fp, dst, a, k, op) {
            return slow::binop_k(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Ternop [0] { dst, a, b, c, op } => {
        set_v(fp, dst, op.eval(get_v(fp, a), get_v(fp, b), get_v(fp, c)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Shift [0] { dst, a, n, op } => {
        let n = get::<i32>(fp, n);
        if !fast::shift(fp, dst, a, n, op) {
            return slow::shift(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Test [0] { dst, src, op } => {
        set(fp, dst, op.eval(get_v(fp, src)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Splat [0] { dst, src, op } => {
        let x = get::<u64>(fp, src);
        if !fast::splat(fp, dst, x, op) {
            set_v(fp, dst, op.eval(x));
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Extract [0] { dst, src, lane, op } => {
        set(fp, dst, op.eval(get_v(fp, src), lane));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Replace [0] { dst, a, x, lane, op } => {
        set_v(fp, dst, op.eval(get_v(fp, a), lane, get::<u64>(fp, x)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Load [0] { dst, addr, offset } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, u128::from_le(ptr::read_unaligned(ea as *const u128)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadBinopK [0] { dst, addr, op, offset, pool: rel } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        if !fast::load_binop_k(fp, dst, ea, pool(ip, rel), op) {
            return slow::load_k(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128BinopLoad [0] { dst, a, addr, op, offset } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        if !fast::binop_load(fp, dst, a, ea, op, None) {
            return slow::binop_load(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128BinopBinop [0] { dst, a, b, c, op, op2 } => {
        if !fast::binop_binop(fp, dst, a, b, c, op, op2) {
            return slow::binop_binop(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128BinopLoadAcc [0] { dst, a, addr, op, op2, offset } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        if !fast::binop_load(fp, dst, a, ea, op, Some(op2)) {
            return slow::binop_load(ip, fp, mem, len, cx, acc, facc);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadBinopKAcc [0] { dst, addr, op, op2, offset, pool: rel } => {
        // This and the taps that follow on the same accumulator.
        let (next, out_of_bounds) = fast::load_binop_k_acc_run(ip, fp, mem, len, dst);
        if out_of_bounds {
            return super::trap_at(next, cx, TrapCode::MemOutOfBounds);
        }
        if next == ip {
            let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
                return trap(cx, TrapCode::MemOutOfBounds);
            };
            if !fast::load_binop_k_acc(fp, dst, ea, pool(ip, rel), op, op2) {
                return slow::load_k(ip, fp, mem, len, cx, acc, facc);
            }
            dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
        }
        dispatch!(next, fp, mem, len, cx, acc, facc)
    }
    V128LoadPartial [0] { dst, addr, offset, op } => {
        let size = op.size();
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, size as usize, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, op.eval(read_le(ea, size)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadLane [0] { dst, addr, v, offset, lane, size } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, size as usize, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, ops::load_lane(get_v(fp, v), lane, size, read_le(ea, size)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Store [0] { addr, value, offset } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, 16, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        ptr::write_unaligned(ea as *mut u128, get_v(fp, value).to_le());
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128StoreLane [0] { addr, value, offset, lane, size } => {
        let Some(ea) = access(mem, get::<u32>(fp, addr), offset, size as usize, len) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        write_le(ea, size, ops::store_lane(get_v(fp, value), lane, size));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128Select [0] { dst, cond, a, b } => {
        let v = if get::<u32>(fp, cond) != 0 { get_v(fp, a) } else { get_v(fp, b) };
        set_v(fp, dst, v);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalGetV128 [0] { dst, global } => {
        let g = &*cx.globals.add(global as usize);
        let v = match &*g.value_ptr() {
            Val::V128(v) => *v,
            _ => 0, // not reached: validation checked the global's type
        };
        set_v(fp, dst, v);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalSetV128 [0] { src, global } => {
        let g = &*cx.globals.add(global as usize);
        // Written in place like the other numeric globals (no borrow is active while wasm
        // runs, and the old value needs no drop).
        ptr::write(g.value_ptr(), Val::V128(get_v(fp, src)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadMem [0] { dst, addr, mem: m, offset } => {
        let Some(ea) = effective_address(cx, m, get::<u64>(fp, addr), offset, 16) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, u128::from_le(ptr::read_unaligned(ea as *const u128)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadPartialMem [0] { dst, addr, mem: m, op, pool: rel } => {
        let (size, offset) = (op.size(), pool(ip, rel) as u64);
        let Some(ea) = effective_address(cx, m, get::<u64>(fp, addr), offset, size as u64) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, op.eval(read_le(ea, size)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128LoadLaneMem [0] { dst, addr, v, mem: m, lane, size, pool: rel } => {
        let offset = pool(ip, rel) as u64;
        let Some(ea) = effective_address(cx, m, get::<u64>(fp, addr), offset, size as u64) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        set_v(fp, dst, ops::load_lane(get_v(fp, v), lane, size, read_le(ea, size)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128StoreMem [0] { addr, value, mem: m, offset } => {
        let Some(ea) = effective_address(cx, m, get::<u64>(fp, addr), offset, 16) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        ptr::write_unaligned(ea as *mut u128, get_v(fp, value).to_le());
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    V128StoreLaneMem [0] { addr, value, mem: m, lane, size, pool: rel } => {
        let offset = pool(ip, rel) as u64;
        let Some(ea) = effective_address(cx, m, get::<u64>(fp, addr), offset, size as u64) else {
            return trap(cx, TrapCode::MemOutOfBounds);
        };
        write_le(ea, size, ops::store_lane(get_v(fp, value), lane, size));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    PoolData [0] { bits } => {
        // Never reached: pool entries follow the function's last instruction.
        trap(cx, TrapCode::Unreachable)
    }
}
