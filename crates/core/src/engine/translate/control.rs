//! Structured control flow: blocks, loops, `if`/`else`, branches, `br_table` and returns.
//!
//! Every block has a *base*: the operand-stack height below its parameters. A branch to a
//! block copies the branch values (the block's results, or a loop's parameters) from the top of
//! the stack to the base positions' slots and jumps; a label's values therefore always sit in
//! their canonical slots. Branches are emitted with a placeholder offset and patched when the
//! label is bound.

use wasmparser::BlockType;

use super::stack::Operand;
use super::Translator;
use crate::engine::ir::Instr;
use crate::error::CompileError;

/// A branch target.
pub(super) type LabelId = usize;

/// A label: its position once bound, and the branches waiting for it.
#[derive(Debug, Default)]
pub(super) struct Label {
    pub(super) target: Option<usize>,
    uses: Vec<usize>,
}

/// The kind of a control frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ControlKind {
    /// The function body (a branch to it is a return).
    Func,
    /// `block`.
    Block,
    /// `loop` (branches go to its start and carry its parameters).
    Loop,
    /// `if`, before any `else`.
    If,
    /// The `else` part of an `if`.
    Else,
    /// `try_table` (exception handling; `handler` is its region).
    TryTable,
    /// The body of a legacy `try` (`handler` is its region).
    Try,
    /// A legacy `catch`/`catch_all` block of a `try` (`handler` is the try's region); the
    /// caught exception sits at stack position `height`, below the block's values.
    Catch,
}

/// One entry of the control stack.
#[derive(Debug)]
pub(super) struct Control {
    pub(super) kind: ControlKind,
    /// Operand-stack height below the block's parameters.
    pub(super) height: usize,
    pub(super) params: usize,
    pub(super) results: usize,
    /// The end label (blocks, ifs) or the start label (loops).
    pub(super) label: LabelId,
    /// Where an `if`'s false branch goes (bound at `else`, or at `end` without an `else`).
    pub(super) else_label: Option<LabelId>,
    /// Whether the block's start was reachable (if not, nothing inside is translated).
    pub(super) entry_reachable: bool,
    /// Whether some branch targets the end label.
    pub(super) end_used: bool,
    /// The exception-handling region: for `try_table`/`try`/`catch` frames their own, for
    /// other frames the one in effect where they start (see `exceptions.rs`).
    pub(super) handler: Option<usize>,
    /// With fuel metering: the basic block open where the frame starts, which the code after
    /// its `end` continues (see `limits.rs`).
    pub(super) fuel_entry: Option<usize>,
}

/// How a conditional branch decides.
enum Condition {
    /// A comparison instruction removed from the code, to be fused into the branch.
    Fused(Instr),
    /// An i32 in a slot.
    Slot(u16),
}

impl Translator<'_> {
    /// The (parameter, result) counts of a block type, in cells (a v128 takes two).
    pub(super) fn block_arity(&self, bt: BlockType) -> (usize, usize) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(wasmparser::ValType::V128) => (0, 2),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => {
                let t = &self.module.types[i as usize];
                (crate::engine::cells_of(t.params()), crate::engine::cells_of(t.results()))
            }
        }
    }

    /// A new unbound label.
    pub(super) fn new_label(&mut self) -> LabelId {
        self.labels.push(Label::default());
        self.labels.len() - 1
    }

    /// Binds `label` to the current position and patches the branches waiting for it.
    pub(super) fn bind_label(&mut self, label: LabelId) {
        // (With fuel metering, a block start: the open charge instruction when nothing was
        // counted since it, else a new one here; see `limits.rs`.)
        let target = self.fuel_label_target();
        let uses = std::mem::take(&mut self.labels[label].uses);
        for at in uses {
            self.patch(at, target);
        }
        self.labels[label].target = Some(target);
        self.last_label_at = Some(target);
        self.last_local_write = None;
        // Values may now arrive from elsewhere: no result can be retargeted across this point.
        self.last_result = None;
        // A branch target starts a basic block.
        if target == self.code.len() {
            self.fuel_open();
        }
    }

    fn patch(&mut self, at: usize, target: usize) {
        let offset = target as i64 - at as i64 - 1;
        *self.code[at].branch_offset_mut().expect("patching a branch") = offset as i32;
    }

    /// Emits branch instruction `instr` (offset to be filled in) to `label`.
    pub(super) fn emit_branch(&mut self, instr: Instr, label: LabelId) {
        let at = self.code.len();
        self.emit(instr);
        self.branch_labels.push((at, label));
        match self.labels[label].target {
            Some(target) => self.patch(at, target),
            None => self.labels[label].uses.push(at),
        }
    }

    /// Materialises what a new block needs: locals read in place anywhere on the stack (the
    /// block may write them on only some paths), and the block's parameters (they must be in
    /// their canonical slots at the block's labels).
    pub(super) fn prepare_block_entry(&mut self, params: usize) {
        if self.stack.has_any_local_refs() {
            for pos in 0..self.stack.height() {
                if let Operand::Local(_) = self.stack.get(pos) {
                    self.materialize(pos);
                }
            }
        }
        let h = self.stack.height();
        for pos in h - params..h {
            self.materialize(pos);
        }
    }

    pub(super) fn push_control(
        &mut self,
        kind: ControlKind,
        bt: BlockType,
        label: LabelId,
        else_label: Option<LabelId>,
    ) {
        let (params, results) = self.block_arity(bt);
        let height = self.stack.height().saturating_sub(params);
        let handler = self.current_handler();
        self.controls.push(Control {
            kind,
            height,
            params,
            results,
            label,
            else_label,
            entry_reachable: self.reachable,
            end_used: false,
            handler,
            fuel_entry: self.fuel_at,
        });
    }

    /// `block`.
    pub(super) fn visit_block(&mut self, bt: BlockType) {
        if self.reachable {
            let (params, _) = self.block_arity(bt);
            self.prepare_block_entry(params);
        }
        let label = self.new_label();
        self.push_control(ControlKind::Block, bt, label, None);
    }

    /// `loop`.
    pub(super) fn visit_loop(&mut self, bt: BlockType) {
        if self.reachable {
            let (params, _) = self.block_arity(bt);
            self.prepare_block_entry(params);
        }
        let label = self.new_label();
        let entry = self.fuel_at;
        if self.reachable {
            self.bind_label(label);
        }
        self.push_control(ControlKind::Loop, bt, label, None);
        self.controls.last_mut().expect("just pushed").fuel_entry = entry;
    }

    /// `if`.
    pub(super) fn visit_if(&mut self, bt: BlockType) {
        let label = self.new_label();
        if !self.reachable {
            self.push_control(ControlKind::If, bt, label, None);
            return;
        }
        let cond = self.take_condition();
        let (params, _) = self.block_arity(bt);
        self.prepare_block_entry(params);
        let else_label = self.new_label();
        self.emit_cond_branch(cond, true, else_label);
        self.push_control(ControlKind::If, bt, label, Some(else_label));
    }

    /// `else`.
    pub(super) fn visit_else(&mut self) {
        let frame = self.controls.last().expect("else inside if (validated)");
        if !frame.entry_reachable {
            self.controls.last_mut().unwrap().kind = ControlKind::Else;
            return;
        }
        let (label, else_label, height, params, results) =
            (frame.label, frame.else_label, frame.height, frame.params, frame.results);
        if self.reachable {
            self.materialize_top(results);
            self.emit_branch(Instr::Br { offset: 0 }, label);
            self.controls.last_mut().unwrap().end_used = true;
        }
        self.bind_label(else_label.expect("reachable if has an else label"));
        self.stack.truncate(height);
        self.stack.push_temps(params);
        self.reachable = true;
        self.controls.last_mut().unwrap().kind = ControlKind::Else;
    }

    /// `end`.
    pub(super) fn visit_end(&mut self) {
        let frame = self.controls.pop().expect("end matches a frame (validated)");
        if frame.kind == ControlKind::Func {
            if self.reachable {
                self.emit_return();
            }
            self.reachable = false;
            return;
        }
        if !frame.entry_reachable {
            return;
        }
        if self.reachable {
            self.materialize_top(frame.results);
            if frame.kind == ControlKind::Catch {
                // Down over the caught exception's position.
                self.emit_copies(frame.height, frame.results);
            }
        }
        self.end_try_region(&frame);
        let reachable_after = match frame.kind {
            ControlKind::Loop => self.reachable,
            ControlKind::If => {
                // Without an `else`, the false branch passes the parameters (which equal the
                // results) straight to the end.
                self.bind_label(frame.else_label.expect("reachable if has an else label"));
                self.bind_label(frame.label);
                true
            }
            ControlKind::Block | ControlKind::Else | ControlKind::TryTable | ControlKind::Try | ControlKind::Catch => {
                self.bind_label(frame.label);
                self.reachable || frame.end_used
            }
            ControlKind::Func => unreachable!(),
        };
        self.fuel_resume(frame.fuel_entry);
        self.stack.truncate(frame.height);
        self.stack.push_temps(frame.results);
        self.reachable = reachable_after;
        self.last_result = None;
    }

    /// The number of values a branch to control frame `idx` carries.
    fn branch_arity(&self, idx: usize) -> usize {
        let f = &self.controls[idx];
        if f.kind == ControlKind::Loop {
            f.params
        } else {
            f.results
        }
    }

    /// Whether a branch to frame `idx` can jump directly (its values are already in place and
    /// it is not a return).
    fn is_direct_branch(&self, idx: usize) -> bool {
        let f = &self.controls[idx];
        if f.kind == ControlKind::Func {
            return false;
        }
        let n = self.branch_arity(idx);
        let h = self.stack.height();
        (0..n).all(|i| h - n + i == f.height + i && self.stack.get(h - n + i) == Operand::Temp)
    }

    /// Emits the copies and the jump of an unconditional branch to frame `idx` (or a return),
    /// without changing the operand-stack model.
    pub(super) fn emit_branch_to(&mut self, idx: usize) {
        if self.controls[idx].kind == ControlKind::Func {
            self.emit_return();
            return;
        }
        let n = self.branch_arity(idx);
        let base = self.controls[idx].height;
        self.emit_copies(base, n);
        let label = self.controls[idx].label;
        if self.controls[idx].kind == ControlKind::Loop {
            if let Some(target) = self.labels[label].target {
                if self.emit_back_edge_copy(target) {
                    return;
                }
            }
        }
        self.emit_branch(Instr::Br { offset: 0 }, label);
        if self.controls[idx].kind != ControlKind::Loop {
            self.controls[idx].end_used = true;
        }
    }

    /// `br`.
    pub(super) fn visit_br(&mut self, depth: u32) {
        let idx = self.controls.len() - 1 - depth as usize;
        self.emit_branch_to(idx);
        self.reachable = false;
    }

    /// `br_if`.
    pub(super) fn visit_br_if(&mut self, depth: u32) {
        let idx = self.controls.len() - 1 - depth as usize;
        let cond = self.take_condition();
        if self.is_direct_branch(idx) {
            let label = self.controls[idx].label;
            self.emit_cond_branch(cond, false, label);
            if self.controls[idx].kind != ControlKind::Loop {
                self.controls[idx].end_used = true;
            }
        } else {
            let skip = self.new_label();
            let block = self.fuel_at;
            self.emit_cond_branch(cond, true, skip);
            self.emit_branch_to(idx);
            self.bind_label(skip);
            // (Not taken, the branch continues its basic block.)
            self.fuel_resume(block);
        }
    }

    /// `br_on_null` (`on_null`) or `br_on_non_null`: a `br_if` whose condition is whether the
    /// reference on top is (not) null. A null reference is the zero cell.
    pub(super) fn visit_br_on_null(&mut self, depth: u32, on_null: bool) {
        let idx = self.controls.len() - 1 - depth as usize;
        let pos = self.stack.height() - 1;
        let src = self.operand_slot(pos);
        let value = self.stack.get(pos);
        // `br_on_null` passes the label's values without the reference; `br_on_non_null`
        // passes the reference as the last one and drops it when not branching.
        if on_null {
            self.stack.pop();
        }
        let (taken, not_taken) = (Instr::BrI64Eqz { cond: src, offset: 0 }, Instr::BrI64Nez { cond: src, offset: 0 });
        let (taken, not_taken) = if on_null { (taken, not_taken) } else { (not_taken, taken) };
        if self.is_direct_branch(idx) {
            let label = self.controls[idx].label;
            self.emit_branch(taken, label);
            if self.controls[idx].kind != ControlKind::Loop {
                self.controls[idx].end_used = true;
            }
        } else {
            let skip = self.new_label();
            let block = self.fuel_at;
            self.emit_branch(not_taken, skip);
            self.emit_branch_to(idx);
            self.bind_label(skip);
            self.fuel_resume(block);
        }
        if on_null {
            self.stack.push(value);
        } else {
            self.stack.pop();
        }
    }

    /// `br_table`.
    pub(super) fn visit_br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<(), CompileError> {
        let mut depths = targets.targets().collect::<Result<Vec<u32>, _>>()?;
        depths.push(targets.default());
        let idx_of = |t: &Self, d: u32| t.controls.len() - 1 - d as usize;
        if let Operand::Const(c) = self.stack.peek(0) {
            self.stack.pop();
            let d = depths[(c as u32 as usize).min(depths.len() - 1)];
            self.visit_br(d);
            return Ok(());
        }
        let index = self.operand_slot(self.stack.height() - 1);
        self.stack.pop();
        self.emit_fused(Instr::BrTable { index, len: (depths.len() - 1) as u32 });
        // One `Br` entry per target (the handler jumps straight to the entry's target); targets
        // that need copies or a return go through a trampoline emitted after the table (one per
        // distinct target frame).
        let mut trampolines: Vec<(usize, LabelId)> = Vec::new();
        for &d in &depths {
            let idx = idx_of(self, d);
            if self.is_direct_branch(idx) {
                let label = self.controls[idx].label;
                self.emit_branch(Instr::Br { offset: 0 }, label);
                if self.controls[idx].kind != ControlKind::Loop {
                    self.controls[idx].end_used = true;
                }
            } else {
                let label = match trampolines.iter().find(|(i, _)| *i == idx) {
                    Some(&(_, l)) => l,
                    None => {
                        let l = self.new_label();
                        trampolines.push((idx, l));
                        l
                    }
                };
                self.emit_branch(Instr::Br { offset: 0 }, label);
            }
        }
        for (idx, label) in trampolines {
            self.bind_label(label);
            self.emit_branch_to(idx);
        }
        self.reachable = false;
        Ok(())
    }

    /// `return` (also the end of the function body): copies the results to the start of the
    /// frame and returns. Does not change the operand-stack model.
    pub(super) fn emit_return(&mut self) {
        if let Some(ret) = self.single_return() {
            // The previous instruction cannot have computed the result when the return is
            // one path of a conditional branch (the branch comes in between). `ReturnSlot`
            // reads the integer accumulator only.
            if self.returns_f64 {
                self.emit(ret);
            } else {
                self.emit_fused(ret);
            }
            return;
        }
        let n = self.num_results as usize;
        let h = self.stack.height();
        self.emit_copies(h - n, n);
        let src = self.stack.slot(h - n);
        if src == 0 {
            self.emit(Instr::Return);
        } else {
            self.emit(Instr::ReturnSpan { src, len: n as u16 });
        }
    }

    /// The return as one instruction, when there is at most one result.
    fn single_return(&self) -> Option<Instr> {
        match self.num_results {
            0 => Some(Instr::Return),
            1 => {
                let pos = self.stack.height() - 1;
                Some(match self.stack.get(pos) {
                    Operand::Temp => Instr::ReturnSlot { src: self.stack.slot(pos) },
                    Operand::Local(l) => Instr::ReturnSlot { src: l },
                    Operand::Const(value) => Instr::ReturnImm { value },
                })
            }
            _ => None,
        }
    }

    /// Pops the i32 condition of `br_if`/`if`; when it was computed by the instruction just
    /// emitted and that is an integer comparison, removes the comparison for fusion.
    fn take_condition(&mut self) -> Condition {
        let pos = self.stack.height() - 1;
        if self.stack.get(pos) == Operand::Temp && self.last_result.map(|i| i + 1) == Some(self.code.len()) {
            let mut last = *self.code.last().expect("last result exists");
            let writes_cond = last.dst_mut().is_some_and(|d| *d == self.stack.slot(pos));
            if writes_cond && Instr::fuse_compare(&last, false, 0).is_some() {
                self.code.pop();
                self.last_result = None;
                self.stack.pop();
                return Condition::Fused(last);
            }
        }
        let slot = self.operand_slot(pos);
        self.stack.pop();
        Condition::Slot(slot)
    }

    /// Emits a branch to `label` taken when the condition holds (or fails, with `negate`).
    fn emit_cond_branch(&mut self, cond: Condition, negate: bool, label: LabelId) {
        let instr = match cond {
            Condition::Fused(cmp) => Instr::fuse_compare(&cmp, negate, 0).expect("fusable comparison"),
            Condition::Slot(cond) if negate => Instr::BrIfEqz { cond, offset: 0 },
            Condition::Slot(cond) => Instr::BrIfNez { cond, offset: 0 },
        };
        let instr = self.fuse_branch(instr);
        self.emit_branch(instr, label);
    }
}
