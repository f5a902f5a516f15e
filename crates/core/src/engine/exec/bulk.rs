//! Out-of-line handlers: bulk memory, table and element-segment operations. None of them is on
//! the hot path of ordinary code, so they stay out of the dispatch loop.

use std::ptr;
use std::rc::Rc;

use super::ctx::Ctx;
use super::stack::Roots;
use crate::engine::ir::Slot;
use crate::engine::store::{Error, Table, Val};
use crate::error::TrapCode;

/// Reads the three i32 operands in `args..args + 3`.
///
/// # Safety
/// `fp + args + 3` must lie within the current frame.
#[inline]
unsafe fn args3(fp: *mut u64, args: Slot) -> (u32, u32, u32) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let p = fp.add(args as usize);
        (*p as u32, *p.add(1) as u32, *p.add(2) as u32)
    }
}

/// Checks `start..start + len` against `bound`.
#[inline]
fn in_bounds(start: u32, len: u32, bound: usize) -> bool {
    start as u64 + len as u64 <= bound as u64
}

/// The table `index` of the current instance.
///
/// # Safety
/// `cx` must describe a live instance and `index` be a valid table index (validated).
unsafe fn table(cx: &Ctx, index: u32) -> &Table {
    // SAFETY: guaranteed by the caller.
    unsafe { &*cx.tables.add(index as usize) }
}

/// Bulk operations write at most this many bytes between two checks of the interrupt word
/// (so that one `memory.fill` of gigabytes stops promptly when interrupted).
const CHUNK_BYTES: usize = 1 << 20;
/// The same for table elements.
const CHUNK_ELEMS: u32 = 1 << 14;

/// Traps with `Interrupted` if a pending interrupt stops execution.
///
/// # Safety
/// `cx` must be attached to the running stack.
#[inline]
unsafe fn check(cx: &Ctx) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller.
    if unsafe { cx.interrupt_pending() && cx.take_stop() } {
        return Err(TrapCode::Interrupted);
    }
    Ok(())
}

/// Runs `step(at, len)` over `0..n` in pieces of at most `chunk` (the last pieces first when
/// `backwards`), stopping at the first error.
fn chunks<E>(
    n: usize,
    chunk: usize,
    backwards: bool,
    mut step: impl FnMut(usize, usize) -> Result<(), E>,
) -> Result<(), E> {
    if backwards {
        let mut end = n;
        while end > 0 {
            let at = end.saturating_sub(chunk);
            step(at, end - at)?;
            end = at;
        }
    } else {
        let mut at = 0;
        while at < n {
            let len = chunk.min(n - at);
            step(at, len)?;
            at += len;
        }
    }
    Ok(())
}

/// `memmove` of `n` bytes from `src` to `dst` (both checked by the caller), in chunks with an
/// interrupt check between them (see [`CHUNK_BYTES`]).
///
/// # Safety
/// Both ranges must be valid for `n` bytes; `cx` attached to the running stack.
pub(crate) unsafe fn copy_bytes(cx: &Ctx, src: *const u8, dst: *mut u8, n: usize) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; each chunk lies within the ranges, and chunks are taken
    // in the order that keeps an overlapping copy correct (as memmove).
    unsafe {
        if n <= CHUNK_BYTES {
            ptr::copy(src, dst, n);
            return Ok(());
        }
        chunks(n, CHUNK_BYTES, dst as usize > src as usize, |at, len| {
            check(cx)?;
            ptr::copy(src.add(at), dst.add(at), len);
            Ok(())
        })
    }
}

/// `memset` of `n` bytes at `dst` (checked by the caller), in chunks as [`copy_bytes`].
///
/// # Safety
/// `dst` must be valid for `n` bytes; `cx` attached to the running stack.
pub(crate) unsafe fn fill_bytes(cx: &Ctx, dst: *mut u8, value: u8, n: usize) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; each chunk lies within the range.
    unsafe {
        if n <= CHUNK_BYTES {
            ptr::write_bytes(dst, value, n);
            return Ok(());
        }
        chunks(n, CHUNK_BYTES, false, |at, len| {
            check(cx)?;
            ptr::write_bytes(dst.add(at), value, len);
            Ok(())
        })
    }
}

/// `memory.copy` with operands (dst, src, len) in `args..`.
///
/// # Safety
/// `cx` must describe the running instance with fresh memory bounds; `args` within the frame.
pub(crate) unsafe fn memory_copy(cx: &Ctx, fp: *mut u64, args: Slot) -> Result<(), TrapCode> {
    // SAFETY: see the function's contract; the ranges are checked against the memory's length.
    unsafe {
        let (d, s, n) = args3(fp, args);
        if !in_bounds(s, n, cx.mem_len) || !in_bounds(d, n, cx.mem_len) {
            return Err(TrapCode::MemOutOfBounds);
        }
        copy_bytes(cx, cx.mem_base.add(s as usize), cx.mem_base.add(d as usize), n as usize)
    }
}

/// `memory.fill` with operands (dst, value, len) in `args..`.
///
/// # Safety
/// As for [`memory_copy`].
pub(crate) unsafe fn memory_fill(cx: &Ctx, fp: *mut u64, args: Slot) -> Result<(), TrapCode> {
    // SAFETY: see the function's contract; the range is checked against the memory's length.
    unsafe {
        let (d, v, n) = args3(fp, args);
        if !in_bounds(d, n, cx.mem_len) {
            return Err(TrapCode::MemOutOfBounds);
        }
        fill_bytes(cx, cx.mem_base.add(d as usize), v as u8, n as usize)
    }
}

/// `memory.init` of data segment `seg` with operands (dst, src, len) in `args..`.
///
/// # Safety
/// As for [`memory_copy`]; `seg` must be a valid data segment index (validated).
pub(crate) unsafe fn memory_init(cx: &Ctx, fp: *mut u64, seg: u32, args: Slot) -> Result<(), TrapCode> {
    // SAFETY: see the function's contract; both ranges are checked before copying.
    unsafe {
        let (d, s, n) = args3(fp, args);
        let inner = &*cx.inner;
        let bytes: &[u8] = inner.data_segment(seg);
        if !in_bounds(s, n, bytes.len()) || !in_bounds(d, n, cx.mem_len) {
            return Err(TrapCode::MemOutOfBounds);
        }
        copy_bytes(cx, bytes.as_ptr().add(s as usize), cx.mem_base.add(d as usize), n as usize)
    }
}

/// `data.drop`.
///
/// # Safety
/// `cx` must describe a live instance; `seg` a valid data segment index.
pub(crate) unsafe fn data_drop(cx: &Ctx, seg: u32) {
    // SAFETY: guaranteed by the caller.
    unsafe { (&*cx.inner).data_dropped[seg as usize].set(true) }
}

/// `table.get`: the cell for element `index` (rooted; `cells` as for [`Roots::root`]).
///
/// # Safety
/// `cx` must describe a live instance; `table` a valid table index.
pub(crate) unsafe fn table_get(
    cx: &Ctx,
    roots: &mut Roots,
    cells: &[u64],
    table_index: u32,
    index: u32,
) -> Result<u64, TrapCode> {
    // SAFETY: guaranteed by the caller. No `RefCell` borrow of the elements is active while
    // wasm runs (the table API only borrows inside its own methods, and no host code runs
    // here), so reading through the cell's pointer cannot alias a mutable borrow.
    unsafe {
        let t = table(cx, table_index);
        let elems = &*t.elements_ptr();
        match elems.get(index as usize) {
            Some(v) => Ok(roots.root(v, cells)),
            None => Err(TrapCode::TableOutOfBounds),
        }
    }
}

/// `table.set`.
///
/// # Safety
/// As for [`table_get`]; `cell` must hold a reference of the table's element type.
pub(crate) unsafe fn table_set(cx: &Ctx, roots: &Roots, table_index: u32, index: u32, cell: u64) -> Result<(), Error> {
    // SAFETY: guaranteed by the caller.
    let t = unsafe { table(cx, table_index) };
    t.set(index, roots.get(cell, t.ty().element))
}

/// `table.size`.
///
/// # Safety
/// As for [`table_get`].
pub(crate) unsafe fn table_size(cx: &Ctx, table_index: u32) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe { table(cx, table_index) }.size()
}

/// `table.grow` with operands (init, delta) in `args..`: the old size, or -1.
///
/// # Safety
/// As for [`table_get`]; `args` within the frame.
pub(crate) unsafe fn table_grow(cx: &Ctx, roots: &Roots, table_index: u32, fp: *mut u64, args: Slot) -> u32 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = table(cx, table_index);
        let p = fp.add(args as usize);
        let (init, delta) = (*p, *p.add(1) as u32);
        t.grow(delta, roots.get(init, t.ty().element)).unwrap_or(u32::MAX)
    }
}

/// `table.fill` with operands (start, value, len) in `args..`.
///
/// # Safety
/// As for [`table_grow`].
pub(crate) unsafe fn table_fill(
    cx: &Ctx,
    roots: &Roots,
    table_index: u32,
    fp: *mut u64,
    args: Slot,
) -> Result<(), Error> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = table(cx, table_index);
        let p = fp.add(args as usize);
        let (start, value, len) = (*p as u32, *p.add(1), *p.add(2) as u32);
        let value = roots.get(value, t.ty().element);
        if len <= CHUNK_ELEMS {
            return t.fill(start, value, len);
        }
        if !in_bounds(start, len, t.size() as usize) {
            return Err(TrapCode::TableOutOfBounds.into());
        }
        chunks(len as usize, CHUNK_ELEMS as usize, false, |at, n| {
            check(cx)?;
            t.fill(start + at as u32, value.clone(), n as u32)
        })
    }
}

/// `table.copy` with operands (dst, src, len) in `args..`.
///
/// # Safety
/// As for [`table_grow`].
pub(crate) unsafe fn table_copy(
    cx: &Ctx,
    dst_table: u32,
    src_table: u32,
    fp: *mut u64,
    args: Slot,
) -> Result<(), Error> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let (d, s, n) = args3(fp, args);
        let (dt, st) = (table(cx, dst_table), table(cx, src_table));
        if n <= CHUNK_ELEMS {
            return dt.copy(d, st, s, n);
        }
        if !in_bounds(s, n, st.size() as usize) || !in_bounds(d, n, dt.size() as usize) {
            return Err(TrapCode::TableOutOfBounds.into());
        }
        // As memmove: from the end when the destination lies above an overlapping source.
        let backwards = Table::ptr_eq(dt, st) && d > s;
        chunks(n as usize, CHUNK_ELEMS as usize, backwards, |at, len| {
            check(cx)?;
            dt.copy(d + at as u32, st, s + at as u32, len as u32)
        })
    }
}

/// `table.init` from element segment `elem` with operands (dst, src, len) in `args..`.
///
/// # Safety
/// As for [`table_grow`]; `elem` a valid element segment index.
pub(crate) unsafe fn table_init(cx: &Ctx, table_index: u32, elem: u32, fp: *mut u64, args: Slot) -> Result<(), Error> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let (d, s, n) = args3(fp, args);
        let seg: Rc<[Val]> = (*cx.inner).elems.borrow()[elem as usize].clone();
        let t = table(cx, table_index);
        // V8's order and messages: the table range first, then the segment's.
        if !in_bounds(d, n, t.size() as usize) {
            return Err(TrapCode::TableOutOfBounds.into());
        }
        if !in_bounds(s, n, seg.len()) {
            return Err(TrapCode::ElemSegmentOutOfBounds.into());
        }
        if n <= CHUNK_ELEMS {
            return t.write_slice(d, seg[s as usize..(s + n) as usize].to_vec());
        }
        chunks(n as usize, CHUNK_ELEMS as usize, false, |at, len| {
            check(cx)?;
            let from = s as usize + at;
            t.write_slice(d + at as u32, seg[from..from + len].to_vec())
        })
    }
}

/// `elem.drop`.
///
/// # Safety
/// `cx` must describe a live instance; `elem` a valid element segment index.
pub(crate) unsafe fn elem_drop(cx: &Ctx, elem: u32) {
    // SAFETY: guaranteed by the caller.
    let inner = unsafe { &*cx.inner };
    let old = std::mem::replace(&mut inner.elem_segments().borrow_mut()[elem as usize], Rc::from(Vec::new()));
    drop(old); // outside the borrow: dropping host references may run embedder code
}
