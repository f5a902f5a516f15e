//! Unwinding to an exception handler: walks the heap frames from the throwing instruction
//! outwards (no native stack is involved), consulting each function's handler table
//! ([`crate::engine::handler_regions`]); a matching clause gets the payload written into its slots and
//! execution resumes at its target. Traps never come here.

use super::ctx::Ctx;
use super::dispatch::Ip;
use super::stack::{val_to_cell, Stack};
use crate::engine::handler_regions::{innermost, CatchClause, TryAction, TryRegion};
use crate::engine::store::{Error, Exn, Instance, InstanceInner, Tag, Val};

/// Unwinds `exn`, thrown by the instruction before `cx.ip` in the frame at `cx.fp`, to the
/// nearest handler of this invocation (frames above `entry_depth`): on success `cx` is set to
/// continue there; otherwise the frames are popped and the exception is returned as the error.
///
/// # Safety
/// `cx` must be stopped at a throw or a host call of this invocation (its `ip`, `fp` and
/// instance valid, the stack's frame vector in sync).
#[inline(never)] // cold, and kept out of `run_invocation`'s frame (see there)
pub(crate) unsafe fn unwind(stack: &mut Stack, cx: &mut Ctx, entry_depth: usize, exn: Exn) -> Result<(), Error> {
    let mut inst: *const Instance = cx.inst;
    let mut ip: Ip = cx.ip;
    let mut fp = cx.fp;
    loop {
        // SAFETY: every saved frame names a live instance and a position after a call
        // instruction of its code; `ip` is one past the throwing instruction.
        let inner: &InstanceInner = unsafe { (*inst).state() };
        if let Some((code, handlers, at)) = inner.module().code.handlers_at(ip.wrapping_sub(1)) {
            if let Some(clause) = find_clause(handlers, at, inner, exn.tag()) {
                let clause = clause.clone();
                let mut to = fp + clause.dst as usize;
                for v in exn.payload() {
                    to += stack.store_val(to, v);
                }
                if let Some(slot) = clause.exn {
                    let cell = val_to_cell(&Val::ExnRef(Some(exn)), &mut stack.roots, &stack.cells);
                    stack.cells[fp + slot as usize] = cell;
                }
                // SAFETY: the target is an index into this function's code.
                cx.ip = unsafe { code.add(clause.target as usize) };
                cx.fp = fp;
                if inst != cx.inst {
                    // SAFETY: `inst` is live (see above).
                    unsafe { cx.switch(inst) };
                }
                return Ok(());
            }
        }
        if stack.frames.len() <= entry_depth {
            return Err(Error::Exception(exn));
        }
        let f = stack.frames.pop().expect("a caller frame");
        ip = f.ip;
        // SAFETY: a saved frame pointer points into the cells.
        fp = unsafe { f.fp.offset_from(stack.cells.as_ptr()) } as usize;
        inst = f.inst;
    }
}

/// The clause among a function's `regions` that catches an exception of `tag` thrown at code
/// index `at`.
fn find_clause<'f>(regions: &'f [TryRegion], at: u32, inner: &InstanceInner, tag: &Tag) -> Option<&'f CatchClause> {
    let mut region = innermost(regions, at);
    while let Some(id) = region {
        let r = &regions[id as usize];
        match &r.action {
            TryAction::Catch(clauses) => {
                let caught = clauses.iter().find(|c| c.tag.is_none_or(|t| Tag::ptr_eq(&inner.tags()[t as usize], tag)));
                if caught.is_some() {
                    return caught;
                }
                region = r.parent;
            }
            TryAction::Delegate(target) => region = *target,
        }
    }
    None
}
