//! Unit tests of [`crate::engine::simd::lanes`].

use super::super::lanes::*;
use super::{check_binary, check_unary, f32s, f64s, i16s, i32s, i64s, i8s};

/// Bytes 0, 1, ..., 15 as a vector.
const IOTA: u128 = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100;

#[test]
fn splats() {
    let cases: &[(&str, u128, u128)] = &[
        ("i8x16.splat 0x1ff", i8x16_splat(0x1ff), i8s([-1; 16])),
        ("i8x16.splat 0x80", i8x16_splat(0x80), i8s([-128; 16])),
        ("i8x16.splat 0", i8x16_splat(0), 0),
        ("i16x8.splat 0x12345", i16x8_splat(0x12345), i16s([0x2345; 8])),
        ("i16x8.splat -1", i16x8_splat(-1), u128::MAX),
        ("i32x4.splat", i32x4_splat(-123_456), i32s([-123_456; 4])),
        ("i64x2.splat", i64x2_splat(i64::MIN), i64s([i64::MIN; 2])),
        ("f32x4.splat", f32x4_splat(1.5f32.to_bits()), f32s([1.5; 4])),
        ("f32x4.splat sNaN", f32x4_splat(0x7fa0_0001), i32s([0x7fa0_0001; 4])),
        ("f64x2.splat", f64x2_splat((-0.0f64).to_bits()), f64s([-0.0; 2])),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn extract_lanes() {
    let a = i8s([0, 1, -1, 127, -128, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, -2]);
    let cases: &[(&str, i32, i32)] = &[
        ("i8 s 2", i8x16_extract_lane_s(a, 2), -1),
        ("i8 u 2", i8x16_extract_lane_u(a, 2), 255),
        ("i8 s 3", i8x16_extract_lane_s(a, 3), 127),
        ("i8 s 4", i8x16_extract_lane_s(a, 4), -128),
        ("i8 u 4", i8x16_extract_lane_u(a, 4), 128),
        ("i8 s 15", i8x16_extract_lane_s(a, 15), -2),
        ("i8 u 15", i8x16_extract_lane_u(a, 15), 254),
        ("i16 s 7", i16x8_extract_lane_s(i16s([0, 0, 0, 0, 0, 0, 0, -32768]), 7), -32768),
        ("i16 u 7", i16x8_extract_lane_u(i16s([0, 0, 0, 0, 0, 0, 0, -32768]), 7), 32768),
        ("i16 u 1", i16x8_extract_lane_u(IOTA, 1), 0x0302),
        ("i32 3", i32x4_extract_lane(i32s([1, 2, 3, -4]), 3), -4),
        ("i32 0", i32x4_extract_lane(IOTA, 0), 0x0302_0100),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
    assert_eq!(i64x2_extract_lane(i64s([1, -9]), 1), -9);
    assert_eq!(i64x2_extract_lane(IOTA, 0), 0x0706_0504_0302_0100);
    assert_eq!(f32x4_extract_lane(i32s([0, 0, 0x7fa0_0001, 0]), 2), 0x7fa0_0001);
    assert_eq!(f64x2_extract_lane(f64s([1.0, -2.5]), 1), (-2.5f64).to_bits());
    // Out-of-range lane indices are masked, never a panic.
    assert_eq!(i8x16_extract_lane_u(IOTA, 17), 1);
}

#[test]
fn replace_lanes() {
    let cases: &[(&str, u128, u128)] = &[
        ("i8 0", i8x16_replace_lane(IOTA, 0, 0x1ff), IOTA | 0xff),
        ("i8 15", i8x16_replace_lane(0, 15, -128), 0x80 << 120),
        ("i16 3", i16x8_replace_lane(0, 3, 0x12345), 0x2345 << 48),
        ("i16 0", i16x8_replace_lane(u128::MAX, 0, 0), u128::MAX << 16),
        ("i32 2", i32x4_replace_lane(i32s([1, 2, 3, 4]), 2, -7), i32s([1, 2, -7, 4])),
        ("i64 1", i64x2_replace_lane(i64s([1, 2]), 1, i64::MIN), i64s([1, i64::MIN])),
        ("f32 3", f32x4_replace_lane(0, 3, 0xffc0_0000), 0xffc0_0000 << 96),
        ("f64 0", f64x2_replace_lane(u128::MAX, 0, 0), u128::MAX << 64),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn shuffles() {
    let b = IOTA + 0x1010_1010_1010_1010_1010_1010_1010_1010; // bytes 16..31
    let ident: [u8; 16] = std::array::from_fn(|i| i as u8);
    let rev: [u8; 16] = std::array::from_fn(|i| 31 - i as u8);
    let cases: &[(&str, u128, u128)] = &[
        ("identity", i8x16_shuffle(IOTA, b, ident), IOTA),
        ("all of b reversed", i8x16_shuffle(IOTA, b, rev), u128::from_le_bytes(rev)),
        ("broadcast 17", i8x16_shuffle(IOTA, b, [17; 16]), i8s([17; 16])),
        (
            "interleave",
            i8x16_shuffle(IOTA, b, [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23]),
            u128::from_le_bytes([0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23]),
        ),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "shuffle {name}");
    }
    let idx = |l: [u8; 16]| u128::from_le_bytes(l);
    check_binary(&[
        ("swizzle identity", i8x16_swizzle, IOTA, IOTA, IOTA),
        (
            "swizzle reverse",
            i8x16_swizzle,
            IOTA,
            idx(std::array::from_fn(|i| 15 - i as u8)),
            idx(std::array::from_fn(|i| 15 - i as u8)),
        ),
        ("swizzle 16 -> 0", i8x16_swizzle, u128::MAX, idx([16; 16]), 0),
    ]);
}

#[test]
fn swizzle_out_of_range_lanes() {
    let a = i8s([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    let s = u128::from_le_bytes([0x80, 0xff, 0, 1, 0x7f, 15, 16, 17, 2, 2, 2, 2, 2, 2, 2, 2]);
    assert_eq!(i8x16_swizzle(a, s), i8s([0, 0, 10, 11, 0, 25, 0, 0, 12, 12, 12, 12, 12, 12, 12, 12]));
}

#[test]
fn bitwise() {
    let a = 0xff00_ff00_f0f0_f0f0_0123_4567_89ab_cdefu128;
    let b = 0x0f0f_0f0f_ffff_0000_fedc_ba98_7654_3210u128;
    check_unary(&[("not", v128_not, a, !a), ("not 0", v128_not, 0, u128::MAX)]);
    check_binary(&[
        ("and", v128_and, a, b, a & b),
        ("andnot", v128_andnot, a, b, a & !b),
        ("or", v128_or, a, b, a | b),
        ("xor", v128_xor, a, b, a ^ b),
        ("andnot self", v128_andnot, a, a, 0),
    ]);
    assert_eq!(v128_bitselect(a, b, u128::MAX), a);
    assert_eq!(v128_bitselect(a, b, 0), b);
    assert_eq!(v128_bitselect(u128::MAX, 0, 0x1234 << 100), 0x1234 << 100);
    assert_eq!(v128_bitselect(a, b, 0xffff_0000), (a & 0xffff_0000) | (b & !0xffff_0000));
    assert_eq!(v128_const(IOTA.to_le_bytes()), IOTA);
}

#[test]
fn boolean_reductions() {
    let cases: &[(&str, i32, i32)] = &[
        ("any_true 0", v128_any_true(0), 0),
        ("any_true top bit", v128_any_true(1 << 127), 1),
        ("i8 all_true ones", i8x16_all_true(i8s([1; 16])), 1),
        ("i8 all_true one zero lane", i8x16_all_true(i8s([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0])), 0),
        ("i16 all_true bytes", i16x8_all_true(i8s([0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0])), 1),
        ("i16 all_true zero lane", i16x8_all_true(i16s([1, 1, 1, 0, 1, 1, 1, 1])), 0),
        ("i32 all_true", i32x4_all_true(i32s([1, -1, 1 << 31, 256])), 1),
        ("i32 all_true zero lane", i32x4_all_true(i32s([1, -1, 0, 256])), 0),
        ("i64 all_true", i64x2_all_true(i64s([1 << 40, 1])), 1),
        ("i64 all_true zero lane", i64x2_all_true(i64s([0, 1])), 0),
        (
            "i8 bitmask",
            i8x16_bitmask(i8s([-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1])),
            0b1000_0000_0000_0101,
        ),
        ("i8 bitmask all", i8x16_bitmask(u128::MAX), 0xffff),
        ("i16 bitmask", i16x8_bitmask(i16s([-1, 1, -32768, 32767, 0, 0, -2, 0])), 0b0100_0101),
        ("i32 bitmask", i32x4_bitmask(i32s([0, -1, 0, i32::MIN])), 0b1010),
        ("i64 bitmask", i64x2_bitmask(i64s([-1, 1])), 0b01),
        ("i64 bitmask all", i64x2_bitmask(u128::MAX), 0b11),
    ];
    for &(name, got, want) in cases {
        assert_eq!(got, want, "{name}");
    }
}
