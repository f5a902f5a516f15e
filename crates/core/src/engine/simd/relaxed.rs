//! Relaxed SIMD (WebAssembly 3.0), with the spec's **deterministic profile**: every
//! implementation-defined choice `relaxed(R)[A_0, ..., A_n]` takes `A_0`. That makes each
//! relaxed instruction a fixed function of its operands, equal to its non-relaxed counterpart
//! where there is one:
//!
//! | instruction | deterministic result |
//! |---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle` (index ≥ 16 → 0) |
//! | `i32x4.relaxed_trunc_*` | the `trunc_sat` counterpart (saturate, NaN → 0) |
//! | `f32x4`/`f64x2.relaxed_madd` | unfused `a * b + c` (two roundings) |
//! | `f32x4`/`f64x2.relaxed_nmadd` | unfused `-a * b + c` |
//! | `i*.relaxed_laneselect` | `v128.bitselect` (the mask is used bit by bit) |
//! | `f32x4`/`f64x2.relaxed_min`/`max` | `min`/`max` |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s` |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | signed 8×8-bit products, pairs added with signed saturation |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the above, adjacent 16-bit sums added into `c` |

//!
//! Why this profile rather than V8's x86-64 results: V8 lowers each relaxed instruction to the
//! native one (`pshufb`, `cvttps2dq`, `vfmadd` when the CPU has FMA, `blendv`, `minps`/`maxps`,
//! `pmulhrsw`, `pmaddubsw`), so its results on the inputs the spec leaves open (swizzle indices
//! 16–127, NaN or out-of-range truncation, rounding of `madd`, partial lane masks, NaN and ±0
//! in `min`/`max`, `-32768 * -32768`, a negative second dot-product operand) depend on the CPU;
//! Node 20 does not enable relaxed SIMD at all. The deterministic profile gives the same
//! results on every machine, and every one of them is a result the spec allows (the
//! relaxed-simd suite checks them with `either`).

use super::{build, convert, float, int, lanes, zip, Lane};

/// `i8x16.relaxed_swizzle`: as [`lanes::i8x16_swizzle`].
#[inline]
pub(crate) fn i8x16_relaxed_swizzle(a: u128, s: u128) -> u128 {
    lanes::i8x16_swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as [`convert::i32x4_trunc_sat_f32x4_s`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: u128) -> u128 {
    convert::i32x4_trunc_sat_f32x4_s(a)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as [`convert::i32x4_trunc_sat_f32x4_u`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: u128) -> u128 {
    convert::i32x4_trunc_sat_f32x4_u(a)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as [`convert::i32x4_trunc_sat_f64x2_s_zero`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: u128) -> u128 {
    convert::i32x4_trunc_sat_f64x2_s_zero(a)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as [`convert::i32x4_trunc_sat_f64x2_u_zero`].
#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: u128) -> u128 {
    convert::i32x4_trunc_sat_f64x2_u_zero(a)
}

/// `f32x4.relaxed_madd`: `a * b + c` per lane, unfused (the product is rounded first).
#[inline]
pub(crate) fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip::<f32, f32>(zip::<f32, f32>(a, b, |x, y| x * y), c, |p, z| p + z)
}

/// `f32x4.relaxed_nmadd`: `-a * b + c` per lane, unfused.
#[inline]
pub(crate) fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    f32x4_relaxed_madd(float::f32x4_neg(a), b, c)
}

/// `f64x2.relaxed_madd`: `a * b + c` per lane, unfused (the product is rounded first).
#[inline]
pub(crate) fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip::<f64, f64>(zip::<f64, f64>(a, b, |x, y| x * y), c, |p, z| p + z)
}

/// `f64x2.relaxed_nmadd`: `-a * b + c` per lane, unfused.
#[inline]
pub(crate) fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    f64x2_relaxed_madd(float::f64x2_neg(a), b, c)
}

/// `i8x16.relaxed_laneselect`: as [`lanes::v128_bitselect`]`(a, b, m)`.
#[inline]
pub(crate) fn i8x16_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    lanes::v128_bitselect(a, b, m)
}

/// `i16x8.relaxed_laneselect`: as [`lanes::v128_bitselect`]`(a, b, m)`.
#[inline]
pub(crate) fn i16x8_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    lanes::v128_bitselect(a, b, m)
}

/// `i32x4.relaxed_laneselect`: as [`lanes::v128_bitselect`]`(a, b, m)`.
#[inline]
pub(crate) fn i32x4_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    lanes::v128_bitselect(a, b, m)
}

/// `i64x2.relaxed_laneselect`: as [`lanes::v128_bitselect`]`(a, b, m)`.
#[inline]
pub(crate) fn i64x2_relaxed_laneselect(a: u128, b: u128, m: u128) -> u128 {
    lanes::v128_bitselect(a, b, m)
}

/// `f32x4.relaxed_min`: as [`float::f32x4_min`].
#[inline]
pub(crate) fn f32x4_relaxed_min(a: u128, b: u128) -> u128 {
    float::f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as [`float::f32x4_max`].
#[inline]
pub(crate) fn f32x4_relaxed_max(a: u128, b: u128) -> u128 {
    float::f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as [`float::f64x2_min`].
#[inline]
pub(crate) fn f64x2_relaxed_min(a: u128, b: u128) -> u128 {
    float::f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as [`float::f64x2_max`].
#[inline]
pub(crate) fn f64x2_relaxed_max(a: u128, b: u128) -> u128 {
    float::f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as [`int::i16x8_q15mulr_sat_s`] (`-32768 * -32768 → 32767`).
#[inline]
pub(crate) fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 {
    int::i16x8_q15mulr_sat_s(a, b)
}

/// The 16-bit intermediate of the relaxed dot products: lane `i` is
/// `sat_s16(a[2i]*b[2i] + a[2i+1]*b[2i+1])` over signed bytes (deterministic profile: `b` is
/// read as signed too). Only `(-128)(-128) + (-128)(-128) = 32768` saturates, to 32767.
#[inline(always)]
fn dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    build::<i16>(8, |i| {
        let p = |j: usize| i8::lane(a, j) as i16 * i8::lane(b, j) as i16;
        p(2 * i).saturating_add(p(2 * i + 1))
    })
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: signed dot product of adjacent byte pairs, saturated
/// to 16 bits (deterministic profile: the second operand is signed).
#[inline]
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    dot_i8x16_i7x16_s(a, b)
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the 16-bit pair sums of
/// [`i16x8_relaxed_dot_i8x16_i7x16_s`], adjacent ones added (sign-extended) into lane `i` of
/// `c`, wrapping.
#[inline]
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 {
    let d = dot_i8x16_i7x16_s(a, b);
    build::<i32>(4, |i| {
        let sum = i16::lane(d, 2 * i) as i32 + i16::lane(d, 2 * i + 1) as i32;
        sum.wrapping_add(i32::lane(c, i))
    })
}
