//! The execution context: everything a handler may need that is not hot enough to live in a
//! register (see [`super::dispatch`]): cached pointers into the running instance, the heap
//! stack, where to resume after a host call, and why execution stopped.

use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

use super::dispatch::Ip;
use super::stack::{Frame, Stack};
use crate::engine::store::{Error, FuncRef, Global, Instance, InstanceInner, Memory, Table};
use crate::engine::CompiledFunc;
use crate::error::TrapCode;

/// Cached pointers into the running instance and the thread's stack, plus the exit state.
pub(crate) struct Ctx {
    /// The running instance.
    pub(crate) inst: *const Instance,
    /// Its state.
    pub(crate) inner: *const InstanceInner,
    /// Its module's defined functions.
    pub(crate) funcs: *const CompiledFunc,
    /// Its module's type index of every function (imports first).
    pub(crate) func_types: *const u32,
    /// Its module's number of imported functions.
    pub(crate) num_imported_funcs: u32,
    /// Its globals.
    pub(crate) globals: *const Global,
    /// Its tables.
    pub(crate) tables: *const Table,
    /// Its memory 0 (null without one).
    pub(crate) mem: *const Memory,
    /// All its memories (multi-memory; the instructions of `ops::memory_ext` read these).
    pub(crate) memories: *const Memory,
    /// The base address of memory 0 (stable for the memory's life).
    pub(crate) mem_base: *mut u8,
    /// The length of memory 0 in bytes (refreshed after anything that may grow it).
    pub(crate) mem_len: usize,
    /// The thread's stack (valid between `attach` and the end of the dispatch).
    pub(crate) stack: *mut Stack,
    /// This thread's interrupt word (see [`crate::runtime::InterruptHandle`]): checked at
    /// taken branches, calls and in long operations.
    pub(crate) interrupt: *const AtomicU32,
    /// The first value cell of the stack (re-read whenever the cells may move).
    pub(crate) cells: *mut u64,
    /// One past the last allocated value cell.
    pub(crate) cells_end: *mut u64,
    /// The number of saved frames below this invocation's entry frame.
    pub(crate) entry_depth: usize,
    /// Where the next saved frame goes: the frame vector's buffer at its length. While the
    /// handlers run, this (not the vector's length) is the frame stack's top; the length is
    /// written back by [`Ctx::sync_frames`] before anything else uses the vector.
    pub(crate) frame_top: *mut Frame,
    /// The end of the frame vector's capacity (a push there needs the slow path).
    pub(crate) frame_end: *mut Frame,
    /// The frame stack's top when the invocation's entry function runs (a return there ends
    /// the invocation).
    pub(crate) frame_entry: *mut Frame,
    /// Where to continue: the next instruction (set before a host call and at entry).
    pub(crate) ip: Ip,
    /// The frame pointer to continue with, as a cell offset.
    pub(crate) fp: usize,
    /// After [`super::dispatch::Stop::Host`]: the host function, its argument cell and where
    /// a single result goes.
    pub(crate) host: Option<(FuncRef, usize, usize)>,
    /// After [`super::dispatch::Stop::Trap`]: the error.
    pub(crate) error: Option<Error>,
    /// After [`super::dispatch::Stop::Trap`]: the instruction that trapped, when known (null
    /// otherwise); read only to build the trap's backtrace.
    pub(crate) trap_ip: Ip,
    /// Without tail calls (see [`super::dispatch`]): the state the next handler runs with
    /// (handlers return to a trampoline instead of calling the next handler).
    #[cfg(not(jitless_tail_calls))]
    pub(crate) resume: (Ip, *mut u64, *mut u8, usize, u64, f64),
}

impl Ctx {
    /// A context starting at function code `ip` with its frame at cell `fp`, not attached to
    /// an instance yet: [`Ctx::switch`] must follow before it is used. (Built in place by the
    /// caller, then switched, so that the large struct is not copied.)
    #[inline(always)]
    pub(crate) fn new(ip: Ip, fp: usize) -> Ctx {
        Ctx {
            inst: ptr::null(),
            inner: ptr::null(),
            funcs: ptr::null(),
            func_types: ptr::null(),
            num_imported_funcs: 0,
            globals: ptr::null(),
            tables: ptr::null(),
            mem: ptr::null(),
            memories: ptr::null(),
            mem_base: ptr::null_mut(),
            mem_len: 0,
            stack: ptr::null_mut(),
            interrupt: ptr::null(),
            cells: ptr::null_mut(),
            cells_end: ptr::null_mut(),
            entry_depth: 0,
            frame_top: ptr::null_mut(),
            frame_end: ptr::null_mut(),
            frame_entry: ptr::null_mut(),
            ip,
            fp,
            host: None,
            error: None,
            trap_ip: ptr::null(),
            #[cfg(not(jitless_tail_calls))]
            resume: (ptr::null(), ptr::null_mut(), ptr::null_mut(), 0, 0, 0.0),
        }
    }

    /// Switches to instance `inst`.
    ///
    /// # Safety
    /// `inst` must point to a live instance, which must outlive the use of the context.
    #[inline(never)]
    pub(crate) unsafe fn switch(&mut self, inst: *const Instance) {
        // SAFETY: guaranteed by the caller.
        let inner: &InstanceInner = unsafe { (*inst).state() };
        let module = inner.module();
        self.inst = inst;
        self.inner = inner;
        self.funcs = module.code.funcs.as_ptr();
        self.func_types = module.funcs.as_ptr();
        self.num_imported_funcs = module.num_imported_funcs;
        self.globals = inner.globals().as_ptr();
        self.tables = inner.tables().as_ptr();
        self.mem = inner.memories().first().map_or(ptr::null(), |m| m as *const Memory);
        self.memories = inner.memories().as_ptr();
        self.mem_base = ptr::null_mut();
        self.mem_len = 0;
        self.refresh_mem();
    }

    /// Re-reads the memory's base and length (after anything that may have grown it).
    #[inline(always)]
    pub(crate) fn refresh_mem(&mut self) {
        if !self.mem.is_null() {
            // SAFETY: `mem` points into the live instance's memory list.
            let m = unsafe { &*self.mem };
            self.mem_base = m.data_ptr();
            self.mem_len = m.data_len();
        }
    }

    /// Points the context at `stack` (its cells and frames may have moved since the last
    /// time).
    pub(crate) fn attach(&mut self, stack: &mut Stack, entry_depth: usize) {
        self.cells = stack.cells.as_mut_ptr();
        // SAFETY: one past the end of the cell vector.
        self.cells_end = unsafe { self.cells.add(stack.cells.len()) };
        self.interrupt = &stack.interrupt.word;
        self.stack = stack;
        self.entry_depth = entry_depth;
        // SAFETY: the context was just attached.
        unsafe { self.reload_frames() };
    }

    /// Re-reads the frame pointers from the frame vector (after it was changed through the
    /// vector).
    ///
    /// # Safety
    /// The context must be attached to a live stack whose length is current.
    pub(crate) unsafe fn reload_frames(&mut self) {
        // SAFETY: guaranteed by the caller; all offsets are within the vector's capacity.
        unsafe {
            let frames = &mut (*self.stack).frames;
            let base = frames.as_mut_ptr();
            self.frame_top = base.add(frames.len());
            // (Never beyond the depth cap, so that the call fast path stops there too.)
            self.frame_end = base.add(frames.capacity().min((*self.stack).max_frames));
            self.frame_entry = base.add(self.entry_depth);
        }
    }

    /// Writes the frame stack's top back as the frame vector's length.
    ///
    /// # Safety
    /// The context must be attached to a live stack; `frame_top` must be between the
    /// vector's start and its capacity, with every frame below it written.
    pub(crate) unsafe fn sync_frames(&mut self) {
        // SAFETY: guaranteed by the caller; frames are plain data.
        unsafe {
            let frames = &mut (*self.stack).frames;
            let len = self.frame_top.offset_from(frames.as_ptr()) as usize;
            frames.set_len(len);
        }
    }

    /// Re-reads the cell pointers after the stack's cells may have been reallocated.
    ///
    /// # Safety
    /// The context must be attached to a live stack.
    pub(crate) unsafe fn reload_cells(&mut self) {
        // SAFETY: guaranteed by the caller.
        let stack = unsafe { &mut *self.stack };
        self.cells = stack.cells.as_mut_ptr();
        // SAFETY: one past the end of the cell vector.
        self.cells_end = unsafe { self.cells.add(stack.cells.len()) };
    }

    /// The cell offset of frame pointer `fp`.
    ///
    /// # Safety
    /// `fp` must point into the attached stack's cells.
    #[inline(always)]
    pub(crate) unsafe fn offset_of(&self, fp: *mut u64) -> usize {
        // SAFETY: guaranteed by the caller.
        unsafe { fp.offset_from(self.cells) as usize }
    }
}

/// Records a trap as the reason to stop.
#[cold]
#[inline(never)]
pub(crate) fn set_trap(cx: &mut Ctx, code: TrapCode) {
    cx.error = Some(code.into());
}

/// Records an error as the reason to stop.
#[cold]
#[inline(never)]
pub(crate) fn set_error(cx: &mut Ctx, e: Error) {
    cx.error = Some(e);
}

impl Ctx {
    /// Whether an interrupt was requested for this thread: one load through the context, for
    /// the hot paths (the decision is [`Ctx::take_stop`], out of line).
    ///
    /// # Safety
    /// The context must be attached to a live stack.
    #[inline(always)]
    pub(crate) unsafe fn interrupt_pending(&self) -> bool {
        // (A build for measuring the checks' cost: see `build.rs`.)
        if cfg!(jitless_no_interrupt_checks) {
            return false;
        }
        // SAFETY: guaranteed by the caller: the word lives in the stack's interrupt state.
        unsafe { (*self.interrupt).load(Ordering::Relaxed) != 0 }
    }

    /// Takes the pending interrupt and decides whether to stop (see
    /// [`crate::runtime::InterruptHandle`]).
    ///
    /// # Safety
    /// The context must be attached to a live stack.
    #[cold]
    #[inline(never)]
    pub(crate) unsafe fn take_stop(&self) -> bool {
        // SAFETY: guaranteed by the caller.
        unsafe { (*self.stack).interrupt.take_stop() }
    }
}
