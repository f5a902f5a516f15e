//! The macro that generates [`super::Instr`], [`super::Op`] and their shape-specific helpers
//! from lists of variant names grouped by operand shape.

/// Generates [`Instr`] and its shape-specific helpers from lists of variant names grouped by
/// operand shape, so that the enum, the `dst` accessor and the operator mapping stay in sync.
macro_rules! define_instr {
    (
        unary { $($un:ident),* $(,)? }
        binary { $($bin:ident),* $(,)? }
        binary_imm { $($bimm:ident),* $(,)? }
        binary_imm64 { $($bimm64:ident),* $(,)? }
        load { $($ld:ident),* $(,)? }
        load_shl { $($ldb:ident => $lds:ident),* $(,)? }
        store { $($st:ident),* $(,)? }
        branch_cmp { $($bc:ident),* $(,)? }
        branch_cmp_imm { $($bci:ident),* $(,)? }
        branch_cmp_imm64 { $($bci64:ident),* $(,)? }
        latch_imm { $($lai:ident),* $(,)? }
        latch_imm_imm { $($laii:ident),* $(,)? }
        latch_slot { $($las:ident),* $(,)? }
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
                #[doc = concat!("`dst = ", stringify!($ldb), "(memory 0 at (addr << shift) + offset)` (a scaled index)")]
                $lds { dst: Slot, addr: Slot, shift: u8, offset: u32 },
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
            $(
                #[doc = concat!("Loop latch: `slot += imm` (i32), then branch by `offset` when `", stringify!($lai), "` of slot and rhs holds")]
                $lai { slot: Slot, imm: i16, rhs: Slot, offset: i32 },
            )*
            $(
                #[doc = concat!("Loop latch: `slot += imm` (i32), then branch by `offset` when `", stringify!($laii), "` of slot and limit holds")]
                $laii { slot: Slot, imm: i16, offset: i32, limit: i32 },
            )*
            $(
                #[doc = concat!("Loop latch: `slot += step` (i32), then branch by `offset` when `", stringify!($las), "` of slot and rhs holds")]
                $las { slot: Slot, step: Slot, rhs: Slot, offset: i32 },
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
            $( $lds, )*
            $( $st, )*
            $( $bc, )*
            $( $bci, )*
            $( $bci64, )*
            $( $lai, )*
            $( $laii, )*
            $( $las, )*
            $( $o, )*
            $( $od, )*
        }

        impl Op {
            /// The number of operations.
            pub(crate) const COUNT: usize = [$( Op::$un, )* $( Op::$bin, )* $( Op::$bimm, )* $( Op::$bimm64, )*
                $( Op::$ld, )* $( Op::$lds, )* $( Op::$st, )* $( Op::$bc, )* $( Op::$bci, )* $( Op::$bci64, )* $( Op::$lai, )* $( Op::$laii, )* $( Op::$las, )* $( Op::$o, )*
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
                    $( Instr::$lds { .. } => Op::$lds, )*
                    $( Instr::$st { .. } => Op::$st, )*
                    $( Instr::$bc { .. } => Op::$bc, )*
                    $( Instr::$bci { .. } => Op::$bci, )*
                    $( Instr::$bci64 { .. } => Op::$bci64, )*
                    $( Instr::$lai { .. } => Op::$lai, )*
                    $( Instr::$laii { .. } => Op::$laii, )*
                    $( Instr::$las { .. } => Op::$las, )*
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
                    $( Instr::$lds { dst, addr, .. } => a(addr, ACC_IN1) | a(dst, ACC_OUT), )*
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
                    Instr::I32AddShl { dst, lhs, rhs, .. } => a(lhs, ACC_IN1) | a(rhs, ACC_IN2) | a(dst, ACC_OUT),
                    Instr::I32ShrUAnd { dst, lhs, .. } => a(lhs, ACC_IN1) | a(dst, ACC_OUT),
                    Instr::I32XorShrU { dst, lhs, .. } | Instr::I64XorShrU { dst, lhs, .. } => a(lhs, ACC_IN1) | a(dst, ACC_OUT),
                    Instr::Select { cond, .. } => a(cond, ACC_IN1),
                    Instr::SelectAndImm { lhs, .. } => a(lhs, ACC_IN1),
                    Instr::I32AddLoad { dst, lhs, addr, .. } | Instr::I64AddLoad { dst, lhs, addr, .. }
                    | Instr::F64AddLoad { dst, lhs, addr, .. } | Instr::F64SubLoad { dst, lhs, addr, .. }
                    | Instr::F64MulLoad { dst, lhs, addr, .. } => a(lhs, ACC_IN1) | a(addr, ACC_IN2) | a(dst, ACC_OUT),
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
                    $( Instr::$lds { addr, .. } => r(addr), )*
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
                    Instr::I32AddShl { lhs, rhs, .. } => { r(lhs); r(rhs) }
                    Instr::I32ShrUAnd { lhs, .. } => r(lhs),
                    Instr::I32XorShrU { lhs, .. } | Instr::I64XorShrU { lhs, .. } => r(lhs),
                    Instr::Select { cond, .. } => r(cond),
                    _ => {}
                }
                n
            }

            /// For a load whose address is `index << shift` (the address operand being
            /// [`ACC`]), the scaled-index load reading `index` instead.
            pub(crate) fn scaled_load(&self, index: Slot, shift: u8) -> Option<Instr> {
                match *self {
                    $( Instr::$ldb { dst, addr: ACC, offset } => Some(Instr::$lds { dst, addr: index, shift, offset }), )*
                    _ => None,
                }
            }

            /// Whether the result of this instruction may go to [`ACC`].
            pub(crate) fn may_write_acc(&self) -> bool {
                matches!(self, $( Instr::$un { .. } )|* | $( Instr::$bin { .. } )|* | $( Instr::$bimm { .. } )|*
                    | $( Instr::$bimm64 { .. } )|* | $( Instr::$ld { .. } )|* | $( Instr::$lds { .. } )|*
                    | Instr::I32AddShl { .. } | Instr::I32ShrUAnd { .. } | Instr::I32AddLoad { .. }
                    | Instr::I32XorShrU { .. } | Instr::I64XorShrU { .. }
                    | Instr::I64AddLoad { .. } | Instr::F64AddLoad { .. } | Instr::F64SubLoad { .. }
                    | Instr::F64MulLoad { .. })
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
                    $( Instr::$lds { dst, .. } => Some(dst), )*
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
                    $( Instr::$lai { offset, .. } => Some(offset), )*
                    $( Instr::$laii { offset, .. } => Some(offset), )*
                    $( Instr::$las { offset, .. } => Some(offset), )*
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
pub(super) use define_instr;
