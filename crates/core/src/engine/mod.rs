//! The execution engine: translation of function bodies into a compact register-style
//! instruction form ([`ir`]), and the interpreter that runs it ([`exec`]).
//!
//! * Translation (`translate/`) validates and lowers each function body in one pass. Locals and
//!   operand-stack values are *slots* of one frame of untyped 64-bit cells; instructions name
//!   their operand and result slots; branch targets are resolved to relative offsets.
//!   While emitting, peephole optimisations pass values between adjacent instructions in a
//!   register (the accumulator), fuse frequent pairs into superinstructions and loop latches,
//!   and copy short loop headers at back edges (`translate/fuse.rs`).
//! * Execution (`exec/`) is threaded: every instruction carries its handler, and each handler
//!   ends by calling the next one in tail position (a jump in optimised builds; debug builds use
//!   a trampoline). Wasm calls push frames on a heap stack (a callee's frame starts at its first
//!   argument in the caller's frame), so deep recursion never touches the native stack;
//!   exhausting the heap stack is [`crate::TrapCode::StackOverflow`].
//! * References in cells are raw pointers kept alive by a per-invocation root set.
//!
//! Limits: [`exec::MAX_FRAMES`] call frames, [`exec::MAX_CELLS`] value cells and
//! [`exec::MAX_NESTING`] nested (host → wasm) invocations per thread; at most 65,535 slots per
//! function frame.

#[cfg(test)]
mod dump;
mod exec;
mod ir;
mod numeric;
mod translate;

use crate::error::{CompileError, Error};
use crate::module::ModuleInner;
use crate::runtime::FuncRef;
use crate::value::Val;

use self::exec::Threaded;

/// The translated code of one defined function.
pub(crate) struct CompiledFunc {
    /// The instructions; execution starts at the first.
    code: Box<[Threaded]>,
    /// Where the instructions that can trap or call came from: `(instruction index, module
    /// byte offset)`, ascending (see `translate::locations`; read only when a trap happens).
    locations: Box<[(u32, u32)]>,
    /// Number of parameters (the first cells of the frame).
    num_params: u32,
    /// Number of locals, parameters included (cells `num_params..num_locals` start zeroed).
    num_locals: u32,
    /// Number of cells of the frame: locals, then operand-stack temporaries (at least the
    /// number of results, which are returned in the first cells).
    frame_size: u32,
}

impl std::fmt::Debug for CompiledFunc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CompiledFunc({} instrs, {} locals, {} slots)", self.code.len(), self.num_locals, self.frame_size)
    }
}

impl CompiledFunc {
    /// The module byte offset of the operator instruction `index` was translated from, if
    /// recorded (instructions that can trap or call always are).
    pub(crate) fn location(&self, index: usize) -> Option<u32> {
        translate::lookup_location(&self.locations, index)
    }
}

/// Validates and translates the body of defined function `func_index` (index in the module's
/// function index space, imports first). `module` holds everything decoded before the code
/// section (types, function types, tables, memories, globals, element segments).
pub(crate) fn translate(
    module: &ModuleInner,
    func_index: u32,
    body: wasmparser::FunctionBody<'_>,
    validator: wasmparser::FuncValidator<wasmparser::ValidatorResources>,
) -> Result<CompiledFunc, CompileError> {
    translate::translate(module, func_index, body, validator)
}

/// While a host function runs: the wasm frames of the invocation that called it, innermost
/// first; empty outside a host call.
pub(crate) fn host_caller_backtrace() -> Vec<crate::error::TrapFrame> {
    exec::host_caller_backtrace()
}

/// Calls `func` with `args` (already of the parameter types), appending its results.
///
/// Traps unwind every wasm frame of this call; an error of a host function is returned
/// unchanged. May be re-entered from a host function.
pub(crate) fn invoke(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    exec::invoke(func, args, results)
}
pub(crate) mod simd;
