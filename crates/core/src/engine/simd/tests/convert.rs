//! Unit tests of [`crate::engine::simd::convert`].

use super::super::convert::*;
use super::{check_binary, check_unary, f32s, f64s, i16s, i32s, i64s, i8s, split};

#[test]
fn narrowing_saturates() {
    check_binary(&[
        (
            "i8 s",
            i8x16_narrow_i16x8_s,
            i16s([0, 127, 128, -128, -129, 300, -300, -1]),
            i16s([1, 2, 3, 4, 5, 6, 7, i16::MIN]),
            i8s([0, 127, 127, -128, -128, 127, -128, -1, 1, 2, 3, 4, 5, 6, 7, -128]),
        ),
        (
            "i8 u",
            i8x16_narrow_i16x8_u,
            i16s([0, 255, 256, -1, i16::MIN, i16::MAX, 128, 1]),
            i16s([-5; 8]),
            i8s([0, -1, -1, 0, 0, -1, -128, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
        ),
        (
            "i16 s",
            i16x8_narrow_i32x4_s,
            i32s([32768, -32769, i32::MIN, 7]),
            i32s([-7, i32::MAX, 32767, -32768]),
            i16s([32767, -32768, -32768, 7, -7, 32767, 32767, -32768]),
        ),
        (
            "i16 u",
            i16x8_narrow_i32x4_u,
            i32s([65536, -1, 65535, 32768]),
            i32s([i32::MIN, i32::MAX, 0, 1]),
            i16s([-1, 0, -1, -32768, 0, -1, 0, 1]),
        ),
    ]);
}

#[test]
fn extension() {
    let a = i8s([-1, 2, -128, 127, 0, 1, -2, 3, 4, -5, 6, -7, 8, -9, 10, -11]);
    check_unary(&[
        ("i16 low s", i16x8_extend_low_i8x16_s, a, i16s([-1, 2, -128, 127, 0, 1, -2, 3])),
        ("i16 high s", i16x8_extend_high_i8x16_s, a, i16s([4, -5, 6, -7, 8, -9, 10, -11])),
        ("i16 low u", i16x8_extend_low_i8x16_u, a, i16s([255, 2, 128, 127, 0, 1, 254, 3])),
        ("i16 high u", i16x8_extend_high_i8x16_u, a, i16s([4, 251, 6, 249, 8, 247, 10, 245])),
        ("i32 low s", i32x4_extend_low_i16x8_s, i16s([-1, 2, i16::MIN, 4, 0, 0, 0, 0]), i32s([-1, 2, -32768, 4])),
        ("i32 high s", i32x4_extend_high_i16x8_s, i16s([0, 0, 0, 0, -1, 2, i16::MIN, 4]), i32s([-1, 2, -32768, 4])),
        ("i32 low u", i32x4_extend_low_i16x8_u, i16s([-1, 2, i16::MIN, 4, 0, 0, 0, 0]), i32s([65535, 2, 32768, 4])),
        ("i32 high u", i32x4_extend_high_i16x8_u, i16s([0, 0, 0, 0, -1, 2, i16::MIN, 4]), i32s([65535, 2, 32768, 4])),
        ("i64 low s", i64x2_extend_low_i32x4_s, i32s([-1, i32::MIN, 5, 6]), i64s([-1, i32::MIN as i64])),
        ("i64 high s", i64x2_extend_high_i32x4_s, i32s([5, 6, -1, i32::MIN]), i64s([-1, i32::MIN as i64])),
        ("i64 low u", i64x2_extend_low_i32x4_u, i32s([-1, i32::MIN, 5, 6]), i64s([u32::MAX as i64, 1 << 31])),
        ("i64 high u", i64x2_extend_high_i32x4_u, i32s([5, 6, -1, i32::MIN]), i64s([u32::MAX as i64, 1 << 31])),
    ]);
}

#[test]
fn truncation_saturates_and_zeroes_nan() {
    check_unary(&[
        (
            "f32 s",
            i32x4_trunc_sat_f32x4_s,
            f32s([-1.9, 2147483648.0, -3e9, f32::NAN]),
            i32s([-1, i32::MAX, i32::MIN, 0]),
        ),
        (
            "f32 s edges",
            i32x4_trunc_sat_f32x4_s,
            f32s([-2147483648.0, 2147483520.0, f32::INFINITY, f32::NEG_INFINITY]),
            i32s([i32::MIN, 2147483520, i32::MAX, i32::MIN]),
        ),
        ("f32 u", i32x4_trunc_sat_f32x4_u, f32s([-0.9, -1.0, 4294967296.0, 4294967040.0]), i32s([0, 0, -1, -256])),
        ("f32 u nan", i32x4_trunc_sat_f32x4_u, f32s([f32::NAN, -f32::NAN, f32::INFINITY, 1.5]), i32s([0, 0, -1, 1])),
        (
            "f64 s zero",
            i32x4_trunc_sat_f64x2_s_zero,
            f64s([-2147483648.9, 2147483647.9]),
            i32s([i32::MIN, i32::MAX, 0, 0]),
        ),
        ("f64 s zero sat", i32x4_trunc_sat_f64x2_s_zero, f64s([1e100, f64::NAN]), i32s([i32::MAX, 0, 0, 0])),
        ("f64 u zero", i32x4_trunc_sat_f64x2_u_zero, f64s([4294967295.9, -0.99]), i32s([-1, 0, 0, 0])),
        ("f64 u zero sat", i32x4_trunc_sat_f64x2_u_zero, f64s([-1e100, 4294967296.0]), i32s([0, -1, 0, 0])),
    ]);
}

#[test]
fn int_to_float_rounds_to_nearest_even() {
    check_unary(&[
        (
            "f32 s",
            f32x4_convert_i32x4_s,
            i32s([-1, i32::MIN, i32::MAX, 16777217]),
            f32s([-1.0, -2147483648.0, 2147483648.0, 16777216.0]),
        ),
        (
            "f32 s ties",
            f32x4_convert_i32x4_s,
            i32s([16777219, -16777219, 0, 3]),
            f32s([16777220.0, -16777220.0, 0.0, 3.0]),
        ),
        ("f32 u", f32x4_convert_i32x4_u, i32s([-1, i32::MIN, 1, 0]), f32s([4294967296.0, 2147483648.0, 1.0, 0.0])),
        ("f64 low s", f64x2_convert_low_i32x4_s, i32s([i32::MIN, -1, 7, 7]), f64s([-2147483648.0, -1.0])),
        ("f64 low u", f64x2_convert_low_i32x4_u, i32s([-1, i32::MIN, 7, 7]), f64s([4294967295.0, 2147483648.0])),
    ]);
}

#[test]
fn demote_and_promote() {
    check_unary(&[
        ("demote", f32x4_demote_f64x2_zero, f64s([0.1, -1e300]), f32s([0.1, f32::NEG_INFINITY, 0.0, 0.0])),
        ("demote tiny", f32x4_demote_f64x2_zero, f64s([1e-50, -1e-50]), f32s([0.0, -0.0, 0.0, 0.0])),
        (
            "demote rounds to even",
            f32x4_demote_f64x2_zero,
            f64s([1.0 + f64::EPSILON * 2f64.powi(28), 16777217.0]),
            f32s([1.0, 16777216.0, 0.0, 0.0]),
        ),
        ("promote", f64x2_promote_low_f32x4, f32s([0.1, -0.0, 9.0, 9.0]), f64s([0.1f32 as f64, -0.0])),
        (
            "promote inf",
            f64x2_promote_low_f32x4,
            f32s([f32::INFINITY, f32::MIN_POSITIVE, 0.0, 0.0]),
            f64s([f64::INFINITY, f32::MIN_POSITIVE as f64]),
        ),
    ]);
    // NaNs stay NaN, quieted; the canonical NaN stays canonical.
    let r = split::<u32, 4>(f32x4_demote_f64x2_zero(i64s([0x7ff8_0000_0000_0000, 0x7ff4_0000_0000_0000])));
    assert_eq!(r[0], 0x7fc0_0000);
    assert_eq!(r[1] & 0x7fc0_0000, 0x7fc0_0000);
    assert_eq!(r[2..], [0, 0]);
    let r = split::<u64, 2>(f64x2_promote_low_f32x4(i32s([0x7fc0_0000, 0x7fa0_0000, 0, 0])));
    assert_eq!(r[0], 0x7ff8_0000_0000_0000);
    assert_eq!(r[1] & 0x7ff8_0000_0000_0000, 0x7ff8_0000_0000_0000);
}
