//! Constant expressions (global initialisers, segment offsets and items).

use crate::error::{CompileError, TrapCode};
use crate::types::{CompositeType, FuncType, FuncTypeId, HeapType, RefType, TypeKind};
use crate::value::{AnyRef, ExternRef, ValOf};

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
    /// `ref.i31`.
    RefI31,
    /// `extern.convert_any`.
    ExternConvertAny,
    /// `any.convert_extern`.
    AnyConvertExtern,
    /// An allocation (`struct.new*`, `array.new*`): done by the store.
    Alloc(GcAlloc),
}

/// An allocating GC instruction of a constant expression, with its canonical type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum GcAlloc {
    /// `struct.new`: one operand per field.
    StructNew { ty: FuncTypeId, fields: u32 },
    /// `struct.new_default`.
    StructNewDefault { ty: FuncTypeId },
    /// `array.new`: the value and the length.
    ArrayNew { ty: FuncTypeId },
    /// `array.new_default`: the length.
    ArrayNewDefault { ty: FuncTypeId },
    /// `array.new_fixed`: `len` values.
    ArrayNewFixed { ty: FuncTypeId, len: u32 },
}

impl GcAlloc {
    /// The number of operands it takes.
    fn operands(&self) -> usize {
        match *self {
            GcAlloc::StructNew { fields, .. } => fields as usize,
            GcAlloc::StructNewDefault { .. } => 0,
            GcAlloc::ArrayNew { .. } => 2,
            GcAlloc::ArrayNewDefault { .. } => 1,
            GcAlloc::ArrayNewFixed { len, .. } => len as usize,
        }
    }
}

/// A validated constant expression, as a short stack program.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr(pub(crate) Vec<ConstOp>);

impl ConstExpr {
    /// Reads a constant expression (already validated by wasmparser).
    pub(crate) fn parse(expr: &wasmparser::ConstExpr<'_>, types: &[FuncType]) -> Result<ConstExpr, CompileError> {
        use wasmparser::Operator as O;
        let id = |i: u32| {
            types
                .get(i as usize)
                .map(FuncTypeId::of)
                .ok_or_else(|| CompileError::new("unknown type in a constant expression", None))
        };
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
                    wasmparser::HeapType::Concrete(i) => {
                        match i.as_module_index().and_then(|i| types.get(i as usize)).map(FuncTypeId::of) {
                            Some(t) if t.kind() != TypeKind::Func => RefType::new(true, HeapType::Any),
                            _ => RefType::FuncRef,
                        }
                    }
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
                O::RefI31 => ConstOp::RefI31,
                O::ExternConvertAny => ConstOp::ExternConvertAny,
                O::AnyConvertExtern => ConstOp::AnyConvertExtern,
                O::StructNew { struct_type_index: t } => {
                    let ty = id(t).map_err(|e| e.or_offset(offset))?;
                    let fields = match ty.sub_type().composite {
                        CompositeType::Struct(s) => s.fields.len() as u32,
                        _ => 0,
                    };
                    ConstOp::Alloc(GcAlloc::StructNew { ty, fields })
                }
                O::StructNewDefault { struct_type_index: t } => {
                    ConstOp::Alloc(GcAlloc::StructNewDefault { ty: id(t).map_err(|e| e.or_offset(offset))? })
                }
                O::ArrayNew { array_type_index: t } => {
                    ConstOp::Alloc(GcAlloc::ArrayNew { ty: id(t).map_err(|e| e.or_offset(offset))? })
                }
                O::ArrayNewDefault { array_type_index: t } => {
                    ConstOp::Alloc(GcAlloc::ArrayNewDefault { ty: id(t).map_err(|e| e.or_offset(offset))? })
                }
                O::ArrayNewFixed { array_type_index: t, array_size: len } => {
                    ConstOp::Alloc(GcAlloc::ArrayNewFixed { ty: id(t).map_err(|e| e.or_offset(offset))?, len })
                }
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
    /// function by index; `alloc` allocates a GC object from its operands (which may trap).
    pub(crate) fn eval<F, E>(
        &self,
        global: impl Fn(u32) -> ValOf<F, E>,
        func: impl Fn(u32) -> ValOf<F, E>,
        alloc: impl Fn(&GcAlloc, Vec<ValOf<F, E>>) -> Result<ValOf<F, E>, TrapCode>,
    ) -> Result<ValOf<F, E>, TrapCode> {
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
                ConstOp::RefI31 => {
                    let Some(ValOf::I32(v)) = stack.pop() else { unreachable!("validated constant expression") };
                    ValOf::AnyRef(Some(AnyRef::I31((v << 1) >> 1)))
                }
                ConstOp::ExternConvertAny => match stack.pop() {
                    Some(ValOf::AnyRef(Some(AnyRef::Extern(e)))) => ValOf::ExternRef(Some(e)),
                    Some(ValOf::AnyRef(Some(a))) => ValOf::ExternRef(Some(ExternRef::new(a))),
                    _ => ValOf::ExternRef(None),
                },
                ConstOp::AnyConvertExtern => match stack.pop() {
                    Some(ValOf::ExternRef(Some(e))) => match e.data().downcast_ref::<AnyRef>() {
                        Some(a) => ValOf::AnyRef(Some(a.clone())),
                        None => ValOf::AnyRef(Some(AnyRef::Extern(e))),
                    },
                    _ => ValOf::AnyRef(None),
                },
                ConstOp::Alloc(a) => {
                    let args = stack.split_off(stack.len() - a.operands());
                    alloc(a, args)?
                }
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
        Ok(stack.pop().expect("validated constant expression yields a value"))
    }
}
