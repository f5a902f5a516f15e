//! The handlers of the hottest GC instructions, each its own instruction with its immediates
//! resolved at translation (field offset and size, element size, cast target and depth) and
//! its operands read where they are: `struct.get*`/`struct.set`, `array.get*`/`array.set` of
//! values of at most 8 bytes, `array.len`, `ref.test`/`br_on_cast` and `ref.cast`. The rest
//! of the GC instructions go through [`super::gc`].

use super::gc::{cell_matches, hold_in, root_host_cell};
use super::trap_at;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::gc::{slot_of_bits, CAST_NEGATE, SLOT_SIGNED};
use crate::engine::store::gc::{heap::sign_extend, GcRef, SlotKind};
use crate::error::TrapCode;

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
    GcStructGet [0] { dst, obj, slot } => {
        let Some(r) = object(fp, obj) else { return trap_at(ip, cx, TrapCode::NullDereference) };
        let (offset, size, kind) = slot_of_bits(slot);
        let v = (*cx.stack).gc_heap.with(|h| h.field_get(r, offset, size)) as u64;
        *fp.add(dst as usize) = read_result(cx, v, slot, size, kind);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcStructSet [0] { obj, value, slot } => {
        let Some(r) = object(fp, obj) else { return trap_at(ip, cx, TrapCode::NullDereference) };
        let (offset, size, kind) = slot_of_bits(slot);
        let v = u128::from(*fp.add(value as usize));
        let stack = &*cx.stack;
        stack.gc_heap.with(|h| {
            let v = hold_in(h, &stack.roots, kind, v);
            h.field_set(r, offset, size, kind, v)
        });
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcArrayGet [0] { dst, arr, index, slot } => {
        let Some(r) = object(fp, arr) else { return trap_at(ip, cx, TrapCode::NullDereference) };
        let (i, (_, size, kind)) = (*fp.add(index as usize) as u32, slot_of_bits(slot));
        let Some(v) = (*cx.stack).gc_heap.with(|h| h.element_get(r, i, size)) else {
            return trap_at(ip, cx, TrapCode::ArrayOutOfBounds);
        };
        *fp.add(dst as usize) = read_result(cx, v as u64, slot, size, kind);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcArraySet [0] { arr, index, value, slot } => {
        let Some(r) = object(fp, arr) else { return trap_at(ip, cx, TrapCode::NullDereference) };
        let i = *fp.add(index as usize) as u32;
        let (_, size, kind) = slot_of_bits(slot);
        let v = u128::from(*fp.add(value as usize));
        let stack = &*cx.stack;
        let done = stack.gc_heap.with(|h| {
            // In bounds before the value is held (a trap stores nothing).
            if i >= h.array_len(r) {
                return None;
            }
            let v = hold_in(h, &stack.roots, kind, v);
            h.element_set(r, i, size, kind, v)
        });
        if done.is_none() {
            return trap_at(ip, cx, TrapCode::ArrayOutOfBounds);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcArrayLen [0] { dst, arr } => {
        let Some(r) = object(fp, arr) else { return trap_at(ip, cx, TrapCode::NullDereference) };
        *fp.add(dst as usize) = u64::from((*cx.stack).gc_heap.with(|h| h.array_len(r)));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcRefTest [0] { dst, src, ty, flags } => {
        let stack = &*cx.stack;
        let ok = cell_matches(stack.gc_heap, *fp.add(src as usize), ty, flags);
        *fp.add(dst as usize) = u64::from(ok != (flags & CAST_NEGATE != 0));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GcRefCast [0] { dst, src, ty, flags } => {
        let stack = &*cx.stack;
        let cell = *fp.add(src as usize);
        if !cell_matches(stack.gc_heap, cell, ty, flags) {
            return trap_at(ip, cx, TrapCode::IllegalCast);
        }
        *fp.add(dst as usize) = cell;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}

/// The result cell of a value `v` of `size` bytes read from an object: sign-extended when
/// `slot` says so; a host reference rooted in the stack's roots.
///
/// # Safety
/// `cx` is attached.
#[inline(always)]
unsafe fn read_result(cx: &mut crate::engine::exec::ctx::Ctx, v: u64, slot: u32, size: u32, kind: SlotKind) -> u64 {
    if slot & SLOT_SIGNED != 0 {
        return u64::from(sign_extend(u128::from(v), size) as u32);
    }
    if kind != SlotKind::Bytes && GcRef(v).is_host() {
        // SAFETY: guaranteed by the caller.
        unsafe { root_host_cell(cx, v) };
    }
    v
}

/// The non-null reference in slot `s` of frame `fp` (`None`: null).
///
/// # Safety
/// `fp` is the running frame and `s` one of its slots.
#[inline(always)]
unsafe fn object(fp: *mut u64, s: crate::engine::ir::Slot) -> Option<GcRef> {
    // SAFETY: guaranteed by the caller.
    let r = GcRef(unsafe { *fp.add(s as usize) });
    (!r.is_null()).then_some(r)
}
