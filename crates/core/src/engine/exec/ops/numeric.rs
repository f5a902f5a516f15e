//! Numeric handlers: `dst = op(src)`, `dst = op(lhs, rhs)` and `dst = op(lhs, imm)`.

use super::{handlers, put, src, trap_at};
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::{ACC_IN1, ACC_IN2, ACC_OUT};
use crate::engine::numeric as num;

/// Unary handlers `Name: T => f` computing `dst = f(src as T)`.
macro_rules! unary {
    ($lookup:ident; $( $name:ident : $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, src: s } => {
                let v = ($f)(src::<$t>(fp, s, acc, facc, M & ACC_IN1 != 0));
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, v);
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Unary handlers whose operation may trap (`f` returns a `Result<_, TrapCode>`).
macro_rules! unary_try {
    ($lookup:ident; $( $name:ident : $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, src: s } => {
                match ($f)(src::<$t>(fp, s, acc, facc, M & ACC_IN1 != 0)) {
                    Ok(v) => put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, v),
                    Err(c) => return trap_at(ip, cx, c),
                }
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Binary handlers `Name: T => f` computing `dst = f(lhs as T, rhs as T)`.
macro_rules! binary {
    ($lookup:ident; $( $name:ident : $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 2, 4, 5, 6] { dst, lhs, rhs } => {
                let a = src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
                let b = src::<$t>(fp, rhs, acc, facc, M & ACC_IN2 != 0);
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, ($f)(a, b));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Binary handlers whose operation may trap.
macro_rules! binary_try {
    ($lookup:ident; $( $name:ident : $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 2, 4, 5, 6] { dst, lhs, rhs } => {
                let a = src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
                let b = src::<$t>(fp, rhs, acc, facc, M & ACC_IN2 != 0);
                match ($f)(a, b) {
                    Ok(v) => put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, v),
                    Err(c) => return trap_at(ip, cx, c),
                }
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Handlers `Name: T => f` computing `dst = f(lhs as T, imm as T)` (integer immediates).
macro_rules! imm {
    ($lookup:ident; $( $name:ident : $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, lhs, imm } => {
                let a = src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, ($f)(a, imm as $t));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Handlers `Name: F, Bits => f` computing `dst = f(lhs as F, F::from_bits(imm))`.
macro_rules! fimm {
    ($lookup:ident; $( $name:ident : $t:ty, $bits:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, lhs, imm } => {
                let a = src::<$t>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, ($f)(a, <$t>::from_bits(imm as $bits)));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

unary! { lookup_unary;
    I32Eqz: u32 => |x: u32| x == 0,
    I32Clz: u32 => |x: u32| x.leading_zeros(),
    I32Ctz: u32 => |x: u32| x.trailing_zeros(),
    I32Popcnt: u32 => |x: u32| x.count_ones(),
    I32Extend8S: i32 => |x: i32| x as i8 as i32,
    I32Extend16S: i32 => |x: i32| x as i16 as i32,
    I64Eqz: u64 => |x: u64| x == 0,
    I64Clz: u64 => |x: u64| x.leading_zeros() as u64,
    I64Ctz: u64 => |x: u64| x.trailing_zeros() as u64,
    I64Popcnt: u64 => |x: u64| x.count_ones() as u64,
    I64Extend8S: i64 => |x: i64| x as i8 as i64,
    I64Extend16S: i64 => |x: i64| x as i16 as i64,
    I64Extend32S: i64 => |x: i64| x as i32 as i64,
    // Sign operations on the raw bits keep NaN payloads.
    F32Abs: u32 => |x: u32| x & !num::F32_SIGN,
    F32Neg: u32 => |x: u32| x ^ num::F32_SIGN,
    F32Ceil: f32 => num::f32_ceil,
    F32Floor: f32 => num::f32_floor,
    F32Trunc: f32 => num::f32_trunc,
    F32Nearest: f32 => num::f32_nearest,
    F32Sqrt: f32 => f32::sqrt,
    // `abs`, negation and `copysign` only touch the sign bit (they keep NaN payloads).
    F64Abs: f64 => f64::abs,
    F64Neg: f64 => |x: f64| -x,
    F64Ceil: f64 => num::f64_ceil,
    F64Floor: f64 => num::f64_floor,
    F64Trunc: f64 => num::f64_trunc,
    F64Nearest: f64 => num::f64_nearest,
    F64Sqrt: f64 => f64::sqrt,
    I32WrapI64: u64 => |x: u64| x as u32,
    I64ExtendI32S: i32 => |x: i32| x as i64,
    I64ExtendI32U: u32 => |x: u32| x as u64,
    F32ConvertI32S: i32 => |x: i32| x as f32,
    F32ConvertI32U: u32 => |x: u32| x as f32,
    F32ConvertI64S: i64 => |x: i64| x as f32,
    F32ConvertI64U: u64 => |x: u64| x as f32,
    F32DemoteF64: f64 => |x: f64| x as f32,
    F64ConvertI32S: i32 => |x: i32| x as f64,
    F64ConvertI32U: u32 => |x: u32| x as f64,
    F64ConvertI64S: i64 => |x: i64| x as f64,
    F64ConvertI64U: u64 => |x: u64| x as f64,
    F64PromoteF32: f32 => |x: f32| x as f64,
    I32ReinterpretF32: u32 => |x: u32| x,
    F32ReinterpretI32: u32 => |x: u32| x,
    I64ReinterpretF64: f64 => f64::to_bits,
    F64ReinterpretI64: u64 => f64::from_bits,
    I32TruncSatF32S: f32 => |x: f32| x as i32,
    I32TruncSatF32U: f32 => |x: f32| x as u32,
    I32TruncSatF64S: f64 => |x: f64| x as i32,
    I32TruncSatF64U: f64 => |x: f64| x as u32,
    I64TruncSatF32S: f32 => |x: f32| x as i64,
    I64TruncSatF32U: f32 => |x: f32| x as u64,
    I64TruncSatF64S: f64 => |x: f64| x as i64,
    I64TruncSatF64U: f64 => |x: f64| x as u64,
}

unary_try! { lookup_unary_try;
    I32TruncF32S: f32 => num::i32_trunc_f32_s,
    I32TruncF32U: f32 => num::i32_trunc_f32_u,
    I32TruncF64S: f64 => num::i32_trunc_f64_s,
    I32TruncF64U: f64 => num::i32_trunc_f64_u,
    I64TruncF32S: f32 => num::i64_trunc_f32_s,
    I64TruncF32U: f32 => num::i64_trunc_f32_u,
    I64TruncF64S: f64 => num::i64_trunc_f64_s,
    I64TruncF64U: f64 => num::i64_trunc_f64_u,
}

binary! { lookup_binary;
    I32Eq: u32 => |a, b| a == b,
    I32Ne: u32 => |a, b| a != b,
    I32LtS: i32 => |a, b| a < b,
    I32LtU: u32 => |a, b| a < b,
    I32GtS: i32 => |a, b| a > b,
    I32GtU: u32 => |a, b| a > b,
    I32LeS: i32 => |a, b| a <= b,
    I32LeU: u32 => |a, b| a <= b,
    I32GeS: i32 => |a, b| a >= b,
    I32GeU: u32 => |a, b| a >= b,
    I64Eq: u64 => |a, b| a == b,
    I64Ne: u64 => |a, b| a != b,
    I64LtS: i64 => |a, b| a < b,
    I64LtU: u64 => |a, b| a < b,
    I64GtS: i64 => |a, b| a > b,
    I64GtU: u64 => |a, b| a > b,
    I64LeS: i64 => |a, b| a <= b,
    I64LeU: u64 => |a, b| a <= b,
    I64GeS: i64 => |a, b| a >= b,
    I64GeU: u64 => |a, b| a >= b,
    F32Eq: f32 => |a, b| a == b,
    F32Ne: f32 => |a, b| a != b,
    F32Lt: f32 => |a, b| a < b,
    F32Gt: f32 => |a, b| a > b,
    F32Le: f32 => |a, b| a <= b,
    F32Ge: f32 => |a, b| a >= b,
    F64Eq: f64 => |a, b| a == b,
    F64Ne: f64 => |a, b| a != b,
    F64Lt: f64 => |a, b| a < b,
    F64Gt: f64 => |a, b| a > b,
    F64Le: f64 => |a, b| a <= b,
    F64Ge: f64 => |a, b| a >= b,
    I32Add: u32 => u32::wrapping_add,
    I32Sub: u32 => u32::wrapping_sub,
    I32Mul: u32 => u32::wrapping_mul,
    I32And: u32 => |a, b| a & b,
    I32Or: u32 => |a, b| a | b,
    I32Xor: u32 => |a, b| a ^ b,
    I32Shl: u32 => u32::wrapping_shl,
    I32ShrS: i32 => |a: i32, b: i32| a.wrapping_shr(b as u32),
    I32ShrU: u32 => u32::wrapping_shr,
    I32Rotl: u32 => |a: u32, b: u32| a.rotate_left(b & 31),
    I32Rotr: u32 => |a: u32, b: u32| a.rotate_right(b & 31),
    I64Add: u64 => u64::wrapping_add,
    I64Sub: u64 => u64::wrapping_sub,
    I64Mul: u64 => u64::wrapping_mul,
    I64And: u64 => |a, b| a & b,
    I64Or: u64 => |a, b| a | b,
    I64Xor: u64 => |a, b| a ^ b,
    I64Shl: u64 => |a: u64, b: u64| a.wrapping_shl(b as u32),
    I64ShrS: i64 => |a: i64, b: i64| a.wrapping_shr(b as u32),
    I64ShrU: u64 => |a: u64, b: u64| a.wrapping_shr(b as u32),
    I64Rotl: u64 => |a: u64, b: u64| a.rotate_left((b & 63) as u32),
    I64Rotr: u64 => |a: u64, b: u64| a.rotate_right((b & 63) as u32),
    F32Add: f32 => |a, b| a + b,
    F32Sub: f32 => |a, b| a - b,
    F32Mul: f32 => |a, b| a * b,
    F32Div: f32 => |a, b| a / b,
    F32Min: f32 => num::f32_min,
    F32Max: f32 => num::f32_max,
    F32Copysign: u32 => num::f32_copysign,
    F64Add: f64 => |a, b| a + b,
    F64Sub: f64 => |a, b| a - b,
    F64Mul: f64 => |a, b| a * b,
    F64Div: f64 => |a, b| a / b,
    F64Min: f64 => num::f64_min,
    F64Max: f64 => num::f64_max,
    F64Copysign: f64 => f64::copysign,
}

binary_try! { lookup_binary_try;
    I32DivS: i32 => num::i32_div_s,
    I32DivU: u32 => num::i32_div_u,
    I32RemS: i32 => num::i32_rem_s,
    I32RemU: u32 => num::i32_rem_u,
    I64DivS: i64 => num::i64_div_s,
    I64DivU: u64 => num::i64_div_u,
    I64RemS: i64 => num::i64_rem_s,
    I64RemU: u64 => num::i64_rem_u,
}

imm! { lookup_imm;
    I32AddImm: u32 => u32::wrapping_add,
    I32MulImm: u32 => u32::wrapping_mul,
    I32AndImm: u32 => |a, b| a & b,
    I32OrImm: u32 => |a, b| a | b,
    I32XorImm: u32 => |a, b| a ^ b,
    I32ShlImm: u32 => u32::wrapping_shl,
    I32ShrSImm: i32 => |a: i32, b: i32| a.wrapping_shr(b as u32),
    I32ShrUImm: u32 => u32::wrapping_shr,
    I32RotlImm: u32 => |a: u32, b: u32| a.rotate_left(b & 31),
    I32RotrImm: u32 => |a: u32, b: u32| a.rotate_right(b & 31),
    I32EqImm: u32 => |a, b| a == b,
    I32NeImm: u32 => |a, b| a != b,
    I32LtSImm: i32 => |a, b| a < b,
    I32LtUImm: u32 => |a, b| a < b,
    I32GtSImm: i32 => |a, b| a > b,
    I32GtUImm: u32 => |a, b| a > b,
    I32LeSImm: i32 => |a, b| a <= b,
    I32LeUImm: u32 => |a, b| a <= b,
    I32GeSImm: i32 => |a, b| a >= b,
    I32GeUImm: u32 => |a, b| a >= b,
    I64AddImm: u64 => u64::wrapping_add,
    I64MulImm: u64 => u64::wrapping_mul,
    I64AndImm: u64 => |a, b| a & b,
    I64OrImm: u64 => |a, b| a | b,
    I64XorImm: u64 => |a, b| a ^ b,
    I64ShlImm: u64 => |a: u64, b: u64| a.wrapping_shl(b as u32),
    I64ShrSImm: i64 => |a: i64, b: i64| a.wrapping_shr(b as u32),
    I64ShrUImm: u64 => |a: u64, b: u64| a.wrapping_shr(b as u32),
    I64RotlImm: u64 => |a: u64, b: u64| a.rotate_left(b as u32),
    I64RotrImm: u64 => |a: u64, b: u64| a.rotate_right(b as u32),
    I64EqImm: u64 => |a, b| a == b,
    I64NeImm: u64 => |a, b| a != b,
    I64LtSImm: i64 => |a, b| a < b,
    I64LtUImm: u64 => |a, b| a < b,
    I64GtSImm: i64 => |a, b| a > b,
    I64GtUImm: u64 => |a, b| a > b,
    I64LeSImm: i64 => |a, b| a <= b,
    I64LeUImm: u64 => |a, b| a <= b,
    I64GeSImm: i64 => |a, b| a >= b,
    I64GeUImm: u64 => |a, b| a >= b,
    // (The dividend is the cell's low 32 bits; `m` is the divisor's reciprocal.)
    I32DivUImm: u64 => |a: u64, m: u64| ((u128::from(a as u32) * u128::from(m)) >> 64) as u32,
}

fimm! { lookup_fimm;
    F32AddImm: f32, u32 => |a, b| a + b,
    F32SubImm: f32, u32 => |a, b| a - b,
    F32MulImm: f32, u32 => |a, b| a * b,
    F32DivImm: f32, u32 => |a, b| a / b,
    F64AddImm: f64, u64 => |a, b| a + b,
    F64SubImm: f64, u64 => |a, b| a - b,
    F64MulImm: f64, u64 => |a, b| a * b,
    F64DivImm: f64, u64 => |a, b| a / b,
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup_fused;
    I32AddShl [0, 1, 2, 4, 5, 6] { dst, lhs, rhs, shift } => {
        let a = src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
        let b = src::<u32>(fp, rhs, acc, facc, M & ACC_IN2 != 0);
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, a.wrapping_add(b.wrapping_shl(shift as u32)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    I32XorShrU [0, 1, 4, 5] { dst, lhs, shift } => {
        let a = src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, a ^ a.wrapping_shr(shift as u32));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    I64XorShrU [0, 1, 4, 5] { dst, lhs, shift } => {
        let a = src::<u64>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, a ^ a.wrapping_shr(shift as u32));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    I32ShrUAnd [0, 1, 4, 5] { dst, lhs, shift, mask } => {
        let a = src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, a.wrapping_shr(shift as u32) & mask as u32);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}
