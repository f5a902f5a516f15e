//! Threaded dispatch: every instruction carries its handler (direct threading), one handler
//! function per operation and accumulator mode.
//!
//! Every handler has the signature [`Handler`]: the instruction pointer, the frame pointer and
//! memory 0's base and length and the accumulators arrive in registers, everything else is
//! behind the [`Ctx`] pointer. A handler executes its instruction and ends by calling the next instruction's
//! handler *in tail position* ([`dispatch!`]); in optimised builds LLVM turns these calls into
//! jumps (sibling-call optimisation: all handlers share one signature, take only register
//! arguments and keep nothing alive across the call), so each handler ends in its own
//! indirect jump and the native stack does not grow. A handler that stops execution (the
//! entry function returned, a host function must be called, a trap) returns a [`Stop`].
//!
//! Builds that do not optimise enough for sibling calls (debug builds: `cfg(jitless_tail_calls)`
//! is set by the build script for opt-level 2, 3, "s" and "z") instead make `dispatch!` store
//! the next state in the context and return [`Stop::Continue`] to a trampoline loop in
//! [`execute`]: slower, but the native stack does not grow either.

use super::ctx::Ctx;
use super::ops;
use super::stack::Stack;
use super::Exit;
use crate::engine::ir::{Instr, Op};
use crate::engine::store::Error;

/// An instruction with its handler (direct threading).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Threaded {
    /// The handler of `instr`.
    pub(crate) handler: Handler,
    /// The instruction.
    pub(crate) instr: Instr,
}

impl std::fmt::Debug for Threaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.instr.fmt(f)
    }
}

/// Pairs every instruction with its handler.
pub(crate) fn thread(code: Vec<Instr>) -> Box<[Threaded]> {
    #[cfg(target_arch = "x86_64")]
    ops::simd_x86::detect_features();
    code.into_iter()
        .map(|instr| {
            let handler = handler_of(&instr).expect("translation only emits instructions that have a handler");
            Threaded { handler, instr }
        })
        .collect()
}

/// The handler of `instr` (for its operation and accumulator mode), if there is one.
pub(crate) fn handler_of(instr: &Instr) -> Option<Handler> {
    // SAFETY: `Instr` is `repr(u16)`, so its first two bytes are the tag, which is an `Op`
    // number.
    let op = unsafe { *(instr as *const Instr as *const u16) } as usize;
    HANDLERS[op][instr.acc_mode() as usize]
}

/// The instruction pointer.
pub(crate) type Ip = *const Threaded;
/// The frame pointer (the frame's first cell).
pub(crate) type Fp = *mut u64;
/// The base address of memory 0.
pub(crate) type Mem = *mut u8;

/// A handler: executes the instruction at `ip` and continues with the next one. The last two
/// arguments are the accumulator (see [`crate::engine::ir::ACC`]): `f64` values pass in the
/// second (a floating-point register), all others in the first.
///
/// # Safety
/// `ip` must point to an instruction of this handler's operation inside translated code whose
/// frame starts at `fp` (all cells allocated), `mem`/`len` must be memory 0 of `cx`'s instance
/// as cached in `cx`, and `cx` must be attached to the running stack.
pub(crate) type Handler = unsafe fn(Ip, Fp, Mem, usize, &mut Ctx, u64, f64) -> Stop;

/// Why the handlers stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The invocation's function returned.
    Done,
    /// A host function must be called (see [`Ctx::host`]).
    Host,
    /// A trap or error (see [`Ctx::error`]).
    Trap,
    /// Without tail calls: run the next handler with `Ctx::resume`.
    #[cfg(not(jitless_tail_calls))]
    Continue,
}

/// Continues with the instruction at `$ip` (see the module documentation). Expands to a
/// `return`.
macro_rules! dispatch {
    ($ip:expr, $fp:expr, $mem:expr, $len:expr, $cx:expr, $acc:expr, $facc:expr) => {{
        let ip: $crate::engine::exec::dispatch::Ip = $ip;
        let fp: $crate::engine::exec::dispatch::Fp = $fp;
        let mem: $crate::engine::exec::dispatch::Mem = $mem;
        let len: usize = $len;
        let acc: u64 = $acc;
        let facc: f64 = $facc;
        let cx: &mut $crate::engine::exec::ctx::Ctx = $cx;
        #[cfg(jitless_tail_calls)]
        {
            return $crate::engine::exec::dispatch::handler(ip)(ip, fp, mem, len, cx, acc, facc);
        }
        #[cfg(not(jitless_tail_calls))]
        {
            cx.resume = (ip, fp, mem, len, acc, facc);
            return $crate::engine::exec::dispatch::Stop::Continue;
        }
    }};
}
pub(crate) use dispatch;

/// The number of accumulator modes (combinations of `ACC_*` bits).
const MODES: usize = 8;

/// The handler of every operation in every accumulator mode, indexed by [`Op`] number and
/// mode.
static HANDLERS: [[Option<Handler>; MODES]; Op::COUNT] = {
    let mut table: [[Option<Handler>; MODES]; Op::COUNT] = [[None; MODES]; Op::COUNT];
    let mut i = 0;
    while i < Op::COUNT {
        let mut mode = 0;
        while mode < MODES {
            table[i][mode] = ops::lookup(Op::from_index(i), mode as u8);
            mode += 1;
        }
        assert!(table[i][0].is_some(), "an operation has no handler");
        i += 1;
    }
    table
};

/// The handler of the instruction at `ip`.
///
/// # Safety
/// `ip` must point to a valid instruction.
#[inline(always)]
pub(crate) unsafe fn handler(ip: Ip) -> Handler {
    // SAFETY: guaranteed by the caller.
    unsafe { (*ip).handler }
}

/// Runs from `cx.ip`/`cx.fp` until the invocation's function returns (its frame is the one at
/// `entry_depth` saved frames), a host function must be called, or a trap.
///
/// # Safety
/// `cx` must describe a valid position: `ip` inside translated code of the function whose frame
/// starts at cell `fp` (with all its `frame_size` cells allocated), `cx.inst` a live instance
/// owning that code, and `stack.frames[entry_depth..]` saved by this invocation.
#[inline(never)] // kept out of the invocation's frame, which stays live across host calls
pub(crate) unsafe fn execute(stack: &mut Stack, cx: &mut Ctx, entry_depth: usize) -> Result<Exit, Error> {
    cx.attach(stack, entry_depth);
    cx.refresh_mem();
    // SAFETY: guaranteed by the caller; the cells were just re-read.
    let stop = unsafe { run_handlers(cx.ip, cx.cells.add(cx.fp), cx.mem_base, cx.mem_len, cx, 0, 0.0) };
    // SAFETY: the handlers keep `frame_top` within the frame vector's initialised capacity.
    unsafe { cx.sync_frames() };
    match stop {
        Stop::Done => Ok(Exit::Done),
        Stop::Host => {
            let (func, args, dst) = cx.host.take().expect("a host stop records the function");
            Ok(Exit::Host { func, args, dst })
        }
        Stop::Trap => {
            let mut error = cx.error.take().expect("a trap stop records the error");
            // SAFETY: the frames were just synchronised; the instances of this invocation's
            // frames are kept alive by its callers.
            unsafe { super::backtrace::attach(&mut error, cx, stack, entry_depth) };
            Err(error)
        }
        #[cfg(not(jitless_tail_calls))]
        Stop::Continue => unreachable!("the trampoline runs until a real stop"),
    }
}

/// Runs the handlers from the given state.
///
/// # Safety
/// As for [`Handler`].
#[cfg(jitless_tail_calls)]
#[inline(never)]
unsafe fn run_handlers(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe { handler(ip)(ip, fp, mem, len, cx, acc, facc) }
}

/// Runs the handlers from the given state, one at a time (without tail calls).
///
/// # Safety
/// As for [`Handler`].
#[cfg(not(jitless_tail_calls))]
unsafe fn run_handlers(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, acc: u64, facc: f64) -> Stop {
    let mut state = (ip, fp, mem, len, acc, facc);
    loop {
        let (ip, fp, mem, len, acc, facc) = state;
        // SAFETY: the state is the caller's, or what the previous handler left for its
        // successor.
        match unsafe { handler(ip)(ip, fp, mem, len, cx, acc, facc) } {
            Stop::Continue => state = cx.resume,
            stop => return stop,
        }
    }
}
