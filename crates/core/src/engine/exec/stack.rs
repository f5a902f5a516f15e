//! The interpreter's heap stack (value cells and call frames), the reference roots, and the
//! per-thread session that lends the stack to nested (re-entrant) invocations.
//!
//! One [`Stack`] per thread lives in a thread-local slot. The outermost `call_function` takes it;
//! before calling a host function the running invocation puts it back, so that a host function
//! calling into wasm again (a *nested* invocation) takes the same stack and builds its frames
//! above the caller's live cells; the caller takes it back when the host function returns.
//! Nothing on the native stack refers into the cells across a host call (frame positions are
//! kept as offsets), so the cells may be reallocated by the nested invocation.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::dispatch::Ip;
use crate::engine::store::{gc, thread_interrupt, Error, FuncRef, Instance, ThreadInterrupt, Val};
use crate::error::TrapCode;
use crate::types::{RefType, ValType};
use crate::value::{AnyRef, ExternRef, ObjectRef};

/// The most nested wasm call frames per thread (all invocations together). V8 allows about
/// 19,500 frames of a small recursive function; we allow more.
pub(crate) const MAX_FRAMES: usize = 100_000;
/// The most value cells per thread (32 MiB).
pub(crate) const MAX_CELLS: usize = 4 << 20;
/// The most nested `call_function`s per thread, a backstop: each host → wasm re-entry uses native
/// stack, and an invocation only starts with [`crate::native_stack::RESERVE`] bytes of it left.
pub(crate) const MAX_NESTING: u32 = 100_000;
/// Cells allocated up front.
const INITIAL_CELLS: usize = 16 << 10;
/// Cells allocated up front for a segment (see [`Stack::segment`]).
const SEGMENT_CELLS: usize = 64;
/// Above this many cells, an idle stack is shrunk back to [`INITIAL_CELLS`].
const RETAINED_CELLS: usize = 1 << 20;
/// Execution contexts (and host-call records) kept for reuse when the outermost invocation
/// ends.
const RETAINED_CTXS: usize = 8;

/// A saved caller frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Where the caller continues.
    pub(crate) ip: Ip,
    /// The caller's frame pointer (rebased by [`Stack::reserve`] when the cells move).
    pub(crate) fp: *mut u64,
    /// The caller's instance.
    pub(crate) inst: *const Instance,
    /// Where a single result goes, as a slot of the caller's frame.
    pub(crate) dst: usize,
}

/// The heap stack of one thread.
pub(crate) struct Stack {
    /// This thread's GC heap (the GC instructions use it without a thread-local look-up).
    pub(crate) gc_heap: gc::HeapHandle,
    /// Value cells of all frames.
    pub(crate) cells: Vec<u64>,
    /// Saved caller frames.
    pub(crate) frames: Vec<Frame>,
    /// Owned handles of every reference that sits in a cell.
    pub(crate) roots: Roots,
    /// The first cell a nested invocation may use.
    pub(crate) top: usize,
    /// How many invocations are active on this stack.
    nesting: u32,
    /// Reusable host-call records (taken out for the duration of a call, so a nested host
    /// call takes another).
    // (Boxed: a record taken out stays on the heap, not in the native frame.)
    #[allow(clippy::vec_box)]
    pub(crate) host_calls: Vec<Box<HostCall>>,
    /// Reusable execution contexts: an invocation's context lives on the heap, not in its
    /// native frame, which stays live across host calls (issue #11: native stack per level).
    // (Boxed: a context taken out stays on the heap, not in the native frame.)
    #[allow(clippy::vec_box)]
    pub(crate) ctx_pool: Vec<Box<super::ctx::Ctx>>,
    /// While a host function runs: the instance and resume point of the wasm code that called
    /// it, and its invocation's first saved frame (for [`super::backtrace::host_caller`]).
    pub(crate) host_caller: Option<(*const Instance, Ip, usize)>,
    /// This thread's interrupt state (its word is what the handlers check).
    pub(crate) interrupt: Arc<ThreadInterrupt>,
    /// The most saved frames allowed now: [`MAX_FRAMES`], or less during a call of a
    /// namespace with `maxStackDepth` (see [`limit_depth`]).
    pub(crate) max_frames: usize,
}

/// What a host call keeps while it runs, on the heap rather than in the native frame that
/// stays live meanwhile (issue #11: native stack per re-entry level).
#[derive(Default)]
pub(crate) struct HostCall {
    /// The arguments (then cleared for reuse).
    pub(crate) args: Vec<Val>,
    /// The results (then cleared for reuse).
    pub(crate) results: Vec<Val>,
    /// The raw arguments of a numeric host call (then cleared for reuse).
    pub(crate) raw_args: Vec<u64>,
    /// The raw results of a numeric host call (then cleared for reuse).
    pub(crate) raw_results: Vec<u64>,
    /// The [`Stack::host_caller`] this call replaced, restored when it returns.
    pub(crate) saved_caller: Option<(*const Instance, Ip, usize)>,
}

impl Stack {
    fn new() -> Self {
        Stack::with(INITIAL_CELLS, 256, 0)
    }

    /// A stack of `cells` cells with room for `frames` frames and `nesting` active invocations.
    fn with(cells: usize, frames: usize, nesting: u32) -> Self {
        Stack {
            gc_heap: gc::HeapHandle::current(),
            cells: vec![0; cells],
            frames: Vec::with_capacity(frames),
            roots: Roots::default(),
            top: 0,
            nesting,
            host_calls: Vec::new(),
            ctx_pool: Vec::new(),
            host_caller: None,
            interrupt: thread_interrupt(),
            max_frames: MAX_FRAMES,
        }
    }

    /// The stack of one promising invocation (a JSPI segment): small at first (it grows like
    /// any stack), so that a suspended segment costs about the cells and frames it uses; one
    /// invocation is active on it from the start.
    pub(crate) fn segment() -> Self {
        Stack::with(SEGMENT_CELLS, 8, 1)
    }

    /// Makes sure cells `..end` exist and one more frame may be pushed, or traps with
    /// `StackOverflow`.
    pub(crate) fn reserve(&mut self, end: usize) -> Result<(), TrapCode> {
        if self.frames.len() >= self.max_frames {
            return Err(TrapCode::StackOverflow);
        }
        self.reserve_cells(end)
    }

    /// Makes sure cells `..end` exist (rebasing the saved frames if the cells move), or traps
    /// with `StackOverflow`.
    pub(crate) fn reserve_cells(&mut self, end: usize) -> Result<(), TrapCode> {
        if end > MAX_CELLS {
            return Err(TrapCode::StackOverflow);
        }
        if end > self.cells.len() {
            let len = (self.cells.len() * 2).clamp(end, MAX_CELLS);
            let old = self.cells.as_ptr() as usize;
            self.cells.resize(len, 0);
            let new = self.cells.as_mut_ptr();
            if new as usize != old {
                for f in &mut self.frames {
                    // SAFETY: the frame pointed into the old cells at this offset, which the
                    // new (larger) cells contain.
                    f.fp = unsafe { new.add((f.fp as usize - old) / size_of::<u64>()) };
                }
            }
        }
        Ok(())
    }

    /// Writes `v` to the cells from `at` (two for a v128, low half first; references are
    /// rooted); returns how many cells it took.
    pub(crate) fn store_val(&mut self, at: usize, v: &Val) -> usize {
        if let Val::V128(x) = *v {
            self.cells[at] = x as u64;
            self.cells[at + 1] = (x >> 64) as u64;
            return 2;
        }
        let cell = val_to_cell(v, &mut self.roots, &self.cells);
        self.cells[at] = cell;
        1
    }

    /// Appends the values of types `types` in the cells from `at` (a v128 in two) to `out`.
    pub(crate) fn load_vals(&self, mut at: usize, types: &[ValType], out: &mut Vec<Val>) {
        for &t in types {
            if t == ValType::V128 {
                out.push(Val::V128(self.cells[at] as u128 | (self.cells[at + 1] as u128) << 64));
                at += 2;
            } else {
                out.push(cell_to_val(self.cells[at], t, &self.roots));
                at += 1;
            }
        }
    }
}

thread_local! {
    static STACK: Cell<Option<Box<Stack>>> = const { Cell::new(None) };
}

/// Runs `f` on the thread's stack while it is lent to a host call (`None` outside one).
pub(crate) fn with_lent_stack<R>(f: impl FnOnce(&Stack) -> R) -> Option<R> {
    let stack = STACK.with(|s| s.take())?;
    let r = f(&stack);
    STACK.with(|s| s.set(Some(stack)));
    Some(r)
}

/// Caps this thread's call depth at `depth` frames above the current ones (a limited
/// namespace's `maxStackDepth`); returns the previous cap for [`restore_depth`].
pub(crate) fn limit_depth(depth: usize) -> usize {
    with_stack(|s| {
        let old = s.max_frames;
        s.max_frames = old.min(s.frames.len().saturating_add(depth));
        old
    })
}

/// Puts back the depth cap [`limit_depth`] returned.
pub(crate) fn restore_depth(old: usize) {
    with_stack(|s| s.max_frames = old);
}

/// Runs `f` on the thread's stack (made if needed) while no invocation holds it.
fn with_stack<R>(f: impl FnOnce(&mut Stack) -> R) -> R {
    let mut stack = STACK.with(|s| s.take()).unwrap_or_else(new_stack);
    let r = f(&mut stack);
    STACK.with(|s| s.set(Some(stack)));
    r
}

/// The thread's stack, on its first use. (Out of line: the struct is built in the caller's
/// frame, which must stay small, see [`super::run_invocation`].)
#[cold]
#[inline(never)]
fn new_stack() -> Box<Stack> {
    Stack::boxed(Stack::new())
}

thread_local! {
    /// Every boxed stack of this thread (the thread's, and JSPI segments, running or
    /// suspended): their cells are roots of the GC heap.
    static LIVE_STACKS: std::cell::RefCell<Vec<*const Stack>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Stack {
    /// Boxes `stack` and registers it as a source of GC roots until it drops.
    pub(crate) fn boxed(stack: Stack) -> Box<Stack> {
        let b = Box::new(stack);
        LIVE_STACKS.with(|l| l.borrow_mut().push(&*b as *const Stack));
        b
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let me = self as *const Stack;
        let _ = LIVE_STACKS.try_with(|l| l.borrow_mut().retain(|&p| p != me));
    }
}

/// Calls `f` with every value cell of this thread's stacks other than `current` (the GC's
/// roots besides the running stack's own cells, which the caller passes itself).
pub(crate) fn for_each_other_cell(current: *const Stack, f: &mut dyn FnMut(u64)) {
    LIVE_STACKS.with(|l| {
        for &p in l.borrow().iter().filter(|&&p| p != current) {
            // SAFETY: a registered stack is alive (it deregisters when dropped) and is not the
            // running one, so no mutable reference to it is active while the handler runs.
            let cells = unsafe { &(*p).cells };
            cells.iter().for_each(|&c| f(c));
        }
    });
}

/// Whether any stack of this thread is in use: an invocation running (a host function may be
/// calling back out of it) or a suspended JSPI segment holding cells. While none is, no value
/// cell holds a reference, so the GC heap's roots are exactly the handles.
pub(crate) fn any_stack_in_use() -> bool {
    LIVE_STACKS.with(|l| {
        l.borrow().iter().any(|&p| {
            // SAFETY: a registered stack is alive (it deregisters when dropped); only two plain
            // integers are read, and no handler writes them while this (host-side) code runs.
            let s = unsafe { &*p };
            s.nesting > 0 || s.top > 0
        })
    })
}

/// One invocation's claim on the thread's stack. Dropping it (normally or while unwinding)
/// pops the invocation's frames and hands the stack back to the thread.
pub(crate) struct Session {
    stack: Option<Box<Stack>>,
    /// The invocation's first cell.
    pub(crate) base: usize,
    frames: usize,
}

impl Session {
    /// Starts an invocation; `StackOverflow` if too many are nested or the native stack is
    /// nearly exhausted.
    pub(crate) fn enter() -> Result<Session, Error> {
        let mut stack = STACK.with(|s| s.take()).unwrap_or_else(new_stack);
        if stack.nesting >= MAX_NESTING || !crate::native_stack::has_room() {
            STACK.with(|s| s.set(Some(stack)));
            return Err(TrapCode::StackOverflow.into());
        }
        if stack.nesting == 0 {
            stack.interrupt.set_running(true);
        }
        stack.nesting += 1;
        let (base, frames) = (stack.top, stack.frames.len());
        Ok(Session { stack: Some(stack), base, frames })
    }

    /// The stack (not while lent).
    pub(crate) fn stack(&mut self) -> &mut Stack {
        self.stack.as_deref_mut().expect("the stack is lent to a host call")
    }

    /// Lends the stack to the thread for the duration of a host call (see the module docs).
    pub(crate) fn lend(&mut self) {
        STACK.with(|s| s.set(self.stack.take()));
    }

    /// Takes the stack back after a host call.
    pub(crate) fn reclaim(&mut self) {
        self.stack = STACK.with(|s| s.take());
        assert!(self.stack.is_some(), "the engine stack was not returned by a nested invocation");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let Some(mut stack) = self.stack.take().or_else(|| STACK.with(|s| s.take())) else { return };
        stack.frames.truncate(self.frames);
        stack.top = self.base;
        stack.nesting -= 1;
        if stack.nesting == 0 {
            stack.interrupt.set_running(false);
            stack.roots.clear();
            stack.ctx_pool.truncate(RETAINED_CTXS);
            stack.host_calls.truncate(RETAINED_CTXS);
            if stack.cells.len() > RETAINED_CELLS {
                stack.cells.truncate(INITIAL_CELLS);
                stack.cells.shrink_to_fit();
                stack.frames.shrink_to(256);
            }
        }
        STACK.with(|s| s.set(Some(stack)));
    }
}

/// What the driver needs of a claim on a stack: the stack, and lending it to the thread for a
/// host call (see the module docs).
pub(crate) trait Lender {
    /// Whether host calls made through this claim may suspend it (a promising segment).
    const SUSPENDS: bool;
    /// The stack (not while lent).
    fn stack(&mut self) -> &mut Stack;
    /// Lends the stack to the thread for the duration of a host call.
    fn lend(&mut self);
    /// Takes the stack back after a host call.
    fn reclaim(&mut self);
}

impl Lender for Session {
    const SUSPENDS: bool = false;
    fn stack(&mut self) -> &mut Stack {
        Session::stack(self)
    }
    fn lend(&mut self) {
        Session::lend(self)
    }
    fn reclaim(&mut self) {
        Session::reclaim(self)
    }
}

/// A promising invocation's claim on its own stack (a segment, [`Stack::segment`]) while it
/// runs. The thread's stack slot is set aside meanwhile (host calls lend the segment there, so
/// invocations nested in them build their frames on the segment) and put back when the claim
/// ends, by [`SegmentSession::leave`] (suspension or return) or by dropping it (the segment is
/// then dropped too).
pub(crate) struct SegmentSession {
    stack: Option<Box<Stack>>,
    /// What the thread's slot held when the segment was entered.
    outer: Option<Box<Stack>>,
    /// Whether the thread was running wasm before (restored at the end).
    was_running: bool,
}

impl SegmentSession {
    /// Starts running `stack`; `StackOverflow` if the native stack is nearly exhausted.
    pub(crate) fn enter(stack: Box<Stack>) -> Result<SegmentSession, Error> {
        if !crate::native_stack::has_room() {
            return Err(TrapCode::StackOverflow.into());
        }
        let outer = STACK.with(|s| s.take());
        let was_running = stack.interrupt.is_running();
        stack.interrupt.set_running(true);
        Ok(SegmentSession { stack: Some(stack), outer, was_running })
    }

    /// Ends the claim (the segment suspends or is done), giving the segment back.
    pub(crate) fn leave(mut self) -> Box<Stack> {
        self.stack.take().expect("the segment is not lent")
    }
}

impl Lender for SegmentSession {
    const SUSPENDS: bool = true;
    fn stack(&mut self) -> &mut Stack {
        self.stack.as_deref_mut().expect("the segment is lent to a host call")
    }
    fn lend(&mut self) {
        STACK.with(|s| s.set(self.stack.take()));
    }
    fn reclaim(&mut self) {
        self.stack = STACK.with(|s| s.take());
        assert!(self.stack.is_some(), "the segment was not returned by a nested invocation");
    }
}

impl Drop for SegmentSession {
    fn drop(&mut self) {
        // Still lent (unwinding from a host call): the segment is in the slot.
        drop(STACK.with(|s| s.take()));
        thread_interrupt().set_running(self.was_running);
        STACK.with(|s| s.set(self.outer.take()));
    }
}

/// A hasher for pointer keys (multiplicative; pointers are already well spread).
#[derive(Default)]
pub(crate) struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        let h = v.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

/// Owned handles of the references currently in cells, keyed by their raw pointer.
///
/// A reference in a cell is a raw pointer that owns no count. Every reference entering a cell
/// from a source that could drop it (a table, a global, `ref.func`, a host result, an argument)
/// is first recorded here, so it stays alive until the outermost invocation returns; turning a
/// cell back into a [`Val`] looks the pointer up (which also recovers an `externref`'s type
/// information, which a thin pointer lacks).
///
/// So that a long-running invocation that keeps producing new references does not grow the
/// set without bound, it is compacted when it doubles: entries whose pointer no longer appears
/// in any cell are released (a conservative scan: a number that happens to equal a pointer
/// only keeps a value alive a little longer).
pub(crate) struct Roots {
    map: HashMap<u64, Val, BuildHasherDefault<PtrHasher>>,
    /// Functions of other instances entered through tables: their instances must outlive the
    /// frames running in them, which cells do not show, so these are never compacted.
    keep: HashMap<u64, FuncRef, BuildHasherDefault<PtrHasher>>,
    /// Compact when the set reaches this size.
    next_compaction: usize,
    /// The pointer rooted last (0: none): rooting it again needs no look-up (a trampoline
    /// reads the same table entry for each type it tests). Reset when entries are released.
    last: u64,
    /// The function kept last (0: none), likewise for [`Roots::keep`].
    last_kept: u64,
}

/// The smallest root-set size at which compaction is considered.
const MIN_COMPACTION: usize = 1024;

impl Default for Roots {
    fn default() -> Self {
        Roots {
            map: HashMap::default(),
            keep: HashMap::default(),
            next_compaction: MIN_COMPACTION,
            last: 0,
            last_kept: 0,
        }
    }
}

impl Roots {
    /// The cell for reference value `v` (0 for null), keeping `v` alive. `cells` are all
    /// value cells (scanned when the set is compacted).
    pub(crate) fn root(&mut self, v: &Val, cells: &[u64]) -> u64 {
        let raw = match v {
            Val::FuncRef(Some(f)) => func_ptr(f),
            Val::ExternRef(Some(e)) => match e.data().downcast_ref::<AnyRef>() {
                // An internal value made external by `extern.convert_any`: its own cell.
                Some(a) => return self.root_any(a, cells),
                None => e.as_raw() as u64,
            },
            Val::ExnRef(Some(e)) => e.as_raw() as u64,
            Val::AnyRef(Some(a)) => return self.root_any(a, cells),
            _ => return 0,
        };
        if raw == self.last {
            return raw;
        }
        if self.map.len() >= self.next_compaction {
            self.compact(cells);
        }
        self.map.entry(raw).or_insert_with(|| v.clone());
        self.last = raw;
        raw
    }

    /// The cell of a value of the internal hierarchy: an `i31` and an object are their cells
    /// (an object in a cell is kept alive by the collector's scan of the cells), a host value
    /// made internal is rooted as its `externref`.
    fn root_any(&mut self, a: &AnyRef, cells: &[u64]) -> u64 {
        match a {
            AnyRef::I31(v) => gc::GcRef::i31(*v).0,
            AnyRef::Object(o) => o.cell(),
            AnyRef::Extern(e) => self.root(&Val::ExternRef(Some(e.clone())), cells),
        }
    }

    /// Releases the roots no cell refers to any more.
    #[cold]
    fn compact(&mut self, cells: &[u64]) {
        let live: std::collections::HashSet<u64, BuildHasherDefault<PtrHasher>> =
            cells.iter().copied().filter(|c| self.map.contains_key(c)).collect();
        let released: Vec<Val> = self.map.extract_if(|k, _| !live.contains(k)).map(|(_, v)| v).collect();
        self.last = 0;
        self.next_compaction = (2 * self.map.len()).max(MIN_COMPACTION).max(cells.len() / 16);
        drop(released); // may run embedder code; the set is consistent by now
    }

    /// Keeps a function (and so its instance) alive until the outermost invocation returns.
    pub(crate) fn keep(&mut self, f: &FuncRef) {
        let raw = func_ptr(f);
        if raw != self.last_kept {
            self.keep.entry(raw).or_insert_with(|| f.clone());
            self.last_kept = raw;
        }
    }

    /// The reference value of type `ty` in a cell.
    pub(crate) fn get(&self, cell: u64, ty: RefType) -> Val {
        if cell == 0 {
            return Val::null(ty);
        }
        let internal = ty.heap_type().is_gc();
        let r = gc::GcRef(cell);
        if r.is_host() {
            let v = self.map.get(&cell).cloned().expect("a reference in a cell is always rooted");
            return match v {
                Val::ExternRef(Some(e)) if internal => Val::AnyRef(Some(AnyRef::Extern(e))),
                v => v,
            };
        }
        let a = match r.i31_get_s() {
            Some(v) => AnyRef::I31(v),
            None => {
                let ty = gc::with_heap(|h| h.type_of(r)).expect("an object of a defined type");
                AnyRef::Object(ObjectRef::new(cell, ty))
            }
        };
        if internal {
            Val::AnyRef(Some(a))
        } else {
            // An internal value made external (`extern.convert_any`).
            Val::ExternRef(Some(ExternRef::new(a)))
        }
    }

    /// The number of rooted references (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    fn clear(&mut self) {
        if !self.map.is_empty() {
            self.map.clear();
        }
        if !self.keep.is_empty() {
            self.keep.clear();
        }
        if self.map.capacity() > 4096 {
            self.map.shrink_to(64);
        }
        self.next_compaction = MIN_COMPACTION;
        self.last = 0;
        self.last_kept = 0;
    }
}

/// The raw pointer of a function reference, as stored in a cell.
pub(crate) fn func_ptr(f: &FuncRef) -> u64 {
    f.as_bits()
}

/// The cell for a value (references are rooted; `cells` as for [`Roots::root`]).
pub(crate) fn val_to_cell(v: &Val, roots: &mut Roots, cells: &[u64]) -> u64 {
    match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(b) => b as u64,
        Val::F64(b) => b,
        // A v128 takes two cells ([`Stack::store_val`]); one cell holds its low half.
        Val::V128(x) => x as u64,
        Val::FuncRef(_) | Val::ExternRef(_) | Val::ExnRef(_) | Val::AnyRef(_) => roots.root(v, cells),
    }
}

/// The value of type `ty` in a cell.
pub(crate) fn cell_to_val(cell: u64, ty: ValType, roots: &Roots) -> Val {
    match ty {
        ValType::I32 => Val::I32(cell as u32 as i32),
        ValType::I64 => Val::I64(cell as i64),
        ValType::F32 => Val::F32(cell as u32),
        ValType::F64 => Val::F64(cell),
        // A v128 takes two cells ([`Stack::load_vals`]); one cell holds its low half.
        ValType::V128 => Val::V128(cell as u128),
        ValType::Ref(r) => roots.get(cell, r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::ExternRef;

    #[test]
    fn roots_compact_to_what_cells_still_hold() {
        let mut roots = Roots::default();
        let values: Vec<Val> = (0..5000).map(|i| Val::ExternRef(Some(ExternRef::new(i)))).collect();
        let mut cells = vec![0u64; 64];
        for (i, v) in values.iter().enumerate() {
            // Only the last 64 values are still in cells.
            let c = roots.root(v, &cells);
            cells[i % 64] = c;
        }
        assert!(roots.len() < 2 * MIN_COMPACTION + 64, "{} roots", roots.len());
        for &c in &cells {
            let Val::ExternRef(Some(e)) = roots.get(c, RefType::ExternRef) else { panic!() };
            assert_eq!(e.as_raw() as u64, c);
        }
        assert_eq!(roots.get(0, RefType::FuncRef), Val::FuncRef(None));
        roots.clear();
        assert_eq!(roots.len(), 0);
    }

    #[test]
    fn the_last_root_is_rooted_again_once_released() {
        let mut roots = Roots::default();
        let v = Val::ExternRef(Some(ExternRef::new(1)));
        let c = roots.root(&v, &[]);
        assert_eq!(roots.root(&v, &[]), c);
        assert_eq!(roots.len(), 1);
        // No cell holds it: compaction releases it, and rooting it again records it again.
        roots.compact(&[]);
        assert_eq!(roots.len(), 0);
        assert_eq!(roots.root(&v, &[]), c);
        assert_eq!(roots.len(), 1);
        assert_eq!(roots.get(c, RefType::ExternRef), v);
        roots.clear();
        assert_eq!(roots.root(&v, &[]), c);
        assert_eq!(roots.len(), 1);
    }

    #[test]
    fn stack_reserve_limits() {
        let mut s = Stack::new();
        assert!(s.reserve(INITIAL_CELLS * 3).is_ok());
        assert!(s.cells.len() >= INITIAL_CELLS * 3);
        assert_eq!(s.reserve(MAX_CELLS + 1), Err(TrapCode::StackOverflow));
    }
}
