//! The SIMD lane operations grouped by operand shape, as small enums that instructions carry as
//! an immediate (`Instr::V128Binop { op: SimdBinop::I8x16Add, .. }`): one handler per shape
//! evaluates any operation of that shape. Each enum maps from the `wasmparser` operator of the
//! same name and evaluates through the library function of that operator.

use wasmparser::Operator;

use crate::engine::simd;

/// Defines an operation enum `Name(args) -> result { Operator => function, ... }`: the variants
/// are named after the wasm operators, `from_operator` recognises them (ignoring immediates),
/// and `eval` applies the library function.
macro_rules! op_enum {
    ($(#[$m:meta])* $name:ident ($($arg:ident : $t:ty),*) -> $r:ty { $($variant:ident => $f:expr,)* }) => {
        op_enum!(@ $(#[$m])* $name ($($arg : $t),*) -> $r, ($($arg),*) { $($variant => $f,)* });
    };
    (@ $(#[$m:meta])* $name:ident ($($arg:ident : $t:ty),*) -> $r:ty, $args:tt { $($variant:ident => $f:expr,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        #[allow(clippy::enum_variant_names)] // named after the wasm operators
        pub(crate) enum $name {
            $(
                #[doc = concat!("`", stringify!($variant), "`")]
                $variant,
            )*
        }

        impl $name {
            /// The operation of wasm operator `op`, if it has this shape.
            pub(crate) fn from_operator(op: &Operator<'_>) -> Option<Self> {
                match op {
                    $( Operator::$variant { .. } => Some(Self::$variant), )*
                    _ => None,
                }
            }

            /// Applies the operation: a `match` whose arms call the library functions
            /// directly, so the handler that inlines it has each operation inline (a call
            /// through a function pointer passed every `v128` in general registers).
            #[inline(always)]
            pub(crate) fn eval(self, $($arg: $t),*) -> $r {
                match self {
                    $( Self::$variant => ($f) $args, )*
                }
            }
        }
    };
}

op_enum! {
    /// `v128 -> v128` operations.
    SimdUnop(a: u128) -> u128 {
        V128Not => simd::v128_not,
        I8x16Abs => simd::i8x16_abs,
        I8x16Neg => simd::i8x16_neg,
        I8x16Popcnt => simd::i8x16_popcnt,
        I16x8ExtAddPairwiseI8x16S => simd::i16x8_extadd_pairwise_i8x16_s,
        I16x8ExtAddPairwiseI8x16U => simd::i16x8_extadd_pairwise_i8x16_u,
        I16x8Abs => simd::i16x8_abs,
        I16x8Neg => simd::i16x8_neg,
        I16x8ExtendLowI8x16S => simd::i16x8_extend_low_i8x16_s,
        I16x8ExtendHighI8x16S => simd::i16x8_extend_high_i8x16_s,
        I16x8ExtendLowI8x16U => simd::i16x8_extend_low_i8x16_u,
        I16x8ExtendHighI8x16U => simd::i16x8_extend_high_i8x16_u,
        I32x4ExtAddPairwiseI16x8S => simd::i32x4_extadd_pairwise_i16x8_s,
        I32x4ExtAddPairwiseI16x8U => simd::i32x4_extadd_pairwise_i16x8_u,
        I32x4Abs => simd::i32x4_abs,
        I32x4Neg => simd::i32x4_neg,
        I32x4ExtendLowI16x8S => simd::i32x4_extend_low_i16x8_s,
        I32x4ExtendHighI16x8S => simd::i32x4_extend_high_i16x8_s,
        I32x4ExtendLowI16x8U => simd::i32x4_extend_low_i16x8_u,
        I32x4ExtendHighI16x8U => simd::i32x4_extend_high_i16x8_u,
        I64x2Abs => simd::i64x2_abs,
        I64x2Neg => simd::i64x2_neg,
        I64x2ExtendLowI32x4S => simd::i64x2_extend_low_i32x4_s,
        I64x2ExtendHighI32x4S => simd::i64x2_extend_high_i32x4_s,
        I64x2ExtendLowI32x4U => simd::i64x2_extend_low_i32x4_u,
        I64x2ExtendHighI32x4U => simd::i64x2_extend_high_i32x4_u,
        F32x4Ceil => simd::f32x4_ceil,
        F32x4Floor => simd::f32x4_floor,
        F32x4Trunc => simd::f32x4_trunc,
        F32x4Nearest => simd::f32x4_nearest,
        F32x4Abs => simd::f32x4_abs,
        F32x4Neg => simd::f32x4_neg,
        F32x4Sqrt => simd::f32x4_sqrt,
        F64x2Ceil => simd::f64x2_ceil,
        F64x2Floor => simd::f64x2_floor,
        F64x2Trunc => simd::f64x2_trunc,
        F64x2Nearest => simd::f64x2_nearest,
        F64x2Abs => simd::f64x2_abs,
        F64x2Neg => simd::f64x2_neg,
        F64x2Sqrt => simd::f64x2_sqrt,
        I32x4TruncSatF32x4S => simd::i32x4_trunc_sat_f32x4_s,
        I32x4TruncSatF32x4U => simd::i32x4_trunc_sat_f32x4_u,
        F32x4ConvertI32x4S => simd::f32x4_convert_i32x4_s,
        F32x4ConvertI32x4U => simd::f32x4_convert_i32x4_u,
        I32x4TruncSatF64x2SZero => simd::i32x4_trunc_sat_f64x2_s_zero,
        I32x4TruncSatF64x2UZero => simd::i32x4_trunc_sat_f64x2_u_zero,
        F64x2ConvertLowI32x4S => simd::f64x2_convert_low_i32x4_s,
        F64x2ConvertLowI32x4U => simd::f64x2_convert_low_i32x4_u,
        F32x4DemoteF64x2Zero => simd::f32x4_demote_f64x2_zero,
        F64x2PromoteLowF32x4 => simd::f64x2_promote_low_f32x4,
        I32x4RelaxedTruncF32x4S => simd::i32x4_relaxed_trunc_f32x4_s,
        I32x4RelaxedTruncF32x4U => simd::i32x4_relaxed_trunc_f32x4_u,
        I32x4RelaxedTruncF64x2SZero => simd::i32x4_relaxed_trunc_f64x2_s_zero,
        I32x4RelaxedTruncF64x2UZero => simd::i32x4_relaxed_trunc_f64x2_u_zero,
    }
}

op_enum! {
    /// `v128 v128 -> v128` operations.
    SimdBinop(a: u128, b: u128) -> u128 {
        I8x16Swizzle => simd::i8x16_swizzle,
        I8x16Eq => simd::i8x16_eq,
        I8x16Ne => simd::i8x16_ne,
        I8x16LtS => simd::i8x16_lt_s,
        I8x16LtU => simd::i8x16_lt_u,
        I8x16GtS => simd::i8x16_gt_s,
        I8x16GtU => simd::i8x16_gt_u,
        I8x16LeS => simd::i8x16_le_s,
        I8x16LeU => simd::i8x16_le_u,
        I8x16GeS => simd::i8x16_ge_s,
        I8x16GeU => simd::i8x16_ge_u,
        I16x8Eq => simd::i16x8_eq,
        I16x8Ne => simd::i16x8_ne,
        I16x8LtS => simd::i16x8_lt_s,
        I16x8LtU => simd::i16x8_lt_u,
        I16x8GtS => simd::i16x8_gt_s,
        I16x8GtU => simd::i16x8_gt_u,
        I16x8LeS => simd::i16x8_le_s,
        I16x8LeU => simd::i16x8_le_u,
        I16x8GeS => simd::i16x8_ge_s,
        I16x8GeU => simd::i16x8_ge_u,
        I32x4Eq => simd::i32x4_eq,
        I32x4Ne => simd::i32x4_ne,
        I32x4LtS => simd::i32x4_lt_s,
        I32x4LtU => simd::i32x4_lt_u,
        I32x4GtS => simd::i32x4_gt_s,
        I32x4GtU => simd::i32x4_gt_u,
        I32x4LeS => simd::i32x4_le_s,
        I32x4LeU => simd::i32x4_le_u,
        I32x4GeS => simd::i32x4_ge_s,
        I32x4GeU => simd::i32x4_ge_u,
        I64x2Eq => simd::i64x2_eq,
        I64x2Ne => simd::i64x2_ne,
        I64x2LtS => simd::i64x2_lt_s,
        I64x2GtS => simd::i64x2_gt_s,
        I64x2LeS => simd::i64x2_le_s,
        I64x2GeS => simd::i64x2_ge_s,
        F32x4Eq => simd::f32x4_eq,
        F32x4Ne => simd::f32x4_ne,
        F32x4Lt => simd::f32x4_lt,
        F32x4Gt => simd::f32x4_gt,
        F32x4Le => simd::f32x4_le,
        F32x4Ge => simd::f32x4_ge,
        F64x2Eq => simd::f64x2_eq,
        F64x2Ne => simd::f64x2_ne,
        F64x2Lt => simd::f64x2_lt,
        F64x2Gt => simd::f64x2_gt,
        F64x2Le => simd::f64x2_le,
        F64x2Ge => simd::f64x2_ge,
        V128And => simd::v128_and,
        V128AndNot => simd::v128_andnot,
        V128Or => simd::v128_or,
        V128Xor => simd::v128_xor,
        I8x16NarrowI16x8S => simd::i8x16_narrow_i16x8_s,
        I8x16NarrowI16x8U => simd::i8x16_narrow_i16x8_u,
        I8x16Add => simd::i8x16_add,
        I8x16AddSatS => simd::i8x16_add_sat_s,
        I8x16AddSatU => simd::i8x16_add_sat_u,
        I8x16Sub => simd::i8x16_sub,
        I8x16SubSatS => simd::i8x16_sub_sat_s,
        I8x16SubSatU => simd::i8x16_sub_sat_u,
        I8x16MinS => simd::i8x16_min_s,
        I8x16MinU => simd::i8x16_min_u,
        I8x16MaxS => simd::i8x16_max_s,
        I8x16MaxU => simd::i8x16_max_u,
        I8x16AvgrU => simd::i8x16_avgr_u,
        I16x8Q15MulrSatS => simd::i16x8_q15mulr_sat_s,
        I16x8NarrowI32x4S => simd::i16x8_narrow_i32x4_s,
        I16x8NarrowI32x4U => simd::i16x8_narrow_i32x4_u,
        I16x8Add => simd::i16x8_add,
        I16x8AddSatS => simd::i16x8_add_sat_s,
        I16x8AddSatU => simd::i16x8_add_sat_u,
        I16x8Sub => simd::i16x8_sub,
        I16x8SubSatS => simd::i16x8_sub_sat_s,
        I16x8SubSatU => simd::i16x8_sub_sat_u,
        I16x8Mul => simd::i16x8_mul,
        I16x8MinS => simd::i16x8_min_s,
        I16x8MinU => simd::i16x8_min_u,
        I16x8MaxS => simd::i16x8_max_s,
        I16x8MaxU => simd::i16x8_max_u,
        I16x8AvgrU => simd::i16x8_avgr_u,
        I16x8ExtMulLowI8x16S => simd::i16x8_extmul_low_i8x16_s,
        I16x8ExtMulHighI8x16S => simd::i16x8_extmul_high_i8x16_s,
        I16x8ExtMulLowI8x16U => simd::i16x8_extmul_low_i8x16_u,
        I16x8ExtMulHighI8x16U => simd::i16x8_extmul_high_i8x16_u,
        I32x4Add => simd::i32x4_add,
        I32x4Sub => simd::i32x4_sub,
        I32x4Mul => simd::i32x4_mul,
        I32x4MinS => simd::i32x4_min_s,
        I32x4MinU => simd::i32x4_min_u,
        I32x4MaxS => simd::i32x4_max_s,
        I32x4MaxU => simd::i32x4_max_u,
        I32x4DotI16x8S => simd::i32x4_dot_i16x8_s,
        I32x4ExtMulLowI16x8S => simd::i32x4_extmul_low_i16x8_s,
        I32x4ExtMulHighI16x8S => simd::i32x4_extmul_high_i16x8_s,
        I32x4ExtMulLowI16x8U => simd::i32x4_extmul_low_i16x8_u,
        I32x4ExtMulHighI16x8U => simd::i32x4_extmul_high_i16x8_u,
        I64x2Add => simd::i64x2_add,
        I64x2Sub => simd::i64x2_sub,
        I64x2Mul => simd::i64x2_mul,
        I64x2ExtMulLowI32x4S => simd::i64x2_extmul_low_i32x4_s,
        I64x2ExtMulHighI32x4S => simd::i64x2_extmul_high_i32x4_s,
        I64x2ExtMulLowI32x4U => simd::i64x2_extmul_low_i32x4_u,
        I64x2ExtMulHighI32x4U => simd::i64x2_extmul_high_i32x4_u,
        F32x4Add => simd::f32x4_add,
        F32x4Sub => simd::f32x4_sub,
        F32x4Mul => simd::f32x4_mul,
        F32x4Div => simd::f32x4_div,
        F32x4Min => simd::f32x4_min,
        F32x4Max => simd::f32x4_max,
        F32x4PMin => simd::f32x4_pmin,
        F32x4PMax => simd::f32x4_pmax,
        F64x2Add => simd::f64x2_add,
        F64x2Sub => simd::f64x2_sub,
        F64x2Mul => simd::f64x2_mul,
        F64x2Div => simd::f64x2_div,
        F64x2Min => simd::f64x2_min,
        F64x2Max => simd::f64x2_max,
        F64x2PMin => simd::f64x2_pmin,
        F64x2PMax => simd::f64x2_pmax,
        I8x16RelaxedSwizzle => simd::i8x16_relaxed_swizzle,
        F32x4RelaxedMin => simd::f32x4_relaxed_min,
        F32x4RelaxedMax => simd::f32x4_relaxed_max,
        F64x2RelaxedMin => simd::f64x2_relaxed_min,
        F64x2RelaxedMax => simd::f64x2_relaxed_max,
        I16x8RelaxedQ15mulrS => simd::i16x8_relaxed_q15mulr_s,
        I16x8RelaxedDotI8x16I7x16S => simd::i16x8_relaxed_dot_i8x16_i7x16_s,
    }
}

impl SimdBinop {
    /// Whether `op(a, b)` is `op(b, a)` for all operands (for the float operations, up to the
    /// payload of a NaN result, which the spec leaves nondeterministic): translation may then
    /// take either operand as the accumulator of a fused step.
    pub(crate) fn commutes(self) -> bool {
        use SimdBinop as B;
        matches!(
            self,
            B::V128And
                | B::V128Or
                | B::V128Xor
                | B::I8x16Add
                | B::I16x8Add
                | B::I32x4Add
                | B::I64x2Add
                | B::I16x8Mul
                | B::I32x4Mul
                | B::I64x2Mul
                | B::F32x4Add
                | B::F64x2Add
                | B::F32x4Mul
                | B::F64x2Mul
        )
    }
}

op_enum! {
    /// `v128 v128 v128 -> v128` operations.
    SimdTernop(a: u128, b: u128, c: u128) -> u128 {
        V128Bitselect => simd::v128_bitselect,
        F32x4RelaxedMadd => simd::f32x4_relaxed_madd,
        F32x4RelaxedNmadd => simd::f32x4_relaxed_nmadd,
        F64x2RelaxedMadd => simd::f64x2_relaxed_madd,
        F64x2RelaxedNmadd => simd::f64x2_relaxed_nmadd,
        I8x16RelaxedLaneselect => simd::i8x16_relaxed_laneselect,
        I16x8RelaxedLaneselect => simd::i16x8_relaxed_laneselect,
        I32x4RelaxedLaneselect => simd::i32x4_relaxed_laneselect,
        I64x2RelaxedLaneselect => simd::i64x2_relaxed_laneselect,
        I32x4RelaxedDotI8x16I7x16AddS => simd::i32x4_relaxed_dot_i8x16_i7x16_add_s,
    }
}

op_enum! {
    /// `v128 i32 -> v128` shifts.
    SimdShift(a: u128, n: i32) -> u128 {
        I8x16Shl => simd::i8x16_shl,
        I8x16ShrS => simd::i8x16_shr_s,
        I8x16ShrU => simd::i8x16_shr_u,
        I16x8Shl => simd::i16x8_shl,
        I16x8ShrS => simd::i16x8_shr_s,
        I16x8ShrU => simd::i16x8_shr_u,
        I32x4Shl => simd::i32x4_shl,
        I32x4ShrS => simd::i32x4_shr_s,
        I32x4ShrU => simd::i32x4_shr_u,
        I64x2Shl => simd::i64x2_shl,
        I64x2ShrS => simd::i64x2_shr_s,
        I64x2ShrU => simd::i64x2_shr_u,
    }
}

op_enum! {
    /// `v128 -> i32` tests (`any_true`, `all_true`, `bitmask`).
    SimdTest(a: u128) -> i32 {
        V128AnyTrue => simd::v128_any_true,
        I8x16AllTrue => simd::i8x16_all_true,
        I8x16Bitmask => simd::i8x16_bitmask,
        I16x8AllTrue => simd::i16x8_all_true,
        I16x8Bitmask => simd::i16x8_bitmask,
        I32x4AllTrue => simd::i32x4_all_true,
        I32x4Bitmask => simd::i32x4_bitmask,
        I64x2AllTrue => simd::i64x2_all_true,
        I64x2Bitmask => simd::i64x2_bitmask,
    }
}

op_enum! {
    /// `t -> v128` splats of a scalar, given as its raw cell bits.
    SimdSplat(x: u64) -> u128 {
        I8x16Splat => |x: u64| simd::i8x16_splat(x as i32),
        I16x8Splat => |x: u64| simd::i16x8_splat(x as i32),
        I32x4Splat => |x: u64| simd::i32x4_splat(x as i32),
        I64x2Splat => |x: u64| simd::i64x2_splat(x as i64),
        F32x4Splat => |x: u64| simd::f32x4_splat(x as u32),
        F64x2Splat => simd::f64x2_splat,
    }
}

op_enum! {
    /// `v128 -> t` lane extractions (lane immediate), giving the raw cell bits of the scalar.
    SimdExtract(a: u128, lane: u8) -> u64 {
        I8x16ExtractLaneS => |a, l| simd::i8x16_extract_lane_s(a, l) as u32 as u64,
        I8x16ExtractLaneU => |a, l| simd::i8x16_extract_lane_u(a, l) as u32 as u64,
        I16x8ExtractLaneS => |a, l| simd::i16x8_extract_lane_s(a, l) as u32 as u64,
        I16x8ExtractLaneU => |a, l| simd::i16x8_extract_lane_u(a, l) as u32 as u64,
        I32x4ExtractLane => |a, l| simd::i32x4_extract_lane(a, l) as u32 as u64,
        I64x2ExtractLane => |a, l| simd::i64x2_extract_lane(a, l) as u64,
        F32x4ExtractLane => |a, l| simd::f32x4_extract_lane(a, l) as u64,
        F64x2ExtractLane => simd::f64x2_extract_lane,
    }
}

op_enum! {
    /// `v128 t -> v128` lane replacements (lane immediate), the scalar as its raw cell bits.
    SimdReplace(a: u128, lane: u8, x: u64) -> u128 {
        I8x16ReplaceLane => |a, l, x: u64| simd::i8x16_replace_lane(a, l, x as i32),
        I16x8ReplaceLane => |a, l, x: u64| simd::i16x8_replace_lane(a, l, x as i32),
        I32x4ReplaceLane => |a, l, x: u64| simd::i32x4_replace_lane(a, l, x as i32),
        I64x2ReplaceLane => |a, l, x: u64| simd::i64x2_replace_lane(a, l, x as i64),
        F32x4ReplaceLane => |a, l, x: u64| simd::f32x4_replace_lane(a, l, x as u32),
        F64x2ReplaceLane => simd::f64x2_replace_lane,
    }
}

op_enum! {
    /// Loads of fewer than 16 bytes that build a vector (extending, splatting, zero-filling):
    /// `raw` holds the [`SimdLoad::size`] bytes read, little-endian, zero-extended.
    SimdLoad(raw: u64) -> u128 {
        V128Load8x8S => |r: u64| simd::v128_load8x8_s(r.to_le_bytes()),
        V128Load8x8U => |r: u64| simd::v128_load8x8_u(r.to_le_bytes()),
        V128Load16x4S => |r: u64| simd::v128_load16x4_s(r.to_le_bytes()),
        V128Load16x4U => |r: u64| simd::v128_load16x4_u(r.to_le_bytes()),
        V128Load32x2S => |r: u64| simd::v128_load32x2_s(r.to_le_bytes()),
        V128Load32x2U => |r: u64| simd::v128_load32x2_u(r.to_le_bytes()),
        V128Load8Splat => |r: u64| simd::v128_load8_splat([r as u8]),
        V128Load16Splat => |r: u64| simd::v128_load16_splat((r as u16).to_le_bytes()),
        V128Load32Splat => |r: u64| simd::v128_load32_splat((r as u32).to_le_bytes()),
        V128Load64Splat => |r: u64| simd::v128_load64_splat(r.to_le_bytes()),
        V128Load32Zero => |r: u64| simd::v128_load32_zero((r as u32).to_le_bytes()),
        V128Load64Zero => |r: u64| simd::v128_load64_zero(r.to_le_bytes()),
    }
}

impl SimdLoad {
    /// The number of bytes the load reads.
    pub(crate) fn size(self) -> u8 {
        match self {
            SimdLoad::V128Load8Splat => 1,
            SimdLoad::V128Load16Splat => 2,
            SimdLoad::V128Load32Splat | SimdLoad::V128Load32Zero => 4,
            _ => 8,
        }
    }
}

/// Lane `lane` of `v` replaced by the low `size` bytes of `raw` (`v128.load*_lane`).
#[inline]
pub(crate) fn load_lane(v: u128, lane: u8, size: u8, raw: u64) -> u128 {
    match size {
        1 => simd::v128_load8_lane(v, lane, [raw as u8]),
        2 => simd::v128_load16_lane(v, lane, (raw as u16).to_le_bytes()),
        4 => simd::v128_load32_lane(v, lane, (raw as u32).to_le_bytes()),
        _ => simd::v128_load64_lane(v, lane, raw.to_le_bytes()),
    }
}

/// The `size` bytes of lane `lane` of `v` (`v128.store*_lane`), little-endian in a `u64`.
#[inline]
pub(crate) fn store_lane(v: u128, lane: u8, size: u8) -> u64 {
    match size {
        1 => u8::from_le_bytes(simd::v128_store8_lane(v, lane)) as u64,
        2 => u16::from_le_bytes(simd::v128_store16_lane(v, lane)) as u64,
        4 => u32::from_le_bytes(simd::v128_store32_lane(v, lane)) as u64,
        _ => u64::from_le_bytes(simd::v128_store64_lane(v, lane)),
    }
}
