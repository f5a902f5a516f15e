//! Unit tests of [`crate::engine::simd::int`].

use super::super::int::*;
use super::{check_binary, check_unary, i16s, i32s, i64s, i8s};

/// `[x; 16]` as `i8` lanes.
fn b(x: i8) -> u128 {
    i8s([x; 16])
}

/// `[x; 8]` as `i16` lanes.
fn h(x: i16) -> u128 {
    i16s([x; 8])
}

/// `[x; 4]` as `i32` lanes.
fn w(x: i32) -> u128 {
    i32s([x; 4])
}

/// `[x; 2]` as `i64` lanes.
fn d(x: i64) -> u128 {
    i64s([x; 2])
}

#[test]
fn wrapping_and_saturating_i8() {
    check_binary(&[
        ("add wraps", i8x16_add, b(127), b(1), b(-128)),
        (
            "add",
            i8x16_add,
            i8s([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
            b(-1),
            i8s([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
        ),
        ("sub wraps", i8x16_sub, b(-128), b(1), b(127)),
        ("add_sat_s high", i8x16_add_sat_s, b(100), b(100), b(127)),
        ("add_sat_s low", i8x16_add_sat_s, b(-100), b(-100), b(-128)),
        ("add_sat_u", i8x16_add_sat_u, b(-56), b(100), b(-1)),
        ("add_sat_u no sat", i8x16_add_sat_u, b(100), b(100), b(-56)),
        ("sub_sat_s", i8x16_sub_sat_s, b(-100), b(100), b(-128)),
        ("sub_sat_s high", i8x16_sub_sat_s, b(100), b(-100), b(127)),
        ("sub_sat_u floor", i8x16_sub_sat_u, b(1), b(2), 0),
        ("sub_sat_u", i8x16_sub_sat_u, b(-1), b(1), b(-2)),
        ("min_s", i8x16_min_s, b(-1), b(1), b(-1)),
        ("min_u", i8x16_min_u, b(-1), b(1), b(1)),
        ("max_s", i8x16_max_s, b(-128), b(127), b(127)),
        ("max_u", i8x16_max_u, b(-128), b(127), b(-128)),
        ("avgr_u rounds up", i8x16_avgr_u, b(1), b(2), b(2)),
        ("avgr_u no overflow", i8x16_avgr_u, b(-1), b(-1), b(-1)),
        ("avgr_u 255 0", i8x16_avgr_u, b(-1), b(0), b(-128)),
    ]);
    check_unary(&[
        ("abs min", i8x16_abs, b(-128), b(-128)),
        (
            "abs",
            i8x16_abs,
            i8s([-1, 1, -127, 0, 5, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            i8s([1, 1, 127, 0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ),
        ("neg min", i8x16_neg, b(-128), b(-128)),
        ("neg", i8x16_neg, b(5), b(-5)),
        (
            "popcnt",
            i8x16_popcnt,
            i8s([0, 1, 3, 7, 15, 31, 63, 127, -1, -128, 0x55, 0x2a, 2, 4, 8, 16]),
            i8s([0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 4, 3, 1, 1, 1, 1]),
        ),
    ]);
}

#[test]
fn wrapping_and_saturating_wider() {
    check_binary(&[
        ("i16 add wraps", i16x8_add, h(i16::MAX), h(1), h(i16::MIN)),
        ("i16 sub", i16x8_sub, h(0), h(1), h(-1)),
        ("i16 mul wraps", i16x8_mul, h(0x100), h(0x100), 0),
        ("i16 mul", i16x8_mul, h(-3), h(7), h(-21)),
        ("i16 add_sat_s", i16x8_add_sat_s, h(30000), h(30000), h(i16::MAX)),
        ("i16 add_sat_u", i16x8_add_sat_u, h(-2), h(5), h(-1)),
        ("i16 sub_sat_s", i16x8_sub_sat_s, h(-30000), h(30000), h(i16::MIN)),
        ("i16 sub_sat_u", i16x8_sub_sat_u, h(5), h(-2), 0),
        ("i16 min_s/u", i16x8_min_s, h(-1), h(0), h(-1)),
        ("i16 min_u", i16x8_min_u, h(-1), h(0), 0),
        ("i16 max_s", i16x8_max_s, h(-1), h(0), 0),
        ("i16 max_u", i16x8_max_u, h(-1), h(0), h(-1)),
        ("i16 avgr_u", i16x8_avgr_u, h(-1), h(-2), h(-1)),
        ("i16 avgr_u half", i16x8_avgr_u, h(0), h(3), h(2)),
        ("i32 add", i32x4_add, w(i32::MAX), w(2), w(i32::MIN + 1)),
        ("i32 sub", i32x4_sub, w(i32::MIN), w(1), w(i32::MAX)),
        ("i32 mul", i32x4_mul, w(0x10001), w(0x10001), w(0x20001)),
        ("i32 min_s", i32x4_min_s, w(i32::MIN), w(0), w(i32::MIN)),
        ("i32 min_u", i32x4_min_u, w(i32::MIN), w(0), 0),
        ("i32 max_s", i32x4_max_s, w(-5), w(-6), w(-5)),
        ("i32 max_u", i32x4_max_u, w(-5), w(5), w(-5)),
        ("i64 add", i64x2_add, d(i64::MAX), d(1), d(i64::MIN)),
        ("i64 sub", i64x2_sub, d(0), d(i64::MIN), d(i64::MIN)),
        ("i64 mul", i64x2_mul, i64s([1 << 32, -3]), i64s([1 << 32, 5]), i64s([0, -15])),
    ]);
    check_unary(&[
        ("i16 abs", i16x8_abs, h(i16::MIN), h(i16::MIN)),
        ("i16 abs -7", i16x8_abs, h(-7), h(7)),
        ("i16 neg", i16x8_neg, h(7), h(-7)),
        ("i32 abs", i32x4_abs, i32s([i32::MIN, -1, 0, 9]), i32s([i32::MIN, 1, 0, 9])),
        ("i32 neg", i32x4_neg, i32s([i32::MIN, -1, 0, 9]), i32s([i32::MIN, 1, 0, -9])),
        ("i64 abs", i64x2_abs, i64s([i64::MIN, -2]), i64s([i64::MIN, 2])),
        ("i64 neg", i64x2_neg, i64s([i64::MIN, -2]), i64s([i64::MIN, 2])),
    ]);
}

#[test]
fn shifts_take_count_modulo_width() {
    type Shift = fn(u128, i32) -> u128;
    let cases: &[(&str, Shift, u128, i32, u128)] = &[
        ("i8 shl 1", i8x16_shl, b(-127), 1, b(2)),
        ("i8 shl 9 = 1", i8x16_shl, b(0x41), 9, b(-126)),
        ("i8 shl 8 = 0", i8x16_shl, b(5), 8, b(5)),
        ("i8 shr_s 7", i8x16_shr_s, b(-128), 7, b(-1)),
        ("i8 shr_s -1 = 7", i8x16_shr_s, b(64), -1, 0),
        ("i8 shr_u 7", i8x16_shr_u, b(-128), 7, b(1)),
        ("i8 shr_u 15 = 7", i8x16_shr_u, b(-1), 15, b(1)),
        ("i16 shl 17", i16x8_shl, h(1), 17, h(2)),
        ("i16 shr_s 15", i16x8_shr_s, h(i16::MIN), 15, h(-1)),
        ("i16 shr_u 15", i16x8_shr_u, h(i16::MIN), 15, h(1)),
        ("i16 shr_u 16 = 0", i16x8_shr_u, h(-1), 16, h(-1)),
        ("i32 shl 32 = 0", i32x4_shl, w(3), 32, w(3)),
        ("i32 shl 31", i32x4_shl, w(3), 31, w(i32::MIN)),
        ("i32 shr_s 33 = 1", i32x4_shr_s, w(-4), 33, w(-2)),
        ("i32 shr_u 33 = 1", i32x4_shr_u, w(-4), 33, w(0x7fff_fffe)),
        ("i64 shl 65 = 1", i64x2_shl, d(3), 65, d(6)),
        ("i64 shr_s 63", i64x2_shr_s, d(i64::MIN), 63, d(-1)),
        ("i64 shr_u 63", i64x2_shr_u, d(i64::MIN), 63, d(1)),
        ("i64 shr_u -1 = 63", i64x2_shr_u, d(-1), -1, d(1)),
    ];
    for &(name, f, a, n, want) in cases {
        assert_eq!(f(a, n), want, "{name}");
    }
    // Lanes shift independently (no bits cross lanes).
    assert_eq!(i8x16_shl(u128::MAX, 4), b(-16));
    assert_eq!(i16x8_shr_u(u128::MAX, 12), h(0xf));
}

#[test]
fn q15mulr_sat() {
    check_binary(&[
        ("min*min saturates", i16x8_q15mulr_sat_s, h(i16::MIN), h(i16::MIN), h(i16::MAX)),
        ("half*half", i16x8_q15mulr_sat_s, h(0x4000), h(0x4000), h(0x2000)),
        ("max*max", i16x8_q15mulr_sat_s, h(i16::MAX), h(i16::MAX), h(0x7ffe)),
        ("min*max", i16x8_q15mulr_sat_s, h(i16::MIN), h(i16::MAX), h(-0x7fff)),
        ("rounding tie up", i16x8_q15mulr_sat_s, h(1), h(0x4000), h(1)),
        ("rounding negative tie up", i16x8_q15mulr_sat_s, h(-1), h(0x4000), h(0)),
        ("small", i16x8_q15mulr_sat_s, h(1), h(1), 0),
    ]);
}

#[test]
fn dot_product() {
    check_binary(&[
        (
            "simple",
            i32x4_dot_i16x8_s,
            i16s([1, 2, 3, 4, 5, 6, 7, 8]),
            i16s([1, 1, 1, 1, 2, 2, -1, -1]),
            i32s([3, 7, 22, -15]),
        ),
        ("wraps", i32x4_dot_i16x8_s, h(i16::MIN), h(i16::MIN), w(i32::MIN)),
        ("max", i32x4_dot_i16x8_s, h(i16::MAX), h(i16::MAX), w(2 * 32767 * 32767)),
        ("min*max", i32x4_dot_i16x8_s, h(i16::MIN), h(i16::MAX), w(-2 * 32768 * 32767)),
    ]);
}

#[test]
fn extending_multiplies() {
    let lo_hi = i8s([-128, -1, 2, 127, 0, 0, 0, 1, 127, -128, 3, 0, 0, 0, 0, -1]);
    check_binary(&[
        ("i16 low s", i16x8_extmul_low_i8x16_s, lo_hi, lo_hi, i16s([16384, 1, 4, 16129, 0, 0, 0, 1])),
        ("i16 high s", i16x8_extmul_high_i8x16_s, lo_hi, b(-1), i16s([-127, 128, -3, 0, 0, 0, 0, 1])),
        ("i16 low u", i16x8_extmul_low_i8x16_u, lo_hi, lo_hi, i16s([16384, -511, 4, 16129, 0, 0, 0, 1])),
        ("i16 high u", i16x8_extmul_high_i8x16_u, lo_hi, b(-1), i16s([32385, 32640, 765, 0, 0, 0, 0, -511])),
        ("i32 low s", i32x4_extmul_low_i16x8_s, h(i16::MIN), h(i16::MIN), w(1 << 30)),
        ("i32 high s", i32x4_extmul_high_i16x8_s, i16s([0, 0, 0, 0, -1, 2, 3, 4]), h(-3), i32s([3, -6, -9, -12])),
        ("i32 low u", i32x4_extmul_low_i16x8_u, h(-1), h(-1), w(-131071)),
        ("i32 high u", i32x4_extmul_high_i16x8_u, i16s([1, 1, 1, 1, 2, 2, 2, 2]), h(-1), w(131070)),
        ("i64 low s", i64x2_extmul_low_i32x4_s, w(i32::MIN), w(i32::MIN), d(1 << 62)),
        (
            "i64 high s",
            i64x2_extmul_high_i32x4_s,
            i32s([0, 0, -1, i32::MAX]),
            w(i32::MAX),
            i64s([-(i32::MAX as i64), (i32::MAX as i64).pow(2)]),
        ),
        ("i64 low u", i64x2_extmul_low_i32x4_u, w(-1), w(-1), d(-0x1_ffff_ffff)),
        ("i64 high u", i64x2_extmul_high_i32x4_u, i32s([9, 9, 2, 3]), w(-1), i64s([0x1_ffff_fffe, 0x2_ffff_fffd])),
    ]);
}

#[test]
fn pairwise_additions() {
    check_unary(&[
        ("i16 s", i16x8_extadd_pairwise_i8x16_s, b(-128), h(-256)),
        (
            "i16 s mixed",
            i16x8_extadd_pairwise_i8x16_s,
            i8s([1, 2, -1, -2, 127, 127, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0]),
            i16s([3, -3, 254, -1, 0, 0, 0, 0]),
        ),
        ("i16 u", i16x8_extadd_pairwise_i8x16_u, b(-1), h(510)),
        ("i32 s", i32x4_extadd_pairwise_i16x8_s, h(i16::MIN), w(-65536)),
        ("i32 u", i32x4_extadd_pairwise_i16x8_u, h(-1), w(131070)),
        (
            "i32 s mixed",
            i32x4_extadd_pairwise_i16x8_s,
            i16s([1, -2, 3, 4, 32767, 32767, -1, 1]),
            i32s([-1, 7, 65534, 0]),
        ),
    ]);
}
