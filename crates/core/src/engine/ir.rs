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
//! immediate, and `Br<Cmp>` variants fuse a comparison with a conditional branch.

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

/// Generates [`Instr`] and its shape-specific helpers from lists of variant names grouped by
/// operand shape, so that the enum, the `dst` accessor and the operator mapping stay in sync.
macro_rules! define_instr {
    (
        unary { $($un:ident),* $(,)? }
        binary { $($bin:ident),* $(,)? }
        binary_imm { $($bimm:ident),* $(,)? }
        binary_imm64 { $($bimm64:ident),* $(,)? }
        load { $($ld:ident),* $(,)? }
        store { $($st:ident),* $(,)? }
        branch_cmp { $($bc:ident),* $(,)? }
        branch_cmp_imm { $($bci:ident),* $(,)? }
        branch_cmp_imm64 { $($bci64:ident),* $(,)? }
        other { $( $(#[$meta:meta])* $o:ident $({ $($f:ident : $t:ty),* $(,)? })? ),* $(,)? }
        other_with_dst { $( $(#[$dmeta:meta])* $od:ident { $($df:ident : $dt:ty),* $(,)? } ),* $(,)? }
    ) => {
        /// One instruction of the internal form. See the module documentation.
        ///
        /// `repr(u16)`: the first two bytes of every instruction are its [`Op`] number, which the
        /// interpreter uses to find the instruction's handler (the variants' fields are laid
        /// out like `repr(C)` structs after the tag, so field order matters for the size).
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[repr(u16)]
        pub(crate) enum Instr {
            $(
                #[doc = concat!("`dst = ", stringify!($un), "(src)`")]
                $un { dst: Slot, src: Slot },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($bin), "(lhs, rhs)`")]
                $bin { dst: Slot, lhs: Slot, rhs: Slot },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($bimm), "(lhs, imm)`")]
                $bimm { dst: Slot, lhs: Slot, imm: i32 },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($bimm64), "(lhs, imm)`")]
                $bimm64 { dst: Slot, lhs: Slot, imm: i64 },
            )*
            $(
                #[doc = concat!("`dst = ", stringify!($ld), "(memory 0 at addr + offset)`")]
                $ld { dst: Slot, addr: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("`", stringify!($st), "` of `value` to memory 0 at addr + offset")]
                $st { addr: Slot, value: Slot, offset: u32 },
            )*
            $(
                #[doc = concat!("Branch by `offset` when the comparison `", stringify!($bc), "` of lhs and rhs holds")]
                $bc { lhs: Slot, rhs: Slot, offset: i32 },
            )*
            $(
                #[doc = concat!("Branch by `offset` when the comparison `", stringify!($bci), "` of lhs and imm holds")]
                $bci { lhs: Slot, imm: i32, offset: i32 },
            )*
            $(
                #[doc = concat!("Branch by `offset` when the comparison `", stringify!($bci64), "` of lhs and imm holds")]
                $bci64 { lhs: Slot, offset: i32, imm: i64 },
            )*
            $( $(#[$meta])* $o $({ $($f: $t),* })?, )*
            $( $(#[$dmeta])* $od { $($df: $dt),* }, )*
        }

        /// The operation of an [`Instr`] without its operands: same variants, same order, so
        /// `Op::X as u16` is the tag of `Instr::X { .. }`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        #[allow(dead_code)] // variants are only created by transmuting a tag
        pub(crate) enum Op {
            $( $un, )*
            $( $bin, )*
            $( $bimm, )*
            $( $bimm64, )*
            $( $ld, )*
            $( $st, )*
            $( $bc, )*
            $( $bci, )*
            $( $bci64, )*
            $( $o, )*
            $( $od, )*
        }

        impl Op {
            /// The number of operations.
            pub(crate) const COUNT: usize = [$( Op::$un, )* $( Op::$bin, )* $( Op::$bimm, )* $( Op::$bimm64, )*
                $( Op::$ld, )* $( Op::$st, )* $( Op::$bc, )* $( Op::$bci, )* $( Op::$bci64, )* $( Op::$o, )*
                $( Op::$od, )*].len();

            /// The operation with number `i`.
            ///
            /// # Panics
            /// If `i >= Op::COUNT` (at compile time when used in a constant).
            pub(crate) const fn from_index(i: usize) -> Op {
                assert!(i < Op::COUNT);
                // SAFETY: `Op` is a fieldless `repr(u16)` enum with the implicit discriminants
                // `0..COUNT`, and `i` is one of them.
                unsafe { std::mem::transmute::<u16, Op>(i as u16) }
            }
        }

        impl Instr {
            /// The operation of this instruction.
            #[cfg(test)]
            pub(crate) fn op(&self) -> Op {
                match self {
                    $( Instr::$un { .. } => Op::$un, )*
                    $( Instr::$bin { .. } => Op::$bin, )*
                    $( Instr::$bimm { .. } => Op::$bimm, )*
                    $( Instr::$bimm64 { .. } => Op::$bimm64, )*
                    $( Instr::$ld { .. } => Op::$ld, )*
                    $( Instr::$st { .. } => Op::$st, )*
                    $( Instr::$bc { .. } => Op::$bc, )*
                    $( Instr::$bci { .. } => Op::$bci, )*
                    $( Instr::$bci64 { .. } => Op::$bci64, )*
                    $( Instr::$o { .. } => Op::$o, )*
                    $( Instr::$od { .. } => Op::$od, )*
                }
            }

            /// Which operands are the accumulator ([`ACC_IN1`], [`ACC_IN2`], [`ACC_OUT`] bits).
            pub(crate) fn acc_mode(&self) -> u8 {
                let a = |s: Slot, bit: u8| if s == ACC { bit } else { 0 };
                match *self {
                    $( Instr::$un { dst, src } => a(src, ACC_IN1) | a(dst, ACC_OUT), )*
                    $( Instr::$bin { dst, lhs, rhs } => a(lhs, ACC_IN1) | a(rhs, ACC_IN2) | a(dst, ACC_OUT), )*
                    $( Instr::$bimm { dst, lhs, .. } => a(lhs, ACC_IN1) | a(dst, ACC_OUT), )*
                    $( Instr::$bimm64 { dst, lhs, .. } => a(lhs, ACC_IN1) | a(dst, ACC_OUT), )*
                    $( Instr::$ld { dst, addr, .. } => a(addr, ACC_IN1) | a(dst, ACC_OUT), )*
                    $( Instr::$st { addr, value, .. } => a(addr, ACC_IN1) | a(value, ACC_IN2), )*
                    $( Instr::$bc { lhs, rhs, .. } => a(lhs, ACC_IN1) | a(rhs, ACC_IN2), )*
                    $( Instr::$bci { lhs, .. } => a(lhs, ACC_IN1), )*
                    $( Instr::$bci64 { lhs, .. } => a(lhs, ACC_IN1), )*
                    Instr::BrIfNez { cond, .. } | Instr::BrIfEqz { cond, .. }
                    | Instr::BrI64Eqz { cond, .. } | Instr::BrI64Nez { cond, .. } => a(cond, ACC_IN1),
                    Instr::BrTable { index, .. } => a(index, ACC_IN1),
                    Instr::ReturnSlot { src } => a(src, ACC_IN1),
                    Instr::Store8Imm { addr, .. } | Instr::Store16Imm { addr, .. }
                    | Instr::Store32Imm { addr, .. } | Instr::Store64Imm { addr, .. } => a(addr, ACC_IN1),
                    _ => 0,
                }
            }

            /// Makes source operands that read slot `from` read [`ACC`] instead (only operands
            /// that may be the accumulator: see [`Instr::acc_mode`]); returns how many.
            pub(crate) fn read_acc(&mut self, from: Slot) -> usize {
                let mut n = 0;
                let mut r = |s: &mut Slot| if *s == from { *s = ACC; n += 1 };
                match self {
                    $( Instr::$un { src, .. } => r(src), )*
                    $( Instr::$bin { lhs, rhs, .. } => { r(lhs); r(rhs) } )*
                    $( Instr::$bimm { lhs, .. } => r(lhs), )*
                    $( Instr::$bimm64 { lhs, .. } => r(lhs), )*
                    $( Instr::$ld { addr, .. } => r(addr), )*
                    $( Instr::$st { addr, value, .. } => { r(addr); r(value) } )*
                    $( Instr::$bc { lhs, rhs, .. } => { r(lhs); r(rhs) } )*
                    $( Instr::$bci { lhs, .. } => r(lhs), )*
                    $( Instr::$bci64 { lhs, .. } => r(lhs), )*
                    Instr::BrIfNez { cond, .. } | Instr::BrIfEqz { cond, .. }
                    | Instr::BrI64Eqz { cond, .. } | Instr::BrI64Nez { cond, .. } => r(cond),
                    Instr::BrTable { index, .. } => r(index),
                    Instr::ReturnSlot { src } => r(src),
                    Instr::Store8Imm { addr, .. } | Instr::Store16Imm { addr, .. }
                    | Instr::Store32Imm { addr, .. } | Instr::Store64Imm { addr, .. } => r(addr),
                    _ => {}
                }
                n
            }

            /// Whether the result of this instruction may go to [`ACC`].
            pub(crate) fn may_write_acc(&self) -> bool {
                matches!(self, $( Instr::$un { .. } )|* | $( Instr::$bin { .. } )|* | $( Instr::$bimm { .. } )|*
                    | $( Instr::$bimm64 { .. } )|* | $( Instr::$ld { .. } )|*)
            }

            /// The slot this instruction writes its single result to, if it has exactly one
            /// (used to retarget a result straight into a local for `local.set`).
            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $( Instr::$un { dst, .. } => Some(dst), )*
                    $( Instr::$bin { dst, .. } => Some(dst), )*
                    $( Instr::$bimm { dst, .. } => Some(dst), )*
                    $( Instr::$bimm64 { dst, .. } => Some(dst), )*
                    $( Instr::$ld { dst, .. } => Some(dst), )*
                    $( Instr::$od { dst, .. } => Some(dst), )*
                    _ => None,
                }
            }

            /// The branch offset of a branch instruction, for patching forward jumps.
            pub(crate) fn branch_offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    $( Instr::$bc { offset, .. } => Some(offset), )*
                    $( Instr::$bci { offset, .. } => Some(offset), )*
                    $( Instr::$bci64 { offset, .. } => Some(offset), )*
                    Instr::Br { offset } | Instr::BrIfNez { offset, .. } | Instr::BrIfEqz { offset, .. }
                    | Instr::BrI64Eqz { offset, .. } | Instr::BrI64Nez { offset, .. } => Some(offset),
                    _ => None,
                }
            }
        }

        /// The instruction for a unary wasm operator (`dst = op(src)`), if it is one.
        pub(crate) fn unary_op(op: &wasmparser::Operator<'_>) -> Option<fn(Slot, Slot) -> Instr> {
            match op {
                $( wasmparser::Operator::$un => Some(|dst, src| Instr::$un { dst, src }), )*
                _ => None,
            }
        }

        /// The instruction for a binary wasm operator (`dst = op(lhs, rhs)`), if it is one.
        pub(crate) fn binary_op(op: &wasmparser::Operator<'_>) -> Option<fn(Slot, Slot, Slot) -> Instr> {
            match op {
                $( wasmparser::Operator::$bin => Some(|dst, lhs, rhs| Instr::$bin { dst, lhs, rhs }), )*
                _ => None,
            }
        }

        /// The instruction and memory argument for a load operator, if it is one.
        pub(crate) fn load_op(op: &wasmparser::Operator<'_>) -> Option<(wasmparser::MemArg, fn(Slot, Slot, u32) -> Instr)> {
            match op {
                $( wasmparser::Operator::$ld { memarg } => Some((*memarg, |dst, addr, offset| Instr::$ld { dst, addr, offset })), )*
                _ => None,
            }
        }

        /// The instruction and memory argument for a store operator, if it is one.
        pub(crate) fn store_op(op: &wasmparser::Operator<'_>) -> Option<(wasmparser::MemArg, fn(Slot, Slot, u32) -> Instr)> {
            match op {
                $( wasmparser::Operator::$st { memarg } => Some((*memarg, |addr, value, offset| Instr::$st { addr, value, offset })), )*
                _ => None,
            }
        }
    };
}

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
        // f64 operations with the constant's bits as the immediate
        F64AddImm, F64SubImm, F64MulImm, F64DivImm,
    }
    load {
        I32Load, I64Load, F32Load, F64Load,
        I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
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
    }
    branch_cmp_imm64 {
        BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm,
        BrI64LeSImm, BrI64LeUImm, BrI64GeSImm, BrI64GeUImm,
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
        /// Jump to entry `min(index, len)` of the `len + 1` single-instruction entries that
        /// follow (each a `Br`, a return, or a `Br` to a copy trampoline).
        BrTable { index: Slot, len: u32 },
        /// Return without results.
        Return,
        /// Return one result, copied from `src` to slot 0.
        ReturnSlot { src: Slot },
        /// Return one constant result (raw cell bits).
        ReturnImm { value: u64 },
        /// Return `len` results, copied (forwards) from `src..src+len` to `0..len`.
        ReturnSpan { src: Slot, len: u16 },

        // ---- calls: arguments are in `args..`, results come back to `args..` ----
        /// Call defined function `func` (index among the module's *defined* functions).
        Call { func: u32, args: Slot },
        /// Call imported function `func` (a host function or another instance's function).
        CallImport { func: u32, args: Slot },
        /// `call_indirect` through table `table` with expected type index `ty`; the element
        /// index is in `index`.
        CallIndirect { index: Slot, args: Slot, ty: u32, table: u32 },

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

        // ---- bulk memory (memory 0) ----
        /// `memory.copy`: operands (dst, src, len) in `args..args+3`.
        MemoryCopy { args: Slot },
        /// `memory.fill`: operands (dst, value, len) in `args..args+3`.
        MemoryFill { args: Slot },
        /// `memory.init`: operands (dst, src, len) in `args..args+3`.
        MemoryInit { seg: u32, args: Slot },
        /// `data.drop`.
        DataDrop { seg: u32 },
    }
    other_with_dst {
        // ---- data movement ----
        /// `dst = src` (a whole cell).
        Copy { dst: Slot, src: Slot },
        /// `dst = value` (raw cell bits of a constant of any type).
        Const { dst: Slot, value: u64 },
        /// `dst = cond != 0 ? a : b` (`select`, untyped and typed).
        Select { dst: Slot, cond: Slot, a: Slot, b: Slot },
        /// `dst = value of numeric global `global``.
        GlobalGet { dst: Slot, global: u32 },
        /// `dst = reference in global `global``.
        GlobalGetRef { dst: Slot, global: u32 },
        /// `dst = ref.func func`.
        RefFunc { dst: Slot, func: u32 },
        /// `dst = table.get table [index]`.
        TableGet { dst: Slot, index: Slot, table: u32 },
        /// `dst = table.size table`.
        TableSize { dst: Slot, table: u32 },
        /// `dst = table.grow table (init = args, delta = args + 1)`.
        TableGrow { dst: Slot, table: u32, args: Slot },
        /// `dst = memory.size` (memory 0) in pages.
        MemorySize { dst: Slot },
        /// `dst = memory.grow delta` (memory 0): old size in pages, or -1.
        MemoryGrow { dst: Slot, delta: Slot },
    }
}

impl Instr {
    /// The fused compare-and-branch instruction for comparison instruction `cmp`, branching
    /// when the comparison holds (`negate == false`) or fails (`negate == true`). Only integer
    /// comparisons fuse (a negated float comparison is not a comparison, because of NaN).
    pub(crate) fn fuse_compare(cmp: &Instr, negate: bool, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! pick {
            ($lhs:expr, $rhs:expr, $yes:ident, $no:ident) => {
                if negate {
                    $no { lhs: $lhs, rhs: $rhs, offset }
                } else {
                    $yes { lhs: $lhs, rhs: $rhs, offset }
                }
            };
        }
        macro_rules! pick_imm {
            ($lhs:expr, $imm:expr, $yes:ident, $no:ident) => {
                if negate {
                    $no { lhs: $lhs, imm: $imm, offset }
                } else {
                    $yes { lhs: $lhs, imm: $imm, offset }
                }
            };
        }
        Some(match *cmp {
            I32Eqz { src, .. } => {
                if negate {
                    BrIfNez { cond: src, offset }
                } else {
                    BrIfEqz { cond: src, offset }
                }
            }
            I64Eqz { src, .. } => {
                if negate {
                    BrI64Nez { cond: src, offset }
                } else {
                    BrI64Eqz { cond: src, offset }
                }
            }
            I32Eq { lhs, rhs, .. } => pick!(lhs, rhs, BrI32Eq, BrI32Ne),
            I32Ne { lhs, rhs, .. } => pick!(lhs, rhs, BrI32Ne, BrI32Eq),
            I32LtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LtS, BrI32GeS),
            I32LtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LtU, BrI32GeU),
            I32GtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GtS, BrI32LeS),
            I32GtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GtU, BrI32LeU),
            I32LeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LeS, BrI32GtS),
            I32LeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32LeU, BrI32GtU),
            I32GeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GeS, BrI32LtS),
            I32GeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI32GeU, BrI32LtU),
            I64Eq { lhs, rhs, .. } => pick!(lhs, rhs, BrI64Eq, BrI64Ne),
            I64Ne { lhs, rhs, .. } => pick!(lhs, rhs, BrI64Ne, BrI64Eq),
            I64LtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LtS, BrI64GeS),
            I64LtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LtU, BrI64GeU),
            I64GtS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GtS, BrI64LeS),
            I64GtU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GtU, BrI64LeU),
            I64LeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LeS, BrI64GtS),
            I64LeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64LeU, BrI64GtU),
            I64GeS { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GeS, BrI64LtS),
            I64GeU { lhs, rhs, .. } => pick!(lhs, rhs, BrI64GeU, BrI64LtU),
            I32EqImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32EqImm, BrI32NeImm),
            I32NeImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32NeImm, BrI32EqImm),
            I32LtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LtSImm, BrI32GeSImm),
            I32LtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LtUImm, BrI32GeUImm),
            I32GtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GtSImm, BrI32LeSImm),
            I32GtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GtUImm, BrI32LeUImm),
            I32LeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LeSImm, BrI32GtSImm),
            I32LeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32LeUImm, BrI32GtUImm),
            I32GeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GeSImm, BrI32LtSImm),
            I32GeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI32GeUImm, BrI32LtUImm),
            I64EqImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64EqImm, BrI64NeImm),
            I64NeImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64NeImm, BrI64EqImm),
            I64LtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LtSImm, BrI64GeSImm),
            I64LtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LtUImm, BrI64GeUImm),
            I64GtSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GtSImm, BrI64LeSImm),
            I64GtUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GtUImm, BrI64LeUImm),
            I64LeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LeSImm, BrI64GtSImm),
            I64LeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64LeUImm, BrI64GtUImm),
            I64GeSImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GeSImm, BrI64LtSImm),
            I64GeUImm { lhs, imm, .. } => pick_imm!(lhs, imm, BrI64GeUImm, BrI64LtUImm),
            _ => return None,
        })
    }

    /// The store of constant `c` (raw cell bits) for store operator `op`.
    pub(crate) fn store_imm(op: &wasmparser::Operator<'_>, addr: Slot, offset: u32, c: u64) -> Option<Instr> {
        use wasmparser::Operator as O;
        let value = c as u32 as i32;
        Some(match op {
            O::I32Store8 { .. } | O::I64Store8 { .. } => Instr::Store8Imm { addr, offset, value },
            O::I32Store16 { .. } | O::I64Store16 { .. } => Instr::Store16Imm { addr, offset, value },
            O::I32Store { .. } | O::F32Store { .. } | O::I64Store32 { .. } => Instr::Store32Imm { addr, offset, value },
            O::I64Store { .. } | O::F64Store { .. } => Instr::Store64Imm { addr, offset, value: c as i64 },
            _ => return None,
        })
    }

    /// For a conditional branch, the branch with the opposite condition and branch offset
    /// `offset` (integer conditions only, so the negation is exact).
    pub(crate) fn negate_branch(&self, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! flip {
            ($($a:ident <=> $b:ident),* $(,)?) => {
                match *self {
                    BrIfNez { cond, .. } => BrIfEqz { cond, offset },
                    BrIfEqz { cond, .. } => BrIfNez { cond, offset },
                    BrI64Eqz { cond, .. } => BrI64Nez { cond, offset },
                    BrI64Nez { cond, .. } => BrI64Eqz { cond, offset },
                    $(
                        $a { lhs, rhs, .. } => $b { lhs, rhs, offset },
                        $b { lhs, rhs, .. } => $a { lhs, rhs, offset },
                    )*
                    _ => return self.negate_branch_imm(offset),
                }
            };
        }
        Some(flip! {
            BrI32Eq <=> BrI32Ne, BrI32LtS <=> BrI32GeS, BrI32LtU <=> BrI32GeU,
            BrI32GtS <=> BrI32LeS, BrI32GtU <=> BrI32LeU,
            BrI64Eq <=> BrI64Ne, BrI64LtS <=> BrI64GeS, BrI64LtU <=> BrI64GeU,
            BrI64GtS <=> BrI64LeS, BrI64GtU <=> BrI64LeU,
        })
    }

    /// [`Instr::negate_branch`] for the compare-with-immediate branches.
    fn negate_branch_imm(&self, offset: i32) -> Option<Instr> {
        use Instr::*;
        macro_rules! flip {
            ($($a:ident <=> $b:ident),* $(,)?) => {
                match *self {
                    $(
                        $a { lhs, imm, .. } => $b { lhs, imm, offset },
                        $b { lhs, imm, .. } => $a { lhs, imm, offset },
                    )*
                    _ => return None,
                }
            };
        }
        Some(flip! {
            BrI32EqImm <=> BrI32NeImm, BrI32LtSImm <=> BrI32GeSImm, BrI32LtUImm <=> BrI32GeUImm,
            BrI32GtSImm <=> BrI32LeSImm, BrI32GtUImm <=> BrI32LeUImm,
            BrI64EqImm <=> BrI64NeImm, BrI64LtSImm <=> BrI64GeSImm, BrI64LtUImm <=> BrI64GeUImm,
            BrI64GtSImm <=> BrI64LeSImm, BrI64GtUImm <=> BrI64LeUImm,
        })
    }

    /// The immediate form of a binary operator whose right operand is the constant `c`
    /// (raw cell bits), if there is one. A subtraction becomes an addition of `-c`.
    pub(crate) fn binary_imm(op: &wasmparser::Operator<'_>, dst: Slot, lhs: Slot, c: u64) -> Option<Instr> {
        use wasmparser::Operator as O;
        use Instr::*;
        let c32 = c as u32 as i32;
        let c64 = c as i64;
        Some(match op {
            O::I32Add => I32AddImm { dst, lhs, imm: c32 },
            O::I32Sub => I32AddImm { dst, lhs, imm: c32.wrapping_neg() },
            O::I32Mul => I32MulImm { dst, lhs, imm: c32 },
            O::I32And => I32AndImm { dst, lhs, imm: c32 },
            O::I32Or => I32OrImm { dst, lhs, imm: c32 },
            O::I32Xor => I32XorImm { dst, lhs, imm: c32 },
            O::I32Shl => I32ShlImm { dst, lhs, imm: c32 },
            O::I32ShrS => I32ShrSImm { dst, lhs, imm: c32 },
            O::I32ShrU => I32ShrUImm { dst, lhs, imm: c32 },
            O::I32Rotl => I32RotlImm { dst, lhs, imm: c32 },
            O::I32Rotr => I32RotrImm { dst, lhs, imm: c32 },
            O::I32Eq => I32EqImm { dst, lhs, imm: c32 },
            O::I32Ne => I32NeImm { dst, lhs, imm: c32 },
            O::I32LtS => I32LtSImm { dst, lhs, imm: c32 },
            O::I32LtU => I32LtUImm { dst, lhs, imm: c32 },
            O::I32GtS => I32GtSImm { dst, lhs, imm: c32 },
            O::I32GtU => I32GtUImm { dst, lhs, imm: c32 },
            O::I32LeS => I32LeSImm { dst, lhs, imm: c32 },
            O::I32LeU => I32LeUImm { dst, lhs, imm: c32 },
            O::I32GeS => I32GeSImm { dst, lhs, imm: c32 },
            O::I32GeU => I32GeUImm { dst, lhs, imm: c32 },
            O::I64Add => I64AddImm { dst, lhs, imm: c64 },
            O::I64Sub => I64AddImm { dst, lhs, imm: c64.wrapping_neg() },
            O::I64Mul => I64MulImm { dst, lhs, imm: c64 },
            O::I64And => I64AndImm { dst, lhs, imm: c64 },
            O::I64Or => I64OrImm { dst, lhs, imm: c64 },
            O::I64Xor => I64XorImm { dst, lhs, imm: c64 },
            O::I64Shl => I64ShlImm { dst, lhs, imm: c64 },
            O::I64ShrS => I64ShrSImm { dst, lhs, imm: c64 },
            O::I64ShrU => I64ShrUImm { dst, lhs, imm: c64 },
            O::I64Rotl => I64RotlImm { dst, lhs, imm: c64 },
            O::I64Rotr => I64RotrImm { dst, lhs, imm: c64 },
            O::I64Eq => I64EqImm { dst, lhs, imm: c64 },
            O::I64Ne => I64NeImm { dst, lhs, imm: c64 },
            O::I64LtS => I64LtSImm { dst, lhs, imm: c64 },
            O::I64LtU => I64LtUImm { dst, lhs, imm: c64 },
            O::I64GtS => I64GtSImm { dst, lhs, imm: c64 },
            O::I64GtU => I64GtUImm { dst, lhs, imm: c64 },
            O::I64LeS => I64LeSImm { dst, lhs, imm: c64 },
            O::I64LeU => I64LeUImm { dst, lhs, imm: c64 },
            O::I64GeS => I64GeSImm { dst, lhs, imm: c64 },
            O::I64GeU => I64GeUImm { dst, lhs, imm: c64 },
            O::F32Add => F32AddImm { dst, lhs, imm: c32 },
            O::F32Sub => F32SubImm { dst, lhs, imm: c32 },
            O::F32Mul => F32MulImm { dst, lhs, imm: c32 },
            O::F32Div => F32DivImm { dst, lhs, imm: c32 },
            O::F64Add => F64AddImm { dst, lhs, imm: c64 },
            O::F64Sub => F64SubImm { dst, lhs, imm: c64 },
            O::F64Mul => F64MulImm { dst, lhs, imm: c64 },
            O::F64Div => F64DivImm { dst, lhs, imm: c64 },
            _ => return None,
        })
    }
}

/// For a commutative-with-mirror binary operator, the operator to use when its operands are
/// swapped (`c < x` is `x > c`), so that a constant left operand can become an immediate.
pub(crate) fn swapped_operator<'a>(op: &wasmparser::Operator<'a>) -> Option<wasmparser::Operator<'a>> {
    use wasmparser::Operator as O;
    Some(match op {
        O::I32Add => O::I32Add,
        O::I32Mul => O::I32Mul,
        O::I32And => O::I32And,
        O::I32Or => O::I32Or,
        O::I32Xor => O::I32Xor,
        O::I32Eq => O::I32Eq,
        O::I32Ne => O::I32Ne,
        O::I32LtS => O::I32GtS,
        O::I32LtU => O::I32GtU,
        O::I32GtS => O::I32LtS,
        O::I32GtU => O::I32LtU,
        O::I32LeS => O::I32GeS,
        O::I32LeU => O::I32GeU,
        O::I32GeS => O::I32LeS,
        O::I32GeU => O::I32LeU,
        O::I64Add => O::I64Add,
        O::I64Mul => O::I64Mul,
        O::I64And => O::I64And,
        O::I64Or => O::I64Or,
        O::I64Xor => O::I64Xor,
        O::I64Eq => O::I64Eq,
        O::I64Ne => O::I64Ne,
        O::I64LtS => O::I64GtS,
        O::I64LtU => O::I64GtU,
        O::I64GtS => O::I64LtS,
        O::I64GtU => O::I64LtU,
        O::I64LeS => O::I64GeS,
        O::I64LeU => O::I64GeU,
        O::I64GeS => O::I64LeS,
        O::I64GeU => O::I64LeU,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instr_is_at_most_16_bytes() {
        assert!(std::mem::size_of::<Instr>() <= 16, "Instr is {} bytes", std::mem::size_of::<Instr>());
    }

    #[test]
    fn tags_are_op_numbers() {
        let samples = [
            Instr::I32Eqz { dst: 1, src: 2 },
            Instr::I64Add { dst: 1, lhs: 2, rhs: 3 },
            Instr::BrI64GeUImm { lhs: 1, offset: -4, imm: 7 },
            Instr::Unreachable,
            Instr::MemoryGrow { dst: 1, delta: 2 },
        ];
        for i in samples {
            // SAFETY: `Instr` is `repr(u16)`: its first two bytes are the tag.
            let tag = unsafe { *(&i as *const Instr as *const u16) };
            assert_eq!(tag, i.op() as u16);
            assert_eq!(Op::from_index(tag as usize), i.op());
        }
        assert_eq!(Op::from_index(Op::COUNT - 1), Op::MemoryGrow);
    }

    #[test]
    fn fused_compare_negation() {
        let cmp = Instr::I32LtS { dst: 5, lhs: 1, rhs: 2 };
        assert_eq!(Instr::fuse_compare(&cmp, false, 3), Some(Instr::BrI32LtS { lhs: 1, rhs: 2, offset: 3 }));
        assert_eq!(Instr::fuse_compare(&cmp, true, 3), Some(Instr::BrI32GeS { lhs: 1, rhs: 2, offset: 3 }));
        let fcmp = Instr::F32Lt { dst: 5, lhs: 1, rhs: 2 };
        assert_eq!(Instr::fuse_compare(&fcmp, true, 3), None);
    }

    #[test]
    fn branch_negation() {
        let b = Instr::BrI32LtU { lhs: 1, rhs: 2, offset: 9 };
        assert_eq!(b.negate_branch(-3), Some(Instr::BrI32GeU { lhs: 1, rhs: 2, offset: -3 }));
        let b = Instr::BrI64GtSImm { lhs: 1, offset: 9, imm: -5 };
        assert_eq!(b.negate_branch(4), Some(Instr::BrI64LeSImm { lhs: 1, offset: 4, imm: -5 }));
        assert_eq!(Instr::BrIfEqz { cond: 3, offset: 1 }.negate_branch(2), Some(Instr::BrIfNez { cond: 3, offset: 2 }));
        assert_eq!(Instr::Br { offset: 1 }.negate_branch(2), None);
    }

    #[test]
    fn immediates() {
        use wasmparser::Operator as O;
        let imm = |op: &O<'_>, c: u64| Instr::binary_imm(op, 0, 1, c);
        assert_eq!(imm(&O::I32Sub, 5), Some(Instr::I32AddImm { dst: 0, lhs: 1, imm: -5 }));
        assert_eq!(imm(&O::I64Add, 1 << 40), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: 1 << 40 }));
        assert_eq!(imm(&O::I64Add, (-7i64) as u64), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: -7 }));
        assert_eq!(imm(&O::I64Sub, i64::MIN as u64), Some(Instr::I64AddImm { dst: 0, lhs: 1, imm: i64::MIN }));
        assert_eq!(imm(&O::F64Add, 0), Some(Instr::F64AddImm { dst: 0, lhs: 1, imm: 0 }));
        assert_eq!(imm(&O::F64Min, 0), None);
        assert_eq!(imm(&O::I32DivU, 3), None);
    }
}
