//! The handler of the generic GC instruction ([`Instr::Gc`](crate::engine::ir::Instr::Gc)):
//! one handler that calls [`run`] out of line, which does the operation on this thread's GC
//! heap (`runtime/gc`) through the stack's heap handle (the hottest GC instructions have their
//! own handlers: [`super::gc_fast`]). Allocation may collect: the roots are every value cell of the thread's
//! stack (scanned conservatively) and the handles ([`crate::value::ObjectRef`]).

use super::trap_at;
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::exec::stack::{for_each_other_cell, Roots, Stack};
use crate::engine::ir::gc::{heap_of_bits, slot_of_bits, GcOp, CAST_DEPTH_SHIFT, CAST_NULLABLE};
use crate::engine::ir::Slot;
use crate::engine::store::gc::{self, AllocError, GcRef, Heap, ShapeId, SlotKind};
use crate::engine::store::FuncInst;
use crate::error::TrapCode;
use crate::module::Profile;
use crate::types::{FuncTypeId, HeapType, RefType, TypeKind};

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
    Gc [0] { dst, args, op, a, b } => {
        match run(cx, fp, dst, args, op, a, b) {
            Ok(()) => dispatch!(ip.add(1), fp, mem, len, cx, acc, facc),
            Err(code) => trap_at(ip, cx, code),
        }
    }
}

/// The profile of the running instance's module (V8's array length limit differs per line).
///
/// # Safety
/// `cx` must describe a live instance.
unsafe fn profile_of(cx: &Ctx) -> Profile {
    // SAFETY: guaranteed by the caller; the instance keeps its module.
    unsafe {
        let m = &(*cx.inner).module.0;
        m.profile
    }
}

/// The trap of a failed allocation.
fn alloc_trap(e: AllocError) -> TrapCode {
    match e {
        AllocError::HeapLimit { .. } => TrapCode::HeapLimit,
        AllocError::TooLarge | AllocError::ShapeKind => TrapCode::ArrayTooLarge,
    }
}

/// The shape of canonical struct or array type bits `ty`.
fn shape(h: &mut Heap, ty: u32) -> ShapeId {
    h.shape_for(FuncTypeId::from_bits(ty)).expect("a struct or array type")
}

/// Whether `[start, start + n)` lies within `len`.
fn in_bounds(start: u32, n: u32, len: usize) -> bool {
    u64::from(start) + u64::from(n) <= len as u64
}

/// Does GC operation `op` (see [`GcOp`] for the operands and immediates).
///
/// # Safety
/// `fp` is the running frame; `args..` and `dst..` are slots of it holding the operands the
/// translation placed there (validated types); `cx` is attached.
#[inline(never)]
unsafe fn run(cx: &mut Ctx, fp: *mut u64, dst: Slot, args: Slot, op: GcOp, a: u32, b: u32) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; the stack outlives the handler and nothing else uses
    // it while the handler runs.
    unsafe {
        let arg = |i: usize| *fp.add(args as usize + i);
        let out = |i: usize, v: u64| *fp.add(dst as usize + i) = v;
        let current = cx.stack as *const Stack;
        let stack = &mut *cx.stack;
        let heap = stack.gc_heap;
        let (roots, cells) = (&mut stack.roots, &stack.cells[..]);
        // The GC roots in cells: this stack's and every other stack's of the thread.
        let scan = |f: &mut dyn FnMut(u64)| {
            cells.iter().for_each(|&c| f(c));
            for_each_other_cell(current, f);
        };
        let obj = |i: usize, null: TrapCode| -> Result<GcRef, TrapCode> {
            let r = GcRef(arg(i));
            if r.is_null() {
                Err(null)
            } else {
                Ok(r)
            }
        };
        match op {
            GcOp::StructNew | GcOp::StructNewDefault => {
                let roots = &*roots;
                // One heap borrow: the allocation and the fields' values (a failed allocation
                // wrote nothing, so a retry after a collection starts afresh).
                let r = heap
                    .alloc_with(Some(&scan), |h| {
                        let s = shape(h, a);
                        let r = h.alloc_struct(s)?;
                        if op == GcOp::StructNew {
                            let fields = match h.shape(s) {
                                gc::Shape::Struct(l) => l.fields.len(),
                                gc::Shape::Array(_) => 0,
                            };
                            let mut at = 0;
                            for field in 0..fields {
                                let f = match h.shape(s) {
                                    gc::Shape::Struct(l) => l.fields[field],
                                    gc::Shape::Array(_) => unreachable!("a struct's shape"),
                                };
                                let v = hold_in(h, roots, f.kind, read_value(&arg, &mut at, f.size));
                                h.field_set(r, f.offset, f.size, f.kind, v);
                            }
                        }
                        Ok(r)
                    })
                    .map_err(alloc_trap)?;
                out(0, r.0);
            }
            GcOp::StructGet | GcOp::StructGetS | GcOp::StructGetU => {
                let r = obj(0, TrapCode::NullDereference)?;
                let (offset, size, kind) = slot_of_bits(b);
                let v = heap.with(|h| h.field_get(r, offset, size));
                write_value(roots, cells, &out, op == GcOp::StructGetS, v, size, kind);
            }
            GcOp::StructSet => {
                let r = obj(0, TrapCode::NullDereference)?;
                let (offset, size, kind) = slot_of_bits(b);
                let mut at = 1;
                let v = read_value(&arg, &mut at, size);
                heap.with(|h| {
                    let v = hold_in(h, roots, kind, v);
                    h.field_set(r, offset, size, kind, v)
                });
            }
            GcOp::ArrayNew | GcOp::ArrayNewDefault | GcOp::ArrayNewFixed => {
                let (size, kind) = heap.with(|h| {
                    let s = shape(h, a);
                    array_slot(h, s)
                });
                let cells_per = if size == 16 { 2 } else { 1 };
                let n = match op {
                    GcOp::ArrayNew => arg(cells_per) as u32,
                    GcOp::ArrayNewDefault => arg(0) as u32,
                    _ => b,
                };
                let r = new_array(heap, &scan, a, n, profile_of(cx))?;
                heap.with(|h| match op {
                    GcOp::ArrayNew => {
                        let v = hold_in(h, roots, kind, read_value(&arg, &mut 0, size));
                        h.array_fill(r, 0, n, size, kind, v);
                    }
                    GcOp::ArrayNewFixed => {
                        for i in 0..n {
                            let v = hold_in(h, roots, kind, read_value(&arg, &mut (i as usize * cells_per), size));
                            h.element_set(r, i, size, kind, v);
                        }
                    }
                    _ => {}
                });
                out(0, r.0);
            }
            GcOp::ArrayNewData | GcOp::ArrayInitData => {
                let inner = &*cx.inner;
                let bytes = inner.data_segment(b);
                let (size, _) = heap.with(|h| {
                    let s = shape(h, a);
                    array_slot(h, s)
                });
                let fits = |offset, n| in_bounds_bytes(offset, n, size, bytes.len());
                let profile = profile_of(cx);
                let init = op == GcOp::ArrayInitData;
                let segment_trap = TrapCode::DataSegmentRangeOutOfBounds;
                let (r, at, offset, n) =
                    segment_target(&arg, init, fits, segment_trap, profile.max_array_len(size), |n| {
                        new_array(heap, &scan, a, n, profile)
                    })?;
                let from = offset as usize..offset as usize + n as usize * size as usize;
                heap.with(|h| h.array_write_bytes(r, at, size, &bytes[from]));
                if op == GcOp::ArrayNewData {
                    out(0, r.0);
                }
            }
            GcOp::ArrayNewElem | GcOp::ArrayInitElem => {
                let seg = (*cx.inner).elems.borrow()[b as usize].clone();
                let fits = |offset, n| in_bounds(offset, n, seg.len());
                let profile = profile_of(cx);
                let init = op == GcOp::ArrayInitElem;
                // References are 8 bytes in V8's arrays (Node's V8: no pointer compression).
                let segment_trap = TrapCode::ElemSegmentOutOfBounds;
                let (r, at, offset, n) =
                    segment_target(&arg, init, fits, segment_trap, profile.max_array_len(8), |n| {
                        new_array(heap, &scan, a, n, profile)
                    })?;
                for i in 0..n {
                    let v = &seg[(offset + i) as usize];
                    let c = roots.root(v, cells);
                    heap.with(|h| {
                        let c = hold_in(h, roots, SlotKind::HostRef, u128::from(c));
                        h.element_set(r, at + i, 8, SlotKind::HostRef, c)
                    });
                }
                if op == GcOp::ArrayNewElem {
                    out(0, r.0);
                }
            }
            GcOp::ArrayGet | GcOp::ArrayGetS | GcOp::ArrayGetU => {
                let r = obj(0, TrapCode::NullDereference)?;
                let i = arg(1) as u32;
                let (_, size, kind) = slot_of_bits(b);
                let v = heap.with(|h| h.element_get(r, i, size)).ok_or(TrapCode::ArrayOutOfBounds)?;
                write_value(roots, cells, &out, op == GcOp::ArrayGetS, v, size, kind);
            }
            GcOp::ArraySet => {
                let r = obj(0, TrapCode::NullDereference)?;
                let i = arg(1) as u32;
                let (_, size, kind) = slot_of_bits(b);
                let v = read_value(&arg, &mut 2, size);
                heap.with(|h| {
                    // In bounds before the value is held (a trap stores nothing).
                    if i >= h.array_len(r) {
                        return None;
                    }
                    let v = hold_in(h, roots, kind, v);
                    h.element_set(r, i, size, kind, v)
                })
                .ok_or(TrapCode::ArrayOutOfBounds)?;
            }
            GcOp::ArrayFill => {
                let r = obj(0, TrapCode::NullDereference)?;
                let (_, size, kind) = slot_of_bits(b);
                let at = arg(1) as u32;
                let mut k = 2;
                let v = read_value(&arg, &mut k, size);
                let n = arg(k) as u32;
                heap.with(|h| {
                    if !in_bounds(at, n, h.array_len(r) as usize) {
                        return None;
                    }
                    let v = hold_in(h, roots, kind, v);
                    h.array_fill(r, at, n, size, kind, v)
                })
                .ok_or(TrapCode::ArrayOutOfBounds)?;
            }
            GcOp::ArrayCopy => {
                let d = obj(0, TrapCode::NullDereference)?;
                let s = obj(2, TrapCode::NullDereference)?;
                let (dat, sat, n) = (arg(1) as u32, arg(3) as u32, arg(4) as u32);
                heap.with(|h| {
                    let size = array_slot(h, h.shape_of(d)).0;
                    h.array_copy(d, dat, s, sat, n, size)
                })
                .ok_or(TrapCode::ArrayOutOfBounds)?;
            }
            GcOp::RefI31 => out(0, GcRef::i31(arg(0) as u32 as i32).0),
            GcOp::I31GetS | GcOp::I31GetU => {
                let r = obj(0, TrapCode::NullDereference)?;
                let v = if op == GcOp::I31GetS { r.i31_get_s() } else { r.i31_get_u() };
                out(0, u64::from(v.unwrap_or(0) as u32));
            }
        }
        Ok(())
    }
}

/// The target of `array.new_data`/`array.new_elem` (a new array from `new`, operands: segment
/// offset, count) or of `array.init_data`/`array.init_elem` (`init`; operands: array, first
/// element, segment offset, count): (array, first element, segment offset, count), after the
/// bounds checks (`fits` for the segment's range, else `segment_trap`). As V8, a new array's
/// length is checked against `max_len` (too large) before the segment's range.
fn segment_target(
    arg: &impl Fn(usize) -> u64,
    init: bool,
    fits: impl Fn(u32, u32) -> bool,
    segment_trap: TrapCode,
    max_len: u32,
    new: impl FnOnce(u32) -> Result<GcRef, TrapCode>,
) -> Result<(GcRef, u32, u32, u32), TrapCode> {
    if !init {
        let (offset, n) = (arg(0) as u32, arg(1) as u32);
        if n > max_len {
            return Err(TrapCode::ArrayTooLarge);
        }
        if !fits(offset, n) {
            return Err(segment_trap);
        }
        return Ok((new(n)?, 0, offset, n));
    }
    let r = GcRef(arg(0));
    if r.is_null() {
        return Err(TrapCode::NullDereference);
    }
    let (at, offset, n) = (arg(1) as u32, arg(2) as u32, arg(3) as u32);
    if !in_bounds(at, n, gc::with_heap(|h| h.array_len(r)) as usize) {
        return Err(TrapCode::ArrayOutOfBounds);
    }
    if !fits(offset, n) {
        return Err(segment_trap);
    }
    Ok((r, at, offset, n))
}

/// Whether `start..start + n` elements of `size` bytes lie within `len` bytes.
fn in_bounds_bytes(start: u32, n: u32, size: u32, len: usize) -> bool {
    u64::from(start) + u64::from(n) * u64::from(size) <= len as u64
}

/// Allocates an array of canonical type bits `ty` and length `n`; more elements than the V8 of
/// `profile` allows is [`AllocError::TooLarge`].
///
/// # Safety
/// `heap` is this thread's.
unsafe fn new_array(
    heap: gc::HeapHandle,
    scan: gc::CellRoots<'_>,
    ty: u32,
    n: u32,
    profile: Profile,
) -> Result<GcRef, TrapCode> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        heap.alloc_with(Some(scan), |h| {
            let s = shape(h, ty);
            match h.shape(s) {
                gc::Shape::Array(a) if n > profile.max_array_len(a.element_size) => Err(AllocError::TooLarge),
                _ => h.alloc_array(s, n),
            }
        })
    }
    .map_err(alloc_trap)
}

/// The (size, kind) of the elements of array shape `s`.
fn array_slot(h: &Heap, s: ShapeId) -> (u32, SlotKind) {
    match h.shape(s) {
        gc::Shape::Array(a) => (a.element_size, a.kind),
        gc::Shape::Struct(_) => (8, SlotKind::Bytes),
    }
}

/// Reads a value of `size` bytes from the operand cells at `*at` (two cells for a v128),
/// advancing `at`.
fn read_value(arg: &impl Fn(usize) -> u64, at: &mut usize, size: u32) -> u128 {
    let v = if size == 16 { u128::from(arg(*at)) | (u128::from(arg(*at + 1)) << 64) } else { u128::from(arg(*at)) };
    *at += if size == 16 { 2 } else { 1 };
    v
}

/// A reference `v` about to be stored in an object of heap `h`: a host value's address is
/// recorded in the heap's host table so the value lives as long as the object holds it.
#[inline]
pub(super) fn hold_in(h: &mut Heap, roots: &Roots, kind: SlotKind, v: u128) -> u128 {
    let r = GcRef(v as u64);
    if kind != SlotKind::Bytes && r.is_host() {
        // A host cell's value comes from the roots' map (no heap access).
        h.hold_host(r.0, &roots.get(r.0, RefType::FuncRef));
    }
    v
}

/// Writes value `v` (read from an object: `size` bytes, zero-extended) to the result cells;
/// a packed value sign-extended when `signed`; a host reference rooted in the cells' roots.
fn write_value(
    roots: &mut Roots,
    cells: &[u64],
    out: &impl Fn(usize, u64),
    signed: bool,
    v: u128,
    size: u32,
    kind: SlotKind,
) {
    match size {
        16 => {
            out(0, v as u64);
            out(1, (v >> 64) as u64);
        }
        1 | 2 if signed => out(0, u64::from(gc::heap::sign_extend(v, size) as u32)),
        _ => {
            let c = v as u64;
            if kind != SlotKind::Bytes && GcRef(c).is_host() {
                let val = gc::with_heap(|h| h.host_value(c).cloned()).expect("a host value an object holds");
                roots.root(&val, cells);
            }
            out(0, c);
        }
    }
}

/// Whether the reference in `cell` is a value of the cast target heap type bits `a`
/// ([`heap_of_bits`]) with flags `b` (nullable, and the target's depth for a concrete one).
/// An object is tested without the type registry: against a concrete type through its
/// shape's supertype chain at the target's depth.
///
/// A function is tested through its type's cached canonical id and display (no registry lock,
/// no look-up of the cell's root).
///
/// # Safety
/// `heap` is this thread's; `cell` holds a rooted reference of the target's hierarchy.
/// Not inlined: its slow path's frame would keep the handlers that call it from tail-calling
/// the next one (the stack would grow with every test).
#[inline(never)]
pub(super) unsafe fn cell_matches(gc_heap: gc::HeapHandle, cell: u64, a: u32, b: u32) -> bool {
    let r = GcRef(cell);
    if r.is_null() {
        return b & CAST_NULLABLE != 0;
    }
    let heap = heap_of_bits(a);
    // An object in the internal hierarchy (one made external is tested by the slow path).
    if r.addr().is_some() && heap.top() == HeapType::Any {
        match heap {
            HeapType::Concrete(e) => {
                // SAFETY: guaranteed by the caller.
                return unsafe { gc_heap.with(|h| h.is_of_type(r, e, (b >> CAST_DEPTH_SHIFT) as usize)) };
            }
            HeapType::Any | HeapType::Eq => return true,
            HeapType::Struct | HeapType::Array => {
                // SAFETY: guaranteed by the caller.
                let kind = unsafe { gc_heap.with(|h| h.type_of(r)) }.map(|t| t.kind());
                return matches!(
                    (kind, heap),
                    (Some(TypeKind::Struct), HeapType::Struct) | (Some(TypeKind::Array), HeapType::Array)
                );
            }
            _ => return false,
        }
    }
    // SAFETY: guaranteed by the caller.
    unsafe { cell_matches_slow(r, heap) }
}

/// [`cell_matches`] of a non-null cell that is not an object (an `i31`, a host value).
///
/// # Safety
/// As for [`cell_matches`].
unsafe fn cell_matches_slow(r: GcRef, heap: HeapType) -> bool {
    let actual = match heap.top() {
        HeapType::Any => {
            if r.is_i31() {
                HeapType::I31
            } else if let Some(ty) = r.addr().and_then(|_| gc::with_heap(|h| h.type_of(r))) {
                HeapType::Concrete(ty)
            } else {
                // A host value made internal: only `any` holds it.
                HeapType::Any
            }
        }
        HeapType::Func => {
            // SAFETY: a non-null cell of the function hierarchy is the `FuncInst` address of a
            // rooted `FuncRef` (`FuncRef::as_bits`), alive while the cell is (guaranteed by
            // the caller).
            let f = unsafe { &*(r.0 as *const FuncInst) };
            let (FuncInst::Wasm { ty, .. } | FuncInst::Host { ty, .. }) = f;
            return match heap {
                HeapType::Concrete(expected) => ty.is_subtype_of_id(expected),
                // `func` holds every function, `nofunc` none.
                other => HeapType::Func.matches(&other),
            };
        }
        top => top,
    };
    actual.matches(&heap)
}

/// Roots host reference `c` (read from an object) in the stack's roots, so the cell it is
/// written to keeps the value alive.
///
/// # Safety
/// `cx` is attached.
#[cold]
pub(super) unsafe fn root_host_cell(cx: &mut Ctx, c: u64) {
    // SAFETY: guaranteed by the caller: the stack outlives the handler.
    let stack = unsafe { &mut *cx.stack };
    // SAFETY: the stack's handle is this thread's heap.
    let val = unsafe { stack.gc_heap.with(|h| h.host_value(c).cloned()) }.expect("a host value an object holds");
    stack.roots.root(&val, &stack.cells);
}
