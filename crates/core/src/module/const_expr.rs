//! Constant expressions (global initialisers, segment offsets and items).

use crate::error::CompileError;
use crate::types::RefType;
use crate::value::ValOf;

/// One instruction of a constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull(RefType),
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A validated constant expression, as a short stack program.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr(pub(crate) Vec<ConstOp>);

impl ConstExpr {
    /// Reads a constant expression (already validated by wasmparser).
    pub(crate) fn parse(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, CompileError> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let offset = reader.original_position() as usize;
            let op = reader.read()?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::I32(value),
                O::I64Const { value } => ConstOp::I64(value),
                O::F32Const { value } => ConstOp::F32(value.bits()),
                O::F64Const { value } => ConstOp::F64(value.bits()),
                O::V128Const { value } => ConstOp::V128(value.i128() as u128),
                // Only the representation of a null matters: concrete function types are
                // nulls of `funcref` (the module's types are not needed). A GC heap type here
                // comes with a GC type of the global or segment, which decoding rejects
                // (unless GC types are decoded: `GcTypes::Decode`).
                O::RefNull { hty } => ConstOp::RefNull(match hty {
                    wasmparser::HeapType::Concrete(_) => RefType::FuncRef,
                    _ => RefType::from_wasmparser_with(
                        wasmparser::RefType::new(true, hty)
                            .ok_or_else(|| CompileError::new("bad ref.null type", Some(offset)))?,
                        &[],
                        crate::types::GcTypes::Decode,
                    )
                    .map_err(|e| e.or_offset(offset))?
                    .top(),
                }),
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::End => break,
                other => {
                    return Err(CompileError::new(
                        format!("constant expression operator {other:?} is not supported (GC is not supported)"),
                        Some(offset),
                    ))
                }
            });
        }
        Ok(ConstExpr(ops))
    }
}

/// The value of a constant expression that is a single `i32.const` (the usual offset of an
/// element segment), read without an operator reader.
pub(crate) fn as_i32_const(expr: &wasmparser::ConstExpr<'_>) -> Option<i32> {
    let mut reader = expr.get_binary_reader();
    if reader.read_u8().ok()? != 0x41 {
        return None;
    }
    let value = reader.read_var_i32().ok()?;
    (reader.read_u8().ok()? == 0x0b && reader.eof()).then_some(value)
}

impl ConstExpr {
    /// Evaluates the expression. `global` reads a global by index; `func` makes a reference to a
    /// function by index.
    pub(crate) fn eval<F, E>(
        &self,
        global: impl Fn(u32) -> ValOf<F, E>,
        func: impl Fn(u32) -> ValOf<F, E>,
    ) -> ValOf<F, E> {
        let mut stack: Vec<ValOf<F, E>> = Vec::with_capacity(2);
        for op in &self.0 {
            let v = match op {
                ConstOp::I32(v) => ValOf::I32(*v),
                ConstOp::I64(v) => ValOf::I64(*v),
                ConstOp::F32(v) => ValOf::F32(*v),
                ConstOp::F64(v) => ValOf::F64(*v),
                ConstOp::V128(v) => ValOf::V128(*v),
                ConstOp::RefNull(t) => ValOf::null(*t),
                ConstOp::RefFunc(i) => func(*i),
                ConstOp::GlobalGet(i) => global(*i),
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let (Some(ValOf::I32(b)), Some(ValOf::I32(a))) = (stack.pop(), stack.pop()) else {
                        unreachable!("validated constant expression")
                    };
                    ValOf::I32(match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let (Some(ValOf::I64(b)), Some(ValOf::I64(a))) = (stack.pop(), stack.pop()) else {
                        unreachable!("validated constant expression")
                    };
                    ValOf::I64(match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
            };
            stack.push(v);
        }
        stack.pop().expect("validated constant expression yields a value")
    }
}
