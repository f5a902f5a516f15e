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
pub(crate) mod memory;
pub(crate) mod numeric;
pub(crate) mod state;

use super::cell::CellVal;
use super::ctx::{set_error, set_trap, Ctx};
use super::dispatch::{Handler, Stop};
use crate::engine::ir::{Op, Slot};
use crate::error::{Error, TrapCode};

/// Defines handlers from `Name { fields } => body` entries (the body must end by dispatching
/// or returning a [`Stop`]) and a `const fn $lookup(Op) -> Option<Handler>` for them. The
/// parenthesised identifiers name the handler parameters (ip, fp, mem, len, cx) for the bodies.
macro_rules! handlers {
    (
        ($ip:ident, $fp:ident, $mem:ident, $len:ident, $cx:ident) $lookup:ident;
        $( $(#[$m:meta])* $name:ident { $($f:ident $(: $b:ident)?),* } => $body:block )*
    ) => {
        $(
            $(#[$m])*
            #[allow(non_snake_case, unused_variables, unused_mut)]
            pub(crate) unsafe fn $name(
                $ip: $crate::engine::exec::dispatch::Ip,
                $fp: $crate::engine::exec::dispatch::Fp,
                $mem: $crate::engine::exec::dispatch::Mem,
                $len: usize,
                $cx: &mut $crate::engine::exec::ctx::Ctx,
            ) -> $crate::engine::exec::dispatch::Stop {
                // SAFETY: `ip` points to an instruction of this operation (the handler is only
                // found through its tag); everything else follows from the `Handler` contract
                // and the invariants listed in the `ops` module documentation.
                #[allow(unused_unsafe)]
                unsafe {
                    let $crate::engine::ir::Instr::$name { $($f $(: $b)?),* } = *$ip else {
                        std::hint::unreachable_unchecked()
                    };
                    $body
                }
            }
        )*

        /// The handler of `op`, if it is defined here.
        pub(crate) const fn $lookup(op: $crate::engine::ir::Op) -> Option<$crate::engine::exec::dispatch::Handler> {
            match op {
                $( $crate::engine::ir::Op::$name => Some($name as $crate::engine::exec::dispatch::Handler), )*
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }
    };
}
pub(crate) use handlers;

/// The handler of `op`.
pub(crate) const fn lookup(op: Op) -> Option<Handler> {
    let groups = [
        numeric::lookup_unary(op),
        numeric::lookup_unary_try(op),
        numeric::lookup_binary(op),
        numeric::lookup_binary_try(op),
        numeric::lookup_imm(op),
        numeric::lookup_fimm(op),
        memory::lookup_load(op),
        memory::lookup_store(op),
        memory::lookup(op),
        control::lookup_br_cmp(op),
        control::lookup_br_imm(op),
        control::lookup(op),
        call::lookup(op),
        state::lookup(op),
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

/// Stops with a trap.
#[inline(always)]
pub(crate) fn trap(cx: &mut Ctx, code: TrapCode) -> Stop {
    set_trap(cx, code);
    Stop::Trap
}

/// Stops with an error.
#[inline(always)]
pub(crate) fn error(cx: &mut Ctx, e: Error) -> Stop {
    set_error(cx, e);
    Stop::Trap
}
