//! Unit tests of [`crate::engine::simd::relaxed`] (deterministic profile).

use super::super::relaxed::*;
use super::super::{convert, float, int, lanes};
use super::{f32s, f64s, i16s, i32s, i8s};

/// Replaces every NaN f32 lane by the canonical NaN.
fn nan32(v: u128) -> u128 {
    (0..4).fold(0, |acc, i| {
        let lane = (v >> (32 * i)) as u32;
        let lane = if f32::from_bits(lane).is_nan() { 0x7fc0_0000 } else { lane };
        acc | (lane as u128) << (32 * i)
    })
}

/// Replaces every NaN f64 lane by the canonical NaN.
fn nan64(v: u128) -> u128 {
    (0..2).fold(0, |acc, i| {
        let lane = (v >> (64 * i)) as u64;
        let lane = if f64::from_bits(lane).is_nan() { 0x7ff8_0000_0000_0000 } else { lane };
        acc | (lane as u128) << (64 * i)
    })
}

#[test]
fn counterparts() {
    let vs = [
        0u128,
        u128::MAX,
        f32s([f32::NAN, -0.0, 3e9, -2.5]),
        f64s([-1e300, f64::NAN]),
        0x8000_7fff_0102_ff80_4000_c000_0011_2233,
        i8s([16, 15, -1, -128, 127, 0, 1, 31, 32, 64, 5, 6, 7, 8, 9, 10]),
    ];
    // Operands go through `black_box`: in release builds LLVM would otherwise fold the NaN
    // arithmetic at compile time, with NaN bits that differ from the run-time instructions.
    let vs = vs.map(std::hint::black_box);
    for &a in &vs {
        let a = std::hint::black_box(a);
        assert_eq!(i32x4_relaxed_trunc_f32x4_s(a), convert::i32x4_trunc_sat_f32x4_s(a));
        assert_eq!(i32x4_relaxed_trunc_f32x4_u(a), convert::i32x4_trunc_sat_f32x4_u(a));
        assert_eq!(i32x4_relaxed_trunc_f64x2_s_zero(a), convert::i32x4_trunc_sat_f64x2_s_zero(a));
        assert_eq!(i32x4_relaxed_trunc_f64x2_u_zero(a), convert::i32x4_trunc_sat_f64x2_u_zero(a));
        for &b in &vs {
            let b = std::hint::black_box(b);
            assert_eq!(i8x16_relaxed_swizzle(a, b), lanes::i8x16_swizzle(a, b));
            // A NaN result may carry either operand's payload (both are valid arithmetic NaNs,
            // and LLVM may commute the add that produces it), so NaN lanes compare as "NaN".
            assert_eq!(nan32(f32x4_relaxed_min(a, b)), nan32(float::f32x4_min(a, b)));
            assert_eq!(nan32(f32x4_relaxed_max(a, b)), nan32(float::f32x4_max(a, b)));
            assert_eq!(nan64(f64x2_relaxed_min(a, b)), nan64(float::f64x2_min(a, b)));
            assert_eq!(nan64(f64x2_relaxed_max(a, b)), nan64(float::f64x2_max(a, b)));
            assert_eq!(i16x8_relaxed_q15mulr_s(a, b), int::i16x8_q15mulr_sat_s(a, b));
            for &m in &vs {
                let sel = lanes::v128_bitselect(a, b, m);
                assert_eq!(i8x16_relaxed_laneselect(a, b, m), sel);
                assert_eq!(i16x8_relaxed_laneselect(a, b, m), sel);
                assert_eq!(i32x4_relaxed_laneselect(a, b, m), sel);
                assert_eq!(i64x2_relaxed_laneselect(a, b, m), sel);
            }
        }
    }
}

#[test]
fn multiply_add_is_unfused() {
    // 1 + 2^-12 squared is 1 + 2^-11 + 2^-24: the product rounds to 1 + 2^-11 (ties to even in
    // f32), so subtracting 1 + 2^-11 gives 0 unfused but 2^-24 fused.
    let x = 1.0 + 2f32.powi(-12);
    let c = -(1.0 + 2f32.powi(-11));
    assert_eq!(f32x4_relaxed_madd(f32s([x; 4]), f32s([x; 4]), f32s([c; 4])), f32s([0.0; 4]));
    assert_eq!(f32x4_relaxed_nmadd(f32s([x; 4]), f32s([x; 4]), f32s([-c; 4])), f32s([0.0; 4]));
    let y = 1.0 + 2f64.powi(-27);
    let d = -(1.0 + 2f64.powi(-26));
    assert_eq!(f64x2_relaxed_madd(f64s([y; 2]), f64s([y; 2]), f64s([d; 2])), f64s([0.0; 2]));
    assert_eq!(f64x2_relaxed_nmadd(f64s([y; 2]), f64s([y; 2]), f64s([-d; 2])), f64s([0.0; 2]));
    assert_eq!(
        f32x4_relaxed_madd(f32s([2.0, 3.0, -1.0, 0.5]), f32s([3.0, 3.0, 5.0, 4.0]), f32s([1.0, -9.0, 5.0, 0.0])),
        f32s([7.0, 0.0, 0.0, 2.0])
    );
    assert_eq!(f64x2_relaxed_nmadd(f64s([2.0, 3.0]), f64s([3.0, -3.0]), f64s([1.0, 1.0])), f64s([-5.0, 10.0]));
}

#[test]
fn dot_products() {
    let iota = i8s([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(iota, iota), i16s([1, 13, 41, 85, 145, 221, 313, 421]));
    let a = i8s([-128, -128, 127, 127, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b = i8s([127, 127, 127, 127, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Signed × signed; the (-128)(-128) pair saturates to 32767.
    assert_eq!(i16x8_relaxed_dot_i8x16_i7x16_s(a, b), i16s([-32512, 32258, 32767, 0, 0, 0, 0, 0]));
    assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(iota, iota, i32s([0, 1, 2, 3])), i32s([14, 127, 368, 737]));
    let a = i8s([-128, -128, -128, -128, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    let b = i8s([127, 127, 127, 127, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, i32s([1, 2, 3, 4])), i32s([-65023, 64518, 3, 4]));
    let b = i8s([-127, -127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, i32s([1, 2, 3, 4])), i32s([65025, 2, 3, 4]));
    // The accumulation wraps.
    assert_eq!(i32x4_relaxed_dot_i8x16_i7x16_add_s(0, 0, i32s([i32::MAX; 4])), i32s([i32::MAX; 4]));
    assert_eq!(
        i32x4_relaxed_dot_i8x16_i7x16_add_s(i8s([1; 16]), i8s([1; 16]), i32s([i32::MAX; 4])),
        i32s([i32::MIN + 3; 4])
    );
}
