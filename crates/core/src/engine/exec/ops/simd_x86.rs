//! x86-64 fast paths of the common SIMD lane operations: the handlers of
//! [`simd`](super::simd) try these first. Each reads its operands straight from the frame's
//! cells into SSE registers and writes the result back, with the exact wasm semantics of the
//! library function it stands for ([`crate::engine::simd`]); the rest go the general way.
//!
//! Only SSE2 (part of the x86-64 baseline) is assumed, except for `i8x16.swizzle` and
//! `i8x16.shuffle`, which use SSSE3's `pshufb` when the CPU has it (checked once), from the
//! general way (`slow` in `ops/simd.rs`).
//!
//! NaN results: the float operations are the same instructions the library's lane loops
//! compile to (`addps`, `mulps`, …), which give arithmetic NaNs as the spec allows.

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use super::memory::access;
use crate::engine::exec::dispatch::{Fp, Ip};
use crate::engine::ir::{Instr, Slot};
use crate::engine::simd::ops::{SimdBinop, SimdShift, SimdSplat, SimdUnop};

/// The v128 in slots `s`, `s + 1` of the frame at `fp`, read as two 8-byte halves: the cells
/// are often written by two 8-byte stores (the general handlers, loads, constants, copies), and
/// a CPU cannot forward two stores to one 16-byte load (a stall of over 10 cycles, measured on
/// the convolution kernel); each half load is forwarded from whichever store wrote it. (Inline
/// assembly, as the compiler merges two half loads written with intrinsics back into one.)
///
/// # Safety
/// `s` and `s + 1` must be slots of the frame.
#[inline(always)]
unsafe fn load(fp: Fp, s: Slot) -> __m128i {
    let v: __m128i;
    // SAFETY: the two cells are 16 readable bytes of the frame (guaranteed by the caller); the
    // instructions only read them and write `v`.
    unsafe {
        std::arch::asm!(
            "movq {v}, qword ptr [{p}]",
            "movhps {v}, qword ptr [{p} + 8]",
            p = in(reg) fp.add(s as usize),
            v = out(xmm_reg) v,
            options(pure, readonly, nostack, preserves_flags),
        );
    }
    v
}

/// Writes `v` to slots `s`, `s + 1` of the frame at `fp`.
///
/// # Safety
/// `s` and `s + 1` must be slots of the frame.
#[inline(always)]
unsafe fn store(fp: Fp, s: Slot, v: __m128i) {
    // SAFETY: as in `load`.
    unsafe { _mm_storeu_si128(fp.add(s as usize) as *mut __m128i, v) }
}

/// What [`detect_features`] found: 0 not yet run, 1 no SSSE3, 2 SSSE3.
static SSSE3: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Reads the CPU's features once (code is threaded for execution only after this ran, see
/// [`crate::engine::exec::thread`]), so that the handlers only load a byte: a call to the
/// detection inside a handler would make it save registers on every execution.
pub(crate) fn detect_features() {
    use std::sync::atomic::Ordering;
    if SSSE3.load(Ordering::Relaxed) == 0 {
        let yes = std::is_x86_feature_detected!("ssse3");
        SSSE3.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
    }
}

/// Whether the CPU has SSSE3 (false until [`detect_features`] ran: the general way is taken).
#[inline(always)]
fn has_ssse3() -> bool {
    SSSE3.load(std::sync::atomic::Ordering::Relaxed) == 2
}

/// `i8x16.swizzle`: lane `i` is `a[s[i]]`, or 0 where `s[i] >= 16`.
///
/// # Safety
/// The CPU must have SSSE3.
#[target_feature(enable = "ssse3")]
unsafe fn swizzle(a: __m128i, s: __m128i) -> __m128i {
    // Indices 16..=255 must select 0: adding 0x70 with unsigned saturation sets their top bit
    // (which makes `pshufb` write 0) and leaves the low four bits of 0..=15 unchanged.
    _mm_shuffle_epi8(a, _mm_adds_epu8(s, _mm_set1_epi8(0x70)))
}

/// `i8x16.shuffle` with lane indices `lanes` (each below 32): lane `i` is `a[l]` for
/// `l < 16`, else `b[l - 16]`.
///
/// # Safety
/// The CPU must have SSSE3.
#[target_feature(enable = "ssse3")]
unsafe fn shuffle2(a: __m128i, b: __m128i, lanes: __m128i) -> __m128i {
    let high = _mm_set1_epi8(-128);
    let from_b = _mm_cmpgt_epi8(lanes, _mm_set1_epi8(15));
    // From `a`: the index, top bit set where it selects from `b`; from `b`: index - 16, top bit
    // set where it selects from `a`.
    let ia = _mm_or_si128(lanes, _mm_and_si128(from_b, high));
    let ib = _mm_or_si128(_mm_sub_epi8(lanes, _mm_set1_epi8(16)), _mm_andnot_si128(from_b, high));
    _mm_or_si128(_mm_shuffle_epi8(a, ia), _mm_shuffle_epi8(b, ib))
}

/// `i8x16.shuffle` of the v128s at `a` and `b` with the lane indices `lanes` into `dst`, if the
/// CPU has SSSE3. (Called from the out-of-line general way: an SSSE3 function cannot be inlined
/// into a handler compiled for the baseline, and a call would give the handler a stack frame.)
///
/// # Safety
/// The slots must be slots of the frame; every lane index is below 32 (validation).
#[inline(always)]
pub(crate) unsafe fn shuffle(fp: Fp, dst: Slot, a: Slot, b: Slot, lanes: u128) -> bool {
    if !has_ssse3() {
        return false;
    }
    // SAFETY: SSSE3 was checked; the slots are the caller's.
    unsafe {
        let l = _mm_loadu_si128(&lanes as *const u128 as *const __m128i);
        store(fp, dst, shuffle2(load(fp, a), load(fp, b), l));
    }
    true
}

/// `i8x16.swizzle` of the v128s at `a` and `b` into `dst`, if the CPU has SSSE3 (called from the
/// general way, as [`shuffle`]).
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(crate) unsafe fn swizzle_slots(fp: Fp, dst: Slot, a: Slot, b: Slot) -> bool {
    if !has_ssse3() {
        return false;
    }
    // SAFETY: SSSE3 was checked; the slots are the caller's.
    unsafe { store(fp, dst, swizzle(load(fp, a), load(fp, b))) };
    true
}

/// Reinterprets as four f32 lanes.
#[inline(always)]
fn ps(v: __m128i) -> __m128 {
    // SAFETY: a bit cast between two 128-bit SSE types (SSE2 is baseline).
    unsafe { _mm_castsi128_ps(v) }
}

/// Reinterprets as two f64 lanes.
#[inline(always)]
fn pd(v: __m128i) -> __m128d {
    // SAFETY: as in `ps`.
    unsafe { _mm_castsi128_pd(v) }
}

/// Evaluates `op` on the v128s at `a` and `b` into `dst` if it has a fast path.
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(super) unsafe fn binop(fp: Fp, dst: Slot, a: Slot, b: Slot, op: SimdBinop) -> bool {
    // SAFETY: the slots are the caller's.
    unsafe {
        match binop_values(load(fp, a), load(fp, b), op) {
            Some(r) => store(fp, dst, r),
            None => return false,
        }
    }
    true
}

/// Evaluates `op` on the v128 at `a` and the constant `k` into `dst` if it has a fast path.
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(super) unsafe fn binop_k(fp: Fp, dst: Slot, a: Slot, k: u128, op: SimdBinop) -> bool {
    // SAFETY: the slots are the caller's; `_mm_set_epi64x` is SSE2.
    unsafe {
        let k = _mm_set_epi64x((k >> 64) as i64, k as i64);
        match binop_values(load(fp, a), k, op) {
            Some(r) => store(fp, dst, r),
            None => return false,
        }
    }
    true
}

/// Evaluates `op` on the 16 bytes at `p` (memory) and the constant `k` into `dst` if it has a
/// fast path.
///
/// # Safety
/// `dst` must be a slot of the frame; `p .. p + 16` must be readable.
#[inline(always)]
pub(super) unsafe fn load_binop_k(fp: Fp, dst: Slot, p: *const u8, k: u128, op: SimdBinop) -> bool {
    // SAFETY: guaranteed by the caller; SSE2 only (wasm memory is little-endian like x86).
    unsafe {
        let k = _mm_set_epi64x((k >> 64) as i64, k as i64);
        match binop_values(_mm_loadu_si128(p as *const __m128i), k, op) {
            Some(r) => store(fp, dst, r),
            None => return false,
        }
    }
    true
}

/// `dst = op2(dst, op(the 16 bytes at p, k))` if both operations have a fast path.
///
/// # Safety
/// As for [`load_binop_k`].
#[inline(always)]
pub(super) unsafe fn load_binop_k_acc(fp: Fp, dst: Slot, p: *const u8, k: u128, op: SimdBinop, op2: SimdBinop) -> bool {
    // SAFETY: guaranteed by the caller; SSE2 only.
    unsafe {
        let k = _mm_set_epi64x((k >> 64) as i64, k as i64);
        let Some(t) = binop_values(_mm_loadu_si128(p as *const __m128i), k, op) else { return false };
        match binop_values(load(fp, dst), t, op2) {
            Some(r) => store(fp, dst, r),
            None => return false,
        }
    }
    true
}

/// Runs the [`Instr::V128LoadBinopKAcc`] at `ip` and those that follow it on the same `dst`
/// (a filter's taps), with the accumulator in a register: one dispatch, and no store and
/// reload of the accumulator between taps. Returns the first instruction not run (`ip` itself
/// when the first tap has no fast path) and whether that one's access is out of bounds.
///
/// # Safety
/// `ip` must be a `V128LoadBinopKAcc` whose pool entries are in place, in code whose
/// instructions after a non-branching one exist; `mem` the base of a memory of `len` bytes.
#[inline(always)]
pub(super) unsafe fn load_binop_k_acc_run(mut ip: Ip, fp: Fp, mem: *mut u8, len: usize, dst: Slot) -> (Ip, bool) {
    // SAFETY: guaranteed by the caller; the slots of each instruction are frame slots; SSE2.
    unsafe {
        let mut sum = load(fp, dst);
        let first = ip;
        while let Instr::V128LoadBinopKAcc { dst: d, addr, op, op2, offset, pool: rel } = (*ip).instr {
            if d != dst {
                break;
            }
            let Some(ea) = access(mem, *fp.add(addr as usize) as u32, offset, 16, len) else {
                if ip != first {
                    store(fp, dst, sum);
                }
                return (ip, true);
            };
            let k = pool_at(ip, rel);
            let x = _mm_loadu_si128(ea as *const __m128i);
            sum = if (op, op2) == (SimdBinop::F32x4Mul, SimdBinop::F32x4Add) {
                // The common multiply-accumulate without the two operation dispatches.
                _mm_castps_si128(_mm_add_ps(ps(sum), _mm_mul_ps(ps(x), ps(k))))
            } else {
                let Some(t) = binop_values(x, k, op) else { break };
                let Some(r) = binop_values(sum, t, op2) else { break };
                r
            };
            ip = ip.add(1);
        }
        if ip != first {
            store(fp, dst, sum);
        }
        (ip, false)
    }
}

/// The v128 in the two [`Instr::PoolData`] entries `rel` instructions from `ip`.
///
/// # Safety
/// Those entries must be `PoolData`.
#[inline(always)]
unsafe fn pool_at(ip: Ip, rel: i32) -> __m128i {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let p = ip.offset(rel as isize);
        let (Instr::PoolData { bits: lo }, Instr::PoolData { bits: hi }) = ((*p).instr, (*p.add(1)).instr) else {
            super::mismatch()
        };
        _mm_set_epi64x(hi as i64, lo as i64)
    }
}

/// `dst = op2(a, op(b, c))` if both operations have a fast path; f32x4 multiply-add without
/// the two operation dispatches.
///
/// # Safety
/// `dst`, `a`, `b` and `c` must be slots of the frame.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // the instruction's six fields and the frame
pub(super) unsafe fn binop_binop(fp: Fp, dst: Slot, a: Slot, b: Slot, c: Slot, op: SimdBinop, op2: SimdBinop) -> bool {
    // SAFETY: guaranteed by the caller; SSE2 only. Every operand is read before `dst` is written.
    unsafe {
        let (sum, x, y) = (load(fp, a), load(fp, b), load(fp, c));
        let r = if (op, op2) == (SimdBinop::F32x4Mul, SimdBinop::F32x4Add) {
            _mm_castps_si128(_mm_add_ps(ps(sum), _mm_mul_ps(ps(x), ps(y))))
        } else {
            let Some(t) = binop_values(x, y, op) else { return false };
            let Some(r) = binop_values(sum, t, op2) else { return false };
            r
        };
        store(fp, dst, r);
    }
    true
}

/// `dst = op2(dst, op(a, the 16 bytes at p))` (`op2` `None`: `dst = op(a, …)`) if the
/// operations have a fast path.
///
/// # Safety
/// `dst`, `a` must be slots of the frame; `p .. p + 16` must be readable.
#[inline(always)]
pub(super) unsafe fn binop_load(
    fp: Fp,
    dst: Slot,
    a: Slot,
    p: *const u8,
    op: SimdBinop,
    op2: Option<SimdBinop>,
) -> bool {
    // SAFETY: guaranteed by the caller; SSE2 only.
    unsafe {
        let Some(t) = binop_values(load(fp, a), _mm_loadu_si128(p as *const __m128i), op) else { return false };
        let r = match op2 {
            None => t,
            Some(op2) => match binop_values(load(fp, dst), t, op2) {
                Some(r) => r,
                None => return false,
            },
        };
        store(fp, dst, r);
    }
    true
}

/// Whether `op` has a fast path (translation fuses only such operations into
/// [`Instr::V128LoadBinopK`](crate::engine::ir::Instr::V128LoadBinopK) and
/// [`Instr::V128LoadBinopKAcc`](crate::engine::ir::Instr::V128LoadBinopKAcc)).
pub(crate) fn has_binop(op: SimdBinop) -> bool {
    // SAFETY: `_mm_setzero_si128` is SSE2; no operation with a fast path traps.
    let zero = unsafe { _mm_setzero_si128() };
    binop_values(zero, zero, op).is_some()
}

/// `op(x, y)` if it has a fast path.
#[inline(always)]
fn binop_values(x: __m128i, y: __m128i, op: SimdBinop) -> Option<__m128i> {
    use SimdBinop as O;
    // SAFETY: every intrinsic below is SSE2 (x86-64 baseline).
    unsafe {
        let r = match op {
            O::V128And => _mm_and_si128(x, y),
            O::V128Or => _mm_or_si128(x, y),
            O::V128Xor => _mm_xor_si128(x, y),
            // `a & !b` (`andnot` complements its first operand).
            O::V128AndNot => _mm_andnot_si128(y, x),
            O::I8x16Add => _mm_add_epi8(x, y),
            O::I8x16Sub => _mm_sub_epi8(x, y),
            O::I16x8Add => _mm_add_epi16(x, y),
            O::I16x8Sub => _mm_sub_epi16(x, y),
            O::I32x4Add => _mm_add_epi32(x, y),
            O::I32x4Sub => _mm_sub_epi32(x, y),
            O::I64x2Add => _mm_add_epi64(x, y),
            O::I64x2Sub => _mm_sub_epi64(x, y),
            O::I16x8Mul => _mm_mullo_epi16(x, y),
            O::I8x16AddSatS => _mm_adds_epi8(x, y),
            O::I8x16AddSatU => _mm_adds_epu8(x, y),
            O::I8x16SubSatS => _mm_subs_epi8(x, y),
            O::I8x16SubSatU => _mm_subs_epu8(x, y),
            O::I16x8AddSatS => _mm_adds_epi16(x, y),
            O::I16x8AddSatU => _mm_adds_epu16(x, y),
            O::I16x8SubSatS => _mm_subs_epi16(x, y),
            O::I16x8SubSatU => _mm_subs_epu16(x, y),
            O::I8x16AvgrU => _mm_avg_epu8(x, y),
            O::I16x8AvgrU => _mm_avg_epu16(x, y),
            O::I8x16MinU => _mm_min_epu8(x, y),
            O::I8x16MaxU => _mm_max_epu8(x, y),
            O::I16x8MinS => _mm_min_epi16(x, y),
            O::I16x8MaxS => _mm_max_epi16(x, y),
            // Pairwise products summed in 32 bits, wrapping as the spec's `iadd` does.
            O::I32x4DotI16x8S => _mm_madd_epi16(x, y),
            O::I8x16NarrowI16x8S => _mm_packs_epi16(x, y),
            O::I8x16NarrowI16x8U => _mm_packus_epi16(x, y),
            O::I16x8NarrowI32x4S => _mm_packs_epi32(x, y),
            O::I8x16Eq => _mm_cmpeq_epi8(x, y),
            O::I16x8Eq => _mm_cmpeq_epi16(x, y),
            O::I32x4Eq => _mm_cmpeq_epi32(x, y),
            O::I8x16GtS => _mm_cmpgt_epi8(x, y),
            O::I16x8GtS => _mm_cmpgt_epi16(x, y),
            O::I32x4GtS => _mm_cmpgt_epi32(x, y),
            O::I8x16LtS => _mm_cmpgt_epi8(y, x),
            O::I16x8LtS => _mm_cmpgt_epi16(y, x),
            O::I32x4LtS => _mm_cmpgt_epi32(y, x),
            O::F32x4Add => _mm_castps_si128(_mm_add_ps(ps(x), ps(y))),
            O::F32x4Sub => _mm_castps_si128(_mm_sub_ps(ps(x), ps(y))),
            O::F32x4Mul => _mm_castps_si128(_mm_mul_ps(ps(x), ps(y))),
            O::F32x4Div => _mm_castps_si128(_mm_div_ps(ps(x), ps(y))),
            O::F64x2Add => _mm_castpd_si128(_mm_add_pd(pd(x), pd(y))),
            O::F64x2Sub => _mm_castpd_si128(_mm_sub_pd(pd(x), pd(y))),
            O::F64x2Mul => _mm_castpd_si128(_mm_mul_pd(pd(x), pd(y))),
            O::F64x2Div => _mm_castpd_si128(_mm_div_pd(pd(x), pd(y))),
            // Ordered comparisons are false with a NaN; `ne` is unordered (true with a NaN).
            O::F32x4Eq => _mm_castps_si128(_mm_cmpeq_ps(ps(x), ps(y))),
            O::F32x4Ne => _mm_castps_si128(_mm_cmpneq_ps(ps(x), ps(y))),
            O::F32x4Lt => _mm_castps_si128(_mm_cmplt_ps(ps(x), ps(y))),
            O::F32x4Le => _mm_castps_si128(_mm_cmple_ps(ps(x), ps(y))),
            O::F32x4Gt => _mm_castps_si128(_mm_cmplt_ps(ps(y), ps(x))),
            O::F32x4Ge => _mm_castps_si128(_mm_cmple_ps(ps(y), ps(x))),
            O::F64x2Eq => _mm_castpd_si128(_mm_cmpeq_pd(pd(x), pd(y))),
            O::F64x2Ne => _mm_castpd_si128(_mm_cmpneq_pd(pd(x), pd(y))),
            O::F64x2Lt => _mm_castpd_si128(_mm_cmplt_pd(pd(x), pd(y))),
            O::F64x2Le => _mm_castpd_si128(_mm_cmple_pd(pd(x), pd(y))),
            O::F64x2Gt => _mm_castpd_si128(_mm_cmplt_pd(pd(y), pd(x))),
            O::F64x2Ge => _mm_castpd_si128(_mm_cmple_pd(pd(y), pd(x))),
            _ => return None,
        };
        Some(r)
    }
}

/// Evaluates `op` on the v128 at `a` into `dst` if it has a fast path.
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(super) unsafe fn unop(fp: Fp, dst: Slot, a: Slot, op: SimdUnop) -> bool {
    use SimdUnop as O;
    // SAFETY: the slots are the caller's; SSE2 only.
    unsafe {
        let x = load(fp, a);
        let zero = _mm_setzero_si128();
        let r = match op {
            O::V128Not => _mm_xor_si128(x, _mm_set1_epi32(-1)),
            // Sign extension: each byte (halfword) doubled into a halfword (word), then an
            // arithmetic shift brings it down with its sign.
            O::I16x8ExtendLowI8x16S => _mm_srai_epi16::<8>(_mm_unpacklo_epi8(x, x)),
            O::I16x8ExtendHighI8x16S => _mm_srai_epi16::<8>(_mm_unpackhi_epi8(x, x)),
            O::I16x8ExtendLowI8x16U => _mm_unpacklo_epi8(x, zero),
            O::I16x8ExtendHighI8x16U => _mm_unpackhi_epi8(x, zero),
            O::I32x4ExtendLowI16x8S => _mm_srai_epi32::<16>(_mm_unpacklo_epi16(x, x)),
            O::I32x4ExtendHighI16x8S => _mm_srai_epi32::<16>(_mm_unpackhi_epi16(x, x)),
            O::I32x4ExtendLowI16x8U => _mm_unpacklo_epi16(x, zero),
            O::I32x4ExtendHighI16x8U => _mm_unpackhi_epi16(x, zero),
            O::I8x16Neg => _mm_sub_epi8(zero, x),
            O::I16x8Neg => _mm_sub_epi16(zero, x),
            O::I32x4Neg => _mm_sub_epi32(zero, x),
            O::I64x2Neg => _mm_sub_epi64(zero, x),
            // Sign-bit operations: NaN payloads unchanged.
            O::F32x4Abs => _mm_and_si128(x, _mm_set1_epi32(i32::MAX)),
            O::F32x4Neg => _mm_xor_si128(x, _mm_set1_epi32(i32::MIN)),
            O::F64x2Abs => _mm_and_si128(x, _mm_set1_epi64x(i64::MAX)),
            O::F64x2Neg => _mm_xor_si128(x, _mm_set1_epi64x(i64::MIN)),
            O::F32x4Sqrt => _mm_castps_si128(_mm_sqrt_ps(ps(x))),
            O::F64x2Sqrt => _mm_castpd_si128(_mm_sqrt_pd(pd(x))),
            // Every i32 is exactly representable or rounded to nearest, as `f32.convert_i32_s`.
            O::F32x4ConvertI32x4S => _mm_castps_si128(_mm_cvtepi32_ps(x)),
            _ => return false,
        };
        store(fp, dst, r);
    }
    true
}

/// Evaluates the shift `op` of the v128 at `a` by `n` into `dst` if it has a fast path (the
/// count is taken modulo the lane width, as the spec says).
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(super) unsafe fn shift(fp: Fp, dst: Slot, a: Slot, n: i32, op: SimdShift) -> bool {
    use SimdShift as O;
    // SAFETY: the slots are the caller's; SSE2 only.
    unsafe {
        let x = load(fp, a);
        let count = |bits: i32| _mm_cvtsi32_si128(n & (bits - 1));
        let r = match op {
            O::I16x8Shl => _mm_sll_epi16(x, count(16)),
            O::I16x8ShrS => _mm_sra_epi16(x, count(16)),
            O::I16x8ShrU => _mm_srl_epi16(x, count(16)),
            O::I32x4Shl => _mm_sll_epi32(x, count(32)),
            O::I32x4ShrS => _mm_sra_epi32(x, count(32)),
            O::I32x4ShrU => _mm_srl_epi32(x, count(32)),
            O::I64x2Shl => _mm_sll_epi64(x, count(64)),
            O::I64x2ShrU => _mm_srl_epi64(x, count(64)),
            // Bytes: shift halfwords, then clear the bits that crossed in from the neighbour.
            O::I8x16ShrU => {
                let c = n & 7;
                let keep = _mm_set1_epi8((0xffu32 >> c) as u8 as i8);
                _mm_and_si128(_mm_srl_epi16(x, _mm_cvtsi32_si128(c)), keep)
            }
            O::I8x16Shl => {
                let c = n & 7;
                let keep = _mm_set1_epi8(((0xffu32 << c) & 0xff) as u8 as i8);
                _mm_and_si128(_mm_sll_epi16(x, _mm_cvtsi32_si128(c)), keep)
            }
            _ => return false,
        };
        store(fp, dst, r);
    }
    true
}

/// Evaluates the splat `op` of the cell bits `x` into `dst` if it has a fast path.
///
/// # Safety
/// The slots must be slots of the frame.
#[inline(always)]
pub(super) unsafe fn splat(fp: Fp, dst: Slot, x: u64, op: SimdSplat) -> bool {
    use SimdSplat as O;
    // SAFETY: the slots are the caller's; SSE2 only.
    unsafe {
        let r = match op {
            O::I8x16Splat => _mm_set1_epi8(x as i8),
            O::I16x8Splat => _mm_set1_epi16(x as i16),
            O::I32x4Splat | O::F32x4Splat => _mm_set1_epi32(x as i32),
            O::I64x2Splat | O::F64x2Splat => _mm_set1_epi64x(x as i64),
        };
        store(fp, dst, r);
    }
    true
}

#[cfg(test)]
mod tests {
    //! Every fast path against the SIMD library (whose lane functions the spec's SIMD
    //! assertions verify), on random vectors mixed with edge lanes, bit for bit (a float lane
    //! that is NaN in both only has to be NaN in both: the spec lets the payload vary).

    use super::*;
    use crate::engine::simd::ops::{SimdBinop as B, SimdShift as S, SimdSplat as P, SimdUnop as U};

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        /// A vector whose 32-bit lanes are random or edge values (zeros, signs, NaNs,
        /// infinities, lane maxima) and whose bytes include small swizzle indices.
        fn vector(&mut self) -> u128 {
            const EDGES: [u32; 10] = [
                0,
                0x8000_0000,
                0x7fc0_0000,
                0x7f80_0001,
                0xff80_0000,
                0x7fff_ffff,
                0xffff_ffff,
                0x0000_00ff,
                0x0f0e_0d0c,
                0x1f10_0f00,
            ];
            (0..4).fold(0u128, |v, i| {
                let lane = match self.next() % 4 {
                    0 => EDGES[(self.next() % EDGES.len() as u64) as usize],
                    1 => (self.next() as u32) & 0x1f1f_1f1f,
                    _ => self.next() as u32,
                };
                v | (lane as u128) << (32 * i)
            })
        }
    }

    /// Whether `got` equals `want`, NaN lanes of float operations aside.
    fn same(got: u128, want: u128, float_lanes: Option<u32>) -> bool {
        let Some(bits) = float_lanes else { return got == want };
        (0..128 / bits).all(|i| {
            let (g, w) = ((got >> (i * bits)) as u64, (want >> (i * bits)) as u64);
            let (g, w) = if bits == 32 { (g as u32 as u64, w as u32 as u64) } else { (g, w) };
            let nan = |x: u64| if bits == 32 { f32::from_bits(x as u32).is_nan() } else { f64::from_bits(x).is_nan() };
            g == w || (nan(g) && nan(w))
        })
    }

    /// The lane width of a float arithmetic operation (comparisons give masks: exact).
    fn float_lanes(name: &str) -> Option<u32> {
        let arith = ["Add", "Sub", "Mul", "Div", "Sqrt"].iter().any(|s| name.ends_with(s));
        match () {
            _ if name.starts_with("F32x4") && arith => Some(32),
            _ if name.starts_with("F64x2") && arith => Some(64),
            _ => None,
        }
    }

    /// Writes `v` to cells `s`, `s + 1` of `frame`.
    fn put(frame: &mut [u64; 6], s: usize, v: u128) {
        frame[s] = v as u64;
        frame[s + 1] = (v >> 64) as u64;
    }

    /// Cells `s`, `s + 1` of `frame`.
    fn get(frame: &[u64; 6], s: usize) -> u128 {
        frame[s] as u128 | (frame[s + 1] as u128) << 64
    }

    const BINOPS: &[B] = &[
        B::V128And,
        B::V128Or,
        B::V128Xor,
        B::V128AndNot,
        B::I8x16Add,
        B::I8x16Sub,
        B::I16x8Add,
        B::I16x8Sub,
        B::I32x4Add,
        B::I32x4Sub,
        B::I64x2Add,
        B::I64x2Sub,
        B::I16x8Mul,
        B::I8x16AddSatS,
        B::I8x16AddSatU,
        B::I8x16SubSatS,
        B::I8x16SubSatU,
        B::I16x8AddSatS,
        B::I16x8AddSatU,
        B::I16x8SubSatS,
        B::I16x8SubSatU,
        B::I8x16AvgrU,
        B::I16x8AvgrU,
        B::I8x16MinU,
        B::I8x16MaxU,
        B::I16x8MinS,
        B::I16x8MaxS,
        B::I32x4DotI16x8S,
        B::I8x16NarrowI16x8S,
        B::I8x16NarrowI16x8U,
        B::I16x8NarrowI32x4S,
        B::I8x16Eq,
        B::I16x8Eq,
        B::I32x4Eq,
        B::I8x16GtS,
        B::I16x8GtS,
        B::I32x4GtS,
        B::I8x16LtS,
        B::I16x8LtS,
        B::I32x4LtS,
        B::F32x4Add,
        B::F32x4Sub,
        B::F32x4Mul,
        B::F32x4Div,
        B::F64x2Add,
        B::F64x2Sub,
        B::F64x2Mul,
        B::F64x2Div,
        B::F32x4Eq,
        B::F32x4Ne,
        B::F32x4Lt,
        B::F32x4Le,
        B::F32x4Gt,
        B::F32x4Ge,
        B::F64x2Eq,
        B::F64x2Ne,
        B::F64x2Lt,
        B::F64x2Le,
        B::F64x2Gt,
        B::F64x2Ge,
    ];

    #[test]
    fn binops_match_the_library() {
        detect_features();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for &op in BINOPS {
            for _ in 0..2000 {
                let (a, b) = (rng.vector(), rng.vector());
                let mut frame = [0u64; 6];
                put(&mut frame, 0, a);
                put(&mut frame, 2, b);
                // SAFETY: slots 0..6 are the frame's.
                let fast = unsafe { binop(frame.as_mut_ptr(), 4, 0, 2, op) };
                assert!(fast, "{op:?} has a fast path");
                let want = op.eval(a, b);
                assert!(same(get(&frame, 4), want, float_lanes(&format!("{op:?}"))), "{op:?}({a:#x}, {b:#x})");
                // The same with `b` as the constant operand (`V128BinopK`).
                let mut frame = [0u64; 6];
                put(&mut frame, 0, a);
                // SAFETY: slots 0..6 are the frame's.
                assert!(unsafe { binop_k(frame.as_mut_ptr(), 2, 0, b, op) }, "{op:?} has a fast path");
                assert!(same(get(&frame, 2), want, float_lanes(&format!("{op:?}"))), "{op:?}({a:#x}, const {b:#x})");
            }
        }
    }

    #[test]
    fn unops_match_the_library() {
        const UNOPS: &[U] = &[
            U::V128Not,
            U::I16x8ExtendLowI8x16S,
            U::I16x8ExtendHighI8x16S,
            U::I16x8ExtendLowI8x16U,
            U::I16x8ExtendHighI8x16U,
            U::I32x4ExtendLowI16x8S,
            U::I32x4ExtendHighI16x8S,
            U::I32x4ExtendLowI16x8U,
            U::I32x4ExtendHighI16x8U,
            U::I8x16Neg,
            U::I16x8Neg,
            U::I32x4Neg,
            U::I64x2Neg,
            U::F32x4Abs,
            U::F32x4Neg,
            U::F64x2Abs,
            U::F64x2Neg,
            U::F32x4Sqrt,
            U::F64x2Sqrt,
            U::F32x4ConvertI32x4S,
        ];
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for &op in UNOPS {
            for _ in 0..2000 {
                let a = rng.vector();
                let mut frame = [0u64; 6];
                put(&mut frame, 0, a);
                // SAFETY: slots 0..6 are the frame's.
                assert!(unsafe { unop(frame.as_mut_ptr(), 2, 0, op) }, "{op:?} has a fast path");
                assert!(same(get(&frame, 2), op.eval(a), float_lanes(&format!("{op:?}"))), "{op:?}({a:#x})");
            }
        }
    }

    #[test]
    fn shifts_match_the_library_for_every_count() {
        const SHIFTS: &[S] = &[
            S::I8x16Shl,
            S::I8x16ShrU,
            S::I16x8Shl,
            S::I16x8ShrS,
            S::I16x8ShrU,
            S::I32x4Shl,
            S::I32x4ShrS,
            S::I32x4ShrU,
            S::I64x2Shl,
            S::I64x2ShrU,
        ];
        let mut rng = Rng(42);
        for &op in SHIFTS {
            for n in [-1, 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, i32::MIN, i32::MAX] {
                let a = rng.vector();
                let mut frame = [0u64; 6];
                put(&mut frame, 0, a);
                // SAFETY: slots 0..6 are the frame's.
                assert!(unsafe { shift(frame.as_mut_ptr(), 2, 0, n, op) }, "{op:?} has a fast path");
                assert_eq!(get(&frame, 2), op.eval(a, n), "{op:?}({a:#x}, {n})");
            }
        }
    }

    #[test]
    fn splats_and_shuffles_match_the_library() {
        detect_features();
        let mut rng = Rng(7);
        for op in [P::I8x16Splat, P::I16x8Splat, P::I32x4Splat, P::F32x4Splat, P::I64x2Splat, P::F64x2Splat] {
            let x = rng.next();
            let mut frame = [0u64; 6];
            // SAFETY: slots 0..6 are the frame's.
            assert!(unsafe { splat(frame.as_mut_ptr(), 0, x, op) });
            assert_eq!(get(&frame, 0), op.eval(x), "{op:?}({x:#x})");
        }
        if !has_ssse3() {
            return;
        }
        for _ in 0..2000 {
            let (a, s) = (rng.vector(), rng.vector());
            let mut frame = [0u64; 6];
            put(&mut frame, 0, a);
            put(&mut frame, 2, s);
            // SAFETY: slots 0..6 are the frame's.
            assert!(unsafe { swizzle_slots(frame.as_mut_ptr(), 4, 0, 2) });
            assert_eq!(get(&frame, 4), B::I8x16Swizzle.eval(a, s), "swizzle({a:#x}, {s:#x})");
        }
        for _ in 0..2000 {
            let (a, b) = (rng.vector(), rng.vector());
            let lanes: [u8; 16] = std::array::from_fn(|_| (rng.next() % 32) as u8);
            let mut frame = [0u64; 6];
            put(&mut frame, 0, a);
            put(&mut frame, 2, b);
            // SAFETY: slots 0..6 are the frame's; every lane index is below 32.
            assert!(unsafe { shuffle(frame.as_mut_ptr(), 4, 0, 2, u128::from_le_bytes(lanes)) });
            assert_eq!(get(&frame, 4), crate::engine::simd::i8x16_shuffle(a, b, lanes), "shuffle {lanes:?}");
        }
    }
}
