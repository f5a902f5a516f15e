//! Execution: the entry point [`invoke`], the driver that runs the handlers and performs host
//! calls on their behalf, and the pieces the handlers use.

mod backtrace;
mod bulk;
mod cell;
mod ctx;
mod dispatch;
mod ops;
mod stack;

pub(crate) use self::backtrace::host_caller as host_caller_backtrace;
use self::ctx::Ctx;
pub(crate) use self::dispatch::{handler_of, thread, Threaded};
use self::stack::{cell_to_val, val_to_cell, Session};
use crate::error::{Error, TrapCode};
use crate::runtime::{FuncInst, FuncRef, Instance};
use crate::types::FuncType;
use crate::value::Val;

#[allow(unused_imports)] // referenced from docs and tests
pub(crate) use self::stack::{MAX_CELLS, MAX_FRAMES, MAX_NESTING};

/// See [`crate::engine::invoke`].
pub(crate) fn invoke(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    match &*func.0 {
        FuncInst::Host { func, .. } => func.call(args, results),
        FuncInst::Wasm { instance, index, ty } => run(instance, *index, ty, args, results),
    }
}

/// Runs defined function `index` of `instance` as a new invocation on this thread's stack.
fn run(instance: &Instance, index: u32, ty: &FuncType, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    let mut session = Session::enter()?;
    let base = session.base;
    let m = &instance.0.module.0;
    let func = &m.code[(index - m.num_imported_funcs) as usize];
    let stack = session.stack();
    stack.reserve(base + func.frame_size as usize)?;
    for (i, a) in args.iter().enumerate() {
        let cell = val_to_cell(a, &mut stack.roots, &stack.cells);
        stack.cells[base + i] = cell;
    }
    stack.cells[base + func.num_params as usize..base + func.num_locals as usize].fill(0);
    let entry_depth = stack.frames.len();
    // SAFETY: `instance` outlives this call (the caller holds `func`'s reference).
    let mut cx = unsafe { Ctx::new(instance, func.code.as_ptr(), base) };
    loop {
        let stack = session.stack();
        // SAFETY: `cx` starts at the entry of `func`, whose frame was reserved and initialised
        // above, and afterwards is what the handlers saved when they stopped for a host call.
        match unsafe { dispatch::execute(stack, &mut cx, entry_depth) }? {
            Exit::Done => break,
            Exit::Host { func, args, dst } => {
                // Where the host function was called from, for its errors' backtraces.
                let saved = session.stack().host_caller.replace((cx.inst, cx.ip, entry_depth));
                let outcome = call_host(&mut session, &func, args, dst);
                session.stack().host_caller = saved;
                outcome?
            }
        }
    }
    let stack = session.stack();
    results.extend(ty.results().iter().enumerate().map(|(i, &t)| cell_to_val(stack.cells[base + i], t, &stack.roots)));
    Ok(())
}

/// Why the handlers stopped without an error.
pub(crate) enum Exit {
    /// The invocation's function returned; its results are at the start of its frame.
    Done,
    /// A host function must be called with the arguments at cell `args` (its results go
    /// there too, except that a single result goes to cell `dst`); then execution resumes
    /// where the context says.
    Host { func: FuncRef, args: usize, dst: usize },
}

/// Calls host function `func` with the arguments at cell `at`, writing its results there (a
/// single result to cell `dst`). The stack is lent to the thread meanwhile, so the host
/// function may call wasm again.
fn call_host(session: &mut Session, func: &FuncRef, at: usize, dst: usize) -> Result<(), Error> {
    let FuncInst::Host { ty, func: host } = &*func.0 else { unreachable!("host exit with a wasm function") };
    let (params, result_types) = (ty.params(), ty.results());
    let stack = session.stack();
    let args: Vec<Val> =
        params.iter().enumerate().map(|(i, &t)| cell_to_val(stack.cells[at + i], t, &stack.roots)).collect();
    // A nested invocation starts above the arguments and results of this call.
    stack.top = at + params.len().max(result_types.len());
    let mut results = Vec::with_capacity(result_types.len());
    session.lend();
    let outcome = host.call(&args, &mut results);
    session.reclaim();
    drop(args);
    outcome?;
    if results.len() != result_types.len() || results.iter().zip(result_types).any(|(v, &t)| v.ty() != t) {
        debug_assert!(false, "host function returned {results:?} for results {result_types:?}");
        return Err(TrapCode::FuncSigMismatch.into());
    }
    let stack = session.stack();
    for (i, v) in results.iter().enumerate() {
        let cell = val_to_cell(v, &mut stack.roots, &stack.cells);
        stack.cells[if results.len() == 1 { dst } else { at + i }] = cell;
    }
    Ok(())
}
