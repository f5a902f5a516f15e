//! Call and return: wasm calls push a [`Frame`] on the heap stack and continue in the callee
//! (the native stack does not grow); calls of host functions stop the handlers with
//! [`Stop::Host`] so that the driver can lend the stack to re-entrant invocations.

use std::rc::Rc;

use super::{get, handlers, trap};
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::{dispatch, Fp, Ip, Mem, Stop};
use crate::engine::exec::stack::{Frame, MAX_FRAMES};
use crate::engine::ir::Slot;
use crate::engine::CompiledFunc;
use crate::error::TrapCode;
use crate::runtime::{FuncInst, FuncRef, Instance};
use crate::value::Val;

/// Returns from the running function: stops when it is the invocation's entry function,
/// else continues in the caller.
///
/// # Safety
/// `cx` must be attached to the running stack; saved frames describe valid positions.
#[inline(always)]
pub(crate) unsafe fn ret(cx: &mut Ctx) -> Stop {
    // SAFETY: guaranteed by the caller; the popped frame was pushed by `enter`.
    unsafe {
        let frames = &mut (*cx.stack).frames;
        if frames.len() == cx.entry_depth {
            return Stop::Done;
        }
        let f = frames.pop().unwrap_unchecked();
        if f.inst != cx.inst {
            cx.switch(f.inst);
        }
        dispatch!(f.ip, cx.cells.add(f.fp), cx.mem_base, cx.mem_len, cx, 0)
    }
}

/// Makes room for a callee frame of `size` cells at cell `at` and one more saved frame:
/// the new cell base, or `None` after recording `StackOverflow`.
///
/// # Safety
/// `cx` must be attached to the running stack.
#[cold]
#[inline(never)]
unsafe fn grow_stack(cx: &mut Ctx, at: usize, size: usize) -> Option<*mut u64> {
    // SAFETY: guaranteed by the caller.
    let stack = unsafe { &mut *cx.stack };
    if let Err(c) = stack.reserve(at + size) {
        super::super::ctx::set_trap(cx, c);
        return None;
    }
    // SAFETY: attached to `stack`.
    unsafe { cx.reload_cells() };
    Some(cx.cells)
}

/// Enters `callee` with its frame starting at slot `args` of the frame at `fp`; the caller
/// continues at `resume` when the callee returns.
///
/// # Safety
/// `callee` must belong to `cx`'s instance (or the instance is switched right after, before
/// any handler runs), `args` must be the callee's argument slots in the caller's frame.
#[inline(always)]
unsafe fn enter(resume: Ip, fp: Fp, args: Slot, callee: &CompiledFunc, cx: &mut Ctx) -> Fp {
    // SAFETY: guaranteed by the caller; the callee's frame is allocated before it is used.
    unsafe {
        let mut new_fp = fp.add(args as usize);
        let caller = cx.offset_of(fp);
        let size = callee.frame_size as usize;
        let frames = &mut (*cx.stack).frames;
        if new_fp.add(size) > cx.cells_end || frames.len() >= MAX_FRAMES {
            match grow_stack(cx, caller + args as usize, size) {
                Some(cells) => new_fp = cells.add(caller + args as usize),
                None => return std::ptr::null_mut(),
            }
        }
        (*cx.stack).frames.push(Frame { ip: resume, fp: caller, inst: cx.inst });
        let (np, nl) = (callee.num_params as usize, callee.num_locals as usize);
        if nl > np {
            std::ptr::write_bytes(new_fp.add(np), 0, nl - np);
        }
        new_fp
    }
}

/// Stops for a call of host function `f` with its arguments at slot `args`.
///
/// # Safety
/// `cx` must be attached to the running stack; `fp` in its cells.
#[cold]
#[inline(never)]
unsafe fn host_call(resume: Ip, fp: Fp, args: Slot, f: &FuncRef, cx: &mut Ctx) -> Stop {
    // SAFETY: guaranteed by the caller.
    let at = unsafe { cx.offset_of(fp) };
    cx.ip = resume;
    cx.fp = at;
    cx.host = Some((f.clone(), at + args as usize));
    Stop::Host
}

/// Calls a function reference; `keep` roots it when it belongs to another instance (needed
/// for table elements, which may be replaced while the callee runs).
///
/// # Safety
/// As for [`enter`]; `f`'s instance must stay alive while it runs.
#[inline(always)]
unsafe fn call_ref(ip: Ip, fp: Fp, mem: Mem, len: usize, cx: &mut Ctx, f: &FuncRef, args: Slot, keep: bool) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let resume = ip.add(1);
        match &*f.0 {
            FuncInst::Wasm { instance, index, .. } => {
                let inner = Rc::as_ptr(&instance.0);
                let m = &(*inner).module.0;
                let callee = &*m.code.as_ptr().add((*index - m.num_imported_funcs) as usize);
                if inner == cx.inner {
                    let new_fp = enter(resume, fp, args, callee, cx);
                    if new_fp.is_null() {
                        return Stop::Trap;
                    }
                    dispatch!(callee.code.as_ptr(), new_fp, mem, len, cx, 0)
                }
                if keep {
                    (*cx.stack).roots.keep(f);
                }
                let new_fp = enter(resume, fp, args, callee, cx);
                if new_fp.is_null() {
                    return Stop::Trap;
                }
                cx.switch(instance as *const Instance);
                dispatch!(callee.code.as_ptr(), new_fp, cx.mem_base, cx.mem_len, cx, 0)
            }
            FuncInst::Host { .. } => host_call(resume, fp, args, f, cx),
        }
    }
}

handlers! { (ip, fp, mem, len, cx, acc) lookup;
    Call [0] { func, args } => {
        let callee = &*cx.funcs.add(func as usize);
        let new_fp = enter(ip.add(1), fp, args, callee, cx);
        if new_fp.is_null() {
            return Stop::Trap;
        }
        dispatch!(callee.code.as_ptr(), new_fp, mem, len, cx, 0)
    }
    CallImport [0] { func, args } => {
        let f: &FuncRef = &*(*cx.inner).imported_funcs.as_ptr().add(func as usize);
        call_ref(ip, fp, mem, len, cx, f, args, false)
    }
    CallIndirect [0] { index, args, ty, table } => {
        let t = &*cx.tables.add(table as usize);
        // No `RefCell` borrow is active while wasm runs (see the `ops` module docs).
        let elems = &*t.0.elements.as_ptr();
        let f = match elems.get(get::<u32>(fp, index) as usize) {
            None => return trap(cx, TrapCode::TableOutOfBounds),
            Some(Val::FuncRef(Some(f))) => f,
            Some(_) => return trap(cx, TrapCode::FuncSigMismatch),
        };
        let m = &(*cx.inner).module.0;
        let matches = match &*f.0 {
            FuncInst::Wasm { instance, index, ty: fty } => {
                (Rc::as_ptr(&instance.0) == cx.inner && m.funcs[*index as usize] == ty)
                    || *fty == m.types[ty as usize]
            }
            FuncInst::Host { ty: fty, .. } => *fty == m.types[ty as usize],
        };
        if !matches {
            return trap(cx, TrapCode::FuncSigMismatch);
        }
        call_ref(ip, fp, mem, len, cx, f, args, true)
    }
}
