//! Frame bounds: the frame layout fixed when a module is validated must hold everything its
//! translation uses (issue #11: valid modules whose first call failed with "internal error:
//! frame of N slots exceeds the validated bound"). Two shapes broke it: a tail call with values
//! below its operands (a host callee's results, which may outnumber the operands, land in the
//! argument cells), and a block typed `v128` in a body without SIMD instructions (its result
//! after unreachable code). Each case is a valid module that must run and give its results;
//! the generated ones cover many stack depths and type mixes.

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Extern, Instance, Module, Val, ValType};

/// Compiles `wat` and instantiates it with `imports`, panicking with the WAT on failure.
fn instantiate(wat: &str, imports: &[Extern]) -> Instance {
    let bytes = jitless_wasm_core::text::wat_to_wasm(wat).unwrap_or_else(|e| panic!("bad wat: {e}\n{wat}"));
    let module = Module::new(&bytes).unwrap_or_else(|e| panic!("compile error: {e}\n{wat}"));
    Instance::new(&module, imports).unwrap_or_else(|e| panic!("instantiation failed: {e}\n{wat}"))
}

/// Calls export `f` of `wat` without arguments and returns its results.
#[track_caller]
fn run(wat: &str, imports: &[Extern]) -> Vec<Val> {
    let inst = instantiate(wat, imports);
    let mut out = Vec::new();
    func(&inst, "f").call(&[], &mut out).unwrap_or_else(|e| panic!("call failed: {e}\n{wat}"));
    out
}

/// A value type of the generated cases and a constant of it derived from `seed`.
#[derive(Clone, Copy, Debug)]
enum T {
    I32,
    I64,
    V128,
}

impl T {
    const ALL: [T; 3] = [T::I32, T::I64, T::V128];

    fn name(self) -> &'static str {
        match self {
            T::I32 => "i32",
            T::I64 => "i64",
            T::V128 => "v128",
        }
    }

    fn val_type(self) -> ValType {
        match self {
            T::I32 => ValType::I32,
            T::I64 => ValType::I64,
            T::V128 => ValType::V128,
        }
    }

    fn value(self, seed: u32) -> Val {
        match self {
            T::I32 => Val::I32(seed as i32 * 7 + 1),
            T::I64 => Val::I64(seed as i64 * -1_000_003 - 5),
            T::V128 => Val::V128((seed as u128 + 3) * 0x0001_0002_0003_0004_0005_0006_0007_0008),
        }
    }

    fn constant(self, seed: u32) -> String {
        match self.value(seed) {
            Val::I32(v) => format!("(i32.const {v})"),
            Val::I64(v) => format!("(i64.const {v})"),
            Val::V128(v) => format!("(v128.const i64x2 {} {})", v as u64 as i64, (v >> 64) as u64 as i64),
            _ => unreachable!(),
        }
    }
}

fn names(ts: &[T]) -> String {
    ts.iter().map(|t| t.name()).collect::<Vec<_>>().join(" ")
}

/// How the generated tail call reaches its callee.
#[derive(Clone, Copy, Debug)]
enum Via {
    Direct,
    Indirect,
    Ref,
    Import,
}

/// A function that tail-calls a callee of type `params -> results` with `below` values of
/// mixed types under the arguments; the callee returns constants 100.. (the wasm callee and the
/// host callee alike). Returns the module and the expected results.
fn tail_call_case(below: &[T], params: &[T], results: &[T], via: Via) -> (String, Vec<Val>) {
    let consts =
        |ts: &[T], from: u32| ts.iter().enumerate().map(|(i, t)| t.constant(from + i as u32)).collect::<String>();
    let (p, r) = (names(params), names(results));
    let call = match via {
        Via::Direct => "(return_call $g)".to_string(),
        Via::Indirect => "(return_call_indirect (type $t) (i32.const 0))".to_string(),
        Via::Ref => "(return_call_ref $t (ref.func $g))".to_string(),
        Via::Import => "(return_call $host)".to_string(),
    };
    let wat = format!(
        r#"(module
             (type $t (func (param {p}) (result {r})))
             (import "env" "host" (func $host (type $t)))
             (table 1 funcref) (elem (i32.const 0) $g) (elem declare func $g)
             (func $g (type $t) {ret})
             (func (export "f") (result {r}) {below} {args} {call}))"#,
        ret = consts(results, 100),
        below = consts(below, 10),
        args = consts(params, 50),
    );
    let expected = results.iter().enumerate().map(|(i, t)| t.value(100 + i as u32)).collect();
    (wat, expected)
}

/// The host callee of [`tail_call_case`]: checks its arguments and returns the same constants.
fn host_callee(params: &[T], results: &[T]) -> Extern {
    let (params, results) = (params.to_vec(), results.to_vec());
    host(
        &params.iter().map(|t| t.val_type()).collect::<Vec<_>>(),
        &results.iter().map(|t| t.val_type()).collect::<Vec<_>>(),
        move |args, out| {
            let want: Vec<Val> = params.iter().enumerate().map(|(i, t)| t.value(50 + i as u32)).collect();
            assert_eq!(format!("{args:?}"), format!("{want:?}"), "host callee arguments");
            out.extend(results.iter().enumerate().map(|(i, t)| t.value(100 + i as u32)));
            Ok(())
        },
    )
}

#[track_caller]
fn check_tail_call(below: &[T], params: &[T], results: &[T], via: Via) {
    let (wat, expected) = tail_call_case(below, params, results, via);
    let got = run(&wat, &[host_callee(params, results)]);
    assert_eq!(format!("{got:?}"), format!("{expected:?}"), "{via:?}\n{wat}");
}

#[test]
fn frame_bound_tail_call_with_values_below() {
    use T::*;
    // The shape of the report: more results than operands, values below the call.
    for via in [Via::Direct, Via::Indirect, Via::Ref, Via::Import] {
        check_tail_call(&[I32], &[], &[I32, I32, I32], via);
        check_tail_call(&[I32, I64, I32], &[I32], &[I64, I64, I64, I64], via);
        check_tail_call(&[V128, I32], &[I32], &[V128, V128, I32], via);
        check_tail_call(&[], &[I32, I32], &[I32], via);
    }
}

#[test]
fn frame_bound_tail_call_generated_shapes() {
    // Every mix of up to 3 values below, 0–2 parameters and 1–3 results drawn from i32, i64
    // and v128 (a small deterministic sweep, 4 ways of calling each).
    let mut seed = 0x2545_f491_u32;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed as usize % n
    };
    let mut cases = 0;
    for below in 0..=3 {
        for np in 0..=2 {
            for nr in 1..=3 {
                for _ in 0..3 {
                    let mut pick = |n: usize| (0..n).map(|_| T::ALL[next(3)]).collect::<Vec<_>>();
                    let (b, p, r) = (pick(below), pick(np), pick(nr));
                    for via in [Via::Direct, Via::Indirect, Via::Ref, Via::Import] {
                        check_tail_call(&b, &p, &r, via);
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 4 * 3 * 3 * 3 * 4);
}

#[test]
fn tail_call_v128_arguments_are_passed_whole() {
    // Found with the frame-bound cases: tail calls counted v128 operands as one cell each, so
    // the callee saw its arguments shifted.
    let wat = r#"(module
      (func $g (param v128 i32) (result i32)
        (i32.add (i32x4.extract_lane 1 (local.get 0)) (local.get 1)))
      (func $h (result i32) (i32.const 7) (v128.const i32x4 1 2 3 4) (i32.const 30) (return_call $g))
      (func $k (param i32 v128) (result v128) (local.get 1))
      (func $m (result v128) (i64.const 1) (i32.const 5) (v128.const i32x4 9 8 7 6) (return_call $k))
      (func (export "f") (result i32 v128) (call $h) (call $m)))"#;
    assert_eq!(format!("{:?}", run(wat, &[])), format!("{:?}", [Val::I32(32), T_V128_9876]));
}

/// `v128.const i32x4 9 8 7 6` as a value.
const T_V128_9876: Val = Val::V128(9 | 8 << 32 | 7 << 64 | 6 << 96);

#[test]
fn frame_bound_v128_block_types() {
    // Blocks typed v128 in bodies without SIMD instructions or v128 in any type or local:
    // their results follow unreachable code.
    for body in [
        "(block (result v128) (unreachable)) (drop)",
        "(i32.const 1) (block (result v128) (unreachable)) (drop) (drop)",
        "(loop (result v128) (unreachable)) (drop)",
        "(i32.const 0) (if (result v128) (then (unreachable)) (else (unreachable))) (drop)",
        "(block (result v128) (block (result v128) (unreachable)) (br 0)) (drop)",
        "(block $a (drop (block (result v128) (br $a))))",
        "(i64.const 2) (i32.const 1) (block (result v128) (unreachable)) (drop) (drop) (drop)",
        "(try_table (result v128) (unreachable)) (drop)",
        "(block (result v128) (select (result v128) (unreachable))) (drop)",
    ] {
        let wat = format!(
            r#"(module (func (export "f") (result i32) (block (result i32) (i32.const 5) (br 0) {body} (i32.const 6))))"#
        );
        // The v128 code sits after a `br`: reachable for validation of its block only.
        assert_eq!(format!("{:?}", run(&wat, &[])), "[I32(5)]", "{wat}");
        let wat = format!(
            r#"(module (func (export "f") (result i32) (block $out (result i32) (i32.const 7) (br_if $out (i32.const 1)) (drop) {body} (i32.const 6))))"#
        );
        assert_eq!(format!("{:?}", run(&wat, &[])), "[I32(7)]", "{wat}");
        let wat = format!(r#"(module (func $u (export "g") {body}) (func (export "f") (result i32) (i32.const 3)))"#);
        assert_eq!(format!("{:?}", run(&wat, &[])), "[I32(3)]", "{wat}");
        // The function holding the v128 block is translated on its first call (it traps or
        // branches out).
        let inst = instantiate(&wat, &[]);
        match call(&inst, "g", &[]) {
            Ok(r) => assert!(r.is_empty(), "{wat}"),
            r => assert_eq!(trap_of(r), jitless_wasm_core::TrapCode::Unreachable, "{wat}"),
        }
    }
}

#[test]
fn frame_bound_v128_block_types_generated_nesting() {
    // Nested blocks of v128, multi-value types with v128 (through a type index), and values
    // below, at every depth up to 6: each function must translate and run.
    for depth in 1..=6 {
        for below in 0..=3 {
            let mut body = String::new();
            for i in 0..below {
                body.push_str(&T::ALL[i % 3].constant(i as u32));
            }
            // Each level wraps the last: `(result v128)` blocks and `(type $vi)` blocks, whose
            // (v128 i32) comes from the v128 below and a constant.
            let (mut inner, mut pair) = ("(unreachable)".to_string(), false);
            for d in 0..depth {
                let kind = ["block", "loop", "block"][d % 3];
                inner = if d % 2 == 0 {
                    let fix = if pair { "(drop)" } else { "" };
                    format!("({kind} (result v128) {inner} {fix})")
                } else {
                    format!("({kind} (type $vi) {inner} (i32.const {d}))")
                };
                pair = d % 2 == 1;
            }
            let drops = if pair { "(drop) (drop)" } else { "(drop)" };
            let pops = "(drop) ".repeat(below);
            let wat = format!(
                r#"(module (type $vi (func (result v128 i32)))
                     (func $v (export "g") {body} {inner} {drops} {pops})
                     (func (export "f") (result i32) (i32.const 11)))"#
            );
            let inst = instantiate(&wat, &[]);
            assert_eq!(trap_of(call(&inst, "g", &[])), jitless_wasm_core::TrapCode::Unreachable, "{wat}");
        }
    }
}
