//! Handlers of exception handling: `throw`, `throw_ref` (and legacy `rethrow`), and setting an
//! `exnref` global. A throw records the exception as the error to stop with, with the position
//! after the throwing instruction in the context; the driver then unwinds to a handler
//! (`exec/unwind.rs`) and resumes there.

use super::{error, handlers, trap};
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::{dispatch, Fp, Ip, Stop};
use crate::engine::exec::stack::cell_to_val;
use crate::engine::store::{Error, Exn, Val};
use crate::error::TrapCode;
use crate::types::RefType;

/// Stops with `exn` thrown by the instruction at `ip` in the frame at `fp`.
///
/// # Safety
/// `fp` must be the running frame in the attached stack.
#[cold]
#[inline(never)]
unsafe fn throw_exn(ip: Ip, fp: Fp, cx: &mut Ctx, exn: Exn) -> Stop {
    // SAFETY: guaranteed by the caller.
    unsafe {
        cx.ip = ip.add(1);
        cx.fp = cx.offset_of(fp);
    }
    error(cx, Error::Exception(exn))
}

/// `throw tag` with the payload at slot `args` of the frame at `fp`.
///
/// # Safety
/// As for a handler: `tag` is a tag of the running instance, whose payload the translator put
/// in `args..`.
#[cold]
#[inline(never)]
unsafe fn throw_new(ip: Ip, fp: Fp, cx: &mut Ctx, tag: u32, args: u16) -> Stop {
    // SAFETY: guaranteed by the caller; the payload cells were written by the translated code
    // and references among them are rooted.
    unsafe {
        let inner = &*cx.inner;
        let tag = &inner.tags()[tag as usize];
        let roots = &(*cx.stack).roots;
        // The payload values in consecutive cells (a v128 in two, low half first).
        let mut at = args as usize;
        let mut payload: Vec<Val> = Vec::with_capacity(tag.ty().params().len());
        for &t in tag.ty().params() {
            if t == crate::types::ValType::V128 {
                payload.push(Val::V128(*fp.add(at) as u128 | (*fp.add(at + 1) as u128) << 64));
                at += 2;
            } else {
                payload.push(cell_to_val(*fp.add(at), t, roots));
                at += 1;
            }
        }
        throw_exn(ip, fp, cx, Exn::new(tag.clone(), payload))
    }
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    Throw [0] { tag, args } => {
        throw_new(ip, fp, cx, tag, args)
    }
    ThrowRef [0] { src } => {
        match (*cx.stack).roots.get(*fp.add(src as usize), RefType::ExnRef) {
            Val::ExnRef(Some(exn)) => throw_exn(ip, fp, cx, exn),
            _ => trap(cx, TrapCode::RethrowNull),
        }
    }
    GlobalSetExnRef [0] { src, global } => {
        let v = (*cx.stack).roots.get(*fp.add(src as usize), RefType::ExnRef);
        let g = &*cx.globals.add(global as usize);
        if let Err(e) = g.set(v) {
            return error(cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}
