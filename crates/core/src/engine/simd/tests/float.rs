//! Unit tests of [`crate::engine::simd::float`], with attention to NaN, `-0` and rounding.

use super::super::float::*;
use super::{check_binary, check_unary, f32s, f64s, i32s, i64s, split};

/// A quiet NaN with a payload (not canonical).
const QNAN32: u32 = 0x7fc0_1234;
/// A signalling NaN.
const SNAN32: u32 = 0x7fa0_0001;
/// The positive canonical NaN.
const CNAN32: u32 = 0x7fc0_0000;
/// A signalling `f64` NaN.
const SNAN64: u64 = 0x7ff4_0000_0000_0001;

/// Whether `x` is an `f32` NaN with the quiet bit set.
fn quiet32(x: u32) -> bool {
    x & 0x7fc0_0000 == 0x7fc0_0000
}

/// Whether `x` is an `f64` NaN with the quiet bit set.
fn quiet64(x: u64) -> bool {
    x & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
}

#[test]
fn arithmetic() {
    check_binary(&[
        (
            "f32 add",
            f32x4_add,
            f32s([1.0, -2.5, 3e38, 0.1]),
            f32s([2.0, 2.5, 3e38, 0.2]),
            f32s([3.0, 0.0, f32::INFINITY, 0.1 + 0.2]),
        ),
        ("f32 sub", f32x4_sub, f32s([1.0, -0.0, 3.0, 0.0]), f32s([2.0, 0.0, 3.0, -0.0]), f32s([-1.0, -0.0, 0.0, 0.0])),
        (
            "f32 mul",
            f32x4_mul,
            f32s([1.5, -0.0, 1e30, 3.0]),
            f32s([2.0, 5.0, 1e30, -1.0]),
            f32s([3.0, -0.0, f32::INFINITY, -3.0]),
        ),
        (
            "f32 div",
            f32x4_div,
            f32s([1.0, -1.0, 0.0, 1.0]),
            f32s([0.0, 0.0, -1.0, 3.0]),
            f32s([f32::INFINITY, f32::NEG_INFINITY, -0.0, 1.0 / 3.0]),
        ),
        ("f64 add", f64x2_add, f64s([0.1, f64::MAX]), f64s([0.2, f64::MAX]), f64s([0.1 + 0.2, f64::INFINITY])),
        ("f64 sub", f64x2_sub, f64s([-0.0, 1.0]), f64s([0.0, 1.0]), f64s([-0.0, 0.0])),
        ("f64 mul", f64x2_mul, f64s([-2.0, 1e-300]), f64s([4.0, 1e-300]), f64s([-8.0, 0.0])),
        ("f64 div", f64x2_div, f64s([1.0, 7.0]), f64s([-0.0, 2.0]), f64s([f64::NEG_INFINITY, 3.5])),
    ]);
    check_unary(&[
        (
            "f32 sqrt",
            f32x4_sqrt,
            f32s([4.0, 2.0, -0.0, f32::INFINITY]),
            f32s([2.0, std::f32::consts::SQRT_2, -0.0, f32::INFINITY]),
        ),
        ("f64 sqrt", f64x2_sqrt, f64s([9.0, 2.0]), f64s([3.0, std::f64::consts::SQRT_2])),
    ]);
}

#[test]
fn nan_results_are_quiet() {
    // Invalid operations produce a NaN; NaN operands propagate quieted.
    let r = split::<u32, 4>(f32x4_add(
        f32s([f32::INFINITY, 0.0, 1.0, 0.0]),
        i32s([f32::NEG_INFINITY.to_bits() as i32, SNAN32 as i32, QNAN32 as i32, 0]),
    ));
    assert!(f32::from_bits(r[0]).is_nan() && quiet32(r[0]), "inf - inf");
    assert!(
        quiet32(r[1]) && r[1] & 0x3f_ffff == SNAN32 & 0x3f_ffff,
        "sNaN operand: quieted, payload kept: {:#x}",
        r[1]
    );
    assert_eq!(r[2], QNAN32, "qNaN operand propagates");
    assert_eq!(r[3], 0);
    let r = split::<u32, 4>(f32x4_sqrt(f32s([-1.0, 0.0, 0.0, 0.0])));
    assert!(quiet32(r[0]) && r[0] & 0x3f_ffff == 0, "sqrt(-1) is a canonical NaN: {:#x}", r[0]);
    // `black_box`: LLVM folds `x * 1.0` to `x` at compile time, which keeps a signalling NaN;
    // the run-time multiplication (what the engine executes) quiets it.
    let r = split::<u64, 2>(f64x2_mul(
        std::hint::black_box(i64s([SNAN64 as i64, 0])),
        std::hint::black_box(f64s([1.0, f64::INFINITY])),
    ));
    assert!(quiet64(r[0]) && quiet64(r[1]));
}

#[test]
fn min_max_propagate_nan_and_order_zeros() {
    let r = split::<u32, 4>(f32x4_min(f32s([-0.0, 0.0, 1.0, f32::NAN]), f32s([0.0, -0.0, f32::NAN, 1.0])));
    assert_eq!(r[0], (-0.0f32).to_bits());
    assert_eq!(r[1], (-0.0f32).to_bits());
    assert!(f32::from_bits(r[2]).is_nan() && f32::from_bits(r[3]).is_nan());
    let r = split::<u32, 4>(f32x4_max(
        f32s([-0.0, 0.0, -1.0, 2.0]),
        i32s([0, i32::MIN, SNAN32 as i32, 1.0f32.to_bits() as i32]),
    ));
    assert_eq!(r[..2], [0, 0]);
    assert!(quiet32(r[2]), "max with sNaN is a quiet NaN: {:#x}", r[2]);
    assert_eq!(r[3], 2.0f32.to_bits());
    let r = split::<u64, 2>(f64x2_min(f64s([-0.0, -1.0]), f64s([0.0, f64::NEG_INFINITY])));
    assert_eq!(r, [(-0.0f64).to_bits(), f64::NEG_INFINITY.to_bits()]);
    let r = split::<u64, 2>(f64x2_max(f64s([-0.0, f64::NAN]), f64s([0.0, 1.0])));
    assert_eq!(r[0], 0);
    assert!(f64::from_bits(r[1]).is_nan());
}

#[test]
fn pseudo_min_max_select_operands_bit_for_bit() {
    let a = i32s([SNAN32 as i32, 1.0f32.to_bits() as i32, (-0.0f32).to_bits() as i32, 0]);
    let b = i32s([1.0f32.to_bits() as i32, QNAN32 as i32, 0, (-0.0f32).to_bits() as i32]);
    // pmin(a, b) = b < a ? b : a: NaN comparisons are false, so `a` comes back unchanged, and
    // equal zeros return `a`.
    assert_eq!(f32x4_pmin(a, b), a);
    assert_eq!(f32x4_pmax(a, b), a);
    check_binary(&[
        (
            "f32 pmin",
            f32x4_pmin,
            f32s([1.0, 2.0, -3.0, 5.0]),
            f32s([2.0, 1.0, 3.0, f32::NEG_INFINITY]),
            f32s([1.0, 1.0, -3.0, f32::NEG_INFINITY]),
        ),
        (
            "f32 pmax",
            f32x4_pmax,
            f32s([1.0, 2.0, -3.0, 5.0]),
            f32s([2.0, 1.0, 3.0, f32::NEG_INFINITY]),
            f32s([2.0, 2.0, 3.0, 5.0]),
        ),
        ("f64 pmin", f64x2_pmin, f64s([1.0, 0.0]), f64s([-1.0, -0.0]), f64s([-1.0, 0.0])),
        ("f64 pmax", f64x2_pmax, f64s([1.0, -0.0]), f64s([-1.0, 0.0]), f64s([1.0, -0.0])),
        ("f64 pmin nan b", f64x2_pmin, f64s([1.0, 2.0]), i64s([SNAN64 as i64, 0]), f64s([1.0, 0.0])),
    ]);
}

#[test]
fn sign_operations_keep_payloads() {
    check_unary(&[
        (
            "f32 abs",
            f32x4_abs,
            i32s([(0x8000_0000 | SNAN32) as i32, -1, 0, i32::MIN]),
            i32s([SNAN32 as i32, i32::MAX, 0, 0]),
        ),
        (
            "f32 neg",
            f32x4_neg,
            i32s([SNAN32 as i32, 0, i32::MIN, CNAN32 as i32]),
            i32s([(SNAN32 | 0x8000_0000) as i32, i32::MIN, 0, (CNAN32 | 0x8000_0000) as i32]),
        ),
        ("f64 abs", f64x2_abs, i64s([(SNAN64 | 1 << 63) as i64, -1]), i64s([SNAN64 as i64, i64::MAX])),
        ("f64 neg", f64x2_neg, i64s([SNAN64 as i64, 0]), i64s([(SNAN64 | 1 << 63) as i64, i64::MIN])),
    ]);
}

#[test]
fn rounding() {
    check_unary(&[
        ("f32 ceil", f32x4_ceil, f32s([1.1, -1.1, -0.5, 0.0]), f32s([2.0, -1.0, -0.0, 0.0])),
        ("f32 floor", f32x4_floor, f32s([1.9, -1.1, -0.0, 0.5]), f32s([1.0, -2.0, -0.0, 0.0])),
        ("f32 trunc", f32x4_trunc, f32s([1.9, -1.9, -0.5, 1e30]), f32s([1.0, -1.0, -0.0, 1e30])),
        ("f32 nearest", f32x4_nearest, f32s([0.5, 1.5, 2.5, -0.5]), f32s([0.0, 2.0, 2.0, -0.0])),
        (
            "f32 nearest big",
            f32x4_nearest,
            f32s([8388609.0, -3.5, 3.4, f32::NEG_INFINITY]),
            f32s([8388609.0, -4.0, 3.0, f32::NEG_INFINITY]),
        ),
        ("f64 ceil", f64x2_ceil, f64s([-0.9, 4503599627370495.5]), f64s([-0.0, 4503599627370496.0])),
        ("f64 floor", f64x2_floor, f64s([-0.1, 2.0]), f64s([-1.0, 2.0])),
        ("f64 trunc", f64x2_trunc, f64s([-2.7, 2.7]), f64s([-2.0, 2.0])),
        ("f64 nearest", f64x2_nearest, f64s([2.5, -4503599627370497.0]), f64s([2.0, -4503599627370497.0])),
    ]);
    for r in split::<u32, 4>(f32x4_ceil(f32x4_floor(f32x4_trunc(f32x4_nearest(i32s([SNAN32 as i32; 4])))))) {
        assert!(quiet32(r), "rounding quiets sNaN: {r:#x}");
    }
    for r in split::<u64, 2>(f64x2_nearest(i64s([SNAN64 as i64; 2]))) {
        assert!(quiet64(r), "rounding quiets sNaN: {r:#x}");
    }
}
