//! Translation of memories beyond WebAssembly 2.0: multi-memory, memory64 and threads (atomics).
//!
//! Memory 0 with 32-bit addresses keeps the tuned instructions of `translate/mod.rs` (its base
//! and length travel in registers); every access to another memory, or to a 64-bit memory,
//! becomes one of the `*Mem` instructions, which read the memory from the instance. Atomic
//! instructions always come here.

use wasmparser::{MemArg, Operator};

use super::Translator;
use crate::engine::ir::{Instr, Slot};
use crate::error::CompileError;

/// A load of memory `mem` (`dst, addr, mem, offset`).
type LoadMem = fn(Slot, Slot, u16, u64) -> Instr;
/// A store to memory `mem` (`addr, value, mem, offset`).
type StoreMem = fn(Slot, Slot, u16, u64) -> Instr;

/// The `*Mem` instruction of a plain load operator.
fn load_mem(op: &Operator<'_>) -> Option<(MemArg, LoadMem)> {
    use Operator as O;
    macro_rules! m {
        ($($o:ident => $i:ident),*) => {
            match *op {
                $( O::$o { memarg } => Some((memarg, |dst, addr, mem, offset| Instr::$i { dst, addr, mem, offset })), )*
                _ => None,
            }
        };
    }
    m!(I32Load => I32LoadMem, I64Load => I64LoadMem, F32Load => F32LoadMem, F64Load => F64LoadMem,
       I32Load8S => I32Load8SMem, I32Load8U => I32Load8UMem, I32Load16S => I32Load16SMem, I32Load16U => I32Load16UMem,
       I64Load8S => I64Load8SMem, I64Load8U => I64Load8UMem, I64Load16S => I64Load16SMem, I64Load16U => I64Load16UMem,
       I64Load32S => I64Load32SMem, I64Load32U => I64Load32UMem)
}

/// The `*Mem` instruction of a plain store operator.
fn store_mem(op: &Operator<'_>) -> Option<(MemArg, StoreMem)> {
    use Operator as O;
    macro_rules! m {
        ($($o:ident => $i:ident),*) => {
            match *op {
                $( O::$o { memarg } => Some((memarg, |addr, value, mem, offset| Instr::$i { addr, value, mem, offset })), )*
                _ => None,
            }
        };
    }
    m!(I32Store => I32StoreMem, I64Store => I64StoreMem, F32Store => F32StoreMem, F64Store => F64StoreMem,
       I32Store8 => I32Store8Mem, I32Store16 => I32Store16Mem, I64Store8 => I64Store8Mem, I64Store16 => I64Store16Mem,
       I64Store32 => I64Store32Mem)
}

/// The kinds of atomic operators, with log2 of their access size.
enum Atomic {
    Load(u8),
    Store(u8),
    /// `kind << 2 | size` (see [`Instr::AtomicRmw`]).
    Rmw(u8),
    Cmpxchg(u8),
    Notify,
    Wait(u8),
}

/// The kind and memory argument of an atomic memory operator.
fn atomic(op: &Operator<'_>) -> Option<(MemArg, Atomic)> {
    use Operator as O;
    macro_rules! rmw {
        ($memarg:expr, $kind:expr, $size:expr) => {
            Some(($memarg, Atomic::Rmw(($kind << 2) | $size)))
        };
    }
    match *op {
        O::I32AtomicLoad { memarg } => Some((memarg, Atomic::Load(2))),
        O::I64AtomicLoad { memarg } => Some((memarg, Atomic::Load(3))),
        O::I32AtomicLoad8U { memarg } | O::I64AtomicLoad8U { memarg } => Some((memarg, Atomic::Load(0))),
        O::I32AtomicLoad16U { memarg } | O::I64AtomicLoad16U { memarg } => Some((memarg, Atomic::Load(1))),
        O::I64AtomicLoad32U { memarg } => Some((memarg, Atomic::Load(2))),
        O::I32AtomicStore { memarg } | O::I64AtomicStore32 { memarg } => Some((memarg, Atomic::Store(2))),
        O::I64AtomicStore { memarg } => Some((memarg, Atomic::Store(3))),
        O::I32AtomicStore8 { memarg } | O::I64AtomicStore8 { memarg } => Some((memarg, Atomic::Store(0))),
        O::I32AtomicStore16 { memarg } | O::I64AtomicStore16 { memarg } => Some((memarg, Atomic::Store(1))),
        O::I32AtomicRmwAdd { memarg } | O::I64AtomicRmw32AddU { memarg } => rmw!(memarg, 0, 2),
        O::I64AtomicRmwAdd { memarg } => rmw!(memarg, 0, 3),
        O::I32AtomicRmw8AddU { memarg } | O::I64AtomicRmw8AddU { memarg } => rmw!(memarg, 0, 0),
        O::I32AtomicRmw16AddU { memarg } | O::I64AtomicRmw16AddU { memarg } => rmw!(memarg, 0, 1),
        O::I32AtomicRmwSub { memarg } | O::I64AtomicRmw32SubU { memarg } => rmw!(memarg, 1, 2),
        O::I64AtomicRmwSub { memarg } => rmw!(memarg, 1, 3),
        O::I32AtomicRmw8SubU { memarg } | O::I64AtomicRmw8SubU { memarg } => rmw!(memarg, 1, 0),
        O::I32AtomicRmw16SubU { memarg } | O::I64AtomicRmw16SubU { memarg } => rmw!(memarg, 1, 1),
        O::I32AtomicRmwAnd { memarg } | O::I64AtomicRmw32AndU { memarg } => rmw!(memarg, 2, 2),
        O::I64AtomicRmwAnd { memarg } => rmw!(memarg, 2, 3),
        O::I32AtomicRmw8AndU { memarg } | O::I64AtomicRmw8AndU { memarg } => rmw!(memarg, 2, 0),
        O::I32AtomicRmw16AndU { memarg } | O::I64AtomicRmw16AndU { memarg } => rmw!(memarg, 2, 1),
        O::I32AtomicRmwOr { memarg } | O::I64AtomicRmw32OrU { memarg } => rmw!(memarg, 3, 2),
        O::I64AtomicRmwOr { memarg } => rmw!(memarg, 3, 3),
        O::I32AtomicRmw8OrU { memarg } | O::I64AtomicRmw8OrU { memarg } => rmw!(memarg, 3, 0),
        O::I32AtomicRmw16OrU { memarg } | O::I64AtomicRmw16OrU { memarg } => rmw!(memarg, 3, 1),
        O::I32AtomicRmwXor { memarg } | O::I64AtomicRmw32XorU { memarg } => rmw!(memarg, 4, 2),
        O::I64AtomicRmwXor { memarg } => rmw!(memarg, 4, 3),
        O::I32AtomicRmw8XorU { memarg } | O::I64AtomicRmw8XorU { memarg } => rmw!(memarg, 4, 0),
        O::I32AtomicRmw16XorU { memarg } | O::I64AtomicRmw16XorU { memarg } => rmw!(memarg, 4, 1),
        O::I32AtomicRmwXchg { memarg } | O::I64AtomicRmw32XchgU { memarg } => rmw!(memarg, 5, 2),
        O::I64AtomicRmwXchg { memarg } => rmw!(memarg, 5, 3),
        O::I32AtomicRmw8XchgU { memarg } | O::I64AtomicRmw8XchgU { memarg } => rmw!(memarg, 5, 0),
        O::I32AtomicRmw16XchgU { memarg } | O::I64AtomicRmw16XchgU { memarg } => rmw!(memarg, 5, 1),
        O::I32AtomicRmwCmpxchg { memarg } | O::I64AtomicRmw32CmpxchgU { memarg } => Some((memarg, Atomic::Cmpxchg(2))),
        O::I64AtomicRmwCmpxchg { memarg } => Some((memarg, Atomic::Cmpxchg(3))),
        O::I32AtomicRmw8CmpxchgU { memarg } | O::I64AtomicRmw8CmpxchgU { memarg } => Some((memarg, Atomic::Cmpxchg(0))),
        O::I32AtomicRmw16CmpxchgU { memarg } | O::I64AtomicRmw16CmpxchgU { memarg } => {
            Some((memarg, Atomic::Cmpxchg(1)))
        }
        O::MemoryAtomicNotify { memarg } => Some((memarg, Atomic::Notify)),
        O::MemoryAtomicWait32 { memarg } => Some((memarg, Atomic::Wait(2))),
        O::MemoryAtomicWait64 { memarg } => Some((memarg, Atomic::Wait(3))),
        _ => None,
    }
}

/// The memory index of a memory argument (0 for a GC array target, which validation rejects
/// without GC).
fn mem_of(memarg: &MemArg) -> u32 {
    match memarg.target {
        wasmparser::MemArgTarget::Memory(m) => m,
        wasmparser::MemArgTarget::Array(_) => 0,
    }
}

/// A memory index as an instruction field.
fn mem16(mem: u32) -> Result<u16, CompileError> {
    u16::try_from(mem).map_err(|_| CompileError::new("too many memories", None))
}

/// A memory index as an atomic instruction's field.
fn mem8(mem: u32) -> Result<u8, CompileError> {
    u8::try_from(mem).map_err(|_| CompileError::new("atomic access to a memory index above 255", None))
}

impl Translator<'_> {
    /// Whether memory `mem` needs the general (`*Mem`) instructions: any memory but a 32-bit
    /// memory 0. (Other groups with memory operands, e.g. SIMD loads, check this too and use
    /// [`crate::engine::exec::ops::memory_ext::effective_address`] for such memories.)
    pub(super) fn is_ext_memory(&self, mem: u32) -> bool {
        mem != 0 || self.module.memories.first().is_some_and(|m| m.memory64)
    }

    /// Called before the memory-0 paths of `translate_plain_op`: translates a plain memory
    /// operator on a memory that needs the general instructions; `None` for anything else.
    pub(super) fn translate_ext_memory_access(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        // The common case: at most one memory, with 32-bit addresses.
        if self.module.memories.len() <= 1 && !self.is_ext_memory(0) {
            return None;
        }
        let ext = match *op {
            O::MemorySize { mem } | O::MemoryGrow { mem } | O::MemoryFill { mem } | O::MemoryInit { mem, .. } => {
                self.is_ext_memory(mem)
            }
            O::MemoryCopy { dst_mem, src_mem } => self.is_ext_memory(dst_mem) || self.is_ext_memory(src_mem),
            // (SIMD accesses of these memories are translated by `translate/simd.rs`.)
            _ => match load_mem(op).or_else(|| store_mem(op)) {
                Some((memarg, _)) => self.is_ext_memory(mem_of(&memarg)),
                None => false,
            },
        };
        if ext {
            self.translate_memory_ext_op(op)
        } else {
            None
        }
    }

    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_memory_ext_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        {
            if let Some((memarg, make)) = load_mem(op) {
                let mem = match mem16(mem_of(&memarg)) {
                    Ok(m) => m,
                    Err(e) => return Some(Err(e)),
                };
                let addr = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit_result(|dst| make(dst, addr, mem, memarg.offset));
                return Some(Ok(()));
            }
            if let Some((memarg, make)) = store_mem(op) {
                let mem = match mem16(mem_of(&memarg)) {
                    Ok(m) => m,
                    Err(e) => return Some(Err(e)),
                };
                let h = self.stack.height();
                let value = self.operand_slot(h - 1);
                let addr = self.operand_slot(h - 2);
                self.pop_n(2);
                self.emit(make(addr, value, mem, memarg.offset));
                return Some(Ok(()));
            }
            if let Some((memarg, kind)) = atomic(op) {
                return Some(self.atomic(memarg, kind));
            }
            let r = match *op {
                O::MemorySize { mem } => {
                    mem16(mem).map(|mem| self.emit_result(|dst| Instr::MemorySizeMem { dst, mem }))
                }
                O::MemoryGrow { mem } => mem16(mem).map(|mem| {
                    let delta = self.operand_slot(self.stack.height() - 1);
                    self.stack.pop();
                    self.emit_result(|dst| Instr::MemoryGrowMem { dst, delta, mem });
                }),
                O::MemoryFill { mem } => mem16(mem).map(|mem| self.bulk(3, |args| Instr::MemoryFillMem { args, mem })),
                O::MemoryCopy { dst_mem, src_mem } => mem16(dst_mem).and_then(|dst_mem| {
                    let src_mem = mem16(src_mem)?;
                    self.bulk(3, |args| Instr::MemoryCopyMem { args, dst_mem, src_mem });
                    Ok(())
                }),
                O::MemoryInit { data_index, mem } => {
                    mem16(mem).map(|mem| self.bulk(3, |args| Instr::MemoryInitMem { args, mem, seg: data_index }))
                }
                O::AtomicFence { .. } => {
                    self.emit(Instr::AtomicFence);
                    Ok(())
                }
                _ => return None,
            };
            Some(r)
        }
    }

    /// An atomic memory operator.
    fn atomic(&mut self, memarg: MemArg, kind: Atomic) -> Result<(), CompileError> {
        let offset = memarg.offset;
        match kind {
            Atomic::Load(size) => {
                let mem = mem8(mem_of(&memarg))?;
                let addr = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit_result(|dst| Instr::AtomicLoad { dst, addr, mem, size, offset });
            }
            Atomic::Store(size) => {
                let mem = mem8(mem_of(&memarg))?;
                let h = self.stack.height();
                let value = self.operand_slot(h - 1);
                let addr = self.operand_slot(h - 2);
                self.pop_n(2);
                self.emit(Instr::AtomicStore { addr, value, mem, size, offset });
            }
            Atomic::Rmw(op) => {
                let mem = mem8(mem_of(&memarg))?;
                let args = self.args(2);
                self.emit_result(|dst| Instr::AtomicRmw { dst, args, mem, op, offset });
            }
            Atomic::Cmpxchg(size) => {
                let mem = mem8(mem_of(&memarg))?;
                let args = self.args(3);
                self.emit_result(|dst| Instr::AtomicCmpxchg { dst, args, mem, size, offset });
            }
            Atomic::Notify => {
                let mem = mem16(mem_of(&memarg))?;
                let args = self.args(2);
                self.emit_result(|dst| Instr::AtomicNotify { dst, args, mem, offset });
            }
            Atomic::Wait(size) => {
                let mem = mem8(mem_of(&memarg))?;
                let args = self.args(3);
                self.emit_result(|dst| Instr::AtomicWait { dst, args, mem, size, offset });
            }
        }
        Ok(())
    }

    /// Materialises the top `n` operands into consecutive slots and pops them; returns the
    /// first slot (the result then goes to the same slot).
    fn args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let args = self.stack.slot(self.stack.height() - n);
        self.pop_n(n);
        args
    }
}
