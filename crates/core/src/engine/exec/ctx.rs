//! The execution context: everything a handler may need that is not hot enough to live in a
//! register (see [`super::dispatch`]): cached pointers into the running instance, the heap
//! stack, where to resume after a host call, and why execution stopped.

use std::ptr;

use super::stack::Stack;
use super::dispatch::Ip;
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::runtime::{FuncRef, Global, Instance, InstanceInner, Memory, Table};

/// Cached pointers into the running instance and the thread's stack, plus the exit state.
pub(crate) struct Ctx {
    /// The running instance.
    pub(crate) inst: *const Instance,
    /// Its state.
    pub(crate) inner: *const InstanceInner,
    /// Its module's defined functions.
    pub(crate) funcs: *const CompiledFunc,
    /// Its globals.
    pub(crate) globals: *const Global,
    /// Its tables.
    pub(crate) tables: *const Table,
    /// Its memory 0 (null without one).
    pub(crate) mem: *const Memory,
    /// The base address of memory 0 (stable for the memory's life).
    pub(crate) mem_base: *mut u8,
    /// The length of memory 0 in bytes (refreshed after anything that may grow it).
    pub(crate) mem_len: usize,
    /// The thread's stack (valid between `attach` and the end of the dispatch).
    pub(crate) stack: *mut Stack,
    /// The first value cell of the stack (re-read whenever the cells may move).
    pub(crate) cells: *mut u64,
    /// One past the last allocated value cell.
    pub(crate) cells_end: *mut u64,
    /// The number of saved frames below this invocation's entry frame.
    pub(crate) entry_depth: usize,
    /// Where to continue: the next instruction (set before a host call and at entry).
    pub(crate) ip: Ip,
    /// The frame pointer to continue with, as a cell offset.
    pub(crate) fp: usize,
    /// After [`super::dispatch::Stop::Host`]: the host function and its argument cell.
    pub(crate) host: Option<(FuncRef, usize)>,
    /// After [`super::dispatch::Stop::Trap`]: the error.
    pub(crate) error: Option<Error>,
    /// Debug builds: the state the next handler runs with (handlers return to a trampoline
    /// instead of calling the next handler, so the native stack does not grow).
    #[cfg(debug_assertions)]
    pub(crate) resume: (Ip, *mut u64, *mut u8, usize, u64),
}

impl Ctx {
    /// The context of `inst`, starting at function code `ip` with its frame at cell `fp`.
    ///
    /// # Safety
    /// `inst` must point to a live instance, which must outlive the use of the context.
    pub(crate) unsafe fn new(inst: *const Instance, ip: Ip, fp: usize) -> Ctx {
        let mut cx = Ctx {
            inst,
            inner: ptr::null(),
            funcs: ptr::null(),
            globals: ptr::null(),
            tables: ptr::null(),
            mem: ptr::null(),
            mem_base: ptr::null_mut(),
            mem_len: 0,
            stack: ptr::null_mut(),
            cells: ptr::null_mut(),
            cells_end: ptr::null_mut(),
            entry_depth: 0,
            ip,
            fp,
            host: None,
            error: None,
            #[cfg(debug_assertions)]
            resume: (ptr::null(), ptr::null_mut(), ptr::null_mut(), 0, 0),
        };
        // SAFETY: guaranteed by the caller.
        unsafe { cx.switch(inst) };
        cx
    }

    /// Switches to instance `inst`.
    ///
    /// # Safety
    /// As for [`Ctx::new`].
    #[inline(never)]
    pub(crate) unsafe fn switch(&mut self, inst: *const Instance) {
        // SAFETY: guaranteed by the caller.
        let inner: &InstanceInner = unsafe { &(*inst).0 };
        self.inst = inst;
        self.inner = inner;
        self.funcs = inner.module.0.code.as_ptr();
        self.globals = inner.globals.as_ptr();
        self.tables = inner.tables.as_ptr();
        self.mem = inner.memories.first().map_or(ptr::null(), |m| m as *const Memory);
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

    /// Points the context at `stack` (its cells may have moved since the last time).
    pub(crate) fn attach(&mut self, stack: &mut Stack, entry_depth: usize) {
        self.cells = stack.cells.as_mut_ptr();
        // SAFETY: one past the end of the cell vector.
        self.cells_end = unsafe { self.cells.add(stack.cells.len()) };
        self.stack = stack;
        self.entry_depth = entry_depth;
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
