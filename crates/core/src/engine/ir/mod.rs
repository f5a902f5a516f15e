//! The internal instruction form: a register (slot) machine with three-address instructions.
//!
//! Every function runs in a *frame* of untyped 64-bit cells addressed by [`Slot`] (an index
//! relative to the frame pointer): first the parameters, then the declared locals, then one
//! cell per position of the wasm operand stack (a "temporary"). Instructions name the slots they
//! read and the slot they write (`I32Add { dst, lhs, rhs }`); `local.get` and constants usually
//! cost nothing because their users read the local's slot or carry an immediate.
//!
//! Branch offsets count instructions from the instruction after the branch, and are
//! resolved at translation time; nothing is decoded or searched at run time.
//!
//! Numeric instructions whose names match a wasm operator (`I32Add`, `F64Sqrt`, `I64Load8U`…)
//! have exactly that operator's semantics. `*Imm` variants take their right operand as an
//! immediate, and `Br<Cmp>` variants fuse a comparison with a conditional branch. Other
//! superinstructions (`I32AddShl`, `*LoadShl`, `F64MulLoad`, `Latch*`, …) do the work of two
//! wasm-level instructions; see [`rewrite`] for how they are formed.
//!
//! Any source operand of a numeric instruction, load, store or conditional branch may be
//! [`ACC`] (the value the previous instruction left in the accumulator), and so may the result
//! of a numeric instruction or load that only the next instruction reads. The handler for an
//! instruction is chosen by its operation *and* its [`Instr::acc_mode`].

/// A frame slot index (relative to the frame pointer).
pub(crate) type Slot = u16;

/// The *accumulator*: a slot number no frame has (frames have at most `ACC` slots) that
/// stands for a value kept in a CPU register between two consecutive instructions. An
/// instruction whose result the next instruction consumes (and nothing else reads) writes it
/// to `ACC`, and the consumer reads `ACC`, which saves a store and a load (and the
/// store-to-load forwarding latency) on the dependency chain. See [`Instr::acc_mode`].
pub(crate) const ACC: Slot = Slot::MAX;

/// [`Instr::acc_mode`] bit: the first source operand is [`ACC`].
pub(crate) const ACC_IN1: u8 = 1;
/// [`Instr::acc_mode`] bit: the second source operand is [`ACC`].
pub(crate) const ACC_IN2: u8 = 2;
/// [`Instr::acc_mode`] bit: the result goes to [`ACC`].
pub(crate) const ACC_OUT: u8 = 4;

pub(crate) mod gc;
mod rewrite;
mod shape;

pub(crate) use self::rewrite::swapped_operator;
use self::shape::define_instr;
use crate::engine::simd::ops::{
    SimdBinop, SimdExtract, SimdLoad, SimdReplace, SimdShift, SimdSplat, SimdTernop, SimdTest, SimdUnop,
};

define_instr! {
    unary {
        // i32
        I32Eqz, I32Clz, I32Ctz, I32Popcnt, I32Extend8S, I32Extend16S,
        // i64
        I64Eqz, I64Clz, I64Ctz, I64Popcnt, I64Extend8S, I64Extend16S, I64Extend32S,
        // f32
        F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
        // f64
        F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
        // conversions (trapping truncations included)
        I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
        I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
        F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
        F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
        I32ReinterpretF32, I64ReinterpretF64, F32ReinterpretI32, F64ReinterpretI64,
        // saturating truncations
        I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
        I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
    }
    binary {
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
        I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
        F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
        F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
        I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
        I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
        I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
        I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
        F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
        F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
    }
    binary_imm {
        I32AddImm, I32MulImm, I32AndImm, I32OrImm, I32XorImm,
        I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm, I32RotrImm,
        I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm,
        I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,
        // f32 operations with the constant's bits as the immediate
        F32AddImm, F32SubImm, F32MulImm, F32DivImm,
    }
    binary_imm64 {
        I64AddImm, I64MulImm, I64AndImm, I64OrImm, I64XorImm,
        I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm, I64RotrImm,
        I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm,
        I64LeSImm, I64LeUImm, I64GeSImm, I64GeUImm,
        // i32.div_u by a constant of at least 2: `imm` is its reciprocal `u64::MAX / d + 1`
        // (see `rewrite::div_u_reciprocal`), so the quotient is a multiplication
        I32DivUImm,
        // f64 operations with the constant's bits as the immediate
        F64AddImm, F64SubImm, F64MulImm, F64DivImm,
    }
    load {
        I32Load, I64Load, F32Load, F64Load,
        I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
    }
    load_shl {
        I32Load => I32LoadShl, I64Load => I64LoadShl, F32Load => F32LoadShl, F64Load => F64LoadShl,
        I32Load8S => I32Load8SShl, I32Load8U => I32Load8UShl, I32Load16S => I32Load16SShl,
        I32Load16U => I32Load16UShl, I64Load8S => I64Load8SShl, I64Load8U => I64Load8UShl,
        I64Load16S => I64Load16SShl, I64Load16U => I64Load16UShl, I64Load32S => I64Load32SShl,
        I64Load32U => I64Load32UShl,
    }
    store {
        I32Store, I64Store, F32Store, F64Store,
        I32Store8, I32Store16, I64Store8, I64Store16, I64Store32,
    }
    branch_cmp {
        BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU, BrI32GeS, BrI32GeU,
        BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU, BrI64LeS, BrI64LeU, BrI64GeS, BrI64GeU,
    }
    branch_cmp_imm {
        BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
        BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm,
        // bit tests: branch when `lhs & imm` is non-zero / zero
        BrI32AndNezImm, BrI32AndEqzImm,
    }
    branch_cmp_imm64 {
        BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm,
        BrI64LeSImm, BrI64LeUImm, BrI64GeSImm, BrI64GeUImm,
    }
    latch_imm {
        LatchImmEq, LatchImmNe, LatchImmLtS, LatchImmLtU, LatchImmGtS, LatchImmGtU,
        LatchImmLeS, LatchImmLeU, LatchImmGeS, LatchImmGeU,
    }
    latch_imm_imm {
        LatchImmEqImm, LatchImmNeImm, LatchImmLtSImm, LatchImmLtUImm, LatchImmGtSImm, LatchImmGtUImm,
        LatchImmLeSImm, LatchImmLeUImm, LatchImmGeSImm, LatchImmGeUImm,
    }
    latch_slot {
        LatchEq, LatchNe, LatchLtS, LatchLtU, LatchGtS, LatchGtU, LatchLeS, LatchLeU, LatchGeS, LatchGeU,
    }
    other {
        // ---- control ----
        /// Trap with `TrapCode::Unreachable`.
        Unreachable,
        /// Unconditional branch by `offset` instructions.
        Br { offset: i32 },
        /// Branch when the i32 in `cond` is not zero.
        BrIfNez { cond: Slot, offset: i32 },
        /// Branch when the i32 in `cond` is zero.
        BrIfEqz { cond: Slot, offset: i32 },
        /// Branch when the i64 in `cond` is zero.
        BrI64Eqz { cond: Slot, offset: i32 },
        /// Branch when the i64 in `cond` is not zero.
        BrI64Nez { cond: Slot, offset: i32 },
        /// Jump to the target of entry `min(index, len)` of the `len + 1` entries that follow,
        /// each a `Br` (to the target, or to a trampoline that copies values or returns).
        BrTable { index: Slot, len: u32 },
        /// Return without results.
        Return,
        /// Return one result, copied from `src` to slot 0.
        ReturnSlot { src: Slot },
        /// Return one constant result (raw cell bits).
        ReturnImm { value: u64 },
        /// Return `len` results, copied (forwards) from `src..src+len` to `0..len`.
        ReturnSpan { src: Slot, len: u16 },

        // ---- calls: arguments are in `args..`, results come back to `args..`, except that a
        // single result goes to `dst` (`args`, or a local the result is assigned to) ----
        /// Call defined function `func` (index among the module's *defined* functions).
        Call { func: u32, args: Slot, dst: Slot },
        /// Call imported function `func` (a host function or another instance's function).
        CallImport { func: u32, args: Slot, dst: Slot },
        /// `call_indirect` through table `table` with expected type index `ty`; the element
        /// index is in `index`.
        CallIndirect { index: Slot, args: Slot, dst: Slot, ty: u32, table: u32 },
        /// The entry of defined function `func` before its first call: translate it, then
        /// continue at its start (see `engine/code.rs`).
        TranslateOnEntry { func: u32 },

        // ---- globals ----
        /// Set numeric i32 global `global` from `src`.
        GlobalSetI32 { src: Slot, global: u32 },
        /// Set numeric i64 global `global` from `src`.
        GlobalSetI64 { src: Slot, global: u32 },
        /// Set f32 global `global` from `src` (bits).
        GlobalSetF32 { src: Slot, global: u32 },
        /// Set f64 global `global` from `src` (bits).
        GlobalSetF64 { src: Slot, global: u32 },
        /// Set funcref global `global` from `src`.
        GlobalSetFuncRef { src: Slot, global: u32 },
        /// Set externref global `global` from `src`.
        GlobalSetExternRef { src: Slot, global: u32 },

        // ---- tables and reference types ----
        /// `table.set`: element `index` of `table` = `value`.
        TableSet { table: u32, index: Slot, value: Slot },
        /// `table.fill`: operands (start, value, len) in `args..args+3`.
        TableFill { table: u32, args: Slot },
        /// `table.copy`: operands (dst, src, len) in `args..args+3`.
        TableCopy { dst_table: u32, src_table: u32, args: Slot },
        /// `table.init`: operands (dst, src, len) in `args..args+3`.
        TableInit { table: u32, elem: u32, args: Slot },
        /// `elem.drop`.
        ElemDrop { elem: u32 },

        // ---- stores of constants (memory 0) ----
        /// Store the low byte of `value` at addr + offset.
        Store8Imm { addr: Slot, offset: u32, value: i32 },
        /// Store the low 16 bits of `value` at addr + offset.
        Store16Imm { addr: Slot, offset: u32, value: i32 },
        /// Store the 32 bits of `value` at addr + offset.
        Store32Imm { addr: Slot, offset: u32, value: i32 },
        /// Store the 64 bits of `value` at addr + offset.
        Store64Imm { addr: Slot, offset: u32, value: i64 },
        /// A loop whose body is one store of a constant at its induction variable: the store
        /// of the low `size` bytes (1, 2 or 4) of `value` at addr + offset, then the loop latch
        /// that follows this instruction (`LatchImm*`, `LatchImm*Imm` or `Latch*` with `slot`
        /// = `addr`, `<`/`!=`, jumping back here), repeated without dispatch while the latch
        /// branches; then continues after the latch (which is never executed itself). Checks
        /// the interrupt word every iteration, like a taken branch.
        StoreImmLoop { addr: Slot, offset: u32, value: i32, size: u8 },

        // ---- bulk memory (memory 0) ----
        /// `memory.copy`: operands (dst, src, len) in `args..args+3`.
        MemoryCopy { args: Slot },
        /// `memory.fill`: operands (dst, value, len) in `args..args+3`.
        MemoryFill { args: Slot },
        /// `memory.init`: operands (dst, src, len) in `args..args+3`.
        MemoryInit { seg: u32, args: Slot },
        /// `data.drop`.
        DataDrop { seg: u32 },

        // ---- limited namespaces (translate/limits.rs, exec/ops/limits.rs) ----
        /// Charge `cost` units of the namespace's fuel (the start of a basic block), or trap
        /// with `OutOfFuel` when less is left.
        Fuel { cost: u32 },
        /// Charge the run-time part of a bulk operation's fuel: the operation's length (the
        /// third of its operands at `args`, as a u32: a 64-bit length is charged modulo 2^32)
        /// shifted right by `shift`.
        FuelBulk { args: Slot, shift: u8 },
        /// Replace a NaN f32 in `slot` by the canonical NaN (deterministic mode).
        CanonF32 { slot: Slot },
        /// Replace a NaN f64 in `slot` by the canonical NaN.
        CanonF64 { slot: Slot },
        /// Replace every NaN lane of the f32x4 at `slot` by the canonical NaN.
        CanonF32x4 { slot: Slot },
        /// Replace every NaN lane of the f64x2 at `slot` by the canonical NaN.
        CanonF64x2 { slot: Slot },

        // ---- SIMD (translate/simd.rs, exec/ops/simd.rs); a v128 occupies two consecutive
        // slots (low half first) and instructions name the first ----
        /// `v128.store` of the v128 at `value` to memory 0 at addr + offset.
        V128Store { addr: Slot, value: Slot, offset: u32 },
        /// `v128.store{8,16,32,64}_lane`: lane `lane` (`size` bytes) of the v128 at `value` to
        /// memory 0 at addr + offset.
        V128StoreLane { addr: Slot, value: Slot, offset: u32, lane: u8, size: u8 },
        /// Set v128 global `global` from the v128 at `src`.
        GlobalSetV128 { src: Slot, global: u32 },
        /// 64 bits of a function's constant pool (`v128.const` values, `i8x16.shuffle` lane
        /// indices), placed after the last instruction; never executed.
        PoolData { bits: u64 },
        /// `v128.store` to memory `mem` (any memory but a 32-bit memory 0) at addr + offset.
        V128StoreMem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `v128.store{8,16,32,64}_lane` to memory `mem` (as [`Instr::V128StoreMem`]); the
        /// offset is the low 64 bits of the [`Instr::PoolData`] pair at `pool` (as for
        /// [`Instr::V128Const`]).
        V128StoreLaneMem { addr: Slot, value: Slot, mem: u16, lane: u8, size: u8, pool: i32 },
        /// `dst = op2(dst, op(v128.load(addr + offset), k))` (memory 0) with the constant `k`
        /// in the pool at `pool` (as for [`Instr::V128Const`]): a multiply-accumulate step of
        /// a filter or convolution, `local.set $acc (op2 (local.get $acc) (op (v128.load) k))`,
        /// in one instruction. Formed only for operations with a fast path.
        V128LoadBinopKAcc { dst: Slot, addr: Slot, op: SimdBinop, op2: SimdBinop, offset: u32, pool: i32 },
        /// `dst = op2(dst, op(a, v128.load(addr + offset)))` (memory 0): the accumulation
        /// step of a matrix product (`acc += splat(x) * row`) in one instruction.
        V128BinopLoadAcc { dst: Slot, a: Slot, addr: Slot, op: SimdBinop, op2: SimdBinop, offset: u32 },
        // (end of SIMD)

        // ---- exceptions (translate/exceptions.rs, exec/ops/exceptions.rs) ----
        /// `throw tag`: a new exception of tag `tag` (index in the instance's tags) with the
        /// payload in `args..`; unwinds to the nearest handler (see `engine::handler_regions`).
        Throw { tag: u32, args: Slot },
        /// `throw_ref` / legacy `rethrow`: throws the exception in `src` again (traps on null).
        ThrowRef { src: Slot },
        /// Set exnref global `global` from `src`.
        GlobalSetExnRef { src: Slot, global: u32 },
        // (end of exceptions)

        // ---- multi-memory, memory64, atomics (translate/memory_ext.rs, exec/ops/memory_ext.rs) ----
        // Memory `mem` of any index and address type: the base and length are read from the
        // instance's memory list (not the registers that cache memory 0); for a 64-bit memory
        // the address operands are i64 and offsets may be up to 2^64 - 1.
        /// `i32.store` to memory `mem` at addr + offset.
        I32StoreMem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i64.store` to memory `mem`.
        I64StoreMem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `f32.store` to memory `mem`.
        F32StoreMem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `f64.store` to memory `mem`.
        F64StoreMem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i32.store8` to memory `mem`.
        I32Store8Mem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i32.store16` to memory `mem`.
        I32Store16Mem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i64.store8` to memory `mem`.
        I64Store8Mem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i64.store16` to memory `mem`.
        I64Store16Mem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `i64.store32` to memory `mem`.
        I64Store32Mem { addr: Slot, value: Slot, mem: u16, offset: u64 },
        /// `memory.copy` from `src_mem` to `dst_mem`: operands (dst, src, len) in `args..args+3`.
        MemoryCopyMem { args: Slot, dst_mem: u16, src_mem: u16 },
        /// `memory.fill` of memory `mem`: operands (dst, value, len) in `args..args+3`.
        MemoryFillMem { args: Slot, mem: u16 },
        /// `memory.init` of memory `mem` from data segment `seg`: operands (dst, src, len) in
        /// `args..args+3`.
        MemoryInitMem { args: Slot, mem: u16, seg: u32 },
        /// Atomic store of the low `1 << size` bytes of `value` (SeqCst; traps when unaligned).
        AtomicStore { addr: Slot, value: Slot, mem: u8, size: u8, offset: u64 },
        /// `atomic.fence` (SeqCst).
        AtomicFence,
        // (end of memory extensions)

        // ---- tail calls, typed function references (translate/refs.rs, exec/ops/refs.rs) ----
        // Tail calls replace the running frame: the arguments in `args..` move to the start
        // of the frame. When the callee turns out to be a host function, it is called like
        // `CallImport` (results to `args..`) and the return instruction that follows every
        // tail call returns its results.
        /// `return_call` of defined function `func`.
        ReturnCall { func: u32, args: Slot },
        /// `return_call` of imported function `func`.
        ReturnCallImport { func: u32, args: Slot },
        /// `return_call_indirect` (as `CallIndirect`).
        ReturnCallIndirect { index: Slot, args: Slot, ty: u32, table: u32 },
        /// `call_ref`: calls the function reference in `func` (traps on null).
        CallRef { func: Slot, args: Slot, dst: Slot },
        /// `return_call_ref`: tail-calls the function reference in `func` (traps on null).
        ReturnCallRef { func: Slot, args: Slot },
        /// `ref.as_non_null`: trap when the reference in `src` is null.
        RefAsNonNull { src: Slot },
        // (end of tail calls and references)
        /// `struct.set` of a field of at most 8 bytes of the struct in `obj` to `value`.
        GcStructSet { obj: Slot, value: Slot, slot: u32 },
        /// `array.set` of element `index` (elements of at most 8 bytes) of `arr` to `value`.
        GcArraySet { arr: Slot, index: Slot, value: Slot, slot: u32 },
    }
    other_with_dst {
        // ---- the hottest GC instructions (exec/ops/gc_fast.rs): immediates resolved at
        // translation ([`gc::slot_bits`], cast flags as for `GcOp::RefTest`) ----
        /// `dst = struct.get*` of a field of at most 8 bytes of the struct in `obj`.
        GcStructGet { dst: Slot, obj: Slot, slot: u32 },
        /// `dst = array.get*` of element `index` (elements of at most 8 bytes) of `arr`.
        GcArrayGet { dst: Slot, arr: Slot, index: Slot, slot: u32 },
        /// `dst = array.len arr`.
        GcArrayLen { dst: Slot, arr: Slot },
        /// `dst = ref.test` of `src` against heap type bits `ty` ([`gc::heap_bits`]).
        GcRefTest { dst: Slot, src: Slot, ty: u32, flags: u32 },
        /// `dst = ref.cast` of `src` to heap type bits `ty` (traps when it fails).
        GcRefCast { dst: Slot, src: Slot, ty: u32, flags: u32 },
        // ---- data movement ----
        /// `dst = src` (a whole cell).
        Copy { dst: Slot, src: Slot },
        /// `dst = src; dst2 = src2` (two copies in this order).
        Copy2 { dst: Slot, src: Slot, dst2: Slot, src2: Slot },

        // ---- fused integer operations (superinstructions) ----
        /// `dst = lhs + (rhs << shift)` (i32; array indexing).
        I32AddShl { dst: Slot, lhs: Slot, rhs: Slot, shift: u8 },
        /// `dst = (lhs >> shift) & mask` (i32, logical shift; bit-field extraction).
        I32ShrUAnd { dst: Slot, lhs: Slot, shift: u8, mask: i32 },
        /// `dst = lhs ^ (lhs >> shift)` (i32, logical shift; the xorshift step of hashes and
        /// random number generators).
        I32XorShrU { dst: Slot, lhs: Slot, shift: u8 },
        /// `dst = lhs ^ (lhs >> shift)` (i64, logical shift).
        I64XorShrU { dst: Slot, lhs: Slot, shift: u8 },
        /// `dst = lhs + i32.load(addr + offset)`.
        I32AddLoad { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
        /// `dst = lhs + i64.load(addr + offset)`.
        I64AddLoad { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
        /// `dst = lhs + f64.load(addr + offset)`.
        F64AddLoad { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
        /// `dst = lhs - f64.load(addr + offset)`.
        F64SubLoad { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
        /// `dst = lhs * f64.load(addr + offset)`.
        F64MulLoad { dst: Slot, lhs: Slot, addr: Slot, offset: u32 },
        /// `dst = value` (raw cell bits of a constant of any type).
        Const { dst: Slot, value: u64 },
        /// `dst = cond != 0 ? a : b` (`select`, untyped and typed).
        Select { dst: Slot, cond: Slot, a: Slot, b: Slot },
        /// `dst = (lhs & imm) != 0 ? a : b` (`select` whose condition is an `i32.and` with a
        /// constant, e.g. a bit test in a CRC loop).
        SelectAndImm { dst: Slot, lhs: Slot, imm: i32, a: Slot, b: Slot },
        /// `dst = value of numeric global `global``.
        GlobalGet { dst: Slot, global: u32 },
        /// `dst = reference in global `global``.
        GlobalGetRef { dst: Slot, global: u32 },
        /// `dst = ref.func func`.
        RefFunc { dst: Slot, func: u32 },
        /// A GC instruction (translate/gc.rs, exec/ops/gc.rs): `op` on the operands in
        /// `args..`, its result (if any; a v128 in two cells) to `dst`.
        Gc { dst: Slot, args: Slot, op: gc::GcOp, a: u32, b: u32 },
        /// `dst = table.get table [index]`.
        TableGet { dst: Slot, index: Slot, table: u32 },
        /// `dst = min(src, u32::MAX)`: an i64 address of a 64-bit table saturated to 32 bits for
        /// the table instructions that follow (see `translate/table64.rs`).
        TableAddress64 { dst: Slot, src: Slot },
        /// `dst = table.size table`.
        TableSize { dst: Slot, table: u32 },
        /// `dst = table.grow table (init = args, delta = args + 1)`.
        TableGrow { dst: Slot, table: u32, args: Slot },
        /// `dst = memory.size` (memory 0) in pages.
        MemorySize { dst: Slot },
        /// `dst = memory.grow delta` (memory 0): old size in pages, or -1.
        MemoryGrow { dst: Slot, delta: Slot },

        // ---- SIMD, with a result (a v128 result occupies `dst` and `dst + 1`) ----
        /// `dst = v128.const`: the value is the two [`Instr::PoolData`] entries at `pool`
        /// instructions from this one (a pool index until the function is finished).
        V128Const { dst: Slot, pool: i32 },
        /// `dst = i8x16.shuffle(a, b)` with the 16 lane indices in the two [`Instr::PoolData`]
        /// entries at `pool` (as for [`Instr::V128Const`]).
        I8x16Shuffle { dst: Slot, a: Slot, b: Slot, pool: i32 },
        /// `dst = op(src)` for a v128 unary operation.
        V128Unop { dst: Slot, src: Slot, op: SimdUnop },
        /// `dst = op(a, b)` for a v128 binary operation.
        V128Binop { dst: Slot, a: Slot, b: Slot, op: SimdBinop },
        /// `dst = op(a, k)` for a v128 binary operation whose second operand is the constant `k`
        /// in the two [`Instr::PoolData`] entries at `pool` (as for [`Instr::V128Const`]): a
        /// `v128.const` fused into its consumer.
        V128BinopK { dst: Slot, a: Slot, op: SimdBinop, pool: i32 },
        /// `dst = op2(a, op(b, c))`: a binary operation whose second operand is the product (or
        /// other result) of the instruction before it (`acc + x * y`), in one instruction.
        /// Formed only for operations with a fast path.
        V128BinopBinop { dst: Slot, a: Slot, b: Slot, c: Slot, op: SimdBinop, op2: SimdBinop },
        /// `dst = op(a, v128.load(addr + offset))` (memory 0): a load fused into its consumer.
        /// Formed only for operations with a fast path.
        V128BinopLoad { dst: Slot, a: Slot, addr: Slot, op: SimdBinop, offset: u32 },
        /// `dst = op(v128.load(addr + offset), k)` (memory 0) with the constant `k` in the pool
        /// at `pool` (as for [`Instr::V128BinopK`]): a load fused into its consumer. Formed
        /// only for operations with a fast path.
        V128LoadBinopK { dst: Slot, addr: Slot, op: SimdBinop, offset: u32, pool: i32 },
        /// `dst = op(a, b, c)` for a v128 ternary operation.
        V128Ternop { dst: Slot, a: Slot, b: Slot, c: Slot, op: SimdTernop },
        /// `dst = op(a, n)`: shift of the v128 `a` by the i32 in `n`.
        V128Shift { dst: Slot, a: Slot, n: Slot, op: SimdShift },
        /// `dst = op(src)`: an i32 test of a v128 (`any_true`, `all_true`, `bitmask`).
        V128Test { dst: Slot, src: Slot, op: SimdTest },
        /// `dst = op(src)`: a v128 from the scalar in `src`.
        V128Splat { dst: Slot, src: Slot, op: SimdSplat },
        /// `dst = op(src, lane)`: a scalar lane of a v128.
        V128Extract { dst: Slot, src: Slot, lane: u8, op: SimdExtract },
        /// `dst = op(a, lane, x)`: the v128 `a` with lane `lane` replaced by the scalar `x`.
        V128Replace { dst: Slot, a: Slot, x: Slot, lane: u8, op: SimdReplace },
        /// `dst = v128.load` from memory 0 at addr + offset.
        V128Load { dst: Slot, addr: Slot, offset: u32 },
        /// `dst = op(bytes)` for a load of fewer than 16 bytes from memory 0 at addr + offset.
        V128LoadPartial { dst: Slot, addr: Slot, offset: u32, op: SimdLoad },
        /// `dst = v128.load{8,16,32,64}_lane`: the v128 `v` with lane `lane` replaced by `size`
        /// bytes of memory 0 at addr + offset.
        V128LoadLane { dst: Slot, addr: Slot, v: Slot, offset: u32, lane: u8, size: u8 },
        /// `dst = cond != 0 ? a : b` for v128 operands.
        V128Select { dst: Slot, cond: Slot, a: Slot, b: Slot },
        /// `dst = value of v128 global `global``.
        GlobalGetV128 { dst: Slot, global: u32 },
        /// `dst = v128.load` from memory `mem` (any memory but a 32-bit memory 0) at
        /// addr + offset.
        V128LoadMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `dst = op(bytes)` for a load of fewer than 16 bytes from memory `mem` (as
        /// [`Instr::V128LoadMem`]); the offset is the low 64 bits of the [`Instr::PoolData`]
        /// pair at `pool` (as for [`Instr::V128Const`]), which keeps this instruction in 16 bytes.
        V128LoadPartialMem { dst: Slot, addr: Slot, mem: u16, op: SimdLoad, pool: i32 },
        /// `dst = v128.load{8,16,32,64}_lane` from memory `mem` (as [`Instr::V128LoadMem`]);
        /// the offset is the low 64 bits of the [`Instr::PoolData`] pair at `pool` (as for
        /// [`Instr::V128Const`]).
        V128LoadLaneMem { dst: Slot, addr: Slot, v: Slot, mem: u16, lane: u8, size: u8, pool: i32 },
        // (end of SIMD, with a result)

        // ---- exceptions, with a result ----
        // (end of exceptions, with a result)

        // ---- memory extensions, with a result ----
        /// `i32.load` from memory `mem` at addr + offset.
        I32LoadMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load` from memory `mem`.
        I64LoadMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `f32.load` from memory `mem`.
        F32LoadMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `f64.load` from memory `mem`.
        F64LoadMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i32.load8_s` from memory `mem`.
        I32Load8SMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i32.load8_u` from memory `mem`.
        I32Load8UMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i32.load16_s` from memory `mem`.
        I32Load16SMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i32.load16_u` from memory `mem`.
        I32Load16UMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load8_s` from memory `mem`.
        I64Load8SMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load8_u` from memory `mem`.
        I64Load8UMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load16_s` from memory `mem`.
        I64Load16SMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load16_u` from memory `mem`.
        I64Load16UMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load32_s` from memory `mem`.
        I64Load32SMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `i64.load32_u` from memory `mem`.
        I64Load32UMem { dst: Slot, addr: Slot, mem: u16, offset: u64 },
        /// `dst = memory.size mem` in pages (i64 for a 64-bit memory).
        MemorySizeMem { dst: Slot, mem: u16 },
        /// `dst = memory.grow mem delta`: the old size in pages, or -1 (i64 for a 64-bit memory).
        MemoryGrowMem { dst: Slot, delta: Slot, mem: u16 },
        /// Atomic load of `1 << size` bytes, zero-extended (SeqCst; traps when unaligned).
        AtomicLoad { dst: Slot, addr: Slot, mem: u8, size: u8, offset: u64 },
        /// Atomic read-modify-write: operands (addr, value) in `args..args+2`; `op` is
        /// `kind << 2 | size` with kind 0..6 = add, sub, and, or, xor, xchg; `dst` = the old
        /// value, zero-extended.
        AtomicRmw { dst: Slot, args: Slot, mem: u8, op: u8, offset: u64 },
        /// Atomic compare-exchange of `1 << size` bytes: operands (addr, expected, replacement)
        /// in `args..args+3`; `dst` = the old value, zero-extended.
        AtomicCmpxchg { dst: Slot, args: Slot, mem: u8, size: u8, offset: u64 },
        /// `memory.atomic.notify`: operands (addr, count) in `args..args+2`; `dst` = woken.
        AtomicNotify { dst: Slot, args: Slot, mem: u16, offset: u64 },
        /// `memory.atomic.wait32/64` (`size` 2 or 3): operands (addr, expected, timeout) in
        /// `args..args+3`; `dst` = 0 (woken), 1 (not equal) or 2 (timed out).
        AtomicWait { dst: Slot, args: Slot, mem: u8, size: u8, offset: u64 },
        // (end of memory extensions, with a result)

        // ---- tail calls and references, with a result ----
        // (end of tail calls and references, with a result)
    }
}
