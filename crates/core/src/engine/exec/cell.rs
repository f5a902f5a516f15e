//! Typed views of untyped 64-bit value cells.
//!
//! An `i32` occupies the low 32 bits of its cell (the high bits are unspecified and never
//! read as part of it), an `f32` its bit pattern in the low 32 bits, `i64`/`f64` all 64 bits,
//! and a reference its raw pointer (0 for null).

/// A type that can be read from and written to a cell.
pub(crate) trait CellVal: Copy {
    /// Whether values of this type travel in the floating-point accumulator (`f64` only).
    const IN_FACC: bool = false;
    /// Reads the value from a cell.
    fn from_cell(c: u64) -> Self;
    /// The cell for the value.
    fn to_cell(self) -> u64;
    /// The value in the floating-point accumulator (only called when [`CellVal::IN_FACC`]).
    #[inline(always)]
    fn from_facc(f: f64) -> Self {
        Self::from_cell(f.to_bits())
    }
    /// The floating-point accumulator for the value (only called when [`CellVal::IN_FACC`]).
    #[inline(always)]
    fn to_facc(self) -> f64 {
        f64::from_bits(self.to_cell())
    }
}

impl CellVal for i32 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c as u32 as i32
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self as u32 as u64
    }
}

impl CellVal for u32 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c as u32
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self as u64
    }
}

impl CellVal for i64 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c as i64
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self as u64
    }
}

impl CellVal for u64 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self
    }
}

impl CellVal for f32 {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        f32::from_bits(c as u32)
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self.to_bits() as u64
    }
}

impl CellVal for f64 {
    const IN_FACC: bool = true;
    #[inline(always)]
    fn from_facc(f: f64) -> Self {
        f
    }
    #[inline(always)]
    fn to_facc(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        f64::from_bits(c)
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self.to_bits()
    }
}

impl CellVal for bool {
    #[inline(always)]
    fn from_cell(c: u64) -> Self {
        c as u32 != 0
    }
    #[inline(always)]
    fn to_cell(self) -> u64 {
        self as u64
    }
}
