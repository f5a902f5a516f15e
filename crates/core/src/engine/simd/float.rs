//! Floating-point lane arithmetic, with the scalar wasm rules per lane: IEEE arithmetic with
//! hardware NaN propagation, `min`/`max` that propagate NaN and order `-0 < +0`, the
//! pseudo-min/max `pmin`/`pmax` (pure selections that return an operand bit for bit), sign-bit
//! `abs`/`neg` that keep NaN payloads, and roundings that quiet signalling NaNs.
//!
//! The NaN-sensitive scalar rules are shared with the scalar instructions (`engine::numeric`),
//! so a lane behaves exactly like the corresponding `f32.*`/`f64.*` instruction.

use super::{map, zip};
use crate::engine::numeric as num;

unary! {
    /// `f32x4.abs`: clears the sign bits (NaN payloads unchanged).
    f32x4_abs: u32 => |x| x & !num::F32_SIGN;
    /// `f32x4.neg`: flips the sign bits (NaN payloads unchanged).
    f32x4_neg: u32 => |x| x ^ num::F32_SIGN;
    /// `f32x4.sqrt` (correctly rounded).
    f32x4_sqrt: f32 => f32::sqrt;
    /// `f32x4.ceil`: round toward +∞.
    f32x4_ceil: f32 => num::f32_ceil;
    /// `f32x4.floor`: round toward −∞.
    f32x4_floor: f32 => num::f32_floor;
    /// `f32x4.trunc`: round toward zero.
    f32x4_trunc: f32 => num::f32_trunc;
    /// `f32x4.nearest`: round to the nearest integer, ties to even.
    f32x4_nearest: f32 => num::f32_nearest;
    /// `f64x2.abs`: clears the sign bits (NaN payloads unchanged).
    f64x2_abs: u64 => |x| x & !num::F64_SIGN;
    /// `f64x2.neg`: flips the sign bits (NaN payloads unchanged).
    f64x2_neg: u64 => |x| x ^ num::F64_SIGN;
    /// `f64x2.sqrt` (correctly rounded).
    f64x2_sqrt: f64 => f64::sqrt;
    /// `f64x2.ceil`: round toward +∞.
    f64x2_ceil: f64 => num::f64_ceil;
    /// `f64x2.floor`: round toward −∞.
    f64x2_floor: f64 => num::f64_floor;
    /// `f64x2.trunc`: round toward zero.
    f64x2_trunc: f64 => num::f64_trunc;
    /// `f64x2.nearest`: round to the nearest integer, ties to even.
    f64x2_nearest: f64 => num::f64_nearest;
}

binary! {
    /// `f32x4.add`.
    f32x4_add: f32 => |x, y| x + y;
    /// `f32x4.sub`.
    f32x4_sub: f32 => |x, y| x - y;
    /// `f32x4.mul`.
    f32x4_mul: f32 => |x, y| x * y;
    /// `f32x4.div`.
    f32x4_div: f32 => |x, y| x / y;
    /// `f32x4.min`: NaN if either lane is NaN; `min(-0, +0) = -0`.
    f32x4_min: f32 => num::f32_min;
    /// `f32x4.max`: NaN if either lane is NaN; `max(-0, +0) = +0`.
    f32x4_max: f32 => num::f32_max;
    /// `f32x4.pmin`: pseudo-minimum `b < a ? b : a` (returns `a` when either is NaN).
    f32x4_pmin: u32 => |x, y| if f32::from_bits(y) < f32::from_bits(x) { y } else { x };
    /// `f32x4.pmax`: pseudo-maximum `a < b ? b : a` (returns `a` when either is NaN).
    f32x4_pmax: u32 => |x, y| if f32::from_bits(x) < f32::from_bits(y) { y } else { x };

    /// `f64x2.add`.
    f64x2_add: f64 => |x, y| x + y;
    /// `f64x2.sub`.
    f64x2_sub: f64 => |x, y| x - y;
    /// `f64x2.mul`.
    f64x2_mul: f64 => |x, y| x * y;
    /// `f64x2.div`.
    f64x2_div: f64 => |x, y| x / y;
    /// `f64x2.min`: NaN if either lane is NaN; `min(-0, +0) = -0`.
    f64x2_min: f64 => num::f64_min;
    /// `f64x2.max`: NaN if either lane is NaN; `max(-0, +0) = +0`.
    f64x2_max: f64 => num::f64_max;
    /// `f64x2.pmin`: pseudo-minimum `b < a ? b : a` (returns `a` when either is NaN).
    f64x2_pmin: u64 => |x, y| if f64::from_bits(y) < f64::from_bits(x) { y } else { x };
    /// `f64x2.pmax`: pseudo-maximum `a < b ? b : a` (returns `a` when either is NaN).
    f64x2_pmax: u64 => |x, y| if f64::from_bits(x) < f64::from_bits(y) { y } else { x };
}
