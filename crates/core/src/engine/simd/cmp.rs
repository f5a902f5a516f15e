//! Lane-wise comparisons: each result lane is all ones where the relation holds and all zeros
//! elsewhere. Float comparisons are IEEE (every relation with a NaN is false except `ne`, and
//! `-0 == +0`).

use super::mask;

/// Defines comparisons: `name: lane type => relation`.
macro_rules! compare {
    ($($(#[$m:meta])* $name:ident: $t:ty => $f:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            mask::<$t>(a, b, $f)
        }
    )*};
}

compare! {
    /// `i8x16.eq`.
    i8x16_eq: u8 => |x, y| x == y;
    /// `i8x16.ne`.
    i8x16_ne: u8 => |x, y| x != y;
    /// `i8x16.lt_s`.
    i8x16_lt_s: i8 => |x, y| x < y;
    /// `i8x16.lt_u`.
    i8x16_lt_u: u8 => |x, y| x < y;
    /// `i8x16.gt_s`.
    i8x16_gt_s: i8 => |x, y| x > y;
    /// `i8x16.gt_u`.
    i8x16_gt_u: u8 => |x, y| x > y;
    /// `i8x16.le_s`.
    i8x16_le_s: i8 => |x, y| x <= y;
    /// `i8x16.le_u`.
    i8x16_le_u: u8 => |x, y| x <= y;
    /// `i8x16.ge_s`.
    i8x16_ge_s: i8 => |x, y| x >= y;
    /// `i8x16.ge_u`.
    i8x16_ge_u: u8 => |x, y| x >= y;

    /// `i16x8.eq`.
    i16x8_eq: u16 => |x, y| x == y;
    /// `i16x8.ne`.
    i16x8_ne: u16 => |x, y| x != y;
    /// `i16x8.lt_s`.
    i16x8_lt_s: i16 => |x, y| x < y;
    /// `i16x8.lt_u`.
    i16x8_lt_u: u16 => |x, y| x < y;
    /// `i16x8.gt_s`.
    i16x8_gt_s: i16 => |x, y| x > y;
    /// `i16x8.gt_u`.
    i16x8_gt_u: u16 => |x, y| x > y;
    /// `i16x8.le_s`.
    i16x8_le_s: i16 => |x, y| x <= y;
    /// `i16x8.le_u`.
    i16x8_le_u: u16 => |x, y| x <= y;
    /// `i16x8.ge_s`.
    i16x8_ge_s: i16 => |x, y| x >= y;
    /// `i16x8.ge_u`.
    i16x8_ge_u: u16 => |x, y| x >= y;

    /// `i32x4.eq`.
    i32x4_eq: u32 => |x, y| x == y;
    /// `i32x4.ne`.
    i32x4_ne: u32 => |x, y| x != y;
    /// `i32x4.lt_s`.
    i32x4_lt_s: i32 => |x, y| x < y;
    /// `i32x4.lt_u`.
    i32x4_lt_u: u32 => |x, y| x < y;
    /// `i32x4.gt_s`.
    i32x4_gt_s: i32 => |x, y| x > y;
    /// `i32x4.gt_u`.
    i32x4_gt_u: u32 => |x, y| x > y;
    /// `i32x4.le_s`.
    i32x4_le_s: i32 => |x, y| x <= y;
    /// `i32x4.le_u`.
    i32x4_le_u: u32 => |x, y| x <= y;
    /// `i32x4.ge_s`.
    i32x4_ge_s: i32 => |x, y| x >= y;
    /// `i32x4.ge_u`.
    i32x4_ge_u: u32 => |x, y| x >= y;

    /// `i64x2.eq`.
    i64x2_eq: u64 => |x, y| x == y;
    /// `i64x2.ne`.
    i64x2_ne: u64 => |x, y| x != y;
    /// `i64x2.lt_s` (there are no unsigned `i64x2` orderings).
    i64x2_lt_s: i64 => |x, y| x < y;
    /// `i64x2.gt_s`.
    i64x2_gt_s: i64 => |x, y| x > y;
    /// `i64x2.le_s`.
    i64x2_le_s: i64 => |x, y| x <= y;
    /// `i64x2.ge_s`.
    i64x2_ge_s: i64 => |x, y| x >= y;

    /// `f32x4.eq` (false for NaN, `-0 == +0`).
    f32x4_eq: f32 => |x, y| x == y;
    /// `f32x4.ne` (true for NaN).
    f32x4_ne: f32 => |x, y| x != y;
    /// `f32x4.lt`.
    f32x4_lt: f32 => |x, y| x < y;
    /// `f32x4.gt`.
    f32x4_gt: f32 => |x, y| x > y;
    /// `f32x4.le`.
    f32x4_le: f32 => |x, y| x <= y;
    /// `f32x4.ge`.
    f32x4_ge: f32 => |x, y| x >= y;

    /// `f64x2.eq` (false for NaN, `-0 == +0`).
    f64x2_eq: f64 => |x, y| x == y;
    /// `f64x2.ne` (true for NaN).
    f64x2_ne: f64 => |x, y| x != y;
    /// `f64x2.lt`.
    f64x2_lt: f64 => |x, y| x < y;
    /// `f64x2.gt`.
    f64x2_gt: f64 => |x, y| x > y;
    /// `f64x2.le`.
    f64x2_le: f64 => |x, y| x <= y;
    /// `f64x2.ge`.
    f64x2_ge: f64 => |x, y| x >= y;
}
