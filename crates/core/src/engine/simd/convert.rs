//! Shape-changing instructions: saturating narrowing, sign/zero extension of the low or high
//! half, saturating float-to-int truncation (NaN → 0), int-to-float conversion (round to
//! nearest, ties to even), and `f32`/`f64` demotion/promotion. Instructions with a `_zero`
//! suffix produce two lanes and zero the upper half; `_low` ones read the lower half.

use super::{build, Lane};

/// Defines narrowing: `name: wide signed lane => narrow lane, low bound, high bound`. Lanes
/// `0..n/2` come from `a`, lanes `n/2..n` from `b`; each signed wide lane is clamped to the
/// narrow type's range (signed or unsigned).
macro_rules! narrow {
    ($($(#[$m:meta])* $name:ident: $w:ty => $n:ty;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            let half = <$w as Lane>::COUNT;
            build::<$n>(2 * half, |i| {
                let x = if i < half { <$w>::lane(a, i) } else { <$w>::lane(b, i - half) };
                x.clamp(<$n>::MIN as $w, <$n>::MAX as $w) as $n
            })
        }
    )*};
}

narrow! {
    /// `i8x16.narrow_i16x8_s`: signed 16-bit lanes of `a` then `b`, saturated to `i8`.
    i8x16_narrow_i16x8_s: i16 => i8;
    /// `i8x16.narrow_i16x8_u`: signed 16-bit lanes of `a` then `b`, saturated to `u8`.
    i8x16_narrow_i16x8_u: i16 => u8;
    /// `i16x8.narrow_i32x4_s`: signed 32-bit lanes of `a` then `b`, saturated to `i16`.
    i16x8_narrow_i32x4_s: i32 => i16;
    /// `i16x8.narrow_i32x4_u`: signed 32-bit lanes of `a` then `b`, saturated to `u16`.
    i16x8_narrow_i32x4_u: i32 => u16;
}

/// Defines extensions: `name: narrow lane type => wide lane type, first narrow lane`.
macro_rules! extend {
    ($($(#[$m:meta])* $name:ident: $n:ty => $w:ty, $first:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128) -> u128 {
            build::<$w>(<$w as Lane>::COUNT, |i| <$n>::lane(a, $first + i) as $w)
        }
    )*};
}

extend! {
    /// `i16x8.extend_low_i8x16_s`: lanes 0–7 sign-extended.
    i16x8_extend_low_i8x16_s: i8 => i16, 0;
    /// `i16x8.extend_high_i8x16_s`: lanes 8–15 sign-extended.
    i16x8_extend_high_i8x16_s: i8 => i16, 8;
    /// `i16x8.extend_low_i8x16_u`: lanes 0–7 zero-extended.
    i16x8_extend_low_i8x16_u: u8 => u16, 0;
    /// `i16x8.extend_high_i8x16_u`: lanes 8–15 zero-extended.
    i16x8_extend_high_i8x16_u: u8 => u16, 8;
    /// `i32x4.extend_low_i16x8_s`: lanes 0–3 sign-extended.
    i32x4_extend_low_i16x8_s: i16 => i32, 0;
    /// `i32x4.extend_high_i16x8_s`: lanes 4–7 sign-extended.
    i32x4_extend_high_i16x8_s: i16 => i32, 4;
    /// `i32x4.extend_low_i16x8_u`: lanes 0–3 zero-extended.
    i32x4_extend_low_i16x8_u: u16 => u32, 0;
    /// `i32x4.extend_high_i16x8_u`: lanes 4–7 zero-extended.
    i32x4_extend_high_i16x8_u: u16 => u32, 4;
    /// `i64x2.extend_low_i32x4_s`: lanes 0–1 sign-extended.
    i64x2_extend_low_i32x4_s: i32 => i64, 0;
    /// `i64x2.extend_high_i32x4_s`: lanes 2–3 sign-extended.
    i64x2_extend_high_i32x4_s: i32 => i64, 2;
    /// `i64x2.extend_low_i32x4_u`: lanes 0–1 zero-extended.
    i64x2_extend_low_i32x4_u: u32 => u64, 0;
    /// `i64x2.extend_high_i32x4_u`: lanes 2–3 zero-extended.
    i64x2_extend_high_i32x4_u: u32 => u64, 2;
}

/// Defines lane conversions: `name: source lane type => result lane type, result lanes
/// computed (the rest are zero)`. Each lane converts with Rust's `as`, which is exactly wasm's
/// semantics for these pairs: float → int saturates and maps NaN to 0 (`trunc_sat`), int →
/// float and `f64` → `f32` round to nearest (ties to even), `f32` → `f64` is exact, and a NaN
/// stays a NaN, quieted with its payload kept (an arithmetic NaN; canonical stays canonical).
macro_rules! convert {
    ($($(#[$m:meta])* $name:ident: $s:ty => $r:ty, $count:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128) -> u128 {
            build::<$r>($count, |i| <$s>::lane(a, i) as $r)
        }
    )*};
}

convert! {
    /// `i32x4.trunc_sat_f32x4_s`: truncate toward zero, saturating to `i32`; NaN → 0.
    i32x4_trunc_sat_f32x4_s: f32 => i32, 4;
    /// `i32x4.trunc_sat_f32x4_u`: truncate toward zero, saturating to `u32`; NaN → 0.
    i32x4_trunc_sat_f32x4_u: f32 => u32, 4;
    /// `i32x4.trunc_sat_f64x2_s_zero`: both `f64` lanes truncated and saturated to `i32` in
    /// lanes 0–1; lanes 2–3 are zero.
    i32x4_trunc_sat_f64x2_s_zero: f64 => i32, 2;
    /// `i32x4.trunc_sat_f64x2_u_zero`: both `f64` lanes truncated and saturated to `u32` in
    /// lanes 0–1; lanes 2–3 are zero.
    i32x4_trunc_sat_f64x2_u_zero: f64 => u32, 2;
    /// `f32x4.convert_i32x4_s`: signed lanes to `f32`, rounding to nearest (ties to even).
    f32x4_convert_i32x4_s: i32 => f32, 4;
    /// `f32x4.convert_i32x4_u`: unsigned lanes to `f32`, rounding to nearest (ties to even).
    f32x4_convert_i32x4_u: u32 => f32, 4;
    /// `f64x2.convert_low_i32x4_s`: signed lanes 0–1 to `f64` (exact).
    f64x2_convert_low_i32x4_s: i32 => f64, 2;
    /// `f64x2.convert_low_i32x4_u`: unsigned lanes 0–1 to `f64` (exact).
    f64x2_convert_low_i32x4_u: u32 => f64, 2;
    /// `f32x4.demote_f64x2_zero`: both `f64` lanes rounded to `f32` in lanes 0–1; lanes 2–3
    /// are `+0.0`.
    f32x4_demote_f64x2_zero: f64 => f32, 2;
    /// `f64x2.promote_low_f32x4`: `f32` lanes 0–1 widened to `f64` (exact).
    f64x2_promote_low_f32x4: f32 => f64, 2;
}
