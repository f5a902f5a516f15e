//! Execution: the entry point [`invoke`], the driver that runs the handlers and performs host
//! calls on their behalf, and the pieces the handlers use.

mod backtrace;
mod bulk;
mod cell;
mod ctx;
mod dispatch;
mod ops;
mod stack;
pub(crate) mod suspend;
mod unwind;

pub(crate) use self::backtrace::host_caller as host_caller_backtrace;
use self::ctx::Ctx;
pub(crate) use self::dispatch::{handler_of, thread, Threaded};
use self::stack::{Lender, Session};
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::runtime::{FuncInst, FuncRef, Instance};
use crate::types::FuncType;
use crate::value::Val;

#[allow(unused_imports)] // referenced from docs and tests
pub(crate) use self::stack::{MAX_CELLS, MAX_FRAMES, MAX_NESTING};

/// See [`crate::engine::call_function`].
pub(crate) fn invoke(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    match &*func.0 {
        FuncInst::Host { func, .. } => func.call(args, results),
        FuncInst::Wasm { instance, index, ty } => match &instance.0.limits {
            None => run(instance, *index, ty, args, results),
            Some(limits) => run_limited(limits, instance, *index, ty, args, results),
        },
    }
}

thread_local! {
    /// Whether an outermost call of a limited namespace is running on this thread (nested
    /// calls share its deadline and depth limit).
    static LIMITED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`run`] for an instance of a limited namespace: the outermost such call on the thread
/// registers its deadline and interrupt flag with the limits watcher and caps the call depth;
/// an `Interrupted` trap the watcher caused is reported with its reason.
#[inline(never)]
fn run_limited(
    limits: &std::rc::Rc<crate::runtime::NamespaceLimits>,
    instance: &Instance,
    index: u32,
    ty: &FuncType,
    args: &[Val],
    results: &mut Vec<Val>,
) -> Result<(), Error> {
    use crate::runtime::limiter;
    if LIMITED.get() {
        return run(instance, index, ty, args, results).map_err(limiter::map_interrupted);
    }
    let watch = limiter::watch(limits)?;
    let depth = limits.config().max_stack_depth.map(|d| stack::limit_depth(d as usize));
    LIMITED.set(true);
    let r = run(instance, index, ty, args, results).map_err(limiter::map_interrupted);
    LIMITED.set(false);
    if let Some(old) = depth {
        stack::restore_depth(old);
    }
    drop(watch);
    r
}

/// Runs defined function `index` of `instance` as a new invocation on this thread's stack.
///
/// This frame stays on the native stack while a host function it calls runs (and maybe calls
/// wasm again), so it holds little: the setup, the host call, the unwinding and the results are
/// functions of their own (issue #11: native stack per re-entry level).
#[inline(never)]
fn run(instance: &Instance, index: u32, ty: &FuncType, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    let m = &instance.0.module.0;
    let func = &m.code.funcs[(index - m.num_imported_funcs) as usize];
    let mut session = Session::enter().map_err(|_| overflow(instance, func))?;
    let base = session.base;
    enter_frame(session.stack(), base, func, args).map_err(|_| overflow(instance, func))?;
    let entry_depth = session.stack().frames.len();
    let mut cx = Ctx::new(func.entry(), base);
    // SAFETY: `instance` outlives this call (the caller holds `func`'s reference).
    unsafe { cx.switch(instance) };
    loop {
        let stack = session.stack();
        // SAFETY: `cx` starts at the entry of `func`, whose frame was reserved and initialised
        // above, and afterwards is what the handlers saved when they stopped for a host call
        // or what the unwinder set for a handler.
        let thrown = match unsafe { dispatch::execute(stack, &mut cx, entry_depth) } {
            Ok(Exit::Done) => break,
            Ok(Exit::Host { func, args, dst }) => match host_exit(&mut session, &cx, entry_depth, &func, args, dst) {
                // (Wasm → host → wasm recursion need not reach a branch or a call.)
                Ok(()) if interrupted(&mut session) => return Err(TrapCode::Interrupted.into()),
                Ok(()) => continue,
                Err(Error::Exception(exn)) => exn,
                Err(e) => return Err(e),
            },
            Err(Error::Exception(exn)) => exn,
            Err(e) => return Err(e),
        };
        // An exception (never a trap): on to the nearest handler, or out of this invocation.
        // SAFETY: `cx` stopped at the throw or the host call, with the frames in sync.
        unsafe { unwind::unwind(session.stack(), &mut cx, entry_depth, thrown) }?;
    }
    load_results(session.stack(), base, ty, results);
    Ok(())
}

/// Out of stack on entry (nested too deeply through host calls): the function being entered
/// is the innermost frame, as for a call from wasm.
#[cold]
#[inline(never)]
fn overflow(instance: &Instance, func: &CompiledFunc) -> Error {
    // SAFETY: `instance` is alive and owns `func`.
    unsafe { backtrace::overflow_entering(instance, func) }
}

/// Reserves `func`'s frame at cell `base` and fills it: the arguments, then zeroed locals.
#[inline(never)]
fn enter_frame(stack: &mut stack::Stack, base: usize, func: &CompiledFunc, args: &[Val]) -> Result<(), TrapCode> {
    stack.reserve(base + func.frame_size as usize)?;
    let mut at = base;
    for a in args {
        at += stack.store_val(at, a);
    }
    if func.num_locals > func.num_params {
        stack.cells[base + func.num_params as usize..base + func.num_locals as usize].fill(0);
    }
    Ok(())
}

/// Appends the results of the invocation's function, at the start of its frame, to `results`.
#[inline(never)]
fn load_results(stack: &stack::Stack, base: usize, ty: &FuncType, results: &mut Vec<Val>) {
    stack.load_vals(base, ty.results(), results);
}

/// Performs the host call the handlers stopped for, recording where it was called from (for
/// its errors' backtraces) meanwhile.
#[inline(never)]
fn host_exit<L: Lender>(
    session: &mut L,
    cx: &Ctx,
    entry_depth: usize,
    func: &FuncRef,
    args: usize,
    dst: usize,
) -> Result<(), Error> {
    let saved = session.stack().host_caller.replace((cx.inst, cx.ip, entry_depth));
    let outcome = call_host(session, func, args, dst);
    session.stack().host_caller = saved;
    outcome
}

/// Whether a pending interrupt stops the invocation of `session` (taking it).
fn interrupted<L: Lender>(session: &mut L) -> bool {
    let t = &session.stack().interrupt;
    t.pending() && t.take_stop()
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
/// function may call wasm again. (Only this frame stays live during the host call: reading
/// the arguments and storing the results are functions of their own.)
///
/// On a promising segment ([`Lender::SUSPENDS`]) the host function may suspend it (JSPI): it
/// gets the permit to, and if it asked to, its results are left unwritten (they come at the
/// resumption) and the driver finds the request pending.
#[inline(always)]
fn call_host<L: Lender>(session: &mut L, func: &FuncRef, at: usize, dst: usize) -> Result<(), Error> {
    let FuncInst::Host { ty, func: host } = &*func.0 else { unreachable!("host exit with a wasm function") };
    let (args, mut results) = host_args(session.stack(), ty, at);
    session.lend();
    let outcome = if L::SUSPENDS {
        suspend::call_with_permit(func, || host.call(&args, &mut results))
    } else {
        host.call(&args, &mut results)
    };
    session.reclaim();
    if L::SUSPENDS && suspend::requested(&outcome) {
        return suspend::keep_vals(session.stack(), args, results);
    }
    host_results(session.stack(), ty, at, dst, outcome, args, results)
}

/// The reusable argument and result vectors of a host call (see [`stack::Stack::host_vals`]),
/// the arguments read from cell `at`; a nested invocation starts above them and the results.
#[inline(never)]
fn host_args(stack: &mut stack::Stack, ty: &FuncType, at: usize) -> (Vec<Val>, Vec<Val>) {
    let (params, result_types) = (ty.params(), ty.results());
    // The argument and result vectors are reused from call to call (no allocation).
    let (mut args, results) = std::mem::take(&mut stack.host_vals);
    stack.load_vals(at, params, &mut args);
    stack.top = at + super::cells_of(params).max(super::cells_of(result_types));
    (args, results)
}

/// Stores the results of a host call at cell `at` (a single result at cell `dst`) and puts
/// the vectors back for the next call.
#[inline(never)]
fn host_results(
    stack: &mut stack::Stack,
    ty: &FuncType,
    at: usize,
    dst: usize,
    outcome: Result<(), Error>,
    mut args: Vec<Val>,
    mut results: Vec<Val>,
) -> Result<(), Error> {
    let result_types = ty.results();
    args.clear();
    outcome?;
    if results.len() != result_types.len() || results.iter().zip(result_types).any(|(v, t)| !v.matches(t)) {
        debug_assert!(false, "host function returned {results:?} for results {result_types:?}");
        return Err(TrapCode::FuncSigMismatch.into());
    }
    // A single result goes to `dst` (a single v128 result is never redirected: `dst` is `at`).
    let mut to = if results.len() == 1 { dst } else { at };
    for v in &results {
        to += stack.store_val(to, v);
    }
    results.clear();
    stack.host_vals = (args, results);
    Ok(())
}
