//! Trap backtraces: when a trap stops an invocation, the wasm frames it unwinds are described
//! as (module, function index, byte offset). Only this trap path does any work: the handlers
//! record nothing but the trapping instruction (`Ctx::trap_ip`), and the saved caller frames
//! are read back from the heap stack here.

use super::ctx::Ctx;
use super::dispatch::Ip;
use super::stack::{with_lent_stack, Stack};
use crate::error::{Error, TrapFrame, MAX_BACKTRACE};
use crate::runtime::Instance;

/// The function of `inst` whose code holds instruction `ip`, and where that instruction came
/// from in the module.
///
/// # Safety
/// `inst` must point to a live instance.
unsafe fn locate(inst: *const Instance, ip: Ip) -> Option<TrapFrame> {
    // SAFETY: guaranteed by the caller.
    let inst: &Instance = unsafe { &*inst };
    let module = &inst.0.module;
    let m = &module.0;
    let (def, offset) = m.code.locate(ip)?;
    Some(TrapFrame { module: module.clone(), func_index: m.num_imported_funcs + def, offset })
}

/// Adds the backtrace of the invocation that stopped with `error` (a trap) and whose saved
/// frames start at `entry_depth`: the trapping instruction (when recorded), then every caller.
///
/// # Safety
/// `cx` must be the context that stopped, with `stack`'s frame vector synchronised
/// (`Ctx::sync_frames`), and every saved frame's instance alive.
pub(crate) unsafe fn attach(error: &mut Error, cx: &Ctx, stack: &Stack, entry_depth: usize) {
    let Error::Trap(trap) = error else { return };
    let mut frames = Vec::new();
    if !cx.trap_ip.is_null() {
        // SAFETY: the running instance is alive (guaranteed by the caller).
        frames.extend(unsafe { locate(cx.inst, cx.trap_ip) });
    }
    for frame in stack.frames.get(entry_depth..).unwrap_or(&[]).iter().rev() {
        if frames.len() >= MAX_BACKTRACE {
            break;
        }
        // A saved frame continues after its call instruction.
        // SAFETY: the call instruction precedes the saved `ip` in the same function's code;
        // the frame's instance is alive (guaranteed by the caller).
        frames.extend(unsafe { locate(frame.inst, frame.ip.wrapping_sub(1)) });
    }
    trap.backtrace = frames;
}

/// While a host function runs: the wasm frames of the invocation that called it, innermost
/// first (the calling function at its call site, then its callers); empty outside a host call.
pub(crate) fn host_caller() -> Vec<TrapFrame> {
    with_lent_stack(|stack| {
        let Some((inst, ip, entry_depth)) = stack.host_caller else { return Vec::new() };
        // SAFETY: the suspended invocation keeps its instances alive during the host call,
        // and its resume point follows the call instruction.
        let mut frames: Vec<TrapFrame> = unsafe { locate(inst, ip.wrapping_sub(1)) }.into_iter().collect();
        for frame in stack.frames.get(entry_depth..).unwrap_or(&[]).iter().rev() {
            if frames.len() >= MAX_BACKTRACE {
                break;
            }
            // SAFETY: as in `attach`.
            frames.extend(unsafe { locate(frame.inst, frame.ip.wrapping_sub(1)) });
        }
        frames
    })
    .unwrap_or_default()
}
