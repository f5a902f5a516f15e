//! Call and return: wasm calls push a [`Frame`] on the heap stack and continue in the callee
//! (the native stack does not grow); calls of host functions stop the handlers with
//! [`Stop::Host`] so that the driver can lend the stack to re-entrant invocations.
//!
//! The hot paths (a call within the instance that needs no stack growth, a return within the
//! instance) are inline in the handlers; everything else continues in a cold function that the
//! handler tail-calls with the handler signature (the accumulator, dead across calls, carries
//! one extra word). This keeps the hot handlers free of non-tail calls, so they need no stack
//! frame.

use std::ptr;

use super::{error, error_at, get, handlers, trap_at};
use crate::engine::exec::backtrace::overflow_entering;
use crate::engine::exec::ctx::set_error;
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::{dispatch, Fp, Ip, Mem, Stop};
use crate::engine::exec::stack::{Frame, MAX_FRAMES};
use crate::engine::ir::Instr;
use crate::engine::store::{FuncInst, FuncRef, Instance, InstanceInner, Val};
use crate::engine::CompiledFunc;
use crate::error::TrapCode;
use crate::types::FuncTypeId;

/// Callees with more locals to zero than this take [`enter_zeroing`] (which uses `memset`).
const INLINE_ZEROING: usize = 16;
/// The fast path zeroes a fixed number of cells after the parameters (4 or
/// [`INLINE_ZEROING`]; fixed sizes compile to a few vector stores), so it requires this many
/// allocated cells beyond the callee's frame. The extra cells written are dead: they are
/// callee temporaries or lie above the newest frame.
const ZEROING_SLACK: usize = INLINE_ZEROING;

/// Returns from the running function: stops when it is the invocation's entry function,
/// else continues in the caller.
///
/// # Safety
/// `cx` must be attached to the running stack; saved frames describe valid positions.
#[inline(always)]
pub(crate) unsafe fn ret(cx: &mut Ctx) -> Stop {
    // SAFETY: guaranteed by the caller; the popped frame was pushed by `enter`.
    unsafe {
        let top = cx.frame_top;
        if top == cx.frame_entry {
            return Stop::Done;
        }
        let top = top.sub(1);
        let f = top.read();
        cx.frame_top = top;
        let fp = f.fp;
        if f.inst != cx.inst {
            return return_to_other_instance(f.ip, fp, cx.mem_base, cx.mem_len, cx, f.inst as u64);
        }
        dispatch!(f.ip, fp, cx.mem_base, cx.mem_len, cx, 0, 0.0)
    }
}

/// Returns the single result `value` from the running function (whose frame starts at `fp`):
/// into the caller's result slot, or to the start of the frame when the invocation ends.
///
/// # Safety
/// As for [`ret`]; `fp` must be the running function's frame.
#[inline(always)]
pub(crate) unsafe fn ret_value(fp: Fp, value: u64, cx: &mut Ctx) -> Stop {
    // SAFETY: guaranteed by the caller; the popped frame was pushed by `enter`, whose `dst` is
    // a slot of the caller's frame.
    unsafe {
        let top = cx.frame_top;
        if top == cx.frame_entry {
            *fp = value;
            return Stop::Done;
        }
        let top = top.sub(1);
        let f = top.read();
        cx.frame_top = top;
        *f.fp.add(f.dst) = value;
        if f.inst != cx.inst {
            return return_to_other_instance(f.ip, f.fp, cx.mem_base, cx.mem_len, cx, f.inst as u64);
        }
        dispatch!(f.ip, f.fp, cx.mem_base, cx.mem_len, cx, value, 0.0)
    }
}

/// Continues a return in a caller of another instance (`inst`, passed as the accumulator).
///
/// # Safety
/// As for a handler; `inst` must be the live instance owning the code at `ip`.
#[cold]
#[inline(never)]
unsafe fn return_to_other_instance(ip: Ip, fp: Fp, _mem: Mem, _len: usize, cx: &mut Ctx, inst: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        cx.switch(inst as *const Instance);
        dispatch!(ip, fp, cx.mem_base, cx.mem_len, cx, 0, 0.0)
    }
}

/// Enters `callee` (of the running instance) with its frame starting at slot `args` of the
/// frame at `fp`; the caller continues after the call instruction at `ip`.
///
/// # Safety
/// `callee` must belong to `cx`'s instance and `args` be its argument slots in the caller's
/// frame.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // inlined into the handlers: the arguments stay in registers
unsafe fn enter(
    ip: Ip,
    fp: Fp,
    args: u16,
    dst: u16,
    callee: &CompiledFunc,
    mem: Mem,
    len: usize,
    cx: &mut Ctx,
) -> Stop {
    // SAFETY: guaranteed by the caller; the fast path checks that the callee's cells and the
    // saved frame fit in the allocated stack.
    unsafe {
        let new_fp = fp.add(args as usize);
        let top = cx.frame_top;
        let np = callee.num_params as usize;
        let zero = callee.num_locals as usize - np;
        let end = new_fp.add(callee.frame_size as usize + ZEROING_SLACK);
        // (A pending interrupt also takes the slow path, which checks it.)
        if end > cx.cells_end || top == cx.frame_end || cx.interrupt_pending() {
            return enter_slow(ip, fp, mem, len, cx, callee as *const CompiledFunc as u64);
        }
        if zero > INLINE_ZEROING {
            return enter_zeroing(ip, fp, mem, len, cx, callee as *const CompiledFunc as u64);
        }
        top.write(Frame { ip: ip.add(1), fp, inst: cx.inst, dst: dst as usize });
        cx.frame_top = top.add(1);
        let locals = new_fp.add(np);
        if zero <= 4 {
            ptr::write_bytes(locals, 0, 4);
        } else {
            ptr::write_bytes(locals, 0, INLINE_ZEROING);
        }
        dispatch!(callee.entry(), new_fp, mem, len, cx, 0, 0.0)
    }
}

/// [`enter`] for a callee with more locals to zero than the handlers zero inline (large C
/// functions such as `printf`'s core), once the checks of [`enter`] passed: saves the frame and
/// zeroes the locals with `memset`, without the stack growth and checks of [`enter_slow`]. The
/// callee (a `&CompiledFunc` of the running instance) is passed as the accumulator.
///
/// # Safety
/// As for [`enter`], with `ip` pointing to the call instruction, the callee's cells allocated
/// and a free saved-frame record.
#[inline(never)]
unsafe fn enter_zeroing(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, callee: u64) -> Stop {
    // SAFETY: guaranteed by the caller (the checks of `enter`).
    unsafe {
        let callee = &*(callee as *const CompiledFunc);
        let (args, dst) = call_args(ip);
        let new_fp = fp.add(args as usize);
        let top = cx.frame_top;
        top.write(Frame { ip: ip.add(1), fp, inst: cx.inst, dst: dst as usize });
        cx.frame_top = top.add(1);
        let np = callee.num_params as usize;
        ptr::write_bytes(new_fp.add(np), 0, callee.num_locals as usize - np);
        dispatch!(callee.entry(), new_fp, mem, len, cx, 0, 0.0)
    }
}

/// Whether a pending interrupt stops execution (taking it).
///
/// # Safety
/// `cx` must be attached to the running stack.
#[inline(always)]
unsafe fn interrupted(cx: &Ctx) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { cx.interrupt_pending() && cx.take_stop() }
}

/// The argument and result slots of the call instruction at `ip`.
///
/// # Safety
/// `ip` must point to a call instruction.
unsafe fn call_args(ip: Ip) -> (u16, u16) {
    // SAFETY: guaranteed by the caller.
    match unsafe { (*ip).instr } {
        Instr::Call { args, dst, .. }
        | Instr::CallImport { args, dst, .. }
        | Instr::CallIndirect { args, dst, .. }
        | Instr::CallRef { args, dst, .. } => (args, dst),
        // A tail call that calls a host function returns its results from `args..`.
        Instr::ReturnCall { args, .. }
        | Instr::ReturnCallImport { args, .. }
        | Instr::ReturnCallIndirect { args, .. }
        | Instr::ReturnCallRef { args, .. } => (args, args),
        _ => unreachable!("not a call instruction"),
    }
}

/// The general [`enter`]: takes a pending interrupt, grows the stack as needed (or traps with
/// `StackOverflow`). The callee (a `&CompiledFunc` of the running instance) is passed as the
/// accumulator.
///
/// # Safety
/// As for [`enter`], with `ip` pointing to the call instruction.
#[cold]
#[inline(never)]
unsafe fn enter_slow(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, callee: u64) -> Stop {
    // SAFETY: guaranteed by the caller; the stack is grown before the frame is used.
    unsafe {
        if interrupted(cx) {
            return trap_at(ip, cx, TrapCode::Interrupted);
        }
        let callee = &*(callee as *const CompiledFunc);
        let (args, dst) = call_args(ip);
        let new_fp = match push_callee_frame(ip, fp, args, dst, cx.inst, callee, cx, ZEROING_SLACK) {
            Ok(new_fp) => new_fp,
            Err(stop) => return stop,
        };
        dispatch!(callee.entry(), new_fp, mem, len, cx, 0, 0.0)
    }
}

/// The general frame setup for a call: grows the stack to hold the callee's frame (plus
/// `slack` cells), saves the caller's frame, and zeroes the callee's declared locals. Returns
/// the callee's frame pointer, or the `Stop` of a `StackOverflow` trap (raised on entry to
/// `callee`, a function of `callee_inst`).
///
/// # Safety
/// As for [`enter`]: `ip` points to the call instruction, `fp` is the caller's frame, and
/// `args` is the slot of the first argument in it; `callee_inst` is live.
#[allow(clippy::too_many_arguments)] // a cold path
unsafe fn push_callee_frame(
    ip: Ip,
    fp: Fp,
    args: u16,
    dst: u16,
    callee_inst: *const Instance,
    callee: &CompiledFunc,
    cx: &mut Ctx,
    slack: usize,
) -> Result<Fp, Stop> {
    // SAFETY: guaranteed by the caller; the stack is grown before the frame is used, and the
    // cell pointers are reloaded after the growth.
    unsafe {
        let caller = cx.offset_of(fp);
        let at = caller + args as usize;
        cx.sync_frames();
        let stack = &mut *cx.stack;
        if stack.reserve(at + callee.frame_size as usize + slack).is_err() {
            return Err(error_at(ip, cx, overflow_entering(callee_inst, callee)));
        }
        cx.reload_cells();
        let fp = cx.cells.add(caller);
        push_frame(&mut (*cx.stack).frames, Frame { ip: ip.add(1), fp, inst: cx.inst, dst: dst as usize });
        cx.reload_frames();
        let new_fp = cx.cells.add(at);
        let (np, nl) = (callee.num_params as usize, callee.num_locals as usize);
        ptr::write_bytes(new_fp.add(np), 0, nl - np);
        Ok(new_fp)
    }
}

/// Pushes a saved frame (after `Stack::reserve` checked the frame limit), growing the frame
/// vector by at most the limit, so that its capacity is what bounds the fast path in [`enter`].
fn push_frame(frames: &mut Vec<Frame>, frame: Frame) {
    if frames.len() == frames.capacity() {
        let grow = frames.capacity().max(256).min(MAX_FRAMES.saturating_sub(frames.len()).max(1));
        frames.reserve_exact(grow);
    }
    frames.push(frame);
}

/// The instance (as its inner pointer) and the code of defined function `index` (in the
/// function index space) of `instance`.
#[inline(always)]
fn wasm_callee(instance: &Instance, index: u32) -> (*const InstanceInner, &CompiledFunc) {
    let m = instance.state().module();
    (instance.state() as *const InstanceInner, &m.code.funcs[(index - m.num_imported_funcs) as usize])
}

/// Calls a function (passed as the accumulator: the `FuncInst` pointer of a `FuncRef`, as
/// stored in cells) that is a host function or belongs to another instance; `keep` roots it in
/// the latter case (needed for table elements and references, which may be replaced while the
/// callee runs). With `tail`, the call replaces the running frame (see [`tail_call_ref`]).
///
/// Always inlined into functions with the handler signature (`keep` is a constant there), so
/// that its continuations are sibling calls and the native stack does not grow.
///
/// # Safety
/// As for [`enter`], with `ip` pointing to the call instruction; the function must stay valid
/// until this function returns.
#[inline(always)]
unsafe fn call_ref(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64, keep: bool) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let func = &*(f as *const FuncInst);
        let (args, dst) = call_args(ip);
        match func {
            FuncInst::Wasm { instance, index, .. } => {
                let (inner, callee) = wasm_callee(instance, *index);
                if inner == cx.inner {
                    return enter(ip, fp, args, dst, callee, mem, len, cx);
                }
                if interrupted(cx) {
                    return trap_at(ip, cx, TrapCode::Interrupted);
                }
                if keep {
                    (*cx.stack).roots.keep(&func_ref_of(f));
                }
                // Enter with the caller's context (the frame records the caller's instance),
                // then switch before the callee's first instruction.
                let new_fp = match push_callee_frame(ip, fp, args, dst, instance, callee, cx, 0) {
                    Ok(new_fp) => new_fp,
                    Err(stop) => return stop,
                };
                cx.switch(instance as *const Instance);
                dispatch!(callee.entry(), new_fp, cx.mem_base, cx.mem_len, cx, 0, 0.0)
            }
            FuncInst::Host { .. } => stop_for_host_call(ip, fp, cx, f, args, dst),
        }
    }
}

/// Stops the handlers to call host function `f` (a `FuncInst` pointer) with the arguments in
/// slot `args..` of the frame at `fp`; execution resumes after the call instruction at `ip`.
///
/// # Safety
/// As for [`call_ref`].
unsafe fn stop_for_host_call(ip: Ip, fp: Fp, cx: &mut Ctx, f: u64, args: u16, dst: u16) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let at = cx.offset_of(fp);
        cx.ip = ip.add(1);
        cx.fp = at;
        cx.host = Some((func_ref_of(f), at + args as usize, at + dst as usize));
        Stop::Host
    }
}

/// A counted `FuncRef` for the `FuncInst` pointer `f` (as stored in cells).
///
/// # Safety
/// `f` must be the `FuncInst` of a live `FuncRef`.
unsafe fn func_ref_of(f: u64) -> FuncRef {
    // SAFETY: guaranteed by the caller.
    unsafe { FuncRef::clone_from_bits(f) }
}

/// The `FuncInst` pointer of `f`, as passed to [`call_ref`] (and stored in cells).
#[inline(always)]
fn inst_ptr(f: &FuncRef) -> u64 {
    f.as_bits()
}

// ---- tail calls ----

/// Tail-enters `callee` (of the running instance): its arguments move from slot `args..` to
/// the start of the running frame at `fp`, which becomes the callee's frame (the saved frames
/// are untouched, so the callee returns to the caller's caller).
///
/// # Safety
/// `callee` must belong to `cx`'s instance and `args` be its argument slots in the frame.
#[inline(always)]
unsafe fn tail_enter(ip: Ip, fp: Fp, args: u16, callee: &CompiledFunc, mem: Mem, len: usize, cx: &mut Ctx) -> Stop {
    // SAFETY: guaranteed by the caller; the callee's cells are checked to be allocated first.
    unsafe {
        // (A pending interrupt also takes the slow path, which checks it.)
        if fp.add(callee.frame_size as usize) > cx.cells_end || cx.interrupt_pending() {
            return grow_and_retry(ip, fp, mem, len, cx, callee as *const CompiledFunc as u64);
        }
        move_args(fp, args, callee);
        dispatch!(callee.entry(), fp, mem, len, cx, 0, 0.0)
    }
}

/// Moves the callee's arguments from slot `args..` to the start of the frame (the spans may
/// overlap) and zeroes its declared locals.
///
/// # Safety
/// The frame at `fp` must have the callee's `frame_size` cells allocated, and `args..` plus
/// the parameter count must lie inside the running frame.
#[inline(always)]
unsafe fn move_args(fp: Fp, args: u16, callee: &CompiledFunc) {
    let (np, nl) = (callee.num_params as usize, callee.num_locals as usize);
    // SAFETY: guaranteed by the caller; `ptr::copy` allows overlapping spans.
    unsafe {
        ptr::copy(fp.add(args as usize), fp, np);
        ptr::write_bytes(fp.add(np), 0, nl - np);
    }
}

/// Takes a pending interrupt, grows the cells so that the frame of the tail callee (a
/// `&CompiledFunc` of the running instance, passed as the accumulator) fits at `fp`, then runs
/// the tail call at `ip` again.
///
/// # Safety
/// As for a handler.
#[cold]
#[inline(never)]
unsafe fn grow_and_retry(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, callee: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if interrupted(cx) {
            return trap_at(ip, cx, TrapCode::Interrupted);
        }
        grow_for_tail_callee(ip, fp, mem, len, cx, cx.inst, &*(callee as *const CompiledFunc))
    }
}

/// [`grow_and_retry`] for a tail callee of another instance (a `FuncInst` pointer of a wasm
/// function, passed as the accumulator as for [`call_ref`]).
///
/// # Safety
/// As for a handler; the function must stay valid until this function returns.
#[cold]
#[inline(never)]
unsafe fn grow_and_retry_other(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let FuncInst::Wasm { instance, index, .. } = &*(f as *const FuncInst) else {
            unreachable!("a tail call into another instance calls a wasm function")
        };
        let (_, callee) = wasm_callee(instance, *index);
        grow_for_tail_callee(ip, fp, mem, len, cx, instance, callee)
    }
}

/// Grows the cells so that `callee`'s frame (a function of `inst`) fits at `fp` (or traps
/// with `StackOverflow`, raised on entry to the callee: the tail-calling frame is already
/// gone), then runs the instruction at `ip` again.
///
/// # Safety
/// As for a handler; `inst` must be live and own `callee`.
#[inline(always)]
unsafe fn grow_for_tail_callee(
    ip: Ip,
    fp: Fp,
    mem: Mem,
    len: usize,
    cx: &mut Ctx,
    inst: *const Instance,
    callee: &CompiledFunc,
) -> Stop {
    // SAFETY: guaranteed by the caller; the frame pointer is recomputed after the growth.
    unsafe {
        let at = cx.offset_of(fp);
        cx.sync_frames();
        if (*cx.stack).reserve_cells(at + callee.frame_size as usize + ZEROING_SLACK).is_err() {
            return error(cx, overflow_entering(inst, callee));
        }
        cx.reload_cells();
        cx.reload_frames();
        dispatch!(ip, cx.cells.add(at), mem, len, cx, 0, 0.0)
    }
}

/// Tail-calls a function (a `FuncInst` pointer, passed as the accumulator, as for
/// [`call_ref`]) of any instance, or a host function. A host function is called like by
/// [`call_ref`]; the return instruction that follows every tail call then returns its results.
///
/// Always inlined, like [`call_ref`].
///
/// # Safety
/// As for [`call_ref`]; `ip` points to a tail call.
#[inline(always)]
unsafe fn tail_call_ref(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64, keep: bool) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let func = &*(f as *const FuncInst);
        let (args, dst) = call_args(ip);
        match func {
            FuncInst::Wasm { instance, index, .. } => {
                let (inner, callee) = wasm_callee(instance, *index);
                if inner == cx.inner {
                    return tail_enter(ip, fp, args, callee, mem, len, cx);
                }
                if interrupted(cx) {
                    return trap_at(ip, cx, TrapCode::Interrupted);
                }
                if fp.add(callee.frame_size as usize) > cx.cells_end {
                    return grow_and_retry_other(ip, fp, mem, len, cx, f);
                }
                if keep {
                    (*cx.stack).roots.keep(&func_ref_of(f));
                }
                move_args(fp, args, callee);
                cx.switch(instance as *const Instance);
                dispatch!(callee.entry(), fp, cx.mem_base, cx.mem_len, cx, 0, 0.0)
            }
            FuncInst::Host { .. } => stop_for_host_call(ip, fp, cx, f, args, dst),
        }
    }
}

/// `return_call` of an imported function (passed as the accumulator, as for [`call_ref`]).
///
/// # Safety
/// As for [`tail_call_ref`].
#[inline(never)]
unsafe fn return_call_import(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe { tail_call_ref(ip, fp, mem, len, cx, f, false) }
}

/// The type check of `call_indirect`/`return_call_indirect` for a function outside the fast
/// path: whether `f` (a `FuncInst` pointer) has type index `ty` of the running module.
///
/// # Safety
/// `f` must be a live `FuncInst`; `cx` attached to a live instance.
unsafe fn has_type(cx: &Ctx, f: u64, ty: u32) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let m = &(*cx.inner).module.0;
        let expected = &m.types[ty as usize];
        match &*(f as *const FuncInst) {
            // A function of a declared subtype of the expected type passes (GC).
            // (Both ids are cached in the types: no registry look-up after the first call.)
            FuncInst::Wasm { ty: fty, .. } | FuncInst::Host { ty: fty, .. } => {
                fty.is_subtype_of_id(FuncTypeId::of(expected))
            }
        }
    }
}

/// `return_call_indirect` outside the fast path (as [`call_indirect_slow`]).
///
/// # Safety
/// As for [`tail_call_ref`]; `ip` points to a `ReturnCallIndirect`.
#[cold]
#[inline(never)]
unsafe fn return_call_indirect_slow(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let Instr::ReturnCallIndirect { ty, .. } = (*ip).instr else { unreachable!("not a return_call_indirect") };
        if !has_type(cx, f, ty) {
            return trap_at(ip, cx, TrapCode::FuncSigMismatch);
        }
        tail_call_ref(ip, fp, mem, len, cx, f, true)
    }
}

/// `call_ref` of the function in a cell (passed as the accumulator; not null): functions of
/// the running instance are entered directly.
///
/// # Safety
/// As for [`call_ref`]; `ip` points to a `CallRef`.
#[inline(never)]
unsafe fn call_cell(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe { call_ref(ip, fp, mem, len, cx, f, true) }
}

/// `return_call_ref` of the function in a cell (as [`call_cell`]).
///
/// # Safety
/// As for [`tail_call_ref`]; `ip` points to a `ReturnCallRef`.
#[inline(never)]
unsafe fn return_call_cell(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe { tail_call_ref(ip, fp, mem, len, cx, f, true) }
}

/// `call` of an imported function (passed as the accumulator, as for [`call_ref`]).
///
/// # Safety
/// As for [`call_ref`].
#[inline(never)]
unsafe fn call_import(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe { call_ref(ip, fp, mem, len, cx, f, false) }
}

/// `call_indirect` outside the fast path: type checks against another instance's function,
/// host functions, calls into other instances (the function is passed as for [`call_ref`]).
///
/// # Safety
/// As for [`call_ref`]; `ip` points to a `CallIndirect`.
#[cold]
#[inline(never)]
unsafe fn call_indirect_slow(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: u64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let Instr::CallIndirect { ty, .. } = (*ip).instr else { unreachable!("not a call_indirect") };
        if !has_type(cx, f, ty) {
            return trap_at(ip, cx, TrapCode::FuncSigMismatch);
        }
        call_ref(ip, fp, mem, len, cx, f, true)
    }
}

/// The first call of a function that is not translated yet: translates it and continues at
/// its start with the frame the caller set up (see [`crate::engine::Code`]).
///
/// # Safety
/// As for a handler: `fp` is the callee's frame, laid out as validated, and `cx` is attached
/// to the callee's instance.
#[cold]
#[inline(never)]
unsafe fn translate_on_entry(_ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, def: u64) -> Stop {
    // SAFETY: guaranteed by the caller; the module outlives the running instance.
    unsafe {
        let m = &(*cx.inner).module.0;
        match m.code.translated(m, def as u32) {
            Ok(code) => dispatch!(code, fp, mem, len, cx, 0, 0.0),
            Err(e) => {
                set_error(cx, e.into());
                Stop::Trap
            }
        }
    }
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    Call [0] { func, args, dst } => {
        let callee = &*cx.funcs.add(func as usize);
        enter(ip, fp, args, dst, callee, mem, len, cx)
    }
    CallImport [0] { func, args, dst } => {
        let f: &FuncRef = &*(*cx.inner).imported_funcs.as_ptr().add(func as usize);
        call_import(ip, fp, mem, len, cx, inst_ptr(f))
    }
    CallIndirect [0] { index, args, dst, ty, table } => {
        let t = &*cx.tables.add(table as usize);
        // No `RefCell` borrow is active while wasm runs (see the `ops` module docs).
        let elems = &*t.elements_ptr();
        let i = get::<u32>(fp, index) as usize;
        if i >= elems.len() {
            return trap_at(ip, cx, TrapCode::TableOutOfBounds);
        }
        let Val::FuncRef(Some(f)) = elems.get_unchecked(i) else {
            return trap_at(ip, cx, TrapCode::FuncSigMismatch);
        };
        // Fast path: a function of this instance declared with the same type index.
        if let FuncInst::Wasm { instance, index: fi, .. } = f.inst() {
            if ptr::eq(instance.state(), cx.inner) && *cx.func_types.add(*fi as usize) == ty {
                let callee = &*cx.funcs.add((*fi - cx.num_imported_funcs) as usize);
                return enter(ip, fp, args, dst, callee, mem, len, cx);
            }
        }
        call_indirect_slow(ip, fp, mem, len, cx, inst_ptr(f))
    }
    ReturnCall [0] { func, args } => {
        let callee = &*cx.funcs.add(func as usize);
        tail_enter(ip, fp, args, callee, mem, len, cx)
    }
    ReturnCallImport [0] { func, args } => {
        let f: &FuncRef = &*(*cx.inner).imported_funcs.as_ptr().add(func as usize);
        return_call_import(ip, fp, mem, len, cx, inst_ptr(f))
    }
    ReturnCallIndirect [0] { index, args, ty, table } => {
        let t = &*cx.tables.add(table as usize);
        // No `RefCell` borrow is active while wasm runs (see the `ops` module docs).
        let elems = &*t.elements_ptr();
        let i = get::<u32>(fp, index) as usize;
        // At `ip`: the trap's backtrace starts in this function, as V8's does (found by the
        // differential fuzzer, seed 4, #1953: a start function's trap had no frames).
        if i >= elems.len() {
            return trap_at(ip, cx, TrapCode::TableOutOfBounds);
        }
        let Val::FuncRef(Some(f)) = elems.get_unchecked(i) else {
            return trap_at(ip, cx, TrapCode::FuncSigMismatch);
        };
        if let FuncInst::Wasm { instance, index: fi, .. } = f.inst() {
            if ptr::eq(instance.state(), cx.inner) && *cx.func_types.add(*fi as usize) == ty {
                let callee = &*cx.funcs.add((*fi - cx.num_imported_funcs) as usize);
                return tail_enter(ip, fp, args, callee, mem, len, cx);
            }
        }
        return_call_indirect_slow(ip, fp, mem, len, cx, inst_ptr(f))
    }
    CallRef [0] { func, args, dst } => {
        let f = get::<u64>(fp, func);
        if f == 0 {
            return trap_at(ip, cx, TrapCode::NullDereference);
        }
        call_cell(ip, fp, mem, len, cx, f)
    }
    ReturnCallRef [0] { func, args } => {
        let f = get::<u64>(fp, func);
        if f == 0 {
            return trap_at(ip, cx, TrapCode::NullDereference);
        }
        return_call_cell(ip, fp, mem, len, cx, f)
    }
    TranslateOnEntry [0] { func } => {
        translate_on_entry(ip, fp, mem, len, cx, func as u64)
    }
}
