//! Numeric semantics that are not a single Rust operator: trapping division, trapping and
//! saturating float-to-int truncation, IEEE `min`/`max` with wasm's NaN and signed-zero rules,
//! `nearest`, and the sign-bit operations (which must keep NaN payloads).

use crate::error::TrapCode;

/// `i32.div_s`.
#[inline]
pub(crate) fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        Err(TrapCode::DivByZero)
    } else if a == i32::MIN && b == -1 {
        Err(TrapCode::DivUnrepresentable)
    } else {
        Ok(a / b)
    }
}

/// `i32.div_u`.
#[inline]
pub(crate) fn i32_div_u(a: u32, b: u32) -> Result<u32, TrapCode> {
    a.checked_div(b).ok_or(TrapCode::DivByZero)
}

/// `i32.rem_s` (`INT_MIN % -1` is 0).
#[inline]
pub(crate) fn i32_rem_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        Err(TrapCode::RemByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}

/// `i32.rem_u`.
#[inline]
pub(crate) fn i32_rem_u(a: u32, b: u32) -> Result<u32, TrapCode> {
    a.checked_rem(b).ok_or(TrapCode::RemByZero)
}

/// `i64.div_s`.
#[inline]
pub(crate) fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        Err(TrapCode::DivByZero)
    } else if a == i64::MIN && b == -1 {
        Err(TrapCode::DivUnrepresentable)
    } else {
        Ok(a / b)
    }
}

/// `i64.div_u`.
#[inline]
pub(crate) fn i64_div_u(a: u64, b: u64) -> Result<u64, TrapCode> {
    a.checked_div(b).ok_or(TrapCode::DivByZero)
}

/// `i64.rem_s` (`INT_MIN % -1` is 0).
#[inline]
pub(crate) fn i64_rem_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        Err(TrapCode::RemByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}

/// `i64.rem_u`.
#[inline]
pub(crate) fn i64_rem_u(a: u64, b: u64) -> Result<u64, TrapCode> {
    a.checked_rem(b).ok_or(TrapCode::RemByZero)
}

/// Defines a trapping truncation: the value must lie strictly between `lo` and `hi` (both
/// exclusive bounds, exactly representable in the float type); NaN fails both comparisons.
macro_rules! trunc {
    ($(#[$m:meta])* $name:ident, $f:ty => $i:ty, $lo:expr, $hi:expr) => {
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(x: $f) -> Result<$i, TrapCode> {
            if x > $lo && x < $hi {
                Ok(x as $i)
            } else {
                Err(TrapCode::FloatUnrepresentable)
            }
        }
    };
}

trunc!(/** `i32.trunc_f32_s` */ i32_trunc_f32_s, f32 => i32, -2147483904.0f32, 2147483648.0f32);
trunc!(/** `i32.trunc_f32_u` */ i32_trunc_f32_u, f32 => u32, -1.0f32, 4294967296.0f32);
trunc!(/** `i32.trunc_f64_s` */ i32_trunc_f64_s, f64 => i32, -2147483649.0f64, 2147483648.0f64);
trunc!(/** `i32.trunc_f64_u` */ i32_trunc_f64_u, f64 => u32, -1.0f64, 4294967296.0f64);
trunc!(/** `i64.trunc_f32_s` */ i64_trunc_f32_s, f32 => i64, -9223373136366403584.0f32, 9223372036854775808.0f32);
trunc!(/** `i64.trunc_f32_u` */ i64_trunc_f32_u, f32 => u64, -1.0f32, 18446744073709551616.0f32);
trunc!(/** `i64.trunc_f64_s` */ i64_trunc_f64_s, f64 => i64, -9223372036854777856.0f64, 9223372036854775808.0f64);
trunc!(/** `i64.trunc_f64_u` */ i64_trunc_f64_u, f64 => u64, -1.0f64, 18446744073709551616.0f64);

/// Defines `min`/`max` for a float type: NaN if either operand is NaN (quieted), and
/// `-0 < +0`.
macro_rules! min_max {
    ($min:ident, $max:ident, $f:ty) => {
        /// wasm `min`: NaN-propagating, `min(-0, +0) = -0`.
        #[inline]
        pub(crate) fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                // Equal values differ at most in the sign of zero: prefer the negative one.
                <$f>::from_bits(a.to_bits() | b.to_bits())
            } else if a < b {
                a
            } else {
                b
            }
        }

        /// wasm `max`: NaN-propagating, `max(-0, +0) = +0`.
        #[inline]
        pub(crate) fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                <$f>::from_bits(a.to_bits() & b.to_bits())
            } else if a > b {
                a
            } else {
                b
            }
        }
    };
}

min_max!(f32_min, f32_max, f32);
min_max!(f64_min, f64_max, f64);

/// Defines a rounding operation that returns a quiet NaN for a NaN operand (the library
/// routines may hand a signalling NaN back unchanged, which wasm does not allow).
macro_rules! rounding {
    ($(#[$m:meta])* $name:ident, $f:ty, $op:ident) => {
        $(#[$m])*
        #[inline]
        pub(crate) fn $name(x: $f) -> $f {
            if x.is_nan() {
                x + x
            } else {
                x.$op()
            }
        }
    };
}

rounding!(/** `f32.ceil` */ f32_ceil, f32, ceil);
rounding!(/** `f32.floor` */ f32_floor, f32, floor);
rounding!(/** `f32.trunc` */ f32_trunc, f32, trunc);
rounding!(/** `f32.nearest`: round to the nearest integer, ties to even */ f32_nearest, f32, round_ties_even);
rounding!(/** `f64.ceil` */ f64_ceil, f64, ceil);
rounding!(/** `f64.floor` */ f64_floor, f64, floor);
rounding!(/** `f64.trunc` */ f64_trunc, f64, trunc);
rounding!(/** `f64.nearest`: round to the nearest integer, ties to even */ f64_nearest, f64, round_ties_even);

/// Sign bit of an f32 as raw bits.
pub(crate) const F32_SIGN: u32 = 0x8000_0000;
/// Sign bit of an f64 as raw bits.
pub(crate) const F64_SIGN: u64 = 0x8000_0000_0000_0000;

/// `f32.copysign` on raw bits.
#[inline]
pub(crate) fn f32_copysign(a: u32, b: u32) -> u32 {
    (a & !F32_SIGN) | (b & F32_SIGN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_traps() {
        assert_eq!(i32_div_s(7, 0), Err(TrapCode::DivByZero));
        assert_eq!(i32_div_s(i32::MIN, -1), Err(TrapCode::DivUnrepresentable));
        assert_eq!(i32_div_s(-7, 2), Ok(-3));
        assert_eq!(i32_div_u(7, 0), Err(TrapCode::DivByZero));
        assert_eq!(i32_div_u(u32::MAX, 2), Ok(0x7fff_ffff));
        assert_eq!(i32_rem_s(i32::MIN, -1), Ok(0));
        assert_eq!(i32_rem_s(-7, 2), Ok(-1));
        assert_eq!(i32_rem_s(1, 0), Err(TrapCode::RemByZero));
        assert_eq!(i32_rem_u(1, 0), Err(TrapCode::RemByZero));
        assert_eq!(i64_div_s(i64::MIN, -1), Err(TrapCode::DivUnrepresentable));
        assert_eq!(i64_div_s(1, 0), Err(TrapCode::DivByZero));
        assert_eq!(i64_rem_s(i64::MIN, -1), Ok(0));
        assert_eq!(i64_rem_u(5, 0), Err(TrapCode::RemByZero));
        assert_eq!(i64_div_u(u64::MAX, 3), Ok(u64::MAX / 3));
    }

    #[test]
    fn truncation_bounds() {
        const E: Result<i32, TrapCode> = Err(TrapCode::FloatUnrepresentable);
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2147483648.0), E);
        assert_eq!(i32_trunc_f32_s(-2147483904.0), E);
        assert_eq!(i32_trunc_f32_s(f32::NAN), E);
        assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(-2147483649.0), E);
        assert_eq!(i32_trunc_f64_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f32_u(-1.0), Err(TrapCode::FloatUnrepresentable));
        assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(u32::MAX));
        assert_eq!(i32_trunc_f64_u(4294967296.0), Err(TrapCode::FloatUnrepresentable));
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f32_s(9223372036854775808.0), Err(TrapCode::FloatUnrepresentable));
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f64_s(f64::INFINITY), Err(TrapCode::FloatUnrepresentable));
        assert_eq!(i64_trunc_f64_u(18446744073709549568.0), Ok(18446744073709549568));
        assert_eq!(i64_trunc_f64_u(18446744073709551616.0), Err(TrapCode::FloatUnrepresentable));
        assert_eq!(i64_trunc_f32_u(-0.5), Ok(0));
    }

    #[test]
    fn min_max_rules() {
        assert_eq!(f32_min(-0.0, 0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_min(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
        assert_eq!(f64_max(0.0, -0.0).to_bits(), 0);
        assert!(f32_min(f32::NAN, 1.0).is_nan());
        assert!(f64_max(1.0, f64::NAN).is_nan());
        assert_eq!(f64_min(1.0, 2.0), 1.0);
        assert_eq!(f64_max(-1.0, f64::NEG_INFINITY), -1.0);
    }

    #[test]
    fn nearest_ties_to_even() {
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(3.5), 4.0);
        assert_eq!(f64_nearest(-0.5).to_bits(), (-0.0f64).to_bits());
        assert_eq!(f64_nearest(4503599627370497.0), 4503599627370497.0);
    }

    #[test]
    fn rounding_quiets_nan() {
        let snan = f32::from_bits(0x7fa0_0000);
        for r in [f32_ceil(snan), f32_floor(snan), f32_trunc(snan), f32_nearest(snan)] {
            assert_eq!(r.to_bits() & 0x0040_0000, 0x0040_0000);
        }
        let snan = f64::from_bits(0xfff4_0000_0000_0000);
        for r in [f64_ceil(snan), f64_floor(snan), f64_trunc(snan), f64_nearest(snan)] {
            assert_eq!(r.to_bits() & 0x0008_0000_0000_0000, 0x0008_0000_0000_0000);
        }
        assert_eq!(f64_floor(-0.0).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn sign_bits_keep_payload() {
        let nan = 0x7fc0_1234u32;
        assert_eq!(f32_copysign(nan, F32_SIGN), nan | F32_SIGN);
        // The f64 handlers rely on Rust's sign operations being bitwise (they keep payloads,
        // even of signalling NaNs).
        let snan = f64::from_bits(0x7ff4_0000_0000_1234);
        assert_eq!((-snan).to_bits(), 0x7ff4_0000_0000_1234 | F64_SIGN);
        assert_eq!((-snan).abs().to_bits(), 0x7ff4_0000_0000_1234);
        assert_eq!(snan.copysign(-1.0).to_bits(), 0x7ff4_0000_0000_1234 | F64_SIGN);
        assert_eq!(1.0f64.copysign(-2.0), -1.0);
    }
}
