//! The execution engine: translation of function bodies into the internal instruction form, and
//! the interpreter that runs it. (Engine engineer: replace this stub.)

use crate::error::{CompileError, Error};
use crate::module::ModuleInner;
use crate::runtime::FuncRef;
use crate::value::Val;

/// The translated code of one defined function.
#[derive(Debug)]
pub(crate) struct CompiledFunc {}

/// Validates and translates the body of defined function `func_index` (index in the module's
/// function index space, imports first). `module` holds everything decoded before the code
/// section (types, function types, tables, memories, globals, element segments).
pub(crate) fn translate(
    _module: &ModuleInner,
    _func_index: u32,
    _body: wasmparser::FunctionBody<'_>,
    _validator: wasmparser::FuncValidator<wasmparser::ValidatorResources>,
) -> Result<CompiledFunc, CompileError> {
    todo!("engine: translate")
}

/// Calls `func` with `args` (already of the parameter types), appending its results.
pub(crate) fn invoke(_func: &FuncRef, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
    todo!("engine: invoke")
}
