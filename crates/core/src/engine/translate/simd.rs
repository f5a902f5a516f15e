//! Translation of SIMD and relaxed SIMD.
//!
//! A `v128` occupies two consecutive cells (low half first): in the operand-stack model it is
//! two consecutive positions (so heights, block arities, call arguments and branch copies count
//! cells, and copying a v128 is copying two cells), and a `v128` local takes two slots
//! ([`LocalLayout`] maps local indices to slots). A v128 operand is read from the slot of its
//! low half. `v128.const` values and `i8x16.shuffle` lane indices do not fit an instruction:
//! they go to the function's constant pool, placed after its last instruction
//! ([`Translator::finish_simd_pool`]).

use wasmparser::{MemArg, Operator};

use super::stack::Operand;
use super::Translator;
use crate::engine::ir::{Instr, Slot};
use crate::engine::simd::ops::{
    SimdBinop, SimdExtract, SimdLoad, SimdReplace, SimdShift, SimdSplat, SimdTernop, SimdTest, SimdUnop,
};
use crate::error::CompileError;

/// Where the locals of a function are: local `i` is at slot `i` plus the number of `v128`
/// locals before it (each takes two slots). Empty (the identity) without `v128` locals.
#[derive(Debug, Default)]
pub(super) struct LocalLayout {
    /// Runs of consecutive `v128` locals: (first local index, count), ascending.
    v128_runs: Vec<(u32, u32)>,
}

impl LocalLayout {
    /// Records that locals `first..first + count` are `v128`s (runs are added in index order).
    pub(super) fn add_v128(&mut self, first: u32, count: u32) {
        if count == 0 {
            return;
        }
        match self.v128_runs.last_mut() {
            Some((start, n)) if *start + *n == first => *n += count,
            _ => self.v128_runs.push((first, count)),
        }
    }

    /// The first slot of local `index` and whether it is a `v128` (two slots).
    #[inline]
    pub(super) fn slot(&self, index: u32) -> (Slot, bool) {
        let mut before = 0;
        for &(start, count) in &self.v128_runs {
            if index < start {
                break;
            }
            if index < start + count {
                return ((index + before + (index - start)) as Slot, true);
            }
            before += count;
        }
        ((index + before) as Slot, false)
    }
}

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_simd_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        let h = self.stack.height();
        if let Some(f) = SimdUnop::from_operator(op) {
            let src = self.v128_slot(h - 2);
            self.stack.truncate(h - 2);
            self.emit_v128_result(|dst| Instr::V128Unop { dst, src, op: f });
        } else if let Some(f) = SimdBinop::from_operator(op) {
            if let Some(pool) = self.take_v128_const(h - 2) {
                let a = self.v128_slot(h - 4);
                let loaded = self.take_v128_load(h - 4, f);
                self.stack.truncate(h - 4);
                match loaded {
                    Some((addr, offset)) => {
                        self.emit_v128_result(|dst| Instr::V128LoadBinopK { dst, addr, op: f, offset, pool })
                    }
                    None => self.emit_v128_result(|dst| Instr::V128BinopK { dst, a, op: f, pool }),
                }
                return Some(Ok(()));
            }
            let b = self.v128_slot(h - 2);
            let a = self.v128_slot(h - 4);
            let loaded = self.take_v128_load(h - 2, f);
            // `op2(a, op(x, y))` with `op(x, y)` computed just before, on either side if `f` commutes.
            let product = match loaded {
                Some(_) => None,
                None => self.take_v128_binop(h - 2, f).map(|(x, y, op)| (a, x, y, op)).or_else(|| {
                    f.commutes().then(|| self.take_v128_binop(h - 4, f)).flatten().map(|(x, y, op)| (b, x, y, op))
                }),
            };
            self.stack.truncate(h - 4);
            if let Some((addr, offset)) = loaded {
                self.emit_v128_result(|dst| Instr::V128BinopLoad { dst, a, addr, op: f, offset });
            } else if let Some((a, x, y, op)) = product {
                self.emit_v128_result(|dst| Instr::V128BinopBinop { dst, a, b: x, c: y, op, op2: f });
            } else {
                self.emit_v128_result(|dst| Instr::V128Binop { dst, a, b, op: f });
            }
        } else if let Some(f) = SimdTernop::from_operator(op) {
            let c = self.v128_slot(h - 2);
            let b = self.v128_slot(h - 4);
            let a = self.v128_slot(h - 6);
            self.stack.truncate(h - 6);
            self.emit_v128_result(|dst| Instr::V128Ternop { dst, a, b, c, op: f });
        } else if let Some(f) = SimdShift::from_operator(op) {
            let n = self.operand_slot(h - 1);
            let a = self.v128_slot(h - 3);
            self.stack.truncate(h - 3);
            self.emit_v128_result(|dst| Instr::V128Shift { dst, a, n, op: f });
        } else if let Some(f) = SimdTest::from_operator(op) {
            let src = self.v128_slot(h - 2);
            self.stack.truncate(h - 2);
            self.emit_result(|dst| Instr::V128Test { dst, src, op: f });
        } else if let Some(f) = SimdSplat::from_operator(op) {
            let src = self.operand_slot(h - 1);
            let loaded = self.take_splat_load(h - 1, f);
            self.stack.truncate(h - 1);
            match loaded {
                Some((addr, offset, op)) => {
                    self.emit_v128_result(|dst| Instr::V128LoadPartial { dst, addr, offset, op })
                }
                None => self.emit_v128_result(|dst| Instr::V128Splat { dst, src, op: f }),
            }
        } else if let Some(f) = SimdLoad::from_operator(op) {
            let memarg = match op {
                O::V128Load8x8S { memarg }
                | O::V128Load8x8U { memarg }
                | O::V128Load16x4S { memarg }
                | O::V128Load16x4U { memarg }
                | O::V128Load32x2S { memarg }
                | O::V128Load32x2U { memarg }
                | O::V128Load8Splat { memarg }
                | O::V128Load16Splat { memarg }
                | O::V128Load32Splat { memarg }
                | O::V128Load64Splat { memarg }
                | O::V128Load32Zero { memarg }
                | O::V128Load64Zero { memarg } => memarg,
                _ => unreachable!("SimdLoad covers exactly these operators"),
            };
            let at = match self.simd_address(memarg) {
                Ok(at) => at,
                Err(e) => return Some(Err(e)),
            };
            let addr = self.operand_slot(h - 1);
            self.stack.truncate(h - 1);
            match at {
                SimdAddress::Memory0(offset) => {
                    self.emit_v128_result(|dst| Instr::V128LoadPartial { dst, addr, offset, op: f })
                }
                SimdAddress::Other { mem, offset } => {
                    let pool = self.pool_index(offset as u128);
                    self.emit_v128_result(|dst| Instr::V128LoadPartialMem { dst, addr, mem, op: f, pool });
                }
            }
        } else {
            return self.translate_simd_immediate_op(op);
        }
        Some(Ok(()))
    }

    /// The SIMD operators with lane, memory or vector immediates.
    fn translate_simd_immediate_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        let h = self.stack.height();
        match *op {
            O::V128Const { value } => {
                let pool = self.pool_index(value.i128() as u128);
                self.emit_v128_result(|dst| Instr::V128Const { dst, pool });
            }
            O::I8x16Shuffle { lanes } => {
                let pool = self.pool_index(u128::from_le_bytes(lanes));
                let b = self.v128_slot(h - 2);
                let a = self.v128_slot(h - 4);
                self.stack.truncate(h - 4);
                self.emit_v128_result(|dst| Instr::I8x16Shuffle { dst, a, b, pool });
            }
            O::I8x16ExtractLaneS { lane }
            | O::I8x16ExtractLaneU { lane }
            | O::I16x8ExtractLaneS { lane }
            | O::I16x8ExtractLaneU { lane }
            | O::I32x4ExtractLane { lane }
            | O::I64x2ExtractLane { lane }
            | O::F32x4ExtractLane { lane }
            | O::F64x2ExtractLane { lane } => {
                let f = SimdExtract::from_operator(op).expect("an extract_lane operator");
                let src = self.v128_slot(h - 2);
                self.stack.truncate(h - 2);
                self.emit_result(|dst| Instr::V128Extract { dst, src, lane, op: f });
            }
            O::I8x16ReplaceLane { lane }
            | O::I16x8ReplaceLane { lane }
            | O::I32x4ReplaceLane { lane }
            | O::I64x2ReplaceLane { lane }
            | O::F32x4ReplaceLane { lane }
            | O::F64x2ReplaceLane { lane } => {
                let f = SimdReplace::from_operator(op).expect("a replace_lane operator");
                let x = self.operand_slot(h - 1);
                let a = self.v128_slot(h - 3);
                self.stack.truncate(h - 3);
                self.emit_v128_result(|dst| Instr::V128Replace { dst, a, x, lane, op: f });
            }
            O::V128Load { memarg } => {
                let at = match self.simd_address(&memarg) {
                    Ok(at) => at,
                    Err(e) => return Some(Err(e)),
                };
                let addr = self.operand_slot(h - 1);
                self.stack.truncate(h - 1);
                self.emit_v128_result(|dst| match at {
                    SimdAddress::Memory0(offset) => Instr::V128Load { dst, addr, offset },
                    SimdAddress::Other { mem, offset } => Instr::V128LoadMem { dst, addr, mem, offset },
                });
            }
            O::V128Store { memarg } => {
                let at = match self.simd_address(&memarg) {
                    Ok(at) => at,
                    Err(e) => return Some(Err(e)),
                };
                let value = self.v128_slot(h - 2);
                let addr = self.operand_slot(h - 3);
                self.stack.truncate(h - 3);
                self.emit(match at {
                    SimdAddress::Memory0(offset) => Instr::V128Store { addr, value, offset },
                    SimdAddress::Other { mem, offset } => Instr::V128StoreMem { addr, value, mem, offset },
                });
            }
            O::V128Load8Lane { memarg, lane } => return Some(self.load_lane(&memarg, lane, 1)),
            O::V128Load16Lane { memarg, lane } => return Some(self.load_lane(&memarg, lane, 2)),
            O::V128Load32Lane { memarg, lane } => return Some(self.load_lane(&memarg, lane, 4)),
            O::V128Load64Lane { memarg, lane } => return Some(self.load_lane(&memarg, lane, 8)),
            O::V128Store8Lane { memarg, lane } => return Some(self.store_lane(&memarg, lane, 1)),
            O::V128Store16Lane { memarg, lane } => return Some(self.store_lane(&memarg, lane, 2)),
            O::V128Store32Lane { memarg, lane } => return Some(self.store_lane(&memarg, lane, 4)),
            O::V128Store64Lane { memarg, lane } => return Some(self.store_lane(&memarg, lane, 8)),
            _ => return None,
        }
        Some(Ok(()))
    }

    /// `v128.load{8,16,32,64}_lane` of `size` bytes.
    fn load_lane(&mut self, memarg: &MemArg, lane: u8, size: u8) -> Result<(), CompileError> {
        let at = self.simd_address(memarg)?;
        let h = self.stack.height();
        let v = self.v128_slot(h - 2);
        let addr = self.operand_slot(h - 3);
        self.stack.truncate(h - 3);
        match at {
            SimdAddress::Memory0(offset) => {
                self.emit_v128_result(|dst| Instr::V128LoadLane { dst, addr, v, offset, lane, size })
            }
            SimdAddress::Other { mem, offset } => {
                let pool = self.pool_index(offset as u128);
                self.emit_v128_result(|dst| Instr::V128LoadLaneMem { dst, addr, v, mem, lane, size, pool });
            }
        }
        Ok(())
    }

    /// `v128.store{8,16,32,64}_lane` of `size` bytes.
    fn store_lane(&mut self, memarg: &MemArg, lane: u8, size: u8) -> Result<(), CompileError> {
        let at = self.simd_address(memarg)?;
        let h = self.stack.height();
        let value = self.v128_slot(h - 2);
        let addr = self.operand_slot(h - 3);
        self.stack.truncate(h - 3);
        let instr = match at {
            SimdAddress::Memory0(offset) => Instr::V128StoreLane { addr, value, offset, lane, size },
            SimdAddress::Other { mem, offset } => {
                let pool = self.pool_index(offset as u128);
                Instr::V128StoreLaneMem { addr, value, mem, lane, size, pool }
            }
        };
        self.emit(instr);
        Ok(())
    }

    /// The slot of the v128 whose low half is at stack position `pos` (its high half at
    /// `pos + 1`): its own temporaries, or a v128 local read in place; anything else is
    /// materialised first.
    pub(super) fn v128_slot(&mut self, pos: usize) -> Slot {
        match (self.stack.get(pos), self.stack.get(pos + 1)) {
            (Operand::Temp, Operand::Temp) => self.stack.slot(pos),
            (Operand::Local(lo), Operand::Local(hi)) if hi == lo + 1 => lo,
            _ => {
                self.materialize(pos);
                self.materialize(pos + 1);
                self.stack.slot(pos)
            }
        }
    }

    /// Appends an instruction that writes a v128 to the next two stack positions, and pushes
    /// that result.
    pub(super) fn emit_v128_result(&mut self, make: impl FnOnce(Slot) -> Instr) {
        self.emit_result(make);
        self.stack.push(Operand::Temp);
    }

    /// If the v128 at stack position `pos` was loaded from memory 0 by the last instruction
    /// (nothing can jump after it) and `op`, its consumer, has a fast path: removes the load
    /// and gives its address slot and offset, for [`Instr::V128LoadBinopK`].
    fn take_v128_load(&mut self, pos: usize, op: SimdBinop) -> Option<(Slot, u32)> {
        if (self.stack.get(pos), self.stack.get(pos + 1)) != (Operand::Temp, Operand::Temp)
            || self.last_label_at == Some(self.code.len())
            || !crate::engine::exec::has_fast_binop(op)
        {
            return None;
        }
        match *self.code.last()? {
            Instr::V128Load { dst, addr, offset } if dst == self.stack.slot(pos) => {
                self.code.pop();
                self.last_result = None;
                Some((addr, offset))
            }
            _ => None,
        }
    }

    /// If the v128 at stack position `pos` was computed by the last instruction, a
    /// `V128Binop` (nothing can jump after it), and both it and `op2`, its consumer, have a fast
    /// path: removes it and gives its operand slots and operation, for
    /// [`Instr::V128BinopBinop`]. (The operands' slots still hold what it read: nothing ran
    /// between.)
    fn take_v128_binop(&mut self, pos: usize, op2: SimdBinop) -> Option<(Slot, Slot, SimdBinop)> {
        if (self.stack.get(pos), self.stack.get(pos + 1)) != (Operand::Temp, Operand::Temp)
            || self.last_label_at == Some(self.code.len())
            || !crate::engine::exec::has_fast_binop(op2)
        {
            return None;
        }
        match *self.code.last()? {
            Instr::V128Binop { dst, a, b, op }
                if dst == self.stack.slot(pos) && crate::engine::exec::has_fast_binop(op) =>
            {
                self.code.pop();
                self.last_result = None;
                Some((a, b, op))
            }
            _ => None,
        }
    }

    /// If the scalar at stack position `pos` (the top) was loaded from memory 0 by the last
    /// instruction (nothing can jump after it) with the width that splat `op` takes: removes
    /// the load and gives its address slot, offset and the equivalent `v128.loadN_splat`.
    fn take_splat_load(&mut self, pos: usize, op: SimdSplat) -> Option<(Slot, u32, SimdLoad)> {
        if self.stack.get(pos) != Operand::Temp
            || self.last_result.map(|i| i + 1) != Some(self.code.len())
            || self.last_label_at == Some(self.code.len())
        {
            return None;
        }
        let temp = self.stack.slot(pos);
        let (addr, offset, splat) = match (*self.code.last()?, op) {
            (
                Instr::I32Load { dst, addr, offset } | Instr::F32Load { dst, addr, offset },
                SimdSplat::I32x4Splat | SimdSplat::F32x4Splat,
            ) if dst == temp => (addr, offset, SimdLoad::V128Load32Splat),
            (
                Instr::I64Load { dst, addr, offset } | Instr::F64Load { dst, addr, offset },
                SimdSplat::I64x2Splat | SimdSplat::F64x2Splat,
            ) if dst == temp => (addr, offset, SimdLoad::V128Load64Splat),
            (Instr::I32Load8U { dst, addr, offset }, SimdSplat::I8x16Splat) if dst == temp => {
                (addr, offset, SimdLoad::V128Load8Splat)
            }
            (Instr::I32Load16U { dst, addr, offset }, SimdSplat::I16x8Splat) if dst == temp => {
                (addr, offset, SimdLoad::V128Load16Splat)
            }
            _ => return None,
        };
        if addr == crate::engine::ir::ACC {
            return None;
        }
        self.code.pop();
        self.last_result = None;
        Some((addr, offset, splat))
    }

    /// If the v128 at stack position `pos` (the top) was computed by the last instruction and
    /// that is a `v128.const`, removes the instruction and gives its pool index: the consumer
    /// reads the constant from the pool itself (no instruction, no cells written).
    fn take_v128_const(&mut self, pos: usize) -> Option<i32> {
        if (self.stack.get(pos), self.stack.get(pos + 1)) != (Operand::Temp, Operand::Temp)
            || self.last_result.map(|i| i + 1) != Some(self.code.len())
        {
            return None;
        }
        match *self.code.last()? {
            Instr::V128Const { dst, pool } if dst == self.stack.slot(pos) => {
                self.code.pop();
                self.last_result = None;
                Some(pool)
            }
            _ => None,
        }
    }

    /// Adds `value` to the constant pool; its index (turned into a relative offset by
    /// [`Translator::finish_simd_pool`]).
    fn pool_index(&mut self, value: u128) -> i32 {
        self.v128_pool.push(value);
        (self.v128_pool.len() - 1) as i32
    }

    /// `drop` of a v128.
    pub(super) fn drop_v128(&mut self) {
        let h = self.stack.height();
        self.stack.truncate(h - 2);
    }

    /// `select` of v128 operands (a, b, cond).
    pub(super) fn select_v128(&mut self) {
        let h = self.stack.height();
        let cond = self.operand_slot(h - 1);
        let b = self.v128_slot(h - 3);
        let a = self.v128_slot(h - 5);
        self.stack.truncate(h - 5);
        self.emit_v128_result(|dst| Instr::V128Select { dst, cond, a, b });
    }

    /// `global.get` of a v128 global.
    pub(super) fn global_get_v128(&mut self, global: u32) {
        self.emit_v128_result(|dst| Instr::GlobalGetV128 { dst, global });
    }

    /// `global.set` of a v128 global.
    pub(super) fn global_set_v128(&mut self, global: u32) {
        let h = self.stack.height();
        let src = self.v128_slot(h - 2);
        self.stack.truncate(h - 2);
        self.emit(Instr::GlobalSetV128 { src, global });
    }

    /// `local.get` of the v128 local at slots `local`, `local + 1`.
    pub(super) fn local_get_v128(&mut self, local: Slot) {
        self.stack.push(Operand::Local(local));
        self.stack.push(Operand::Local(local + 1));
    }

    /// `local.set` / `local.tee` of the v128 local at slots `local`, `local + 1`.
    pub(super) fn local_set_v128(&mut self, local: Slot, tee: bool) {
        let h = self.stack.height();
        let (lo, hi) = (h - 2, h - 1);
        let values = [self.stack.get(lo), self.stack.get(hi)];
        // A v128 computed by the instruction just emitted is retargeted to the local.
        let mut retarget = values == [Operand::Temp, Operand::Temp]
            && self.last_result.map(|i| i + 1) == Some(self.code.len())
            && self.code.last_mut().and_then(|i| i.v128_dst_mut()).is_some_and(|d| *d == self.stack.slot(lo));
        self.stack.truncate(lo);
        // Entries that still read the old value of the local in place keep it by copying it.
        if self.stack.has_local_refs(local) || self.stack.has_local_refs(local + 1) {
            retarget = false;
            for p in 0..self.stack.height() {
                if matches!(self.stack.get(p), Operand::Local(l) if l == local || l == local + 1) {
                    self.materialize(p);
                }
            }
        }
        if retarget {
            *self.code.last_mut().and_then(|i| i.v128_dst_mut()).expect("a retargetable result") = local;
            self.fuse_v128_accumulate(local, self.stack.slot(lo + 2));
        } else {
            for (i, value) in values.into_iter().enumerate() {
                let dst = local + i as Slot;
                match value {
                    Operand::Temp => self.emit(Instr::Copy { dst, src: self.stack.slot(lo + i) }),
                    Operand::Local(src) if src == dst => {}
                    Operand::Local(src) => self.emit(Instr::Copy { dst, src }),
                    Operand::Const(value) => self.emit(Instr::Const { dst, value }),
                }
            }
        }
        self.last_result = None;
        if tee {
            self.local_get_v128(local);
        }
    }

    /// Merges `V128LoadBinopK { dst: t }` or `V128BinopLoad { dst: t }` and
    /// `V128Binop { dst: local, a: local, b: t }` (or `a: t, b: local` when the operation
    /// commutes; the last two instructions, `t` the temporary `temp` read only by the second,
    /// nothing jumping between them) into one [`Instr::V128LoadBinopKAcc`] or
    /// [`Instr::V128BinopLoadAcc`] that updates `local` in place.
    fn fuse_v128_accumulate(&mut self, local: Slot, temp: Slot) {
        let n = self.code.len();
        if n < 2 || self.last_label_at == Some(n - 1) {
            return;
        }
        let Instr::V128Binop { dst, a, b, op: op2 } = self.code[n - 1] else { return };
        // `op2(local, t)`, or `op2(t, local)` when `op2` commutes.
        let in_order = a == local && b == temp;
        let swapped = a == temp && b == local && op2.commutes();
        if dst != local || !(in_order || swapped) || !crate::engine::exec::has_fast_binop(op2) {
            return;
        }
        let fused = match self.code[n - 2] {
            Instr::V128LoadBinopK { dst: t, addr, op, offset, pool } if t == temp => {
                Instr::V128LoadBinopKAcc { dst: local, addr, op, op2, offset, pool }
            }
            Instr::V128BinopLoad { dst: t, a: x, addr, op, offset } if t == temp => {
                Instr::V128BinopLoadAcc { dst: local, a: x, addr, op, op2, offset }
            }
            _ => return,
        };
        self.code.pop();
        self.code[n - 2] = fused;
    }

    /// Places the constant pool after the last instruction (two [`Instr::PoolData`] entries
    /// per value) and turns the pool indices of the instructions that use it into offsets
    /// relative to themselves.
    pub(super) fn finish_simd_pool(&mut self) {
        if self.v128_pool.is_empty() {
            return;
        }
        let base = self.code.len();
        for (at, instr) in self.code.iter_mut().enumerate() {
            if let Instr::V128Const { pool, .. }
            | Instr::V128BinopK { pool, .. }
            | Instr::V128LoadBinopK { pool, .. }
            | Instr::V128LoadBinopKAcc { pool, .. }
            | Instr::I8x16Shuffle { pool, .. }
            | Instr::V128LoadPartialMem { pool, .. }
            | Instr::V128LoadLaneMem { pool, .. }
            | Instr::V128StoreLaneMem { pool, .. } = instr
            {
                *pool = (base + 2 * *pool as usize) as i32 - at as i32;
            }
        }
        for &v in &self.v128_pool {
            self.code.push(Instr::PoolData { bits: v as u64 });
            self.code.push(Instr::PoolData { bits: (v >> 64) as u64 });
        }
    }
}

/// Where a SIMD load or store goes.
#[derive(Clone, Copy)]
enum SimdAddress {
    /// Memory 0, a 32-bit memory (the tuned instructions), at this offset.
    Memory0(u32),
    /// Any other memory, or a 64-bit memory 0 (the `*Mem` instructions).
    Other { mem: u16, offset: u64 },
}

impl Translator<'_> {
    /// The memory and offset of a SIMD memory access.
    fn simd_address(&self, memarg: &MemArg) -> Result<SimdAddress, CompileError> {
        let mem = match memarg.target {
            wasmparser::MemArgTarget::Memory(m) => m,
            wasmparser::MemArgTarget::Array(_) => 0, // rejected by validation without GC
        };
        if !self.is_ext_memory(mem) {
            // A 32-bit memory's offsets are validated to fit 32 bits.
            let offset = u32::try_from(memarg.offset).map_err(|_| CompileError::new("offset out of range", None))?;
            return Ok(SimdAddress::Memory0(offset));
        }
        let mem = u16::try_from(mem).map_err(|_| CompileError::new("too many memories", None))?;
        Ok(SimdAddress::Other { mem, offset: memarg.offset })
    }
}
