//! The executable mapping from every SIMD [`wasmparser::Operator`] to its library function:
//! [`Machine::simd`] runs one SIMD operator on an operand stack and a linear memory. It is what
//! the spec runner and the coverage check execute, and a blueprint of the operand order and
//! immediates the interpreter integration will need.

use wasmparser::{MemArg, Operator};

use super::super as simd;

/// An operand-stack value (floats as raw bits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Value {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32` as bits.
    F32(u32),
    /// An `f64` as bits.
    F64(u64),
    /// A `v128`.
    V128(u128),
}

impl Value {
    /// The raw bits (zero-extended).
    pub(super) fn bits(self) -> u128 {
        match self {
            Value::I32(x) => x as u32 as u128,
            Value::I64(x) => x as u64 as u128,
            Value::F32(x) => x as u128,
            Value::F64(x) => x as u128,
            Value::V128(x) => x,
        }
    }

    /// As an `i32` (validated code only pops the right type; other types are reinterpreted,
    /// which lets the coverage check feed any operator zeros).
    pub(super) fn i32(self) -> i32 {
        self.bits() as i32
    }

    /// As an `i64`.
    pub(super) fn i64(self) -> i64 {
        self.bits() as i64
    }

    /// As `f32` bits.
    pub(super) fn f32(self) -> u32 {
        self.bits() as u32
    }

    /// As `f64` bits.
    pub(super) fn f64(self) -> u64 {
        self.bits() as u64
    }

    /// As a `v128`.
    pub(super) fn v128(self) -> u128 {
        self.bits()
    }

    /// The zero value of a type.
    pub(super) fn zero(ty: wasmparser::ValType) -> Option<Value> {
        use wasmparser::ValType as T;
        Some(match ty {
            T::I32 => Value::I32(0),
            T::I64 => Value::I64(0),
            T::F32 => Value::F32(0),
            T::F64 => Value::F64(0),
            T::V128 => Value::V128(0),
            T::Ref(_) => return None,
        })
    }
}

/// Why execution stopped abnormally.
#[derive(Debug, PartialEq)]
pub(super) enum Stop {
    /// A trap (the spec's `assert_trap`).
    Trap(&'static str),
    /// An operator (or module feature) the test machine does not implement.
    Unsupported(String),
}

/// An operand stack over a linear memory.
#[derive(Debug)]
pub(super) struct Machine<'m> {
    /// The operand stack.
    pub(super) stack: Vec<Value>,
    /// The linear memory (memory 0).
    pub(super) memory: &'m mut Vec<u8>,
}

impl Machine<'_> {
    /// Pops a value (an empty stack is a harness bug).
    pub(super) fn pop(&mut self) -> Value {
        self.stack.pop().expect("operand stack underflow")
    }

    /// Pops a `v128`.
    fn v(&mut self) -> u128 {
        self.pop().v128()
    }

    /// Pushes a `v128`.
    fn push_v(&mut self, x: u128) {
        self.stack.push(Value::V128(x));
    }

    /// Pops an address and returns the in-bounds start of an `n`-byte access, or traps.
    pub(super) fn address(&mut self, memarg: &MemArg, n: usize) -> Result<usize, Stop> {
        let base = self.pop().i32() as u32 as u64;
        let start = base + memarg.offset;
        match start.checked_add(n as u64) {
            Some(end) if end <= self.memory.len() as u64 => Ok(start as usize),
            _ => Err(Stop::Trap("out of bounds memory access")),
        }
    }

    /// Pops an address and loads `N` bytes.
    pub(super) fn load<const N: usize>(&mut self, memarg: &MemArg) -> Result<[u8; N], Stop> {
        let at = self.address(memarg, N)?;
        Ok(self.memory[at..at + N].try_into().unwrap())
    }

    /// Pops an address and stores `bytes`.
    pub(super) fn store<const N: usize>(&mut self, memarg: &MemArg, bytes: [u8; N]) -> Result<(), Stop> {
        let at = self.address(memarg, N)?;
        self.memory[at..at + N].copy_from_slice(&bytes);
        Ok(())
    }

    /// Executes `op` if it is a SIMD or relaxed-SIMD operator (`Ok(true)`); `Ok(false)` for any
    /// other operator.
    pub(super) fn simd(&mut self, op: &Operator<'_>) -> Result<bool, Stop> {
        use Operator as O;
        /// `v128 -> v128`.
        macro_rules! un {
            ($f:ident) => {{
                let a = self.v();
                self.push_v(simd::$f(a))
            }};
        }
        /// `v128 v128 -> v128`.
        macro_rules! bin {
            ($f:ident) => {{
                let b = self.v();
                let a = self.v();
                self.push_v(simd::$f(a, b))
            }};
        }
        /// `v128 v128 v128 -> v128`.
        macro_rules! tern {
            ($f:ident) => {{
                let c = self.v();
                let b = self.v();
                let a = self.v();
                self.push_v(simd::$f(a, b, c))
            }};
        }
        /// `v128 i32 -> v128`.
        macro_rules! shift {
            ($f:ident) => {{
                let n = self.pop().i32();
                let a = self.v();
                self.push_v(simd::$f(a, n))
            }};
        }
        /// `v128 -> i32`.
        macro_rules! test {
            ($f:ident) => {{
                let a = self.v();
                self.stack.push(Value::I32(simd::$f(a)))
            }};
        }
        /// `t -> v128`.
        macro_rules! splat {
            ($f:ident, $get:ident) => {{
                let x = self.pop().$get();
                self.push_v(simd::$f(x))
            }};
        }
        /// `v128 -> t` with a lane immediate.
        macro_rules! extract {
            ($f:ident, $lane:expr, $wrap:ident) => {{
                let a = self.v();
                self.stack.push(Value::$wrap(simd::$f(a, *$lane)))
            }};
        }
        /// `v128 t -> v128` with a lane immediate.
        macro_rules! replace {
            ($f:ident, $lane:expr, $get:ident) => {{
                let x = self.pop().$get();
                let a = self.v();
                self.push_v(simd::$f(a, *$lane, x))
            }};
        }
        /// `i32 -> v128` loading `N` bytes.
        macro_rules! load {
            ($f:ident, $memarg:expr, $n:literal) => {{
                let bytes = self.load::<$n>($memarg)?;
                self.push_v(simd::$f(bytes))
            }};
        }
        /// `i32 v128 -> v128` loading one lane.
        macro_rules! load_lane {
            ($f:ident, $memarg:expr, $lane:expr, $n:literal) => {{
                let v = self.v();
                let bytes = self.load::<$n>($memarg)?;
                self.push_v(simd::$f(v, *$lane, bytes))
            }};
        }
        /// `i32 v128 ->` storing one lane.
        macro_rules! store_lane {
            ($f:ident, $memarg:expr, $lane:expr) => {{
                let v = self.v();
                let bytes = simd::$f(v, *$lane);
                self.store($memarg, bytes)?
            }};
        }
        match op {
            O::V128Load { memarg } => load!(v128_load, memarg, 16),
            O::V128Load8x8S { memarg } => load!(v128_load8x8_s, memarg, 8),
            O::V128Load8x8U { memarg } => load!(v128_load8x8_u, memarg, 8),
            O::V128Load16x4S { memarg } => load!(v128_load16x4_s, memarg, 8),
            O::V128Load16x4U { memarg } => load!(v128_load16x4_u, memarg, 8),
            O::V128Load32x2S { memarg } => load!(v128_load32x2_s, memarg, 8),
            O::V128Load32x2U { memarg } => load!(v128_load32x2_u, memarg, 8),
            O::V128Load8Splat { memarg } => load!(v128_load8_splat, memarg, 1),
            O::V128Load16Splat { memarg } => load!(v128_load16_splat, memarg, 2),
            O::V128Load32Splat { memarg } => load!(v128_load32_splat, memarg, 4),
            O::V128Load64Splat { memarg } => load!(v128_load64_splat, memarg, 8),
            O::V128Load32Zero { memarg } => load!(v128_load32_zero, memarg, 4),
            O::V128Load64Zero { memarg } => load!(v128_load64_zero, memarg, 8),
            O::V128Store { memarg } => {
                let v = self.v();
                self.store(memarg, simd::v128_store(v))?
            }
            O::V128Load8Lane { memarg, lane } => load_lane!(v128_load8_lane, memarg, lane, 1),
            O::V128Load16Lane { memarg, lane } => load_lane!(v128_load16_lane, memarg, lane, 2),
            O::V128Load32Lane { memarg, lane } => load_lane!(v128_load32_lane, memarg, lane, 4),
            O::V128Load64Lane { memarg, lane } => load_lane!(v128_load64_lane, memarg, lane, 8),
            O::V128Store8Lane { memarg, lane } => store_lane!(v128_store8_lane, memarg, lane),
            O::V128Store16Lane { memarg, lane } => store_lane!(v128_store16_lane, memarg, lane),
            O::V128Store32Lane { memarg, lane } => store_lane!(v128_store32_lane, memarg, lane),
            O::V128Store64Lane { memarg, lane } => store_lane!(v128_store64_lane, memarg, lane),
            O::V128Const { value } => self.push_v(simd::v128_const(*value.bytes())),
            O::I8x16Shuffle { lanes } => {
                let b = self.v();
                let a = self.v();
                self.push_v(simd::i8x16_shuffle(a, b, *lanes))
            }
            O::I8x16ExtractLaneS { lane } => extract!(i8x16_extract_lane_s, lane, I32),
            O::I8x16ExtractLaneU { lane } => extract!(i8x16_extract_lane_u, lane, I32),
            O::I8x16ReplaceLane { lane } => replace!(i8x16_replace_lane, lane, i32),
            O::I16x8ExtractLaneS { lane } => extract!(i16x8_extract_lane_s, lane, I32),
            O::I16x8ExtractLaneU { lane } => extract!(i16x8_extract_lane_u, lane, I32),
            O::I16x8ReplaceLane { lane } => replace!(i16x8_replace_lane, lane, i32),
            O::I32x4ExtractLane { lane } => extract!(i32x4_extract_lane, lane, I32),
            O::I32x4ReplaceLane { lane } => replace!(i32x4_replace_lane, lane, i32),
            O::I64x2ExtractLane { lane } => extract!(i64x2_extract_lane, lane, I64),
            O::I64x2ReplaceLane { lane } => replace!(i64x2_replace_lane, lane, i64),
            O::F32x4ExtractLane { lane } => extract!(f32x4_extract_lane, lane, F32),
            O::F32x4ReplaceLane { lane } => replace!(f32x4_replace_lane, lane, f32),
            O::F64x2ExtractLane { lane } => extract!(f64x2_extract_lane, lane, F64),
            O::F64x2ReplaceLane { lane } => replace!(f64x2_replace_lane, lane, f64),
            O::I8x16Swizzle => bin!(i8x16_swizzle),
            O::I8x16Splat => splat!(i8x16_splat, i32),
            O::I16x8Splat => splat!(i16x8_splat, i32),
            O::I32x4Splat => splat!(i32x4_splat, i32),
            O::I64x2Splat => splat!(i64x2_splat, i64),
            O::F32x4Splat => splat!(f32x4_splat, f32),
            O::F64x2Splat => splat!(f64x2_splat, f64),
            O::I8x16Eq => bin!(i8x16_eq),
            O::I8x16Ne => bin!(i8x16_ne),
            O::I8x16LtS => bin!(i8x16_lt_s),
            O::I8x16LtU => bin!(i8x16_lt_u),
            O::I8x16GtS => bin!(i8x16_gt_s),
            O::I8x16GtU => bin!(i8x16_gt_u),
            O::I8x16LeS => bin!(i8x16_le_s),
            O::I8x16LeU => bin!(i8x16_le_u),
            O::I8x16GeS => bin!(i8x16_ge_s),
            O::I8x16GeU => bin!(i8x16_ge_u),
            O::I16x8Eq => bin!(i16x8_eq),
            O::I16x8Ne => bin!(i16x8_ne),
            O::I16x8LtS => bin!(i16x8_lt_s),
            O::I16x8LtU => bin!(i16x8_lt_u),
            O::I16x8GtS => bin!(i16x8_gt_s),
            O::I16x8GtU => bin!(i16x8_gt_u),
            O::I16x8LeS => bin!(i16x8_le_s),
            O::I16x8LeU => bin!(i16x8_le_u),
            O::I16x8GeS => bin!(i16x8_ge_s),
            O::I16x8GeU => bin!(i16x8_ge_u),
            O::I32x4Eq => bin!(i32x4_eq),
            O::I32x4Ne => bin!(i32x4_ne),
            O::I32x4LtS => bin!(i32x4_lt_s),
            O::I32x4LtU => bin!(i32x4_lt_u),
            O::I32x4GtS => bin!(i32x4_gt_s),
            O::I32x4GtU => bin!(i32x4_gt_u),
            O::I32x4LeS => bin!(i32x4_le_s),
            O::I32x4LeU => bin!(i32x4_le_u),
            O::I32x4GeS => bin!(i32x4_ge_s),
            O::I32x4GeU => bin!(i32x4_ge_u),
            O::I64x2Eq => bin!(i64x2_eq),
            O::I64x2Ne => bin!(i64x2_ne),
            O::I64x2LtS => bin!(i64x2_lt_s),
            O::I64x2GtS => bin!(i64x2_gt_s),
            O::I64x2LeS => bin!(i64x2_le_s),
            O::I64x2GeS => bin!(i64x2_ge_s),
            O::F32x4Eq => bin!(f32x4_eq),
            O::F32x4Ne => bin!(f32x4_ne),
            O::F32x4Lt => bin!(f32x4_lt),
            O::F32x4Gt => bin!(f32x4_gt),
            O::F32x4Le => bin!(f32x4_le),
            O::F32x4Ge => bin!(f32x4_ge),
            O::F64x2Eq => bin!(f64x2_eq),
            O::F64x2Ne => bin!(f64x2_ne),
            O::F64x2Lt => bin!(f64x2_lt),
            O::F64x2Gt => bin!(f64x2_gt),
            O::F64x2Le => bin!(f64x2_le),
            O::F64x2Ge => bin!(f64x2_ge),
            O::V128Not => un!(v128_not),
            O::V128And => bin!(v128_and),
            O::V128AndNot => bin!(v128_andnot),
            O::V128Or => bin!(v128_or),
            O::V128Xor => bin!(v128_xor),
            O::V128Bitselect => tern!(v128_bitselect),
            O::V128AnyTrue => test!(v128_any_true),
            O::I8x16Abs => un!(i8x16_abs),
            O::I8x16Neg => un!(i8x16_neg),
            O::I8x16Popcnt => un!(i8x16_popcnt),
            O::I8x16AllTrue => test!(i8x16_all_true),
            O::I8x16Bitmask => test!(i8x16_bitmask),
            O::I8x16NarrowI16x8S => bin!(i8x16_narrow_i16x8_s),
            O::I8x16NarrowI16x8U => bin!(i8x16_narrow_i16x8_u),
            O::I8x16Shl => shift!(i8x16_shl),
            O::I8x16ShrS => shift!(i8x16_shr_s),
            O::I8x16ShrU => shift!(i8x16_shr_u),
            O::I8x16Add => bin!(i8x16_add),
            O::I8x16AddSatS => bin!(i8x16_add_sat_s),
            O::I8x16AddSatU => bin!(i8x16_add_sat_u),
            O::I8x16Sub => bin!(i8x16_sub),
            O::I8x16SubSatS => bin!(i8x16_sub_sat_s),
            O::I8x16SubSatU => bin!(i8x16_sub_sat_u),
            O::I8x16MinS => bin!(i8x16_min_s),
            O::I8x16MinU => bin!(i8x16_min_u),
            O::I8x16MaxS => bin!(i8x16_max_s),
            O::I8x16MaxU => bin!(i8x16_max_u),
            O::I8x16AvgrU => bin!(i8x16_avgr_u),
            O::I16x8ExtAddPairwiseI8x16S => un!(i16x8_extadd_pairwise_i8x16_s),
            O::I16x8ExtAddPairwiseI8x16U => un!(i16x8_extadd_pairwise_i8x16_u),
            O::I16x8Abs => un!(i16x8_abs),
            O::I16x8Neg => un!(i16x8_neg),
            O::I16x8Q15MulrSatS => bin!(i16x8_q15mulr_sat_s),
            O::I16x8AllTrue => test!(i16x8_all_true),
            O::I16x8Bitmask => test!(i16x8_bitmask),
            O::I16x8NarrowI32x4S => bin!(i16x8_narrow_i32x4_s),
            O::I16x8NarrowI32x4U => bin!(i16x8_narrow_i32x4_u),
            O::I16x8ExtendLowI8x16S => un!(i16x8_extend_low_i8x16_s),
            O::I16x8ExtendHighI8x16S => un!(i16x8_extend_high_i8x16_s),
            O::I16x8ExtendLowI8x16U => un!(i16x8_extend_low_i8x16_u),
            O::I16x8ExtendHighI8x16U => un!(i16x8_extend_high_i8x16_u),
            O::I16x8Shl => shift!(i16x8_shl),
            O::I16x8ShrS => shift!(i16x8_shr_s),
            O::I16x8ShrU => shift!(i16x8_shr_u),
            O::I16x8Add => bin!(i16x8_add),
            O::I16x8AddSatS => bin!(i16x8_add_sat_s),
            O::I16x8AddSatU => bin!(i16x8_add_sat_u),
            O::I16x8Sub => bin!(i16x8_sub),
            O::I16x8SubSatS => bin!(i16x8_sub_sat_s),
            O::I16x8SubSatU => bin!(i16x8_sub_sat_u),
            O::I16x8Mul => bin!(i16x8_mul),
            O::I16x8MinS => bin!(i16x8_min_s),
            O::I16x8MinU => bin!(i16x8_min_u),
            O::I16x8MaxS => bin!(i16x8_max_s),
            O::I16x8MaxU => bin!(i16x8_max_u),
            O::I16x8AvgrU => bin!(i16x8_avgr_u),
            O::I16x8ExtMulLowI8x16S => bin!(i16x8_extmul_low_i8x16_s),
            O::I16x8ExtMulHighI8x16S => bin!(i16x8_extmul_high_i8x16_s),
            O::I16x8ExtMulLowI8x16U => bin!(i16x8_extmul_low_i8x16_u),
            O::I16x8ExtMulHighI8x16U => bin!(i16x8_extmul_high_i8x16_u),
            O::I32x4ExtAddPairwiseI16x8S => un!(i32x4_extadd_pairwise_i16x8_s),
            O::I32x4ExtAddPairwiseI16x8U => un!(i32x4_extadd_pairwise_i16x8_u),
            O::I32x4Abs => un!(i32x4_abs),
            O::I32x4Neg => un!(i32x4_neg),
            O::I32x4AllTrue => test!(i32x4_all_true),
            O::I32x4Bitmask => test!(i32x4_bitmask),
            O::I32x4ExtendLowI16x8S => un!(i32x4_extend_low_i16x8_s),
            O::I32x4ExtendHighI16x8S => un!(i32x4_extend_high_i16x8_s),
            O::I32x4ExtendLowI16x8U => un!(i32x4_extend_low_i16x8_u),
            O::I32x4ExtendHighI16x8U => un!(i32x4_extend_high_i16x8_u),
            O::I32x4Shl => shift!(i32x4_shl),
            O::I32x4ShrS => shift!(i32x4_shr_s),
            O::I32x4ShrU => shift!(i32x4_shr_u),
            O::I32x4Add => bin!(i32x4_add),
            O::I32x4Sub => bin!(i32x4_sub),
            O::I32x4Mul => bin!(i32x4_mul),
            O::I32x4MinS => bin!(i32x4_min_s),
            O::I32x4MinU => bin!(i32x4_min_u),
            O::I32x4MaxS => bin!(i32x4_max_s),
            O::I32x4MaxU => bin!(i32x4_max_u),
            O::I32x4DotI16x8S => bin!(i32x4_dot_i16x8_s),
            O::I32x4ExtMulLowI16x8S => bin!(i32x4_extmul_low_i16x8_s),
            O::I32x4ExtMulHighI16x8S => bin!(i32x4_extmul_high_i16x8_s),
            O::I32x4ExtMulLowI16x8U => bin!(i32x4_extmul_low_i16x8_u),
            O::I32x4ExtMulHighI16x8U => bin!(i32x4_extmul_high_i16x8_u),
            O::I64x2Abs => un!(i64x2_abs),
            O::I64x2Neg => un!(i64x2_neg),
            O::I64x2AllTrue => test!(i64x2_all_true),
            O::I64x2Bitmask => test!(i64x2_bitmask),
            O::I64x2ExtendLowI32x4S => un!(i64x2_extend_low_i32x4_s),
            O::I64x2ExtendHighI32x4S => un!(i64x2_extend_high_i32x4_s),
            O::I64x2ExtendLowI32x4U => un!(i64x2_extend_low_i32x4_u),
            O::I64x2ExtendHighI32x4U => un!(i64x2_extend_high_i32x4_u),
            O::I64x2Shl => shift!(i64x2_shl),
            O::I64x2ShrS => shift!(i64x2_shr_s),
            O::I64x2ShrU => shift!(i64x2_shr_u),
            O::I64x2Add => bin!(i64x2_add),
            O::I64x2Sub => bin!(i64x2_sub),
            O::I64x2Mul => bin!(i64x2_mul),
            O::I64x2ExtMulLowI32x4S => bin!(i64x2_extmul_low_i32x4_s),
            O::I64x2ExtMulHighI32x4S => bin!(i64x2_extmul_high_i32x4_s),
            O::I64x2ExtMulLowI32x4U => bin!(i64x2_extmul_low_i32x4_u),
            O::I64x2ExtMulHighI32x4U => bin!(i64x2_extmul_high_i32x4_u),
            O::F32x4Ceil => un!(f32x4_ceil),
            O::F32x4Floor => un!(f32x4_floor),
            O::F32x4Trunc => un!(f32x4_trunc),
            O::F32x4Nearest => un!(f32x4_nearest),
            O::F32x4Abs => un!(f32x4_abs),
            O::F32x4Neg => un!(f32x4_neg),
            O::F32x4Sqrt => un!(f32x4_sqrt),
            O::F32x4Add => bin!(f32x4_add),
            O::F32x4Sub => bin!(f32x4_sub),
            O::F32x4Mul => bin!(f32x4_mul),
            O::F32x4Div => bin!(f32x4_div),
            O::F32x4Min => bin!(f32x4_min),
            O::F32x4Max => bin!(f32x4_max),
            O::F32x4PMin => bin!(f32x4_pmin),
            O::F32x4PMax => bin!(f32x4_pmax),
            O::F64x2Ceil => un!(f64x2_ceil),
            O::F64x2Floor => un!(f64x2_floor),
            O::F64x2Trunc => un!(f64x2_trunc),
            O::F64x2Nearest => un!(f64x2_nearest),
            O::F64x2Abs => un!(f64x2_abs),
            O::F64x2Neg => un!(f64x2_neg),
            O::F64x2Sqrt => un!(f64x2_sqrt),
            O::F64x2Add => bin!(f64x2_add),
            O::F64x2Sub => bin!(f64x2_sub),
            O::F64x2Mul => bin!(f64x2_mul),
            O::F64x2Div => bin!(f64x2_div),
            O::F64x2Min => bin!(f64x2_min),
            O::F64x2Max => bin!(f64x2_max),
            O::F64x2PMin => bin!(f64x2_pmin),
            O::F64x2PMax => bin!(f64x2_pmax),
            O::I32x4TruncSatF32x4S => un!(i32x4_trunc_sat_f32x4_s),
            O::I32x4TruncSatF32x4U => un!(i32x4_trunc_sat_f32x4_u),
            O::F32x4ConvertI32x4S => un!(f32x4_convert_i32x4_s),
            O::F32x4ConvertI32x4U => un!(f32x4_convert_i32x4_u),
            O::I32x4TruncSatF64x2SZero => un!(i32x4_trunc_sat_f64x2_s_zero),
            O::I32x4TruncSatF64x2UZero => un!(i32x4_trunc_sat_f64x2_u_zero),
            O::F64x2ConvertLowI32x4S => un!(f64x2_convert_low_i32x4_s),
            O::F64x2ConvertLowI32x4U => un!(f64x2_convert_low_i32x4_u),
            O::F32x4DemoteF64x2Zero => un!(f32x4_demote_f64x2_zero),
            O::F64x2PromoteLowF32x4 => un!(f64x2_promote_low_f32x4),
            O::I8x16RelaxedSwizzle => bin!(i8x16_relaxed_swizzle),
            O::I32x4RelaxedTruncF32x4S => un!(i32x4_relaxed_trunc_f32x4_s),
            O::I32x4RelaxedTruncF32x4U => un!(i32x4_relaxed_trunc_f32x4_u),
            O::I32x4RelaxedTruncF64x2SZero => un!(i32x4_relaxed_trunc_f64x2_s_zero),
            O::I32x4RelaxedTruncF64x2UZero => un!(i32x4_relaxed_trunc_f64x2_u_zero),
            O::F32x4RelaxedMadd => tern!(f32x4_relaxed_madd),
            O::F32x4RelaxedNmadd => tern!(f32x4_relaxed_nmadd),
            O::F64x2RelaxedMadd => tern!(f64x2_relaxed_madd),
            O::F64x2RelaxedNmadd => tern!(f64x2_relaxed_nmadd),
            O::I8x16RelaxedLaneselect => tern!(i8x16_relaxed_laneselect),
            O::I16x8RelaxedLaneselect => tern!(i16x8_relaxed_laneselect),
            O::I32x4RelaxedLaneselect => tern!(i32x4_relaxed_laneselect),
            O::I64x2RelaxedLaneselect => tern!(i64x2_relaxed_laneselect),
            O::F32x4RelaxedMin => bin!(f32x4_relaxed_min),
            O::F32x4RelaxedMax => bin!(f32x4_relaxed_max),
            O::F64x2RelaxedMin => bin!(f64x2_relaxed_min),
            O::F64x2RelaxedMax => bin!(f64x2_relaxed_max),
            O::I16x8RelaxedQ15mulrS => bin!(i16x8_relaxed_q15mulr_s),
            O::I16x8RelaxedDotI8x16I7x16S => bin!(i16x8_relaxed_dot_i8x16_i7x16_s),
            O::I32x4RelaxedDotI8x16I7x16AddS => tern!(i32x4_relaxed_dot_i8x16_i7x16_add_s),
            _ => return Ok(false),
        }
        Ok(true)
    }
}
