//! Integer operators in every form the translator produces: both operands in slots, a constant
//! right operand (immediate forms), a constant left operand (swapped forms), and comparisons
//! fused into `br_if` / `if`. Each result is checked against a Rust reference.

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Instance, Val};

const I32_OPS: &[&str] = &[
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl",
    "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
];

fn is_cmp(op: &str) -> bool {
    matches!(op, "eq" | "ne" | "lt_s" | "lt_u" | "gt_s" | "gt_u" | "le_s" | "le_u" | "ge_s" | "ge_u")
}

/// The reference result of `op` on two's-complement 64-bit values of `bits` width (`None` on a
/// trap). Results are sign-extended from `bits`.
fn reference(op: &str, bits: u32, a: i64, b: i64) -> Option<i64> {
    let mask = if bits == 32 { 0xffff_ffffu64 } else { u64::MAX };
    let (ua, ub) = (a as u64 & mask, b as u64 & mask);
    let (sa, sb) = if bits == 32 { (a as i32 as i64, b as i32 as i64) } else { (a, b) };
    let min = if bits == 32 { i32::MIN as i64 } else { i64::MIN };
    let sh = (ub % bits as u64) as u32;
    let r: u64 = match op {
        "add" => ua.wrapping_add(ub),
        "sub" => ua.wrapping_sub(ub),
        "mul" => ua.wrapping_mul(ub),
        "div_s" if sb == 0 || (sa == min && sb == -1) => return None,
        "div_s" => (sa / sb) as u64,
        "div_u" if ub == 0 => return None,
        "div_u" => ua / ub,
        "rem_s" if sb == 0 => return None,
        "rem_s" => sa.wrapping_rem(sb) as u64,
        "rem_u" if ub == 0 => return None,
        "rem_u" => ua % ub,
        "and" => ua & ub,
        "or" => ua | ub,
        "xor" => ua ^ ub,
        "shl" => ua << sh,
        "shr_s" => (sa >> sh) as u64,
        "shr_u" => ua >> sh,
        "rotl" if bits == 32 => (ua as u32).rotate_left(sh) as u64,
        "rotr" if bits == 32 => (ua as u32).rotate_right(sh) as u64,
        "rotl" => ua.rotate_left(sh),
        "rotr" => ua.rotate_right(sh),
        "eq" => (ua == ub) as u64,
        "ne" => (ua != ub) as u64,
        "lt_s" => (sa < sb) as u64,
        "lt_u" => (ua < ub) as u64,
        "gt_s" => (sa > sb) as u64,
        "gt_u" => (ua > ub) as u64,
        "le_s" => (sa <= sb) as u64,
        "le_u" => (ua <= ub) as u64,
        "ge_s" => (sa >= sb) as u64,
        "ge_u" => (ua >= ub) as u64,
        _ => unreachable!("{op}"),
    };
    let r = r & mask;
    Some(if bits == 32 && !is_cmp(op) { r as u32 as i32 as i64 } else { r as i64 })
}

/// The operand forms tested for each (operator, constant).
#[derive(Debug, Clone, Copy)]
enum Form {
    /// `op(x, y)` with both operands parameters.
    Slots,
    /// `op(x, c)`.
    ConstRight,
    /// `op(c, x)`.
    ConstLeft,
    /// `br_if` on `op(x, c)` (comparisons only).
    BrIf,
    /// `if` on `op(c, x)` (comparisons only).
    If,
    /// `br_if` on `op(x, y)` (comparisons only).
    BrIfSlots,
}

struct Case {
    name: String,
    op: &'static str,
    form: Form,
    c: i64,
}

/// Builds one module with a function per (operator, constant, form) for `ty` ("i32"/"i64").
fn build(ty: &str, consts: &[i64]) -> (Instance, Vec<Case>) {
    let mut wat = String::from("(module\n");
    let mut cases = Vec::new();
    for &op in I32_OPS {
        for (ci, &c) in consts.iter().enumerate() {
            let forms: &[Form] = if is_cmp(op) {
                &[Form::Slots, Form::ConstRight, Form::ConstLeft, Form::BrIf, Form::If, Form::BrIfSlots]
            } else {
                &[Form::Slots, Form::ConstRight, Form::ConstLeft]
            };
            for &form in forms {
                if matches!(form, Form::Slots | Form::BrIfSlots) && ci > 0 {
                    continue;
                }
                let name = format!("{op}_{ci}_{form:?}");
                let k = format!("({ty}.const {c})");
                let body = match form {
                    Form::Slots => format!("({ty}.{op} (local.get 0) (local.get 1))"),
                    Form::ConstRight => format!("({ty}.{op} (local.get 0) {k})"),
                    Form::ConstLeft => format!("({ty}.{op} {k} (local.get 0))"),
                    Form::BrIf => format!(
                        "(block (result i32) (i32.const 1) (br_if 0 ({ty}.{op} (local.get 0) {k})) (drop) (i32.const 0))"
                    ),
                    Form::If => format!("(if (result i32) ({ty}.{op} {k} (local.get 0)) (then (i32.const 1)) (else (i32.const 0)))"),
                    Form::BrIfSlots => format!(
                        "(block (result i32) (i32.const 1) (br_if 0 ({ty}.{op} (local.get 0) (local.get 1))) (drop) (i32.const 0))"
                    ),
                };
                let result = if is_cmp(op) { "i32" } else { ty };
                wat.push_str(&format!("  (func (export \"{name}\") (param {ty} {ty}) (result {result}) {body})\n"));
                cases.push(Case { name, op, form, c });
            }
        }
    }
    wat.push(')');
    (instance(&wat), cases)
}

fn check(ty: &str, bits: u32, consts: &[i64], inputs: &[i64]) {
    let (inst, cases) = build(ty, consts);
    let val = |v: i64| if bits == 32 { Val::I32(v as i32) } else { Val::I64(v) };
    let mut checked = 0;
    for case in &cases {
        for &x in inputs {
            let ys: Vec<i64> =
                if matches!(case.form, Form::Slots | Form::BrIfSlots) { inputs.to_vec() } else { vec![case.c] };
            for y in ys {
                let (a, b) = match case.form {
                    Form::ConstLeft | Form::If => (case.c, x),
                    _ => (x, y),
                };
                let want = reference(case.op, bits, a, b);
                let got = call(&inst, &case.name, &[val(x), val(y)]);
                match (want, got.as_deref()) {
                    (None, Err(_)) => {}
                    (Some(w), Ok([Val::I32(g)])) => assert_eq!(*g as i64, w, "{} x={x} y={y}", case.name),
                    (Some(w), Ok([Val::I64(g)])) => assert_eq!(*g, w, "{} x={x} y={y}", case.name),
                    (w, g) => panic!("{}: x={x} y={y}: expected {w:?}, got {g:?}", case.name),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000);
}

#[test]
fn i32_operators_in_every_form() {
    let consts = [0, 1, -1, 5, 31, 32, 33, i32::MIN as i64, i32::MAX as i64, 0x7fff, -0x8000];
    let inputs = [0, 1, -1, 2, 7, 31, 33, -5, i32::MIN as i64, i32::MAX as i64, 0x1234_5678];
    check("i32", 32, &consts, &inputs);
}

#[test]
fn i64_operators_in_every_form() {
    let consts = [
        0,
        1,
        -1,
        63,
        64,
        65,
        i32::MAX as i64,
        i32::MIN as i64,
        0x8000_0000,
        -0x8000_0001,
        1 << 32,
        i64::MIN,
        i64::MAX,
    ];
    let inputs = [0, 1, -1, 3, 64, 0x8000_0000, -0x8000_0000, 1 << 40, i64::MIN, i64::MAX, 0x1234_5678_9abc_def0];
    check("i64", 64, &consts, &inputs);
}

#[test]
fn float_edge_cases() {
    let inst = instance(
        r#"(module
      (func (export "min") (param f32 f32) (result f32) local.get 0 local.get 1 f32.min)
      (func (export "max64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.max)
      (func (export "nearest") (param f64) (result f64) local.get 0 f64.nearest)
      (func (export "neg") (param f32) (result f32) local.get 0 f32.neg)
      (func (export "copysign") (param f64 f64) (result f64) local.get 0 local.get 1 f64.copysign)
      (func (export "half") (param f64) (result f64) local.get 0 f64.const 0.5 f64.mul)
      (func (export "sat") (param f64) (result i32 i64) local.get 0 i32.trunc_sat_f64_u local.get 0 i64.trunc_sat_f64_s)
      (func (export "trunc") (param f32) (result i32) local.get 0 i32.trunc_f32_s))"#,
    );
    assert_eq!(call_ok(&inst, "min", &[Val::from_f32(0.0), Val::from_f32(-0.0)]), vec![Val::F32(0x8000_0000)]);
    assert_eq!(call_ok(&inst, "max64", &[Val::from_f64(-0.0), Val::from_f64(0.0)]), vec![Val::F64(0)]);
    let Val::F32(bits) = call_ok(&inst, "min", &[Val::F32(0x7fc0_0001), Val::from_f32(1.0)])[0] else { panic!() };
    assert!(f32::from_bits(bits).is_nan());
    assert_eq!(call_ok(&inst, "nearest", &[Val::from_f64(-2.5)]), vec![Val::from_f64(-2.0)]);
    // Sign operations keep NaN payloads (bit operations).
    assert_eq!(call_ok(&inst, "neg", &[Val::F32(0x7fa0_0001)]), vec![Val::F32(0xffa0_0001)]);
    assert_eq!(
        call_ok(&inst, "copysign", &[Val::F64(0x7ff4_0000_0000_0001), Val::from_f64(-1.0)]),
        vec![Val::F64(0xfff4_0000_0000_0001)]
    );
    assert_eq!(call_ok(&inst, "half", &[Val::from_f64(3.0)]), vec![Val::from_f64(1.5)]);
    assert_eq!(call_ok(&inst, "sat", &[Val::from_f64(-3.0)]), vec![Val::I32(0), Val::I64(-3)]);
    assert_eq!(call_ok(&inst, "sat", &[Val::from_f64(f64::NAN)]), vec![Val::I32(0), Val::I64(0)]);
    assert_eq!(call_ok(&inst, "sat", &[Val::from_f64(1e300)]), vec![Val::I32(-1), Val::I64(i64::MAX)]);
    assert_eq!(
        trap_of(call(&inst, "trunc", &[Val::from_f32(2147483648.0)])),
        jitless_wasm_core::TrapCode::FloatUnrepresentable
    );
    assert_eq!(call_i32(&inst, "trunc", &[Val::from_f32(-2147483648.0)]), i32::MIN);
}
