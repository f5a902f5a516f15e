//! Translation of exception handling: `throw`, `throw_ref`, `try_table` and the legacy
//! `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
//!
//! Every `try_table`/`try` becomes a region of the function's handler table
//! ([`crate::engine::handler_regions`]). The unwinder writes a caught exception's payload (and the exception,
//! for the `*_ref` clauses and legacy catch blocks) straight into frame slots and continues at
//! the clause's target:
//! * `try_table`: each clause has a *landing pad* before the body (jumped over on entry) that
//!   branches to the clause's label like `br` would, with the values at the block's base.
//! * legacy `try`: each `catch`/`catch_all` block is entered directly; the caught exception
//!   stays at stack position `height` of the try block (below the payload) so that `rethrow`
//!   can find it, and a catch block's results are copied down over it at its end.
//!
//! Every region starts with a `Br` to its own body, so that a loop header copied to a back
//! edge (`fuse.rs`) never takes part of a body out of its region.

use wasmparser::{BlockType, Catch, Operator};

use super::control::{Control, ControlKind};
use super::Translator;
use crate::engine::handler_regions::{CatchClause, TryAction, TryRegion};
use crate::engine::ir::Instr;
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_exceptions_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        match *op {
            Operator::Throw { tag_index } => self.throw(tag_index),
            Operator::ThrowRef => {
                let src = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit(Instr::ThrowRef { src });
                self.reachable = false;
            }
            Operator::Rethrow { relative_depth } => {
                let idx = self.controls.len() - 1 - relative_depth as usize;
                let src = self.stack.slot(self.controls[idx].height);
                self.emit(Instr::ThrowRef { src });
                self.reachable = false;
            }
            _ => return None,
        }
        Some(Ok(()))
    }

    /// The block-structured operators of this group (tracked in unreachable code too).
    pub(super) fn translate_exceptions_control(&mut self, op: &Operator<'_>) {
        match op {
            Operator::TryTable { try_table } => self.visit_try_table(try_table.ty, &try_table.catches),
            Operator::Try { blockty } => self.visit_try(*blockty),
            Operator::Catch { tag_index } => self.visit_catch(Some(*tag_index)),
            Operator::CatchAll => self.visit_catch(None),
            Operator::Delegate { relative_depth } => self.visit_delegate(*relative_depth),
            _ => unreachable!("not a block operator of exception handling"),
        }
    }

    /// The region in effect inside control frame `c` (see [`Control::handler`]).
    fn handler_inside(&self, c: &Control) -> Option<usize> {
        match c.kind {
            ControlKind::Catch => c.handler.and_then(|id| self.regions[id].parent.map(|p| p as usize)),
            _ => c.handler,
        }
    }

    /// The region in effect at the current position.
    pub(super) fn current_handler(&self) -> Option<usize> {
        self.controls.last().and_then(|c| self.handler_inside(c))
    }

    /// The number of payload cells of tag `tag` (a v128 takes two).
    fn tag_arity(&self, tag: u32) -> usize {
        crate::engine::cells_of(self.module.tag_type(tag).params())
    }

    /// `throw tag`: the payload in consecutive slots.
    fn throw(&mut self, tag: u32) {
        let n = self.tag_arity(tag);
        self.materialize_top(n);
        let args = self.stack.slot(self.stack.height() - n);
        self.pop_n(n);
        self.emit(Instr::Throw { tag, args });
        self.reachable = false;
    }

    /// Allocates a region nested in the current one.
    fn new_region(&mut self) -> usize {
        let parent = self.current_handler().map(|p| p as u32);
        self.regions.push(TryRegion::new(parent));
        self.regions.len() - 1
    }

    /// Starts a region's body here: a `Br` to the body (see the module docs), after the
    /// landing pads `pads` emits in between.
    fn start_region_body(&mut self, id: usize, pads: impl FnOnce(&mut Self) -> Vec<CatchClause>) {
        let body = self.new_label();
        self.emit_branch(Instr::Br { offset: 0 }, body);
        let clauses = pads(self);
        self.bind_label(body);
        self.regions[id].start = self.code.len() as u32;
        self.regions[id].action = TryAction::Catch(clauses);
    }

    /// `try_table bt catches`.
    fn visit_try_table(&mut self, bt: BlockType, catches: &[Catch]) {
        let id = self.new_region();
        if self.reachable {
            let (params, _) = self.block_arity(bt);
            self.prepare_block_entry(params);
            let height = self.stack.height() - params;
            self.start_region_body(id, |t| catches.iter().map(|c| t.landing_pad(c, height, params)).collect());
        }
        let label = self.new_label();
        self.push_control(ControlKind::TryTable, bt, label, None);
        self.controls.last_mut().expect("just pushed").handler = Some(id);
    }

    /// The landing pad of clause `c` of a `try_table` whose base is stack position `height`
    /// (with `params` block parameters above it, all in their slots): the values arrive at
    /// `height..`, and the pad branches with them to the clause's label (relative to the
    /// frames around the `try_table`, which is not pushed yet).
    fn landing_pad(&mut self, c: &Catch, height: usize, params: usize) -> CatchClause {
        let (tag, n, with_ref, depth) = match *c {
            Catch::One { tag, label } => (Some(tag), self.tag_arity(tag), false, label),
            Catch::OneRef { tag, label } => (Some(tag), self.tag_arity(tag), true, label),
            Catch::All { label } => (None, 0, false, label),
            Catch::AllRef { label } => (None, 0, true, label),
        };
        let pad = self.new_label();
        self.bind_label(pad);
        // (The label's position: with fuel metering, its charge instruction.)
        let target = self.labels[pad].target.expect("just bound") as u32;
        let values = n + with_ref as usize;
        self.pop_n(params);
        self.stack.push_temps(values);
        let idx = self.controls.len() - 1 - depth as usize;
        self.emit_branch_to(idx);
        self.pop_n(values);
        self.stack.push_temps(params);
        CatchClause { tag, dst: self.stack.slot(height), exn: with_ref.then(|| self.stack.slot(height + n)), target }
    }

    /// Legacy `try bt`.
    fn visit_try(&mut self, bt: BlockType) {
        let id = self.new_region();
        if self.reachable {
            let (params, _) = self.block_arity(bt);
            self.prepare_block_entry(params);
            self.start_region_body(id, |_| Vec::new());
        }
        let label = self.new_label();
        self.push_control(ControlKind::Try, bt, label, None);
        self.controls.last_mut().expect("just pushed").handler = Some(id);
    }

    /// Ends the body or the previous catch block of the innermost (legacy) try block: its
    /// values go to the end label.
    fn close_try_part(&mut self) {
        let frame = self.controls.last().expect("inside a try (validated)");
        let (kind, height, results, label, id) = (frame.kind, frame.height, frame.results, frame.label, frame.handler);
        if self.reachable {
            self.materialize_top(results);
            if kind == ControlKind::Catch {
                self.emit_copies(height, results);
            }
            self.emit_branch(Instr::Br { offset: 0 }, label);
            self.controls.last_mut().expect("inside a try").end_used = true;
        }
        if kind == ControlKind::Try {
            let id = id.expect("a try has a region");
            self.regions[id].end = self.code.len() as u32;
        }
    }

    /// Legacy `catch tag` (`Some`) or `catch_all` (`None`).
    fn visit_catch(&mut self, tag: Option<u32>) {
        let frame = self.controls.last().expect("inside a try (validated)");
        if !frame.entry_reachable {
            self.controls.last_mut().expect("inside a try").kind = ControlKind::Catch;
            return;
        }
        self.close_try_part();
        let frame = self.controls.last_mut().expect("inside a try");
        frame.kind = ControlKind::Catch;
        let (height, id) = (frame.height, frame.handler.expect("a try has a region"));
        let start = self.new_label();
        self.bind_label(start);
        let n = tag.map_or(0, |t| self.tag_arity(t));
        self.stack.truncate(height);
        // The caught exception, then the payload.
        self.stack.push_temps(1 + n);
        let clause = CatchClause {
            tag,
            dst: self.stack.slot(height + 1),
            exn: Some(self.stack.slot(height)),
            target: self.labels[start].target.expect("just bound") as u32,
        };
        if let TryAction::Catch(clauses) = &mut self.regions[id].action {
            clauses.push(clause);
        }
        self.reachable = true;
    }

    /// Legacy `delegate depth`: ends the try block; exceptions of its body go on in the region
    /// in effect inside frame `depth` (counted from outside the try block).
    fn visit_delegate(&mut self, depth: u32) {
        let n = self.controls.len();
        let frame = &self.controls[n - 1];
        if frame.entry_reachable {
            let id = frame.handler.expect("a try has a region");
            let target = self.handler_inside(&self.controls[n - 2 - depth as usize]).map(|t| t as u32);
            self.regions[id].action = TryAction::Delegate(target);
        }
        self.visit_end();
    }

    /// At the `end` of `frame` (just popped): closes the body range of a `try_table`, or of
    /// a legacy `try` without catch blocks.
    pub(super) fn end_try_region(&mut self, frame: &Control) {
        if matches!(frame.kind, ControlKind::TryTable | ControlKind::Try) {
            let id = frame.handler.expect("a try has a region");
            self.regions[id].end = self.code.len() as u32;
        }
    }
}
