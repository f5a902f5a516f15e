//! The execution engine: translation of function bodies into a compact register-style
//! instruction form ([`ir`]), and the interpreter that runs it ([`exec`]).
//!
//! * Compilation validates every function body (`code.rs`); translation (`translate/`) lowers a
//!   body on the function's first call. Locals and
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
//! [`exec::MAX_NESTING`] nested (host → wasm) invocations per thread, each started only with
//! [`crate::native_stack::RESERVE`] bytes of native stack left; at most 65,535 slots per
//! function frame.

mod code;
#[cfg(test)]
mod dump;
mod exec;
mod handler_regions;
mod ir;
mod module;
mod numeric;
mod store;
mod translate;

use self::store::Error;
use self::store::FuncRef;
use self::store::Val;
use crate::types::ValType;

pub(crate) use self::code::CompiledFunc;
/// Every value cell of this thread's interpreter stacks but one (the GC's roots).
pub(crate) use self::exec::for_each_other_cell;
pub use self::module::Module;
pub(crate) use self::module::ModuleInner;

/// The number of 64-bit cells a value of type `t` occupies in a frame (a `v128` takes two,
/// low half first).
#[inline]
pub(crate) fn cells(t: ValType) -> usize {
    if t == ValType::V128 {
        2
    } else {
        1
    }
}

/// The number of cells of values of types `types`.
pub(crate) fn cells_of(types: &[ValType]) -> usize {
    types.iter().map(|&t| cells(t)).sum()
}

/// While a host function runs: the wasm frames of the invocation that called it, innermost
/// first, at most `limit`; empty outside a host call.
pub(crate) fn host_caller_backtrace(limit: usize) -> Vec<crate::error::TrapFrame> {
    exec::host_caller_backtrace(limit)
}

/// Calls `func` with `args` (already of the parameter types), appending its results.
///
/// Traps unwind every wasm frame of this call; an error of a host function is returned
/// unchanged. May be re-entered from a host function.
pub(crate) fn call_function(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    exec::call_function(func, args, results)
}

/// Calls wasm function `func`, whose parameter and result types are all numeric, with the
/// raw bits of its arguments (see [`crate::NumericFunc`]), writing those of its results.
pub(crate) fn call_numeric(func: &FuncRef, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
    exec::call_numeric(func, args, results)
}
pub(crate) mod simd;

/// Whether wasm runs on this thread now or a suspended JSPI segment holds cells.
pub(crate) fn any_stack_in_use() -> bool {
    exec::any_stack_in_use()
}

pub use self::exec::suspend::{
    call_promising, request_suspend, take_suspend_permit, Continuation, SuspendRefusal, Suspension,
};
