//! Trap backtraces: when a trap stops an invocation, the wasm frames it unwinds are described
//! as (module, function index, byte offset). Only this trap path does any work: the handlers
//! record nothing but the trapping instruction (`Ctx::trap_ip`), and the saved caller frames
//! are read back from the heap stack here.
//!
//! A stack overflow is raised while entering a function, before its frame exists: like V8,
//! which checks the stack in the callee's prologue, its innermost frame is the callee at the
//! start of its body ([`overflow_entering`]), then the caller at its call instruction.

use std::collections::HashMap;

use super::ctx::Ctx;
use super::dispatch::Ip;
use super::stack::{with_lent_stack, Frame, Stack, MAX_FRAMES};
use crate::engine::store::{Error, Instance};
use crate::engine::CompiledFunc;
use crate::error::{Trap, TrapCode, TrapFrame, MAX_BACKTRACE};

// A backtrace can list every frame of an invocation: the saved frames, the running function
// and the function an overflow was entering.
const _: () = assert!(MAX_BACKTRACE >= MAX_FRAMES + 2);

/// The function of `inst` whose code holds instruction `ip`, and where that instruction came
/// from in the module.
///
/// # Safety
/// `inst` must point to a live instance.
unsafe fn locate(inst: *const Instance, ip: Ip) -> Option<TrapFrame> {
    // SAFETY: guaranteed by the caller.
    let inst: &Instance = unsafe { &*inst };
    let module = &inst.state().module;
    let m = &module.0;
    let (def, offset) = m.code.locate(ip)?;
    Some(TrapFrame { module: module.as_frame_module(), func_index: m.num_imported_funcs + def, offset })
}

/// Appends the frames of `saved` (innermost last, as on the stack) to `out`, innermost
/// first, each at its call instruction, until `out` holds `limit` frames. Deep recursion
/// repeats the same few call sites, so each is located once.
///
/// # Safety
/// Every frame's instance must be alive and its `ip` follow a call instruction of its code.
unsafe fn callers(saved: &[Frame], out: &mut Vec<TrapFrame>, limit: usize) {
    let mut seen: HashMap<(*const Instance, Ip), Option<TrapFrame>> = HashMap::new();
    for frame in saved.iter().rev() {
        if out.len() >= limit {
            break;
        }
        // A saved frame continues after its call instruction.
        let at = frame.ip.wrapping_sub(1);
        let located = seen.entry((frame.inst, at)).or_insert_with(|| {
            // SAFETY: the call instruction precedes the saved `ip` in the same function's
            // code; the frame's instance is alive (guaranteed by the caller).
            unsafe { locate(frame.inst, at) }
        });
        out.extend(located.clone());
    }
}

/// The `StackOverflow` error raised on entry to `callee`, a function of `inst`: its
/// backtrace starts with the callee at the start of its body (see the module docs); the
/// caller frames are added by [`attach`].
///
/// # Safety
/// `inst` must point to a live instance and `callee` be one of its module's functions.
pub(crate) unsafe fn overflow_entering(inst: *const Instance, callee: &CompiledFunc) -> Error {
    // SAFETY: guaranteed by the caller.
    let inst: &Instance = unsafe { &*inst };
    let module = &inst.state().module;
    let m = &module.0;
    let backtrace = m
        .code
        .entry_location(callee)
        .map(|(def, offset)| TrapFrame {
            module: module.as_frame_module(),
            func_index: m.num_imported_funcs + def,
            offset: Some(offset),
        })
        .into_iter()
        .collect();
    Error::Trap(Trap { code: TrapCode::StackOverflow, origin: Default::default(), backtrace })
}

/// Adds the backtrace of the invocation that stopped with `error` (a trap) and whose saved
/// frames start at `entry_depth`: after the frames the trap already holds (the function an
/// overflow was entering), the trapping instruction (when recorded), then every caller.
///
/// # Safety
/// `cx` must be the context that stopped, with `stack`'s frame vector synchronised
/// (`Ctx::sync_frames`), and every saved frame's instance alive.
pub(crate) unsafe fn attach(error: &mut Error, cx: &Ctx, stack: &Stack, entry_depth: usize) {
    let Error::Trap(trap) = error else { return };
    let frames = &mut trap.backtrace;
    if !cx.trap_ip.is_null() {
        // SAFETY: the running instance is alive (guaranteed by the caller).
        frames.extend(unsafe { locate(cx.inst, cx.trap_ip) });
    }
    // SAFETY: guaranteed by the caller.
    unsafe { callers(stack.frames.get(entry_depth..).unwrap_or(&[]), frames, MAX_BACKTRACE) };
}

/// While a host function runs: the wasm frames of the invocation that called it, innermost
/// first (the calling function at its call site, then its callers), at most `limit`; empty
/// outside a host call.
pub(crate) fn host_caller(limit: usize) -> Vec<TrapFrame> {
    with_lent_stack(|stack| {
        let Some((inst, ip, entry_depth)) = stack.host_caller else { return Vec::new() };
        if limit == 0 {
            return Vec::new();
        }
        // SAFETY: the suspended invocation keeps its instances alive during the host call,
        // and its resume point follows the call instruction.
        let mut frames: Vec<TrapFrame> = unsafe { locate(inst, ip.wrapping_sub(1)) }.into_iter().collect();
        // SAFETY: as above, for every saved frame of the invocation.
        unsafe { callers(stack.frames.get(entry_depth..).unwrap_or(&[]), &mut frames, limit) };
        frames
    })
    .unwrap_or_default()
}
