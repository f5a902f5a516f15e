//! Execution: the entry point [`call_function`], the driver that runs the handlers and performs host
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
pub(crate) use self::ops::simd::has_fast_binop;
pub(crate) use self::ops::store_loop::fits_store_loop;
pub(crate) use self::stack::any_stack_in_use;
use self::stack::{Lender, Session};
use crate::engine::store::{limiter, Error, FuncInst, FuncRef, HostFunc, Instance, NamespaceLimits, Val};
use crate::engine::CompiledFunc;
use crate::error::TrapCode;
use crate::types::FuncType;

#[allow(unused_imports)] // referenced from docs and tests
pub(crate) use self::stack::{for_each_other_cell, MAX_CELLS, MAX_FRAMES, MAX_NESTING};

/// See [`crate::engine::call_function`].
pub(crate) fn call_function(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
    match func.inst() {
        FuncInst::Host { func, .. } => func.call(args, results),
        FuncInst::Wasm { instance, index, ty } => match instance.limits() {
            None => run_invocation(instance, *index, ty, args, results),
            Some(limits) => run_limited(limits, instance, *index, ty, args, results),
        },
    }
}

/// See [`crate::engine::call_numeric`]: `func` is a wasm function whose parameter and result
/// types are all numeric, `args` and `results` hold one cell per parameter and result.
pub(crate) fn call_numeric(func: &FuncRef, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
    let FuncInst::Wasm { instance, index, ty } = func.inst() else { unreachable!("a numeric call of a host function") };
    assert!(args.len() == ty.params().len() && results.len() == ty.results().len(), "numeric call arity");
    match instance.limits() {
        None => run_invocation(instance, *index, ty, args, results),
        Some(limits) => run_limited(limits, instance, *index, ty, args, results),
    }
}

/// The arguments of an invocation as its caller holds them: [`Val`]s, or the cells of
/// numeric values ([`call_numeric`]).
pub(crate) trait InvocationArgs {
    /// Writes the arguments to the cells from `at` (which exist); returns the next cell.
    fn store(&self, stack: &mut stack::Stack, at: usize) -> usize;
}

impl InvocationArgs for [Val] {
    #[inline(always)]
    fn store(&self, stack: &mut stack::Stack, mut at: usize) -> usize {
        for a in self {
            at += stack.store_val(at, a);
        }
        at
    }
}

impl InvocationArgs for [u64] {
    #[inline(always)]
    fn store(&self, stack: &mut stack::Stack, at: usize) -> usize {
        copy_cells(&mut stack.cells[at..at + self.len()], self);
        at + self.len()
    }
}

/// Where an invocation's results go: appended to a vector of [`Val`]s, or as the cells of
/// numeric values ([`call_numeric`]).
pub(crate) trait InvocationResults {
    /// Takes the results of type `ty` from the cells from `at`.
    fn load(&mut self, stack: &stack::Stack, at: usize, ty: &[crate::types::ValType]);
}

impl InvocationResults for Vec<Val> {
    #[inline(always)]
    fn load(&mut self, stack: &stack::Stack, at: usize, ty: &[crate::types::ValType]) {
        stack.load_vals(at, ty, self);
    }
}

impl InvocationResults for [u64] {
    #[inline(always)]
    fn load(&mut self, stack: &stack::Stack, at: usize, _: &[crate::types::ValType]) {
        let n = self.len();
        copy_cells(self, &stack.cells[at..at + n]);
    }
}

/// Copies `src` to `dst` (of the same length): the one or two cells of most calls' arguments
/// and results without a `memcpy` call.
#[inline(always)]
fn copy_cells(dst: &mut [u64], src: &[u64]) {
    match (dst, src) {
        ([], []) => {}
        ([d], [s]) => *d = *s,
        ([d0, d1], [s0, s1]) => (*d0, *d1) = (*s0, *s1),
        (dst, src) => dst.copy_from_slice(src),
    }
}

thread_local! {
    /// Whether an outermost call of a limited namespace is running on this thread (nested
    /// calls share its deadline and depth limit).
    static LIMITED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`run_invocation`] for an instance of a limited namespace (see [`limited`]), with the call
/// depth capped on the thread's stack.
#[inline(never)]
fn run_limited<A: InvocationArgs + ?Sized, R: InvocationResults + ?Sized>(
    limits: &std::rc::Rc<NamespaceLimits>,
    instance: &Instance,
    index: u32,
    ty: &FuncType,
    args: &A,
    results: &mut R,
) -> Result<(), Error> {
    limited(limits, true, || run_invocation(instance, index, ty, args, results))
}

/// Runs `run`, an invocation of an instance of a limited namespace: the outermost such call on the
/// thread registers its deadline and interrupt flag with the limits watcher and, when
/// `thread_depth` (the invocation runs on the thread's stack, not on a JSPI segment of its own),
/// caps the call depth there; an `Interrupted` trap the watcher caused is reported with its
/// reason. Nested calls share the outermost call's deadline and depth cap.
pub(crate) fn limited<R>(
    limits: &std::rc::Rc<NamespaceLimits>,
    thread_depth: bool,
    run: impl FnOnce() -> Result<R, Error>,
) -> Result<R, Error> {
    if LIMITED.get() {
        return run().map_err(limiter::map_interrupted);
    }
    let watch = limiter::watch(limits)?;
    let depth = match limits.config().max_stack_depth {
        Some(d) if thread_depth => Some(stack::limit_depth(d as usize)),
        _ => None,
    };
    LIMITED.set(true);
    let r = run().map_err(limiter::map_interrupted);
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
fn run_invocation<A: InvocationArgs + ?Sized, R: InvocationResults + ?Sized>(
    instance: &Instance,
    index: u32,
    ty: &FuncType,
    args: &A,
    results: &mut R,
) -> Result<(), Error> {
    let m = instance.state().module();
    let func = &m.code.funcs[(index - m.num_imported_funcs) as usize];
    let mut session = Session::enter().map_err(|_| overflow(instance, func))?;
    let base = session.base;
    enter_frame(session.stack(), base, func, args).map_err(|_| overflow(instance, func))?;
    let entry_depth = session.stack().frames.len();
    // SAFETY: `instance` outlives this call (the caller holds `func`'s reference).
    let mut cx = unsafe { new_ctx(session.stack(), instance, func, base) };
    // SAFETY: `cx` starts at the entry of `func`, whose frame was reserved and initialised
    // above.
    let mut next = unsafe { dispatch::execute(session.stack(), &mut cx, entry_depth) };
    // (Few result slots in this frame: the host call and the unwinding resume execution
    // themselves and return where it stopped next.)
    loop {
        next = match next {
            Ok(Exit::Done) => break,
            Ok(Exit::Host { func, args, dst }) => host_exit(&mut session, &mut cx, entry_depth, func, args, dst),
            Ok(Exit::Suspend) => unreachable!("a plain invocation cannot suspend"),
            // An exception (never a trap): on to the nearest handler, or out of this invocation.
            // SAFETY: `cx` stopped at the throw or the host call, with the frames in sync.
            Err(Error::Exception(exn)) => match unsafe { unwind::unwind(session.stack(), &mut cx, entry_depth, exn) } {
                // SAFETY: the unwinder set `cx` to continue at a handler of this invocation.
                Ok(()) => unsafe { dispatch::execute(session.stack(), &mut cx, entry_depth) },
                Err(e) => {
                    recycle_ctx(session.stack(), cx);
                    return Err(e);
                }
            },
            Err(e) => {
                recycle_ctx(session.stack(), cx);
                return Err(e);
            }
        };
    }
    recycle_ctx(session.stack(), cx);
    load_results(session.stack(), base, ty, results);
    Ok(())
}

/// The context of a new invocation of `func` (of `instance`) with its frame at cell `base`:
/// a reused one from `stack`'s pool, else a new one.
///
/// # Safety
/// `instance` must be alive and outlive the use of the context.
#[inline(never)]
unsafe fn new_ctx(stack: &mut stack::Stack, instance: &Instance, func: &CompiledFunc, base: usize) -> Box<Ctx> {
    let mut cx = match stack.ctx_pool.pop() {
        Some(mut cx) => {
            *cx = Ctx::new(func.entry(), base);
            cx
        }
        None => Box::new(Ctx::new(func.entry(), base)),
    };
    // SAFETY: guaranteed by the caller.
    unsafe { cx.switch(instance) };
    cx
}

/// Puts an invocation's context back into `stack`'s pool.
#[inline(never)]
fn recycle_ctx(stack: &mut stack::Stack, cx: Box<Ctx>) {
    stack.ctx_pool.push(cx);
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
fn enter_frame<A: InvocationArgs + ?Sized>(
    stack: &mut stack::Stack,
    base: usize,
    func: &CompiledFunc,
    args: &A,
) -> Result<(), TrapCode> {
    stack.reserve(base + func.frame_size as usize)?;
    args.store(stack, base);
    if func.num_locals > func.num_params {
        stack.cells[base + func.num_params as usize..base + func.num_locals as usize].fill(0);
    }
    Ok(())
}

/// Appends the results of the invocation's function, at the start of its frame, to `results`.
#[inline(never)]
fn load_results<R: InvocationResults + ?Sized>(stack: &stack::Stack, base: usize, ty: &FuncType, results: &mut R) {
    results.load(stack, base, ty.results());
}

/// Performs the host call the handlers stopped for: host function `func` with the arguments
/// at cell `at`, its results written there (a single result to cell `dst`), recording where it
/// was called from (for its errors' backtraces) meanwhile; then resumes execution and returns
/// where it stopped next. The stack is lent to the thread during the call, so the host
/// function may call wasm again. (This frame stays live during the host call, so it holds
/// little: the arguments, results and saved caller are in a pooled [`stack::HostCall`], and
/// reading and storing them are functions of their own.)
#[inline(never)]
fn host_exit<L: Lender>(
    session: &mut L,
    cx: &mut Ctx,
    entry_depth: usize,
    func: FuncRef,
    at: usize,
    dst: usize,
) -> Result<Exit, Error> {
    let FuncInst::Host { ty, func: host, numeric } = func.inst() else {
        unreachable!("host exit with a wasm function")
    };
    // (A promising segment's host calls take the general path: a suspension keeps its record.)
    if *numeric && !L::SUSPENDS {
        return host_exit_numeric(session, cx, entry_depth, &**host, ty, at, dst);
    }
    let mut call = host_args(session.stack(), ty, at, (cx.inst, cx.ip, entry_depth));
    session.lend();
    // On a promising segment (`L::SUSPENDS`) the host function may suspend it (JSPI): it gets
    // the permit to, and if it asked to, its results are left unwritten (they come at the
    // resumption) and the driver finds the request pending.
    let outcome = if L::SUSPENDS {
        suspend::call_with_permit(&func, || host.call(&call.args, &mut call.results))
    } else {
        host.call(&call.args, &mut call.results)
    };
    session.reclaim();
    if L::SUSPENDS && suspend::requested(&outcome) {
        suspend::keep_call(session.stack(), call);
        return Ok(Exit::Suspend);
    }
    match host_results(session.stack(), ty, at, dst, outcome, call) {
        // (Wasm → host → wasm recursion need not reach a branch or a call.)
        Ok(()) if interrupted(session) => Err(TrapCode::Interrupted.into()),
        // SAFETY: `cx` is what the handlers saved when they stopped for the host call.
        Ok(()) => unsafe { dispatch::execute(session.stack(), cx, entry_depth) },
        // (An exception is unwound by the driver.)
        Err(e) => Err(e),
    }
}

/// The most raw arguments (and, separately, results) of a numeric host call kept in
/// [`host_exit_numeric`]'s frame; calls with more use a pooled [`stack::HostCall`].
const RAW_INLINE: usize = 4;

/// [`host_exit`] for a host function with a numeric call (see [`HostFunc::call_numeric`]):
/// its arguments and results go as raw cells, without `Val`s. Up to [`RAW_INLINE`] of each
/// are copied to this frame (a few words: no record to pop, fill, clear and push back).
#[inline(never)]
fn host_exit_numeric<L: Lender>(
    session: &mut L,
    cx: &mut Ctx,
    entry_depth: usize,
    host: &dyn HostFunc,
    ty: &FuncType,
    at: usize,
    dst: usize,
) -> Result<Exit, Error> {
    let (nparams, nresults) = (ty.params().len(), ty.results().len());
    let stack = session.stack();
    let saved_caller = stack.host_caller.replace((cx.inst, cx.ip, entry_depth));
    stack.top = at + nparams.max(nresults);
    let outcome = if nparams <= RAW_INLINE && nresults <= RAW_INLINE {
        let (mut args, mut results) = ([0u64; RAW_INLINE], [0u64; RAW_INLINE]);
        // (A fixed-size copy where the cells exist: no `memcpy` call for a few words.)
        match stack.cells.get(at..at + RAW_INLINE) {
            Some(cells) => args.copy_from_slice(cells),
            None => copy_cells(&mut args[..nparams], &stack.cells[at..at + nparams]),
        }
        session.lend();
        let outcome = host.call_numeric(&args[..nparams], &mut results[..nresults]);
        session.reclaim();
        if outcome.is_ok() {
            store_raw_results(session.stack(), &results[..nresults], at, dst);
        }
        outcome
    } else {
        host_call_numeric_pooled(session, host, at, dst, nparams, nresults)
    };
    session.stack().host_caller = saved_caller;
    match outcome {
        // (Wasm → host → wasm recursion need not reach a branch or a call.)
        Ok(()) if interrupted(session) => Err(TrapCode::Interrupted.into()),
        // SAFETY: `cx` is what the handlers saved when they stopped for the host call.
        Ok(()) => unsafe { dispatch::execute(session.stack(), cx, entry_depth) },
        // (An exception is unwound by the driver.)
        Err(e) => Err(e),
    }
}

/// The host call of [`host_exit_numeric`] with more than [`RAW_INLINE`] arguments or results:
/// the raw values in a pooled record (the records and their vectors are reused, no allocation).
#[inline(never)]
fn host_call_numeric_pooled<L: Lender>(
    session: &mut L,
    host: &dyn HostFunc,
    at: usize,
    dst: usize,
    nparams: usize,
    nresults: usize,
) -> Result<(), Error> {
    let stack = session.stack();
    let mut call = stack.host_calls.pop().unwrap_or_default();
    call.raw_args.extend_from_slice(&stack.cells[at..at + nparams]);
    call.raw_results.resize(nresults, 0);
    session.lend();
    let outcome = host.call_numeric(&call.raw_args, &mut call.raw_results);
    session.reclaim();
    let stack = session.stack();
    if outcome.is_ok() {
        store_raw_results(stack, &call.raw_results, at, dst);
    }
    call.raw_args.clear();
    call.raw_results.clear();
    stack.host_calls.push(call);
    outcome
}

/// Stores the raw results of a numeric host call called with its arguments at cell `at`: a
/// single result to cell `dst`, several from `at`.
#[inline(always)]
fn store_raw_results(stack: &mut stack::Stack, results: &[u64], at: usize, dst: usize) {
    match *results {
        [] => {}
        [r] => stack.cells[dst] = r,
        _ => copy_cells(&mut stack.cells[at..at + results.len()], results),
    }
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
    /// The host call just made asked to suspend the promising segment (JSPI; only
    /// [`host_exit`] on a segment returns this): its results come at the resumption.
    Suspend,
}

/// A host-call record from `stack`'s pool, the arguments read into it from cell `at`; the
/// stack's host caller becomes `caller` (the old one saved in the record). A nested invocation
/// starts above the arguments and results.
#[inline(never)]
fn host_args(
    stack: &mut stack::Stack,
    ty: &FuncType,
    at: usize,
    caller: (*const Instance, dispatch::Ip, usize),
) -> Box<stack::HostCall> {
    let (params, result_types) = (ty.params(), ty.results());
    // The records (and their vectors) are reused from call to call (no allocation).
    let mut call = stack.host_calls.pop().unwrap_or_default();
    stack.load_vals(at, params, &mut call.args);
    call.saved_caller = stack.host_caller.replace(caller);
    stack.top = at + super::cells_of(params).max(super::cells_of(result_types));
    call
}

/// Restores the host caller, stores the results of a host call at cell `at` (a single result
/// at cell `dst`) and puts the record back for the next call.
#[inline(never)]
fn host_results(
    stack: &mut stack::Stack,
    ty: &FuncType,
    at: usize,
    dst: usize,
    outcome: Result<(), Error>,
    mut call: Box<stack::HostCall>,
) -> Result<(), Error> {
    stack.host_caller = call.saved_caller.take();
    let result_types = ty.results();
    call.args.clear();
    let stored = store_results(stack, result_types, at, dst, outcome, &call.results);
    call.results.clear();
    stack.host_calls.push(call);
    stored
}

/// Checks and stores the results of a host call (see [`host_results`]).
#[inline(always)]
fn store_results(
    stack: &mut stack::Stack,
    result_types: &[crate::types::ValType],
    at: usize,
    dst: usize,
    outcome: Result<(), Error>,
    results: &[Val],
) -> Result<(), Error> {
    outcome?;
    if results.len() != result_types.len() || results.iter().zip(result_types).any(|(v, t)| !v.matches(t)) {
        debug_assert!(false, "host function returned {results:?} for results {result_types:?}");
        return Err(TrapCode::FuncSigMismatch.into());
    }
    // A single result goes to `dst` (a single v128 result is never redirected: `dst` is `at`).
    let mut to = if results.len() == 1 { dst } else { at };
    for v in results {
        to += stack.store_val(to, v);
    }
    Ok(())
}
