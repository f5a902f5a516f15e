//! The data layout of the vector memory instructions, as pure functions on the accessed bytes.
//!
//! The interpreter computes the effective address (`i32` operand + `memarg.offset`), checks
//! that the access of `N` bytes is in bounds (trapping otherwise), and passes the `N` bytes read
//! (little-endian, as in memory) to a `v128_load*` function, or writes the bytes returned by a
//! `v128_store*` function. `N` is the array length in each signature: 16 for `v128.load` /
//! `v128.store`, 8 for the extending loads, the lane width for splats, `_zero` loads and lane
//! accesses. Alignment hints never affect semantics.

use super::{build, lanes, Lane};

/// `v128.load`: the 16 bytes as a vector.
#[inline]
pub(crate) fn v128_load(bytes: [u8; 16]) -> u128 {
    u128::from_le_bytes(bytes)
}

/// `v128.store`: the 16 bytes to write.
#[inline]
pub(crate) fn v128_store(v: u128) -> [u8; 16] {
    v.to_le_bytes()
}

/// Defines extending loads: `name: narrow lane type => wide lane type`. The 8 bytes hold
/// `COUNT` narrow lanes, each sign- or zero-extended to a wide lane.
macro_rules! load_extend {
    ($($(#[$m:meta])* $name:ident: $n:ty => $w:ty;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(bytes: [u8; 8]) -> u128 {
            let v = u64::from_le_bytes(bytes) as u128;
            build::<$w>(<$w as Lane>::COUNT, |i| <$n>::lane(v, i) as $w)
        }
    )*};
}

load_extend! {
    /// `v128.load8x8_s`: 8 bytes sign-extended to 16-bit lanes.
    v128_load8x8_s: i8 => i16;
    /// `v128.load8x8_u`: 8 bytes zero-extended to 16-bit lanes.
    v128_load8x8_u: u8 => u16;
    /// `v128.load16x4_s`: 4 16-bit values sign-extended to 32-bit lanes.
    v128_load16x4_s: i16 => i32;
    /// `v128.load16x4_u`: 4 16-bit values zero-extended to 32-bit lanes.
    v128_load16x4_u: u16 => u32;
    /// `v128.load32x2_s`: 2 32-bit values sign-extended to 64-bit lanes.
    v128_load32x2_s: i32 => i64;
    /// `v128.load32x2_u`: 2 32-bit values zero-extended to 64-bit lanes.
    v128_load32x2_u: u32 => u64;
}

/// `v128.load8_splat`: the byte in every lane.
#[inline]
pub(crate) fn v128_load8_splat(bytes: [u8; 1]) -> u128 {
    lanes::i8x16_splat(bytes[0] as i32)
}

/// `v128.load16_splat`: the 16-bit value in every lane.
#[inline]
pub(crate) fn v128_load16_splat(bytes: [u8; 2]) -> u128 {
    lanes::i16x8_splat(u16::from_le_bytes(bytes) as i32)
}

/// `v128.load32_splat`: the 32-bit value in every lane.
#[inline]
pub(crate) fn v128_load32_splat(bytes: [u8; 4]) -> u128 {
    lanes::i32x4_splat(i32::from_le_bytes(bytes))
}

/// `v128.load64_splat`: the 64-bit value in both lanes.
#[inline]
pub(crate) fn v128_load64_splat(bytes: [u8; 8]) -> u128 {
    lanes::i64x2_splat(i64::from_le_bytes(bytes))
}

/// `v128.load32_zero`: the 32-bit value in lane 0, zeros elsewhere.
#[inline]
pub(crate) fn v128_load32_zero(bytes: [u8; 4]) -> u128 {
    u32::from_le_bytes(bytes) as u128
}

/// `v128.load64_zero`: the 64-bit value in lane 0, zeros elsewhere.
#[inline]
pub(crate) fn v128_load64_zero(bytes: [u8; 8]) -> u128 {
    u64::from_le_bytes(bytes) as u128
}

/// `v128.load8_lane`: `v` with byte lane `lane` replaced by the loaded byte.
#[inline]
pub(crate) fn v128_load8_lane(v: u128, lane: u8, bytes: [u8; 1]) -> u128 {
    lanes::i8x16_replace_lane(v, lane, bytes[0] as i32)
}

/// `v128.load16_lane`: `v` with 16-bit lane `lane` replaced by the loaded value.
#[inline]
pub(crate) fn v128_load16_lane(v: u128, lane: u8, bytes: [u8; 2]) -> u128 {
    lanes::i16x8_replace_lane(v, lane, u16::from_le_bytes(bytes) as i32)
}

/// `v128.load32_lane`: `v` with 32-bit lane `lane` replaced by the loaded value.
#[inline]
pub(crate) fn v128_load32_lane(v: u128, lane: u8, bytes: [u8; 4]) -> u128 {
    lanes::i32x4_replace_lane(v, lane, i32::from_le_bytes(bytes))
}

/// `v128.load64_lane`: `v` with 64-bit lane `lane` replaced by the loaded value.
#[inline]
pub(crate) fn v128_load64_lane(v: u128, lane: u8, bytes: [u8; 8]) -> u128 {
    lanes::i64x2_replace_lane(v, lane, i64::from_le_bytes(bytes))
}

/// `v128.store8_lane`: the byte of lane `lane` to write.
#[inline]
pub(crate) fn v128_store8_lane(v: u128, lane: u8) -> [u8; 1] {
    [lanes::i8x16_extract_lane_u(v, lane) as u8]
}

/// `v128.store16_lane`: the 2 bytes of 16-bit lane `lane` to write.
#[inline]
pub(crate) fn v128_store16_lane(v: u128, lane: u8) -> [u8; 2] {
    (lanes::i16x8_extract_lane_u(v, lane) as u16).to_le_bytes()
}

/// `v128.store32_lane`: the 4 bytes of 32-bit lane `lane` to write.
#[inline]
pub(crate) fn v128_store32_lane(v: u128, lane: u8) -> [u8; 4] {
    lanes::i32x4_extract_lane(v, lane).to_le_bytes()
}

/// `v128.store64_lane`: the 8 bytes of 64-bit lane `lane` to write.
#[inline]
pub(crate) fn v128_store64_lane(v: u128, lane: u8) -> [u8; 8] {
    lanes::i64x2_extract_lane(v, lane).to_le_bytes()
}
