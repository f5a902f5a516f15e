//! The translator's model of the wasm operand stack.
//!
//! Each entry records where the value *currently* is: in its own temporary slot (the slot of
//! its stack position), still in a local (`local.get` emits nothing), or a constant not yet
//! written anywhere. Consumers read locals and constants in place; an entry is *materialised*
//! (copied into its own slot) when its source could change before it is used (a write to the
//! local, control flow) or when a consumer needs it in its own slot (calls, block parameters).

use super::super::ir::Slot;

/// Where an operand-stack value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operand {
    /// In the temporary slot of its own stack position.
    Temp,
    /// In this local's slot (a pending `local.get`).
    Local(Slot),
    /// A constant (raw cell bits), not yet written anywhere.
    Const(u64),
}

/// The operand stack of the function being translated.
#[derive(Debug, Default)]
pub(super) struct OperandStack {
    ops: Vec<Operand>,
    /// Number of entries that are `Operand::Local(i)`, by local index.
    local_refs: Vec<u32>,
    /// Total number of `Operand::Local` entries.
    pending_locals: u32,
    /// Number of locals (parameters included): the slot of stack position `p` is
    /// `num_locals + p`.
    num_locals: u32,
    /// The highest stack height reached (the frame needs `num_locals + max_height` slots).
    max_height: u32,
}

impl OperandStack {
    /// An empty stack for a function with `num_locals` locals (parameters included).
    pub(super) fn new(num_locals: u32) -> Self {
        OperandStack {
            ops: Vec::new(),
            local_refs: vec![0; num_locals as usize],
            pending_locals: 0,
            num_locals,
            max_height: 0,
        }
    }

    /// Current height.
    pub(super) fn height(&self) -> usize {
        self.ops.len()
    }

    /// The highest height reached so far.
    pub(super) fn max_height(&self) -> u32 {
        self.max_height
    }

    /// Records that the frame needs stack positions up to (excluding) `height`, e.g. for call
    /// results that outnumber the arguments.
    pub(super) fn reserve_height(&mut self, height: usize) {
        self.max_height = self.max_height.max(height as u32);
    }

    /// The slot of stack position `pos` (may exceed `Slot::MAX`: the translator checks the
    /// frame size before finishing and rejects such functions).
    pub(super) fn slot(&self, pos: usize) -> Slot {
        (self.num_locals as usize + pos) as Slot
    }

    /// The entry at position `pos`.
    pub(super) fn get(&self, pos: usize) -> Operand {
        self.ops[pos]
    }

    /// The entry `depth` below the top (0 = top).
    pub(super) fn peek(&self, depth: usize) -> Operand {
        self.ops[self.ops.len() - 1 - depth]
    }

    /// Pushes an entry.
    pub(super) fn push(&mut self, op: Operand) {
        if let Operand::Local(l) = op {
            self.local_refs[l as usize] += 1;
            self.pending_locals += 1;
        }
        self.ops.push(op);
        self.max_height = self.max_height.max(self.ops.len() as u32);
    }

    /// Pushes `n` values that are in their own slots.
    pub(super) fn push_temps(&mut self, n: usize) {
        for _ in 0..n {
            self.push(Operand::Temp);
        }
    }

    /// Pops the top entry.
    pub(super) fn pop(&mut self) -> Operand {
        let op = self.ops.pop().expect("operand stack underflow (validated)");
        self.forget(op);
        op
    }

    /// Pops entries down to `height`.
    pub(super) fn truncate(&mut self, height: usize) {
        while self.ops.len() > height {
            self.pop();
        }
    }

    /// Marks position `pos` as materialised (its value is now in its own slot).
    pub(super) fn set_temp(&mut self, pos: usize) {
        let old = std::mem::replace(&mut self.ops[pos], Operand::Temp);
        self.forget(old);
    }

    /// Replaces the entry at `pos` by the constant `value`.
    pub(super) fn set_const(&mut self, pos: usize, value: u64) {
        let old = std::mem::replace(&mut self.ops[pos], Operand::Const(value));
        self.forget(old);
    }

    /// Whether some entry still reads local `local` in place.
    pub(super) fn has_local_refs(&self, local: Slot) -> bool {
        self.local_refs[local as usize] > 0
    }

    /// Whether some entry still reads any local in place.
    pub(super) fn has_any_local_refs(&self) -> bool {
        self.pending_locals > 0
    }

    fn forget(&mut self, op: Operand) {
        if let Operand::Local(l) = op {
            self.local_refs[l as usize] -= 1;
            self.pending_locals -= 1;
        }
    }
}
