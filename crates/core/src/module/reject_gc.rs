//! Rejection of what needs GC objects or GC types in the profiles that do not execute GC (the
//! Node profiles: the binding does not convert GC values yet, #13; `latest` executes GC).
//! wasmparser validates with its `GC` feature on (WebAssembly 3.0's `global.get` of defined
//! globals in constant expressions, explicit recursion groups of function types and the updated
//! validation rules need it), so every construct of the GC proposal is rejected here, at compile
//! time, with a message naming GC.

use wasmparser::{BlockType, Operator, SubType};

use crate::error::CompileError;
use crate::types::{FuncType, RefType, ValType};

/// The error for a GC construct `what` at byte `offset`.
fn unsupported(what: impl std::fmt::Display, offset: usize) -> CompileError {
    let message = format!("{what} is not supported (GC is not supported by jitless-wasm yet)");
    CompileError::disabled(crate::error::Feature::Gc, message, Some(offset))
}

/// Checks one type definition of the type section: only final function types without a
/// declared supertype (the types of WebAssembly 3.0 without GC).
pub(crate) fn check_sub_type(sub: &SubType, offset: usize) -> Result<(), CompileError> {
    let c = &sub.composite_type;
    if !matches!(c.inner, wasmparser::CompositeInnerType::Func(_)) {
        return Err(unsupported("a struct or array type", offset));
    }
    if !sub.is_final || !sub.supertype_idxs.is_empty() {
        return Err(unsupported("a non-final function type or a declared subtype (`sub`)", offset));
    }
    if c.shared || c.descriptor_idx.is_some() || c.describes_idx.is_some() {
        return Err(unsupported("a shared or described type", offset));
    }
    Ok(())
}

/// Whether an operator with first byte `opcode` must be looked at by [`check_operator`]:
/// the GC instructions (prefix 0xfb, `ref.eq`) and those with a type immediate (`block`,
/// `loop`, `if`, `try`, `try_table`, typed `select`, `ref.null`).
pub(crate) fn needs_check(opcode: u8) -> bool {
    matches!(opcode, 0xfb | 0xd3 | 0x02..=0x04 | 0x06 | 0x1f | 0x1c | 0xd0)
}

/// [`needs_check`] for the operator whose bytes start at `code[0]`: a block type given by one
/// byte that cannot name a GC type (empty, a numeric or vector type, or a type index below 64)
/// needs no look, so most `block`, `loop` and `if` operators are passed without decoding
/// them again.
pub(crate) fn needs_check_at(code: &[u8]) -> bool {
    let Some(&opcode) = code.first() else { return false };
    if matches!(opcode, 0x02..=0x04 | 0x06 | 0x1f) {
        return !matches!(code.get(1), Some(0x40 | 0x7b..=0x7f | 0x00..=0x3f));
    }
    needs_check(opcode)
}

/// Checks one (already validated) operator of a function body at byte `offset` of a module
/// whose types are `types`: GC instructions and GC reference types in immediates are rejected.
pub(crate) fn check_operator(op: &Operator<'_>, types: &[FuncType], offset: usize) -> Result<(), CompileError> {
    use Operator as O;
    let val = |t: wasmparser::ValType| check_val_type(t, types, offset);
    match op {
        O::Block { blockty } | O::Loop { blockty } | O::If { blockty } | O::Try { blockty } => {
            block(blockty, types, offset)
        }
        O::TryTable { try_table } => block(&try_table.ty, types, offset),
        O::TypedSelect { ty } => val(*ty),
        O::TypedSelectMulti { tys } => tys.iter().try_for_each(|&t| val(t)),
        O::RefNull { hty } => match wasmparser::RefType::new(true, *hty) {
            Some(r) => val(wasmparser::ValType::Ref(r)),
            None => Err(unsupported(format!("ref.null {hty:?}"), offset)),
        },
        // Every other operator starting with 0xfb or 0xd3 is a GC instruction (`struct.*`,
        // `array.*`, `ref.i31`, `i31.get_*`, `ref.test`, `ref.cast`, `br_on_cast*`,
        // `any.convert_extern`, `extern.convert_any`, `ref.eq`).
        other => Err(unsupported(format!("the GC instruction {other:?}"), offset)),
    }
}

/// Checks the value types of a block type.
fn block(ty: &BlockType, types: &[FuncType], offset: usize) -> Result<(), CompileError> {
    match *ty {
        BlockType::Type(t) => check_val_type(t, types, offset),
        BlockType::Empty | BlockType::FuncType(_) => Ok(()),
    }
}

/// Checks a value type (a local's, or an immediate's): GC reference types are rejected.
pub(crate) fn check_val_type(t: wasmparser::ValType, types: &[FuncType], offset: usize) -> Result<(), CompileError> {
    match t {
        wasmparser::ValType::Ref(r) => {
            RefType::from_wasmparser_in(r, types).map_err(|e| e.or_offset(offset))?;
        }
        other => {
            ValType::from_wasmparser(other).map_err(|e| e.or_offset(offset))?;
        }
    }
    Ok(())
}
