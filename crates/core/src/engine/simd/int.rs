//! Integer lane arithmetic: wrapping and saturating add/sub, mul, neg/abs, min/max, rounding
//! average, shifts (count modulo the lane width), `popcnt`, `q15mulr_sat_s`, the `i32x4` dot
//! product, and the extending multiplies and pairwise additions.

use super::{build, map, zip, Lane};

/// Defines shifts: the `i32` count is taken modulo the lane width, then each lane is shifted
/// with the per-lane function (`<<` on the unsigned type, `>>` on the signed or unsigned
/// type for arithmetic or logical right shifts).
macro_rules! shift {
    ($($(#[$m:meta])* $name:ident: $t:ty => $f:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128, count: i32) -> u128 {
            let s = count as u32 & (<$t as Lane>::BITS - 1);
            let f: fn($t, u32) -> $t = $f;
            map::<$t, $t>(a, |x| f(x, s))
        }
    )*};
}

unary! {
    /// `i8x16.abs` (wrapping: `abs(-128) = -128`).
    i8x16_abs: i8 => i8::wrapping_abs;
    /// `i8x16.neg` (wrapping).
    i8x16_neg: i8 => i8::wrapping_neg;
    /// `i8x16.popcnt`: the number of set bits of each lane.
    i8x16_popcnt: u8 => |x| x.count_ones() as u8;
    /// `i16x8.abs` (wrapping).
    i16x8_abs: i16 => i16::wrapping_abs;
    /// `i16x8.neg` (wrapping).
    i16x8_neg: i16 => i16::wrapping_neg;
    /// `i32x4.abs` (wrapping).
    i32x4_abs: i32 => i32::wrapping_abs;
    /// `i32x4.neg` (wrapping).
    i32x4_neg: i32 => i32::wrapping_neg;
    /// `i64x2.abs` (wrapping).
    i64x2_abs: i64 => i64::wrapping_abs;
    /// `i64x2.neg` (wrapping).
    i64x2_neg: i64 => i64::wrapping_neg;
}

shift! {
    /// `i8x16.shl`: shift left by the count modulo 8.
    i8x16_shl: u8 => |x, s| x << s;
    /// `i8x16.shr_s`: arithmetic shift right by the count modulo 8.
    i8x16_shr_s: i8 => |x, s| x >> s;
    /// `i8x16.shr_u`: logical shift right by the count modulo 8.
    i8x16_shr_u: u8 => |x, s| x >> s;
    /// `i16x8.shl`: shift left by the count modulo 16.
    i16x8_shl: u16 => |x, s| x << s;
    /// `i16x8.shr_s`: arithmetic shift right by the count modulo 16.
    i16x8_shr_s: i16 => |x, s| x >> s;
    /// `i16x8.shr_u`: logical shift right by the count modulo 16.
    i16x8_shr_u: u16 => |x, s| x >> s;
    /// `i32x4.shl`: shift left by the count modulo 32.
    i32x4_shl: u32 => |x, s| x << s;
    /// `i32x4.shr_s`: arithmetic shift right by the count modulo 32.
    i32x4_shr_s: i32 => |x, s| x >> s;
    /// `i32x4.shr_u`: logical shift right by the count modulo 32.
    i32x4_shr_u: u32 => |x, s| x >> s;
    /// `i64x2.shl`: shift left by the count modulo 64.
    i64x2_shl: u64 => |x, s| x << s;
    /// `i64x2.shr_s`: arithmetic shift right by the count modulo 64.
    i64x2_shr_s: i64 => |x, s| x >> s;
    /// `i64x2.shr_u`: logical shift right by the count modulo 64.
    i64x2_shr_u: u64 => |x, s| x >> s;
}

binary! {
    /// `i8x16.add` (wrapping).
    i8x16_add: u8 => u8::wrapping_add;
    /// `i8x16.add_sat_s`: signed saturating addition.
    i8x16_add_sat_s: i8 => i8::saturating_add;
    /// `i8x16.add_sat_u`: unsigned saturating addition.
    i8x16_add_sat_u: u8 => u8::saturating_add;
    /// `i8x16.sub` (wrapping).
    i8x16_sub: u8 => u8::wrapping_sub;
    /// `i8x16.sub_sat_s`: signed saturating subtraction.
    i8x16_sub_sat_s: i8 => i8::saturating_sub;
    /// `i8x16.sub_sat_u`: unsigned saturating subtraction (floors at 0).
    i8x16_sub_sat_u: u8 => u8::saturating_sub;
    /// `i8x16.min_s`.
    i8x16_min_s: i8 => i8::min;
    /// `i8x16.min_u`.
    i8x16_min_u: u8 => u8::min;
    /// `i8x16.max_s`.
    i8x16_max_s: i8 => i8::max;
    /// `i8x16.max_u`.
    i8x16_max_u: u8 => u8::max;
    /// `i8x16.avgr_u`: unsigned average rounding up, `(a + b + 1) / 2` without overflow.
    i8x16_avgr_u: u8 => |x, y| ((x as u16 + y as u16 + 1) >> 1) as u8;

    /// `i16x8.add` (wrapping).
    i16x8_add: u16 => u16::wrapping_add;
    /// `i16x8.add_sat_s`: signed saturating addition.
    i16x8_add_sat_s: i16 => i16::saturating_add;
    /// `i16x8.add_sat_u`: unsigned saturating addition.
    i16x8_add_sat_u: u16 => u16::saturating_add;
    /// `i16x8.sub` (wrapping).
    i16x8_sub: u16 => u16::wrapping_sub;
    /// `i16x8.sub_sat_s`: signed saturating subtraction.
    i16x8_sub_sat_s: i16 => i16::saturating_sub;
    /// `i16x8.sub_sat_u`: unsigned saturating subtraction (floors at 0).
    i16x8_sub_sat_u: u16 => u16::saturating_sub;
    /// `i16x8.mul` (wrapping, low 16 bits of the product).
    i16x8_mul: u16 => u16::wrapping_mul;
    /// `i16x8.min_s`.
    i16x8_min_s: i16 => i16::min;
    /// `i16x8.min_u`.
    i16x8_min_u: u16 => u16::min;
    /// `i16x8.max_s`.
    i16x8_max_s: i16 => i16::max;
    /// `i16x8.max_u`.
    i16x8_max_u: u16 => u16::max;
    /// `i16x8.avgr_u`: unsigned average rounding up.
    i16x8_avgr_u: u16 => |x, y| ((x as u32 + y as u32 + 1) >> 1) as u16;
    /// `i16x8.q15mulr_sat_s`: Q15 fixed-point multiply rounding to nearest (ties up),
    /// `sat((a * b + 0x4000) >> 15)`; only `-32768 * -32768` saturates (to 32767).
    i16x8_q15mulr_sat_s: i16 => q15mulr_sat;

    /// `i32x4.add` (wrapping).
    i32x4_add: u32 => u32::wrapping_add;
    /// `i32x4.sub` (wrapping).
    i32x4_sub: u32 => u32::wrapping_sub;
    /// `i32x4.mul` (wrapping).
    i32x4_mul: u32 => u32::wrapping_mul;
    /// `i32x4.min_s`.
    i32x4_min_s: i32 => i32::min;
    /// `i32x4.min_u`.
    i32x4_min_u: u32 => u32::min;
    /// `i32x4.max_s`.
    i32x4_max_s: i32 => i32::max;
    /// `i32x4.max_u`.
    i32x4_max_u: u32 => u32::max;

    /// `i64x2.add` (wrapping).
    i64x2_add: u64 => u64::wrapping_add;
    /// `i64x2.sub` (wrapping).
    i64x2_sub: u64 => u64::wrapping_sub;
    /// `i64x2.mul` (wrapping).
    i64x2_mul: u64 => u64::wrapping_mul;
}

/// One lane of `q15mulr_sat_s`.
#[inline(always)]
pub(crate) fn q15mulr_sat(x: i16, y: i16) -> i16 {
    ((x as i32 * y as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
}

/// `i32x4.dot_i16x8_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]` of the signed 16-bit lanes,
/// wrapping to 32 bits (only `4 * (-32768)^2 / 2 = 2^31` wraps, to `i32::MIN`).
#[inline]
pub(crate) fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 {
    build::<i32>(4, |i| {
        let p = |j: usize| i16::lane(a, j) as i32 * i16::lane(b, j) as i32;
        p(2 * i).wrapping_add(p(2 * i + 1))
    })
}

/// Defines extending multiplies: `name: narrow lane type => wide lane type, first lane`.
/// Lane `i` of the result is the exact product of narrow lanes `first + i` of both operands
/// (the product always fits the wide lane: `255 * 255 < 2^16`, `(-128)^2 <= 2^15 - 1`, ...).
macro_rules! extmul {
    ($($(#[$m:meta])* $name:ident: $n:ty => $w:ty, $first:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            build::<$w>(<$w as Lane>::COUNT, |i| {
                (<$n>::lane(a, $first + i) as $w).wrapping_mul(<$n>::lane(b, $first + i) as $w)
            })
        }
    )*};
}

extmul! {
    /// `i16x8.extmul_low_i8x16_s`: signed products of lanes 0–7.
    i16x8_extmul_low_i8x16_s: i8 => i16, 0;
    /// `i16x8.extmul_high_i8x16_s`: signed products of lanes 8–15.
    i16x8_extmul_high_i8x16_s: i8 => i16, 8;
    /// `i16x8.extmul_low_i8x16_u`: unsigned products of lanes 0–7.
    i16x8_extmul_low_i8x16_u: u8 => u16, 0;
    /// `i16x8.extmul_high_i8x16_u`: unsigned products of lanes 8–15.
    i16x8_extmul_high_i8x16_u: u8 => u16, 8;
    /// `i32x4.extmul_low_i16x8_s`: signed products of lanes 0–3.
    i32x4_extmul_low_i16x8_s: i16 => i32, 0;
    /// `i32x4.extmul_high_i16x8_s`: signed products of lanes 4–7.
    i32x4_extmul_high_i16x8_s: i16 => i32, 4;
    /// `i32x4.extmul_low_i16x8_u`: unsigned products of lanes 0–3.
    i32x4_extmul_low_i16x8_u: u16 => u32, 0;
    /// `i32x4.extmul_high_i16x8_u`: unsigned products of lanes 4–7.
    i32x4_extmul_high_i16x8_u: u16 => u32, 4;
    /// `i64x2.extmul_low_i32x4_s`: signed products of lanes 0–1.
    i64x2_extmul_low_i32x4_s: i32 => i64, 0;
    /// `i64x2.extmul_high_i32x4_s`: signed products of lanes 2–3.
    i64x2_extmul_high_i32x4_s: i32 => i64, 2;
    /// `i64x2.extmul_low_i32x4_u`: unsigned products of lanes 0–1.
    i64x2_extmul_low_i32x4_u: u32 => u64, 0;
    /// `i64x2.extmul_high_i32x4_u`: unsigned products of lanes 2–3.
    i64x2_extmul_high_i32x4_u: u32 => u64, 2;
}

/// Defines pairwise extending additions: `name: narrow lane type => wide lane type`. Lane `i`
/// of the result is the sum of narrow lanes `2i` and `2i + 1`, extended (never overflows).
macro_rules! extadd_pairwise {
    ($($(#[$m:meta])* $name:ident: $n:ty => $w:ty;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128) -> u128 {
            build::<$w>(<$w as Lane>::COUNT, |i| <$n>::lane(a, 2 * i) as $w + <$n>::lane(a, 2 * i + 1) as $w)
        }
    )*};
}

extadd_pairwise! {
    /// `i16x8.extadd_pairwise_i8x16_s`: signed sums of adjacent byte lanes.
    i16x8_extadd_pairwise_i8x16_s: i8 => i16;
    /// `i16x8.extadd_pairwise_i8x16_u`: unsigned sums of adjacent byte lanes.
    i16x8_extadd_pairwise_i8x16_u: u8 => u16;
    /// `i32x4.extadd_pairwise_i16x8_s`: signed sums of adjacent 16-bit lanes.
    i32x4_extadd_pairwise_i16x8_s: i16 => i32;
    /// `i32x4.extadd_pairwise_i16x8_u`: unsigned sums of adjacent 16-bit lanes.
    i32x4_extadd_pairwise_i16x8_u: u16 => u32;
}
