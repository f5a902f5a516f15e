//! Instruction coverage: every operator of `wasmparser`'s `@simd` and `@relaxed_simd` groups
//! (the authoritative opcode list, via `for_each_visit_simd_operator!`) must be executed by
//! [`Machine::simd`], i.e. mapped to a library function.

use wasmparser::{MemArg, Operator, V128};

use super::eval::{Machine, Value};

/// A placeholder immediate for building every operator variant.
trait Dummy {
    /// A valid value (lane 0, offset 0, zero bytes).
    fn dummy() -> Self;
}

impl Dummy for u8 {
    fn dummy() -> Self {
        0
    }
}

impl Dummy for [u8; 16] {
    fn dummy() -> Self {
        [0; 16]
    }
}

impl Dummy for V128 {
    fn dummy() -> Self {
        V128::from(0u128)
    }
}

impl Dummy for MemArg {
    fn dummy() -> Self {
        MemArg { align: 0, max_align: 0, offset: 0, target: Default::default(), ordering: None }
    }
}

/// Expands `for_each_visit_simd_operator!` into `(proposal, name, operator)` triples.
macro_rules! all_simd_operators {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        vec![$(
            (stringify!($proposal), stringify!($op), Operator::$op $({ $($arg: <$argty as Dummy>::dummy()),* })?)
        ),*]
    };
}

/// All SIMD operators `wasmparser` defines, with placeholder immediates.
fn all() -> Vec<(&'static str, &'static str, Operator<'static>)> {
    wasmparser::for_each_visit_simd_operator!(all_simd_operators)
}

#[test]
fn every_simd_operator_is_implemented() {
    let ops = all();
    let mut memory = vec![0u8; 64];
    let mut missing = Vec::new();
    for (_, name, op) in &ops {
        // Three zero operands of any type suffice: operands are reinterpreted by type, the
        // address 0 is in bounds, and no SIMD operator takes more than three.
        let mut m = Machine { stack: vec![Value::V128(0); 3], memory: &mut memory };
        match m.simd(op) {
            Ok(true) => assert!(m.stack.len() <= 4, "{name} pushed more than one result"),
            Ok(false) => missing.push(*name),
            Err(e) => panic!("{name}: {e:?}"),
        }
    }
    let count = |p: &str| ops.iter().filter(|(q, ..)| *q == p).count();
    println!("SIMD operators: {} simd + {} relaxed_simd, all implemented", count("simd"), count("relaxed_simd"));
    assert!(missing.is_empty(), "not implemented: {missing:?}");
    assert_eq!((count("simd"), count("relaxed_simd")), (236, 20));
}

/// Every SIMD operator has exactly one instruction shape in the interpreter: one of the
/// operation enums of [`super::super::ops`], or one of the operators with vector, lane or
/// memory immediates that `translate/simd.rs` lowers one by one.
#[test]
fn every_simd_operator_has_one_instruction_shape() {
    use super::super::ops::*;
    use Operator as O;
    for (_, name, op) in all() {
        let shapes = [
            SimdUnop::from_operator(&op).is_some(),
            SimdBinop::from_operator(&op).is_some(),
            SimdTernop::from_operator(&op).is_some(),
            SimdShift::from_operator(&op).is_some(),
            SimdTest::from_operator(&op).is_some(),
            SimdSplat::from_operator(&op).is_some(),
            SimdExtract::from_operator(&op).is_some(),
            SimdReplace::from_operator(&op).is_some(),
            SimdLoad::from_operator(&op).is_some(),
            matches!(
                op,
                O::V128Const { .. }
                    | O::I8x16Shuffle { .. }
                    | O::V128Load { .. }
                    | O::V128Store { .. }
                    | O::V128Load8Lane { .. }
                    | O::V128Load16Lane { .. }
                    | O::V128Load32Lane { .. }
                    | O::V128Load64Lane { .. }
                    | O::V128Store8Lane { .. }
                    | O::V128Store16Lane { .. }
                    | O::V128Store32Lane { .. }
                    | O::V128Store64Lane { .. }
            ),
        ];
        assert_eq!(shapes.iter().filter(|&&s| s).count(), 1, "{name}: {shapes:?}");
    }
}
