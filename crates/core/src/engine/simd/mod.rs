//! The lane semantics of the 128-bit SIMD proposal (WebAssembly 2.0) and of relaxed SIMD, as
//! pure functions over `u128` values, which the interpreter calls through [`ops`] (the
//! operations grouped by operand shape, carried by the instructions).
//!
//! * A `v128` is a `u128` in little-endian lane order: lane 0 is the least significant lane, so
//!   byte `i` of memory is bits `8*i .. 8*i+8`, exactly as `u128::from_le_bytes` reads it.
//! * There is one function per instruction, named after it with `.` replaced by `_`
//!   (`i8x16.add` is [`i8x16_add`]). Vector operands and results are `u128`; scalar operands
//!   and results use the engine's cell types: `i32`/`i64` for integers, and floats as raw bits
//!   (`u32`/`u64`) so NaN payloads and `-0` survive unchanged.
//! * Lane indices (`extract_lane`, `replace_lane`, `load*_lane`, `store*_lane`, `shuffle`) are
//!   in range after validation; out-of-range bits are masked off, so no function panics.
//! * Nothing here traps: memory instructions take the bytes the interpreter loaded (after its
//!   bounds check) or return the bytes it must store ([`memory`]).
//! * Floating-point NaN results follow the scalar engine (hardware propagation: a NaN operand's
//!   payload is kept and quieted, a new NaN is canonical), which is what the spec allows.
//! * Relaxed SIMD follows the spec's deterministic profile (every choice is index 0), see
//!   [`relaxed`].
//!
//! Categories: [`lanes`] (constants, splat, lanes, shuffles, bitwise, tests, bitmask), [`int`]
//! (integer arithmetic), [`float`] (float arithmetic and rounding), [`cmp`] (comparisons),
//! [`convert`] (narrow, extend, conversions), [`memory`] (load/store lane layouts), [`relaxed`];
//! [`ops`] maps wasm operators to them by operand shape.

#![allow(dead_code)]

/// Defines lane-wise unary operations: `name: lane type => per-lane function` (used by the
/// category files below; textual macro scope makes it visible in them).
macro_rules! unary {
    ($($(#[$m:meta])* $name:ident: $t:ty => $f:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128) -> u128 {
            map::<$t, $t>(a, $f)
        }
    )*};
}

/// Defines lane-wise binary operations: `name: lane type => per-lane function`.
macro_rules! binary {
    ($($(#[$m:meta])* $name:ident: $t:ty => $f:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            zip::<$t, $t>(a, b, $f)
        }
    )*};
}

pub(crate) mod cmp;
pub(crate) mod convert;
pub(crate) mod float;
pub(crate) mod int;
pub(crate) mod lanes;
pub(crate) mod memory;
pub(crate) mod ops;
pub(crate) mod relaxed;

#[cfg(test)]
mod tests;

// The flat namespace [`ops`] and the handlers call into (`simd::i8x16_add`).
#[allow(unused_imports)]
pub(crate) use self::{cmp::*, convert::*, float::*, int::*, lanes::*, memory::*, relaxed::*};

/// A lane type of a `v128` shape: how to read lane `i` of a vector and how to place a value at
/// lane `i`. Implemented for the integer types of 8 to 64 bits (both signednesses read the same
/// bits) and for `f32`/`f64` (bit-exact through `from_bits`/`to_bits`).
pub(crate) trait Lane: Copy {
    /// Width of the lane in bits.
    const BITS: u32;
    /// Number of lanes in a `v128`.
    const COUNT: usize = (128 / Self::BITS) as usize;
    /// All ones in the low `BITS` bits (an all-true comparison lane at lane 0).
    const ONES: u128 = u128::MAX >> (128 - Self::BITS);
    /// Lane `i` of `v`.
    fn lane(v: u128, i: usize) -> Self;
    /// `self` placed at lane `i` of an otherwise zero vector.
    fn place(self, i: usize) -> u128;
}

/// Implements [`Lane`] for integer types, naming the unsigned type of the same width.
macro_rules! int_lane {
    ($($t:ty => $u:ty),*) => {$(
        impl Lane for $t {
            const BITS: u32 = <$u>::BITS;
            #[inline(always)]
            fn lane(v: u128, i: usize) -> Self {
                (v >> (i as u32 * Self::BITS)) as $u as $t
            }
            #[inline(always)]
            fn place(self, i: usize) -> u128 {
                (self as $u as u128) << (i as u32 * Self::BITS)
            }
        }
    )*};
}

int_lane!(u8 => u8, i8 => u8, u16 => u16, i16 => u16, u32 => u32, i32 => u32, u64 => u64, i64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    #[inline(always)]
    fn lane(v: u128, i: usize) -> Self {
        f32::from_bits(u32::lane(v, i))
    }
    #[inline(always)]
    fn place(self, i: usize) -> u128 {
        self.to_bits().place(i)
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    #[inline(always)]
    fn lane(v: u128, i: usize) -> Self {
        f64::from_bits(u64::lane(v, i))
    }
    #[inline(always)]
    fn place(self, i: usize) -> u128 {
        self.to_bits().place(i)
    }
}

/// Applies `f` to every lane of `v` (lane types `T` and `R` have the same lane count).
#[inline(always)]
pub(crate) fn map<T: Lane, R: Lane>(v: u128, f: impl Fn(T) -> R) -> u128 {
    debug_assert_eq!(T::COUNT, R::COUNT);
    (0..T::COUNT).fold(0, |acc, i| acc | f(T::lane(v, i)).place(i))
}

/// Applies `f` to every pair of corresponding lanes of `a` and `b`.
#[inline(always)]
pub(crate) fn zip<T: Lane, R: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> R) -> u128 {
    debug_assert_eq!(T::COUNT, R::COUNT);
    (0..T::COUNT).fold(0, |acc, i| acc | f(T::lane(a, i), T::lane(b, i)).place(i))
}

/// Lane-wise predicate: each result lane is all ones where `f` holds and zero elsewhere.
#[inline(always)]
pub(crate) fn mask<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
    (0..T::COUNT)
        .fold(0, |acc, i| if f(T::lane(a, i), T::lane(b, i)) { acc | T::ONES << (i as u32 * T::BITS) } else { acc })
}

/// Builds a vector from `count` lanes of type `R` computed by `f(i)`, lane 0 first; lanes from
/// `count` up are zero.
#[inline(always)]
pub(crate) fn build<R: Lane>(count: usize, f: impl Fn(usize) -> R) -> u128 {
    (0..count).fold(0, |acc, i| acc | f(i).place(i))
}
