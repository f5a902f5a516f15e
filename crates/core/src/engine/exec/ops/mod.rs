//! The handlers of all operations (see [`super::dispatch`]), grouped by kind, and the macros
//! that generate them.
//!
//! Invariants every handler relies on (established by translation and by the call handlers):
//! every slot index is below the running function's `frame_size`, whose cells are all
//! allocated; every branch stays inside the function's code; every code path ends in a return
//! or a trap; memory accesses are bounds-checked against `len`, which is refreshed after
//! anything that can grow the memory. Instances and their code are kept alive by the caller's
//! handle, by the calling instance (imports), or by `Roots::keep` (functions of other
//! instances called through tables). Table elements and global values are read through
//! `RefCell::as_ptr`: no borrow of them is active while wasm runs (the runtime API borrows only
//! inside its own methods and no host code runs inside a handler).

pub(crate) mod call;
pub(crate) mod control;
pub(crate) mod exceptions;
pub(crate) mod gc;
pub(crate) mod gc_fast;
pub(crate) mod limits;
pub(crate) mod memory;
pub(crate) mod memory_ext;
pub(crate) mod numeric;
pub(crate) mod refs;
pub(crate) mod simd;
#[cfg(target_arch = "x86_64")]
pub(crate) mod simd_x86;
pub(crate) mod state;
pub(crate) mod store_loop;

use super::cell::CellVal;
use super::ctx::{set_error, set_trap, Ctx};
use super::dispatch::{Handler, Ip, Stop};
use crate::engine::ir::{Op, Slot};
use crate::engine::store::Error;
use crate::error::TrapCode;

/// Defines handlers from `Name [modes] { fields } => body` entries and a
/// `const fn $lookup(Op, mode) -> Option<Handler>` for them. Every handler is generic over its
/// accumulator mode `M` ([`Instr::acc_mode`](crate::engine::ir::Instr::acc_mode) bits) and is
/// instantiated for the listed modes. The body must end by dispatching or returning a [`Stop`].
/// The parenthesised identifiers name the handler parameters (ip, fp, mem, len, cx, acc,
/// facc) for the bodies.
macro_rules! handlers {
    (
        ($ip:ident, $fp:ident, $mem:ident, $len:ident, $cx:ident, $acc:ident, $facc:ident) $lookup:ident;
        $( $(#[$m:meta])* $name:ident [$($mode:literal),*] { $($f:ident $(: $b:ident)?),* } => $body:block )*
    ) => {
        $(
            $(#[$m])*
            #[allow(non_snake_case, unused_variables, unused_mut)]
            pub(crate) unsafe fn $name<const M: u8>(
                $ip: $crate::engine::exec::dispatch::Ip,
                $fp: $crate::engine::exec::dispatch::Fp,
                $mem: $crate::engine::exec::dispatch::Mem,
                $len: usize,
                $cx: &mut $crate::engine::exec::ctx::Ctx,
                mut $acc: u64,
                mut $facc: f64,
            ) -> $crate::engine::exec::dispatch::Stop {
                // SAFETY: `ip` points to an instruction of this operation whose accumulator
                // mode is `M` (the handler is only chosen for such instructions); everything
                // else follows from the `Handler` contract and the invariants listed in the
                // `ops` module documentation.
                #[allow(unused_unsafe)]
                unsafe {
                    let $crate::engine::ir::Instr::$name { $($f $(: $b)?),* } = (*$ip).instr else {
                        $crate::engine::exec::ops::mismatch()
                    };
                    $body
                }
            }
        )*

        /// The handler of `op` in accumulator mode `mode`, if it is defined here.
        #[allow(unused_variables)] // `mode` in a group without handlers yet
        pub(crate) const fn $lookup(
            op: $crate::engine::ir::Op,
            mode: u8,
        ) -> Option<$crate::engine::exec::dispatch::Handler> {
            match op {
                $( $crate::engine::ir::Op::$name => match mode {
                    $( $mode => Some($name::<$mode> as $crate::engine::exec::dispatch::Handler), )*
                    _ => None,
                }, )*
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }
    };
}
pub(crate) use handlers;

/// The handler of `op` in accumulator mode `mode`, if there is one.
pub(crate) const fn lookup(op: Op, mode: u8) -> Option<Handler> {
    let groups = [
        numeric::lookup_unary(op, mode),
        numeric::lookup_unary_try(op, mode),
        numeric::lookup_binary(op, mode),
        numeric::lookup_binary_try(op, mode),
        numeric::lookup_imm(op, mode),
        numeric::lookup_fimm(op, mode),
        numeric::lookup_fused(op, mode),
        memory::lookup_load(op, mode),
        memory::lookup_load_shl(op, mode),
        memory::lookup_op_load(op, mode),
        memory::lookup_store(op, mode),
        memory::lookup_store_imm(op, mode),
        memory::lookup_f64(op, mode),
        memory::lookup(op, mode),
        store_loop::lookup(op, mode),
        control::lookup_br_cmp(op, mode),
        control::lookup_br_imm(op, mode),
        control::lookup(op, mode),
        call::lookup(op, mode),
        state::lookup(op, mode),
        // feature groups
        simd::lookup(op, mode),
        exceptions::lookup(op, mode),
        memory_ext::lookup(op, mode),
        refs::lookup(op, mode),
        gc::lookup(op, mode),
        gc_fast::lookup(op, mode),
        limits::lookup(op, mode),
    ];
    let mut found = None;
    let mut i = 0;
    while i < groups.len() {
        if let Some(h) = groups[i] {
            assert!(found.is_none(), "an operation has two handlers");
            found = Some(h);
        }
        i += 1;
    }
    found
}

/// Reached when an instruction does not match its handler, which threading rules out: a
/// panic in debug builds, unreachable (no check) in optimised builds.
///
/// # Safety
/// Must not be reached.
#[inline(always)]
pub(crate) unsafe fn mismatch() -> ! {
    if cfg!(debug_assertions) {
        unreachable!("an instruction reached the handler of another operation");
    }
    // SAFETY: guaranteed by the caller.
    unsafe { std::hint::unreachable_unchecked() }
}

/// Reads source operand `s` as a `T`: from the accumulator (`facc` for `f64`, else `acc`)
/// when `in_acc`, else from the frame at `fp`.
///
/// # Safety
/// Unless `in_acc`, `s` must be a slot of the frame.
#[inline(always)]
pub(crate) unsafe fn src<T: CellVal>(fp: *mut u64, s: Slot, acc: u64, facc: f64, in_acc: bool) -> T {
    if in_acc {
        if T::IN_FACC {
            T::from_facc(facc)
        } else {
            T::from_cell(acc)
        }
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { get(fp, s) }
    }
}

/// Writes result `v` to the accumulator (`facc` for `f64`, else `acc`), and unless `to_acc`
/// also to slot `s` of the frame at `fp` (so the next instruction may read a local just
/// written from the accumulator).
///
/// # Safety
/// Unless `to_acc`, `s` must be a slot of the frame.
#[inline(always)]
pub(crate) unsafe fn put<T: CellVal>(fp: *mut u64, s: Slot, acc: &mut u64, facc: &mut f64, to_acc: bool, v: T) {
    if !to_acc {
        // SAFETY: guaranteed by the caller.
        unsafe { set(fp, s, v) }
    }
    if T::IN_FACC {
        *facc = v.to_facc();
    } else {
        *acc = v.to_cell();
    }
}

/// Reads slot `s` of the frame at `fp` as a `T`.
///
/// # Safety
/// `s` must be a slot of the frame.
#[inline(always)]
pub(crate) unsafe fn get<T: CellVal>(fp: *mut u64, s: Slot) -> T {
    // SAFETY: guaranteed by the caller.
    T::from_cell(unsafe { *fp.add(s as usize) })
}

/// Writes `v` to slot `s` of the frame at `fp`.
///
/// # Safety
/// `s` must be a slot of the frame.
#[inline(always)]
pub(crate) unsafe fn set<T: CellVal>(fp: *mut u64, s: Slot, v: T) {
    // SAFETY: guaranteed by the caller.
    unsafe { *fp.add(s as usize) = v.to_cell() }
}

/// Stops with a trap (out of line, so that handlers reach it with a tail call). Without the
/// instruction, the backtrace starts at the caller frames: prefer [`trap_at`].
#[allow(dead_code)] // for handlers that cannot name their instruction
#[cold]
#[inline(never)]
pub(crate) fn trap(cx: &mut Ctx, code: TrapCode) -> Stop {
    set_trap(cx, code);
    Stop::Trap
}

/// Stops with a trap at the instruction `ip` (out of line, like [`trap`]); the location
/// becomes the innermost frame of the trap's backtrace.
#[cold]
#[inline(never)]
pub(crate) fn trap_at(ip: Ip, cx: &mut Ctx, code: TrapCode) -> Stop {
    cx.trap_ip = ip;
    set_trap(cx, code);
    Stop::Trap
}

/// Stops with an error raised by the instruction at `ip` (out of line, like [`trap`]).
#[cold]
#[inline(never)]
pub(crate) fn error_at(ip: Ip, cx: &mut Ctx, e: Error) -> Stop {
    cx.trap_ip = ip;
    set_error(cx, e);
    Stop::Trap
}

/// Stops with an error (out of line, like [`trap`]).
#[allow(dead_code)] // for handlers that cannot name their instruction
#[cold]
#[inline(never)]
pub(crate) fn error(cx: &mut Ctx, e: Error) -> Stop {
    set_error(cx, e);
    Stop::Trap
}
