//! Whole-vector and lane-access instructions: `v128.const`, splats, `extract_lane` /
//! `replace_lane`, `i8x16.shuffle` / `i8x16.swizzle`, the bitwise operations, and the boolean
//! reductions (`any_true`, `all_true`, `bitmask`).

use super::Lane;

/// `v128.const`: the immediate's 16 bytes, lane 0 first.
#[inline]
pub(crate) fn v128_const(bytes: [u8; 16]) -> u128 {
    u128::from_le_bytes(bytes)
}

/// Repeats the low `T::BITS` bits of `x` into every lane.
#[inline(always)]
fn splat<T: Lane>(x: u128) -> u128 {
    // Multiplying by 0x..0101 (with the lane width as spacing) copies the lane everywhere.
    (x & T::ONES) * (u128::MAX / T::ONES)
}

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline]
pub(crate) fn i8x16_splat(x: i32) -> u128 {
    splat::<u8>(x as u32 as u128)
}

/// `i16x8.splat`: the low 16 bits of `x` in every lane.
#[inline]
pub(crate) fn i16x8_splat(x: i32) -> u128 {
    splat::<u16>(x as u32 as u128)
}

/// `i32x4.splat`.
#[inline]
pub(crate) fn i32x4_splat(x: i32) -> u128 {
    splat::<u32>(x as u32 as u128)
}

/// `i64x2.splat`.
#[inline]
pub(crate) fn i64x2_splat(x: i64) -> u128 {
    splat::<u64>(x as u64 as u128)
}

/// `f32x4.splat` (the float as raw bits).
#[inline]
pub(crate) fn f32x4_splat(x: u32) -> u128 {
    splat::<u32>(x as u128)
}

/// `f64x2.splat` (the float as raw bits).
#[inline]
pub(crate) fn f64x2_splat(x: u64) -> u128 {
    splat::<u64>(x as u128)
}

/// Lane `lane` (masked to the lane count) of `a`.
#[inline(always)]
fn get<T: Lane>(a: u128, lane: u8) -> T {
    T::lane(a, lane as usize & (T::COUNT - 1))
}

/// `a` with lane `lane` (masked to the lane count) replaced by `x`.
#[inline(always)]
fn set<T: Lane>(a: u128, lane: u8, x: T) -> u128 {
    let i = lane as usize & (T::COUNT - 1);
    (a & !(T::ONES << (i as u32 * T::BITS))) | x.place(i)
}

/// `i8x16.extract_lane_s`: the lane sign-extended to `i32`.
#[inline]
pub(crate) fn i8x16_extract_lane_s(a: u128, lane: u8) -> i32 {
    get::<i8>(a, lane) as i32
}

/// `i8x16.extract_lane_u`: the lane zero-extended to `i32`.
#[inline]
pub(crate) fn i8x16_extract_lane_u(a: u128, lane: u8) -> i32 {
    get::<u8>(a, lane) as i32
}

/// `i16x8.extract_lane_s`: the lane sign-extended to `i32`.
#[inline]
pub(crate) fn i16x8_extract_lane_s(a: u128, lane: u8) -> i32 {
    get::<i16>(a, lane) as i32
}

/// `i16x8.extract_lane_u`: the lane zero-extended to `i32`.
#[inline]
pub(crate) fn i16x8_extract_lane_u(a: u128, lane: u8) -> i32 {
    get::<u16>(a, lane) as i32
}

/// `i32x4.extract_lane`.
#[inline]
pub(crate) fn i32x4_extract_lane(a: u128, lane: u8) -> i32 {
    get::<i32>(a, lane)
}

/// `i64x2.extract_lane`.
#[inline]
pub(crate) fn i64x2_extract_lane(a: u128, lane: u8) -> i64 {
    get::<i64>(a, lane)
}

/// `f32x4.extract_lane` (raw bits, payload preserved).
#[inline]
pub(crate) fn f32x4_extract_lane(a: u128, lane: u8) -> u32 {
    get::<u32>(a, lane)
}

/// `f64x2.extract_lane` (raw bits, payload preserved).
#[inline]
pub(crate) fn f64x2_extract_lane(a: u128, lane: u8) -> u64 {
    get::<u64>(a, lane)
}

/// `i8x16.replace_lane`: the low 8 bits of `x` replace the lane.
#[inline]
pub(crate) fn i8x16_replace_lane(a: u128, lane: u8, x: i32) -> u128 {
    set::<u8>(a, lane, x as u8)
}

/// `i16x8.replace_lane`: the low 16 bits of `x` replace the lane.
#[inline]
pub(crate) fn i16x8_replace_lane(a: u128, lane: u8, x: i32) -> u128 {
    set::<u16>(a, lane, x as u16)
}

/// `i32x4.replace_lane`.
#[inline]
pub(crate) fn i32x4_replace_lane(a: u128, lane: u8, x: i32) -> u128 {
    set::<i32>(a, lane, x)
}

/// `i64x2.replace_lane`.
#[inline]
pub(crate) fn i64x2_replace_lane(a: u128, lane: u8, x: i64) -> u128 {
    set::<i64>(a, lane, x)
}

/// `f32x4.replace_lane` (raw bits).
#[inline]
pub(crate) fn f32x4_replace_lane(a: u128, lane: u8, x: u32) -> u128 {
    set::<u32>(a, lane, x)
}

/// `f64x2.replace_lane` (raw bits).
#[inline]
pub(crate) fn f64x2_replace_lane(a: u128, lane: u8, x: u64) -> u128 {
    set::<u64>(a, lane, x)
}

/// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32-byte concatenation `a ++ b`
/// (indices 0–15 select from `a`, 16–31 from `b`; validation guarantees `< 32`, higher bits are
/// ignored).
#[inline]
pub(crate) fn i8x16_shuffle(a: u128, b: u128, lanes: [u8; 16]) -> u128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    u128::from_le_bytes(lanes.map(|l| {
        let l = (l & 31) as usize;
        if l < 16 {
            a[l]
        } else {
            b[l - 16]
        }
    }))
}

/// `i8x16.swizzle`: result byte `i` is byte `s[i]` of `a`, or 0 when `s[i] >= 16`.
#[inline]
pub(crate) fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    let a = a.to_le_bytes();
    u128::from_le_bytes(s.to_le_bytes().map(|j| a.get(j as usize).copied().unwrap_or(0)))
}

/// `v128.not`.
#[inline]
pub(crate) fn v128_not(a: u128) -> u128 {
    !a
}

/// `v128.and`.
#[inline]
pub(crate) fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}

/// `v128.andnot`: `a & !b`.
#[inline]
pub(crate) fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}

/// `v128.or`.
#[inline]
pub(crate) fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}

/// `v128.xor`.
#[inline]
pub(crate) fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}

/// `v128.bitselect`: the bits of `a` where `c` is 1 and the bits of `b` where `c` is 0.
#[inline]
pub(crate) fn v128_bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}

/// `v128.any_true`: 1 if any bit is set, else 0.
#[inline]
pub(crate) fn v128_any_true(a: u128) -> i32 {
    (a != 0) as i32
}

/// 1 if every `T` lane of `a` is non-zero, else 0.
#[inline(always)]
fn all_true<T: Lane>(a: u128) -> i32 {
    (0..T::COUNT).all(|i| (a >> (i as u32 * T::BITS)) & T::ONES != 0) as i32
}

/// `i8x16.all_true`: 1 if every lane is non-zero, else 0.
#[inline]
pub(crate) fn i8x16_all_true(a: u128) -> i32 {
    all_true::<u8>(a)
}

/// `i16x8.all_true`: 1 if every lane is non-zero, else 0.
#[inline]
pub(crate) fn i16x8_all_true(a: u128) -> i32 {
    all_true::<u16>(a)
}

/// `i32x4.all_true`: 1 if every lane is non-zero, else 0.
#[inline]
pub(crate) fn i32x4_all_true(a: u128) -> i32 {
    all_true::<u32>(a)
}

/// `i64x2.all_true`: 1 if every lane is non-zero, else 0.
#[inline]
pub(crate) fn i64x2_all_true(a: u128) -> i32 {
    all_true::<u64>(a)
}

/// Bit `i` of the result is the top (sign) bit of `T` lane `i` of `a`.
#[inline(always)]
fn bitmask<T: Lane>(a: u128) -> i32 {
    (0..T::COUNT).fold(0, |acc, i| acc | ((a >> ((i as u32 + 1) * T::BITS - 1)) as i32 & 1) << i)
}

/// `i8x16.bitmask`: bit `i` of the result is the sign bit of lane `i`.
#[inline]
pub(crate) fn i8x16_bitmask(a: u128) -> i32 {
    bitmask::<u8>(a)
}

/// `i16x8.bitmask`: bit `i` of the result is the sign bit of lane `i`.
#[inline]
pub(crate) fn i16x8_bitmask(a: u128) -> i32 {
    bitmask::<u16>(a)
}

/// `i32x4.bitmask`: bit `i` of the result is the sign bit of lane `i`.
#[inline]
pub(crate) fn i32x4_bitmask(a: u128) -> i32 {
    bitmask::<u32>(a)
}

/// `i64x2.bitmask`: bit `i` of the result is the sign bit of lane `i`.
#[inline]
pub(crate) fn i64x2_bitmask(a: u128) -> i32 {
    bitmask::<u64>(a)
}
