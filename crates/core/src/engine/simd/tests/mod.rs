//! Tests of the SIMD lane library: table-driven unit tests per category, a coverage check of
//! every SIMD operator `wasmparser` knows, and a runner of the official `simd_*.wast` and
//! relaxed-SIMD spec tests against these functions (through a small stack machine, [`eval`]).

use super::Lane;

mod cmp;
mod convert;
mod coverage;
mod eval;
mod float;
mod int;
mod lanes;
mod memory;
mod relaxed;
mod spec;

/// A vector from its lanes, lane 0 first.
pub(super) fn v<T: Lane, const N: usize>(lanes: [T; N]) -> u128 {
    assert_eq!(N, T::COUNT, "wrong lane count");
    lanes.iter().enumerate().fold(0, |acc, (i, &x)| acc | x.place(i))
}

/// The lanes of a vector, lane 0 first.
pub(super) fn split<T: Lane, const N: usize>(v: u128) -> [T; N] {
    assert_eq!(N, T::COUNT, "wrong lane count");
    std::array::from_fn(|i| T::lane(v, i))
}

/// A vector of `i8` lanes.
pub(super) fn i8s(l: [i8; 16]) -> u128 {
    v(l)
}

/// A vector of `i16` lanes.
pub(super) fn i16s(l: [i16; 8]) -> u128 {
    v(l)
}

/// A vector of `i32` lanes.
pub(super) fn i32s(l: [i32; 4]) -> u128 {
    v(l)
}

/// A vector of `i64` lanes.
pub(super) fn i64s(l: [i64; 2]) -> u128 {
    v(l)
}

/// A vector of `f32` lanes.
pub(super) fn f32s(l: [f32; 4]) -> u128 {
    v(l)
}

/// A vector of `f64` lanes.
pub(super) fn f64s(l: [f64; 2]) -> u128 {
    v(l)
}

/// A unary test case: `(name, function, operand, expected)`.
pub(super) type UnaryCase<'a> = (&'a str, fn(u128) -> u128, u128, u128);

/// A binary test case: `(name, function, a, b, expected)`.
pub(super) type BinaryCase<'a> = (&'a str, fn(u128, u128) -> u128, u128, u128, u128);

/// Checks a table of unary cases.
pub(super) fn check_unary(cases: &[UnaryCase<'_>]) {
    for &(name, f, a, want) in cases {
        let got = f(a);
        assert_eq!(got, want, "{name}({a:#034x}) = {got:#034x}, want {want:#034x}");
    }
}

/// Checks a table of binary cases.
pub(super) fn check_binary(cases: &[BinaryCase<'_>]) {
    for &(name, f, a, b, want) in cases {
        let got = f(a, b);
        assert_eq!(got, want, "{name}({a:#034x}, {b:#034x}) = {got:#034x}, want {want:#034x}");
    }
}

#[test]
fn lane_helpers_round_trip() {
    let x = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
    assert_eq!(split::<u8, 16>(x), std::array::from_fn(|i| i as u8));
    assert_eq!(v(split::<i16, 8>(x)), x);
    assert_eq!(split::<u32, 4>(x), [0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]);
    assert_eq!(split::<u64, 2>(x), [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);
    assert_eq!(i8s([-1; 16]), u128::MAX);
    assert_eq!(i64s([-1, 0]), u64::MAX as u128);
    assert_eq!(f32s([1.0, 0.0, 0.0, -0.0]), 0x8000_0000_0000_0000_0000_0000_3f80_0000);
    assert_eq!(f64s([0.0, 1.0]) >> 64, 0x3ff0_0000_0000_0000);
}
