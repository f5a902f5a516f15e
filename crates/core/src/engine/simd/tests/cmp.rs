//! Unit tests of [`crate::engine::simd::cmp`].

use super::super::cmp::*;
use super::{check_binary, f32s, f64s, i16s, i32s, i64s, i8s};

/// All-ones / all-zeros lanes from booleans, for `N` lanes.
fn m<const N: usize>(l: [bool; N]) -> u128 {
    let bits = 128 / N as u32;
    let ones = u128::MAX >> (128 - bits);
    l.iter().enumerate().fold(0, |acc, (i, &t)| if t { acc | ones << (i as u32 * bits) } else { acc })
}

const T: bool = true;
const F: bool = false;

#[test]
fn integer_comparisons() {
    let a8 = i8s([-1, 0, 1, 127, -128, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b8 = i8s([1, 0, -1, -128, 127, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // Per lane: -1?1, 0?0, 1?-1, 127?-128, -128?127, 5?5, 5?6, then zeros, last 0?1.
    let z = [F; 8];
    let cat = |h: [bool; 7], last: bool| {
        let mut l = [false; 16];
        l[..7].copy_from_slice(&h);
        l[7..15].copy_from_slice(&z);
        l[15] = last;
        l
    };
    let eq = cat([F, T, F, F, F, T, F], F);
    let eq_rest = |mut l: [bool; 16]| {
        l[7..15].copy_from_slice(&[T; 8]);
        l
    };
    check_binary(&[
        ("i8 eq", i8x16_eq, a8, b8, m(eq_rest(eq))),
        ("i8 ne", i8x16_ne, a8, b8, !m(eq_rest(eq))),
        ("i8 lt_s", i8x16_lt_s, a8, b8, m(cat([T, F, F, F, T, F, T], T))),
        ("i8 lt_u", i8x16_lt_u, a8, b8, m(cat([F, F, T, T, F, F, T], T))),
        ("i8 gt_s", i8x16_gt_s, a8, b8, m(cat([F, F, T, T, F, F, F], F))),
        ("i8 gt_u", i8x16_gt_u, a8, b8, m(cat([T, F, F, F, T, F, F], F))),
        ("i8 le_s", i8x16_le_s, a8, b8, m(eq_rest(cat([T, T, F, F, T, T, T], T)))),
        ("i8 le_u", i8x16_le_u, a8, b8, m(eq_rest(cat([F, T, T, T, F, T, T], T)))),
        ("i8 ge_s", i8x16_ge_s, a8, b8, m(eq_rest(cat([F, T, T, T, F, T, F], F)))),
        ("i8 ge_u", i8x16_ge_u, a8, b8, m(eq_rest(cat([T, T, F, F, T, T, F], F)))),
    ]);
    let a16 = i16s([-1, 0, 1, i16::MAX, i16::MIN, 5, 5, 0]);
    let b16 = i16s([1, 0, -1, i16::MIN, i16::MAX, 5, 6, 1]);
    check_binary(&[
        ("i16 eq", i16x8_eq, a16, b16, m([F, T, F, F, F, T, F, F])),
        ("i16 ne", i16x8_ne, a16, b16, m([T, F, T, T, T, F, T, T])),
        ("i16 lt_s", i16x8_lt_s, a16, b16, m([T, F, F, F, T, F, T, T])),
        ("i16 lt_u", i16x8_lt_u, a16, b16, m([F, F, T, T, F, F, T, T])),
        ("i16 gt_s", i16x8_gt_s, a16, b16, m([F, F, T, T, F, F, F, F])),
        ("i16 gt_u", i16x8_gt_u, a16, b16, m([T, F, F, F, T, F, F, F])),
        ("i16 le_s", i16x8_le_s, a16, b16, m([T, T, F, F, T, T, T, T])),
        ("i16 le_u", i16x8_le_u, a16, b16, m([F, T, T, T, F, T, T, T])),
        ("i16 ge_s", i16x8_ge_s, a16, b16, m([F, T, T, T, F, T, F, F])),
        ("i16 ge_u", i16x8_ge_u, a16, b16, m([T, T, F, F, T, T, F, F])),
    ]);
    let a32 = i32s([-1, 0, i32::MAX, i32::MIN]);
    let b32 = i32s([1, 0, i32::MIN, i32::MAX]);
    check_binary(&[
        ("i32 eq", i32x4_eq, a32, b32, m([F, T, F, F])),
        ("i32 ne", i32x4_ne, a32, b32, m([T, F, T, T])),
        ("i32 lt_s", i32x4_lt_s, a32, b32, m([T, F, F, T])),
        ("i32 lt_u", i32x4_lt_u, a32, b32, m([F, F, T, F])),
        ("i32 gt_s", i32x4_gt_s, a32, b32, m([F, F, T, F])),
        ("i32 gt_u", i32x4_gt_u, a32, b32, m([T, F, F, T])),
        ("i32 le_s", i32x4_le_s, a32, b32, m([T, T, F, T])),
        ("i32 le_u", i32x4_le_u, a32, b32, m([F, T, T, F])),
        ("i32 ge_s", i32x4_ge_s, a32, b32, m([F, T, T, F])),
        ("i32 ge_u", i32x4_ge_u, a32, b32, m([T, T, F, T])),
    ]);
    let a64 = i64s([-1, i64::MAX]);
    let b64 = i64s([1, i64::MAX]);
    check_binary(&[
        ("i64 eq", i64x2_eq, a64, b64, m([F, T])),
        ("i64 ne", i64x2_ne, a64, b64, m([T, F])),
        ("i64 lt_s", i64x2_lt_s, a64, b64, m([T, F])),
        ("i64 gt_s", i64x2_gt_s, a64, b64, m([F, F])),
        ("i64 le_s", i64x2_le_s, a64, b64, m([T, T])),
        ("i64 ge_s", i64x2_ge_s, a64, b64, m([F, T])),
        ("i64 gt_s min", i64x2_gt_s, i64s([i64::MIN, 0]), i64s([i64::MAX, i64::MIN]), m([F, T])),
    ]);
}

#[test]
fn float_comparisons() {
    let a = f32s([f32::NAN, -0.0, 1.0, f32::NEG_INFINITY]);
    let b = f32s([f32::NAN, 0.0, 2.0, f32::NEG_INFINITY]);
    check_binary(&[
        ("f32 eq", f32x4_eq, a, b, m([F, T, F, T])),
        ("f32 ne", f32x4_ne, a, b, m([T, F, T, F])),
        ("f32 lt", f32x4_lt, a, b, m([F, F, T, F])),
        ("f32 gt", f32x4_gt, a, b, m([F, F, F, F])),
        ("f32 le", f32x4_le, a, b, m([F, T, T, T])),
        ("f32 ge", f32x4_ge, a, b, m([F, T, F, T])),
        ("f32 lt nan right", f32x4_lt, f32s([1.0; 4]), f32s([f32::NAN, 2.0, 0.5, 1.0]), m([F, T, F, F])),
    ]);
    let a = f64s([f64::NAN, 1.0]);
    let b = f64s([0.0, f64::INFINITY]);
    check_binary(&[
        ("f64 eq", f64x2_eq, a, b, m([F, F])),
        ("f64 ne", f64x2_ne, a, b, m([T, T])),
        ("f64 lt", f64x2_lt, a, b, m([F, T])),
        ("f64 gt", f64x2_gt, a, b, m([F, F])),
        ("f64 le", f64x2_le, a, b, m([F, T])),
        ("f64 ge", f64x2_ge, a, b, m([F, F])),
        ("f64 eq zeros", f64x2_eq, f64s([-0.0, 0.0]), f64s([0.0, -0.0]), m([T, T])),
    ]);
}
