//! JS Promise Integration (JSPI): promising invocations that a host function can suspend.
//!
//! A promising invocation ([`call_promising`]) runs on a stack of its own, a *segment*
//! ([`Stack::segment`]): its frames and cells, on the heap like every wasm frame. When a host
//! function it calls directly (no other invocation between: the spec's "no JS frames") asks to
//! suspend ([`take_suspend_permit`], then [`request_suspend`]), the driver leaves the loop with the
//! host call pending and hands back a [`Continuation`]: the segment and the execution context, and
//! nothing on the native stack and no thread. [`Continuation::resume`] writes the awaited results
//! into the pending call's destination (or throws an exception at the call site) and runs on.
//! Dropping a continuation drops the segment with its roots: the references it held are
//! released and its frames are never run.
//!
//! The permit is a thread-local token: the identity of the host function a segment's outermost
//! invocation is calling. A suspending host function takes it before running any code (so its
//! own nested calls cannot suspend the segment), and the driver restores the previous token
//! when the call returns (segments nest through host calls).

use std::any::Any;
use std::cell::{Cell, RefCell};

use super::ctx::Ctx;
use super::stack::{HostCall, Lender, SegmentSession, Stack};
use super::{dispatch, enter_frame, host_exit, load_results, overflow, store_results, unwind, Exit};
use crate::engine::store::{Error, FuncInst, FuncRef, Val};
use crate::types::{FuncType, ValType};

thread_local! {
    /// The key of the host function that a running segment's outermost invocation is calling
    /// (0: none).
    static PERMIT: Cell<usize> = const { Cell::new(0) };
    /// How many promising invocations are running (not suspended) on this thread.
    static RUNNING: Cell<u32> = const { Cell::new(0) };
    /// The payload of a suspension requested by the host function being called.
    static REQUEST: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Why a host function may not suspend (the spec's `SuspendError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendRefusal {
    /// No promising invocation is running on this thread.
    NoPromising,
    /// A promising invocation is running, but other frames (JS, another invocation) lie
    /// between it and the host function.
    JsFrames,
}

/// Called by a suspending host function with its own address (the host object's), before it runs
/// anything else: whether it may suspend its caller. The permit is taken either way.
pub fn take_suspend_permit(key: usize) -> Result<(), SuspendRefusal> {
    let permit = PERMIT.replace(0);
    if permit != 0 && permit == key {
        Ok(())
    } else if RUNNING.get() == 0 {
        Err(SuspendRefusal::NoPromising)
    } else {
        Err(SuspendRefusal::JsFrames)
    }
}

/// Called by a host function that got the permit ([`take_suspend_permit`]): when it returns
/// `Ok` (with no results), its promising invocation suspends and the caller of
/// [`call_promising`] or [`Continuation::resume`] receives `payload` with the continuation.
pub fn request_suspend(payload: Box<dyn Any>) {
    REQUEST.with(|r| *r.borrow_mut() = Some(payload));
}

/// The permit's token for host function `func`: the address of its host object (what a
/// suspending host function passes to [`take_suspend_permit`] as its own address).
fn permit_key(func: &FuncRef) -> usize {
    match func.inst() {
        FuncInst::Host { func, .. } => &**func as *const dyn crate::engine::store::HostFunc as *const () as usize,
        FuncInst::Wasm { .. } => 0,
    }
}

/// Runs host call `call` of `func` with the suspension permit for `func`.
#[inline(always)]
pub(super) fn call_with_permit(func: &FuncRef, call: impl FnOnce() -> Result<(), Error>) -> Result<(), Error> {
    let saved = PERMIT.replace(permit_key(func));
    let outcome = call();
    PERMIT.set(saved);
    outcome
}

/// Whether the host call that ended with `outcome` asked to suspend (a request that came with
/// an error is dropped).
#[inline(always)]
pub(super) fn requested(outcome: &Result<(), Error>) -> bool {
    let pending = REQUEST.with(|r| r.borrow().is_some());
    if pending && outcome.is_err() {
        drop(take_request());
        return false;
    }
    pending
}

/// The pending request's payload.
fn take_request() -> Option<Box<dyn Any>> {
    REQUEST.with(|r| r.borrow_mut().take())
}

/// Ends a host call that suspended its segment: restores the host caller and puts the call's
/// record back (its results come at the resumption).
#[cold]
pub(super) fn keep_call(stack: &mut Stack, mut call: Box<HostCall>) {
    stack.host_caller = call.saved_caller.take();
    call.args.clear();
    call.results.clear();
    stack.host_calls.push(call);
}

/// A suspended promising invocation: what it awaits, and how to go on.
pub struct Suspension {
    /// What the suspending host function passed to [`request_suspend`].
    pub payload: Box<dyn Any>,
    /// The suspended invocation.
    pub continuation: Continuation,
}

/// A suspended promising invocation, waiting for the results of the host call it made.
pub struct Continuation(Box<Segment>);

/// The state of a promising invocation between runs.
struct Segment {
    /// The segment's stack (`None` only while it runs).
    stack: Option<Box<Stack>>,
    /// Where execution continues (its instance pointers stay valid: `entry` keeps the entry
    /// instance, the segment's roots the others).
    cx: Ctx,
    /// The invoked function.
    entry: FuncRef,
    /// The suspended host call: its type, argument cell and single-result cell. (A host
    /// function promised directly has no stack, and its own type here.)
    pending: Option<(FuncType, usize, usize)>,
}

impl Continuation {
    /// The result types of the host call being awaited.
    pub fn result_types(&self) -> &[ValType] {
        self.0.pending.as_ref().map_or(&[], |(ty, _, _)| ty.results())
    }

    /// Resumes the invocation with the outcome of the awaited host call: its results (of
    /// [`Continuation::result_types`]) or an error (an [`Error::Exception`] is thrown at the
    /// call site, where wasm handlers can catch it). Returns as [`call_promising`] does.
    pub fn resume(self, outcome: Result<Vec<Val>, Error>, results: &mut Vec<Val>) -> Result<Option<Suspension>, Error> {
        if self.0.stack.is_none() {
            // A host function promised directly (see `call_promising`): its results are the
            // invocation's.
            results.extend(outcome?);
            return Ok(None);
        }
        // A segment of a limited namespace's instance runs under its limits again: the
        // deadline, fuel and interrupt apply to every run of it, not only to the first.
        match entry_limits(&self.0.entry) {
            Some(limits) => super::limited(&limits, false, || drive(self.0, Some(outcome), results)),
            None => drive(self.0, Some(outcome), results),
        }
    }
}

/// Calls `func` as a promising invocation: like [`FuncRef::call`], but a suspending host
/// function it calls directly may suspend it, which returns `Ok(Some(_))` with nothing appended
/// to `results`; they come from the [`Continuation::resume`] that finishes it.
pub fn call_promising(func: &FuncRef, args: &[Val], results: &mut Vec<Val>) -> Result<Option<Suspension>, Error> {
    match func.inst() {
        FuncInst::Host { func: host, ty, .. } => {
            let _running = Running::start();
            let outcome = call_with_permit(func, || host.call(args, results));
            if !requested(&outcome) {
                return outcome.map(|()| None);
            }
            results.clear();
            let payload = take_request().expect("a pending request");
            let pending = Some((ty.clone(), 0, 0));
            let seg = Segment { stack: None, cx: Ctx::new(std::ptr::null(), 0), entry: func.clone(), pending };
            Ok(Some(Suspension { payload, continuation: Continuation(Box::new(seg)) }))
        }
        FuncInst::Wasm { instance, index, .. } => {
            let m = instance.state().module();
            let cf = &m.code.funcs[(index - m.num_imported_funcs) as usize];
            let mut stack = Stack::boxed(Stack::segment());
            let limits = instance.limits().cloned();
            if let Some(depth) = limits.as_ref().and_then(|l| l.config().max_stack_depth) {
                // The namespace's depth cap counts from the segment's first frame.
                stack.max_frames = stack.max_frames.min(depth as usize);
            }
            enter_frame(&mut stack, 0, cf, args).map_err(|_| overflow(instance, cf))?;
            let mut seg = Box::new(Segment {
                stack: Some(stack),
                cx: Ctx::new(cf.entry(), 0),
                entry: func.clone(),
                pending: None,
            });
            // SAFETY: `seg.entry` holds the instance (the `Rc` of `func`) for the segment's life.
            unsafe { seg.cx.switch(instance) };
            match limits {
                Some(limits) => super::limited(&limits, false, || drive(seg, None, results)),
                None => drive(seg, None, results),
            }
        }
    }
}

/// The limits of the namespace whose instance a segment's entry function belongs to, if any.
fn entry_limits(entry: &FuncRef) -> Option<std::rc::Rc<crate::engine::store::NamespaceLimits>> {
    match entry.inst() {
        FuncInst::Wasm { instance, .. } => instance.limits().cloned(),
        FuncInst::Host { .. } => None,
    }
}

/// Counts a running promising invocation (see [`take_suspend_permit`]).
struct Running;

impl Running {
    fn start() -> Running {
        RUNNING.set(RUNNING.get() + 1);
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.set(RUNNING.get() - 1);
    }
}

/// Runs a segment until its function returns, it traps or throws out, or it suspends. A
/// resumed segment first receives `resumed`, the outcome of its pending host call.
fn drive(
    mut seg: Box<Segment>,
    resumed: Option<Result<Vec<Val>, Error>>,
    results: &mut Vec<Val>,
) -> Result<Option<Suspension>, Error> {
    let _running = Running::start();
    let mut session = SegmentSession::enter(seg.stack.take().expect("a segment at rest has its stack"))?;
    let mut next = match resumed {
        // SAFETY: `cx` is at the entry of the invocation's function (its frame initialised by
        // `call_promising`); the frames are this segment's.
        None => unsafe { dispatch::execute(session.stack(), &mut seg.cx, 0) },
        Some(outcome) => {
            let (ty, at, dst) = seg.pending.take().expect("a suspended segment has a pending call");
            match outcome {
                Ok(vals) => {
                    store_results(session.stack(), ty.results(), at, dst, Ok(()), &vals)?;
                    // SAFETY: `cx` stopped at the host call, which now has its results.
                    unsafe { dispatch::execute(session.stack(), &mut seg.cx, 0) }
                }
                // Thrown at the call site (below).
                Err(e) => Err(e),
            }
        }
    };
    // The host call being made (for the continuation, if it suspends).
    let mut calling: Option<(FuncType, usize, usize)> = None;
    loop {
        next = match next {
            Ok(Exit::Done) => break,
            Ok(Exit::Host { func, args, dst }) => {
                calling = Some((func.ty().clone(), args, dst));
                host_exit(&mut session, &mut seg.cx, 0, func, args, dst)
            }
            Ok(Exit::Suspend) => {
                let payload = take_request().expect("a suspension was requested");
                seg.pending = calling.take();
                seg.stack = Some(session.leave());
                return Ok(Some(Suspension { payload, continuation: Continuation(seg) }));
            }
            // An exception (never a trap): on to the nearest handler, or out of the invocation.
            // SAFETY: `cx` stopped at the throw or the host call, with the frames in sync.
            Err(Error::Exception(exn)) => match unsafe { unwind::unwind(session.stack(), &mut seg.cx, 0, exn) } {
                // SAFETY: the unwinder set `cx` to continue at a handler of this invocation.
                Ok(()) => unsafe { dispatch::execute(session.stack(), &mut seg.cx, 0) },
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        };
    }
    let ty = seg.entry.ty().clone();
    load_results(session.stack(), 0, &ty, results);
    Ok(None)
}
