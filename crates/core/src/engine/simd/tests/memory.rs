//! Unit tests of [`crate::engine::simd::memory`].

use super::super::memory::*;
use super::{i16s, i32s, i64s, i8s};

/// Bytes `0x80, 0x81, ..., 0x8f`.
const HIGH: [u8; 16] = [0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f];

/// The first `N` bytes of [`HIGH`].
fn high<const N: usize>() -> [u8; N] {
    std::array::from_fn(|i| HIGH[i])
}

#[test]
fn whole_vector() {
    assert_eq!(v128_load(HIGH), u128::from_le_bytes(HIGH));
    assert_eq!(v128_store(u128::from_le_bytes(HIGH)), HIGH);
    assert_eq!(v128_load([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 1);
}

#[test]
fn extending_loads() {
    let cases: &[(&str, u128, u128)] = &[
        ("8x8_s", v128_load8x8_s(high()), i16s([-128, -127, -126, -125, -124, -123, -122, -121])),
        ("8x8_u", v128_load8x8_u(high()), i16s([0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87])),
        (
            "16x4_s",
            v128_load16x4_s(high()),
            i32s([0x8180u16 as i16 as i32, 0x8382u16 as i16 as i32, 0x8584u16 as i16 as i32, 0x8786u16 as i16 as i32]),
        ),
        ("16x4_u", v128_load16x4_u(high()), i32s([0x8180, 0x8382, 0x8584, 0x8786])),
        ("32x2_s", v128_load32x2_s(high()), i64s([0x8382_8180u32 as i32 as i64, 0x8786_8584u32 as i32 as i64])),
        ("32x2_u", v128_load32x2_u(high()), i64s([0x8382_8180, 0x8786_8584])),
        ("8x8_s small", v128_load8x8_s([1, 2, 3, 4, 5, 6, 7, 0x7f]), i16s([1, 2, 3, 4, 5, 6, 7, 127])),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn splat_and_zero_loads() {
    let cases: &[(&str, u128, u128)] = &[
        ("8_splat", v128_load8_splat([0x80]), i8s([-128; 16])),
        ("16_splat", v128_load16_splat(high()), i16s([0x8180u16 as i16; 8])),
        ("32_splat", v128_load32_splat(high()), i32s([0x8382_8180u32 as i32; 4])),
        ("64_splat", v128_load64_splat(high()), i64s([0x8786_8584_8382_8180u64 as i64; 2])),
        ("32_zero", v128_load32_zero(high()), 0x8382_8180),
        ("64_zero", v128_load64_zero(high()), 0x8786_8584_8382_8180),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn lane_loads_and_stores() {
    let v = u128::from_le_bytes(HIGH);
    let cases: &[(&str, u128, u128)] = &[
        ("8_lane 0", v128_load8_lane(0, 0, [0xab]), 0xab),
        ("8_lane 15", v128_load8_lane(v, 15, [0]), v & !(0xff << 120)),
        ("16_lane 7", v128_load16_lane(0, 7, [0x34, 0x12]), 0x1234 << 112),
        ("16_lane 1", v128_load16_lane(u128::MAX, 1, [0, 0]), !(0xffff << 16)),
        ("32_lane 2", v128_load32_lane(0, 2, [1, 2, 3, 4]), 0x0403_0201 << 64),
        ("64_lane 1", v128_load64_lane(v, 1, [0; 8]), v & u64::MAX as u128),
        ("64_lane 0", v128_load64_lane(0, 0, [1, 0, 0, 0, 0, 0, 0, 0x80]), 0x8000_0000_0000_0001),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(v128_store8_lane(v, 0), [0x80]);
    assert_eq!(v128_store8_lane(v, 15), [0x8f]);
    assert_eq!(v128_store16_lane(v, 7), [0x8e, 0x8f]);
    assert_eq!(v128_store32_lane(v, 1), [0x84, 0x85, 0x86, 0x87]);
    assert_eq!(v128_store64_lane(v, 1), [0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f]);
    // Storing a lane and loading it back into a zero vector isolates that lane.
    for lane in 0..4 {
        let back = v128_load32_lane(0, lane, v128_store32_lane(v, lane));
        assert_eq!(back, v & (0xffff_ffff << (32 * lane)));
    }
}
