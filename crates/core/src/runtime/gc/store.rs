//! This thread's GC heap (the runtime is single-threaded: a thread's instances share one heap),
//! allocation with collection, and the root set.
//!
//! Roots: the interpreter's value cells, scanned conservatively (any cell whose bits name the
//! header of a live object keeps it: objects never move, so a number that happens to look like
//! a reference only keeps an object a little longer), and the objects held by [`ObjectRef`]
//! handles (globals, tables, element segments, exception payloads, host-held values all hold
//! handles). A collection cycle starts when an allocation finds the heap grown past twice what
//! the previous collection left (at least [`MIN_TRIGGER`]): it first lets the allocations that
//! follow finish the lazy sweep under way (a step each), then marks incrementally
//! ([`super::incremental`]: the roots greyed at the start, steps paid by allocation, the roots
//! greyed again and the rest drained when nothing is left to scan). When an allocation would
//! pass the heap's limit, the collection is finished (or done) at once; if the allocation still
//! does not fit, it fails with [`AllocError::HeapLimit`] (a trap). With incremental marking off
//! ([`set_incremental_marking`], or `JITLESS_GC_INCREMENTAL=0` in the environment), a
//! collection marks everything in one pause, as before.
//!
//! [`ObjectRef`]: crate::value::ObjectRef

use std::cell::RefCell;

use super::{AllocError, CollectStats, GcRef, Heap};
use crate::value::any_ref::for_each_handle_root;

/// A visitor of root cells: calls its argument with every cell that may hold a reference (the
/// interpreter's value cells), scanned conservatively.
pub type CellRoots<'a> = &'a dyn Fn(&mut dyn FnMut(u64));

/// The default limit of a thread's heap in bytes (1 GiB).
pub const DEFAULT_LIMIT: u64 = 1 << 30;
/// The heap size below which no collection is triggered by growth alone.
pub const MIN_TRIGGER: u64 = 4 << 20;

/// A thread's heap and its collection trigger.
struct ThreadHeap {
    heap: Heap,
    /// Collect when the used bytes reach this.
    trigger: u64,
    /// Collections run so far.
    collections: u64,
    /// Whether a collection marks incrementally.
    incremental: bool,
}

thread_local! {
    static HEAP: RefCell<ThreadHeap> = RefCell::new(ThreadHeap {
        heap: Heap::new(DEFAULT_LIMIT),
        trigger: MIN_TRIGGER,
        collections: 0,
        incremental: std::env::var_os("JITLESS_GC_INCREMENTAL").is_none_or(|v| v != "0"),
    });
}

/// This thread's heap as a handle read once: a thread-local look-up costs a call (or two) in
/// a shared library, so the interpreter's stacks keep one and the GC instructions use it.
#[derive(Debug, Clone, Copy)]
pub struct HeapHandle(*const RefCell<ThreadHeap>);

impl HeapHandle {
    /// The handle of this thread's heap.
    pub fn current() -> HeapHandle {
        HEAP.with(|h| HeapHandle(h))
    }

    /// Runs `f` on the heap (as [`with_heap`]).
    ///
    /// # Safety
    /// The handle was made on this thread (the heap is that thread's local, alive while the
    /// thread runs code that uses it).
    #[inline(always)]
    pub unsafe fn with<R>(self, f: impl FnOnce(&mut Heap) -> R) -> R {
        // SAFETY: guaranteed by the caller; the `RefCell` still checks re-entrance.
        unsafe { f(&mut (*self.0).borrow_mut().heap) }
    }

    /// [`alloc_with`] on the heap.
    ///
    /// # Safety
    /// As for [`HeapHandle::with`].
    #[inline]
    pub unsafe fn alloc_with(
        self,
        cells: Option<CellRoots<'_>>,
        alloc: impl Fn(&mut Heap) -> Result<GcRef, AllocError>,
    ) -> Result<GcRef, AllocError> {
        // SAFETY: guaranteed by the caller.
        unsafe { alloc_in(&mut (*self.0).borrow_mut(), cells, alloc) }
    }
}

/// Runs `f` on this thread's heap. `f` must not re-enter (no host code runs inside).
pub fn with_heap<R>(f: impl FnOnce(&mut Heap) -> R) -> R {
    HEAP.with(|h| f(&mut h.borrow_mut().heap))
}

/// [`with_heap`], or `None` when the heap is borrowed already (inside an allocation or a
/// collection on this thread).
pub(crate) fn try_with_heap<R>(f: impl FnOnce(&mut Heap) -> R) -> Option<R> {
    HEAP.with(|h| h.try_borrow_mut().ok().map(|mut h| f(&mut h.heap)))
}

/// Sets the limit of this thread's heap in bytes.
pub fn set_heap_limit(bytes: u64) {
    HEAP.with(|h| h.borrow_mut().heap.set_limit_bytes(bytes));
}

/// Turns incremental marking of this thread's heap on or off (on by default, unless the
/// environment has `JITLESS_GC_INCREMENTAL=0`); a cycle under way is finished at the next
/// allocation that may collect. Returns the previous setting.
pub fn set_incremental_marking(on: bool) -> bool {
    HEAP.with(|h| std::mem::replace(&mut h.borrow_mut().incremental, on))
}

/// Whether an incremental marking cycle of this thread's heap is under way.
pub fn marking() -> bool {
    HEAP.with(|h| h.borrow().heap.is_marking())
}

/// The number of collections this thread's heap has run.
pub fn collections() -> u64 {
    HEAP.with(|h| h.borrow().collections)
}

/// Collects this thread's heap now, with the cells `cells` visits (scanned conservatively) and
/// the handles as roots.
pub fn collect_now(cells: CellRoots<'_>) -> CollectStats {
    HEAP.with(|h| collect(&mut h.borrow_mut(), cells))
}

/// Allocates with `alloc`, collecting first (with `cells`, the interpreter's value cells, and
/// the handles as roots) when the heap has grown past its trigger, and again when the
/// allocation would pass the limit. Without `cells` (outside the interpreter) nothing is
/// collected.
pub fn alloc_with(
    cells: Option<CellRoots<'_>>,
    alloc: impl Fn(&mut Heap) -> Result<GcRef, AllocError>,
) -> Result<GcRef, AllocError> {
    HEAP.with(|h| alloc_in(&mut h.borrow_mut(), cells, alloc))
}

/// [`alloc_with`] on heap `h`.
#[inline]
fn alloc_in(
    h: &mut ThreadHeap,
    cells: Option<CellRoots<'_>>,
    alloc: impl Fn(&mut Heap) -> Result<GcRef, AllocError>,
) -> Result<GcRef, AllocError> {
    let Some(cells) = cells else { return alloc(&mut h.heap) };
    if h.heap.used_bytes() >= h.trigger {
        pace(h, cells);
    }
    match alloc(&mut h.heap) {
        Err(AllocError::HeapLimit { .. }) => {
            collect(h, cells);
            alloc(&mut h.heap)
        }
        r => r,
    }
}

/// At or past the trigger (0 while marking): the next step of a collection cycle of `h` (see
/// the module's documentation), or a whole collection when marking is not incremental.
#[cold]
#[inline(never)]
fn pace(h: &mut ThreadHeap, cells: CellRoots<'_>) {
    if !h.incremental || h.heap.marking_drained() {
        collect(h, cells);
    } else if !h.heap.is_marking() && !h.heap.advance_sweep() {
        h.heap.start_marking(roots(cells));
        h.trigger = 0;
    }
}

/// One collection of `h` (finishing the marking cycle under way, if any).
fn collect(h: &mut ThreadHeap, cells: CellRoots<'_>) -> CollectStats {
    let stats = h.heap.collect_marking(roots(cells));
    h.trigger = (2 * h.heap.used_bytes()).max(MIN_TRIGGER);
    h.collections += 1;
    stats
}

/// The roots: the handles' objects and the cells `cells` visits that may name objects.
fn roots(cells: CellRoots<'_>) -> Vec<GcRef> {
    let mut roots = Vec::new();
    for_each_handle_root(|c| roots.push(GcRef(c)));
    // Only cells that may be objects: the rest cannot keep anything alive.
    cells(&mut |c| {
        if GcRef(c).addr().is_some() {
            roots.push(GcRef(c))
        }
    });
    roots
}
