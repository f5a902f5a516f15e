//! The interpreter's optimisations keep wasm semantics: values passed through the accumulator
//! (integer and `f64`), superinstructions, loop latches, loop inversion and tail duplication,
//! call results written straight into locals, and threaded dispatch that does not grow the
//! native stack.

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Extern, TrapCode, Val, ValType};

const CHAINS: &str = r#"(module
  (memory 1)
  (func (export "int_chain") (param i32 i32) (result i32)
    (local $t i32)
    ;; a temporary consumed by the next instruction, a local read right after it is written
    (local.set $t (i32.add (i32.mul (local.get 0) (i32.const 7)) (local.get 1)))
    (i32.xor (i32.shr_u (local.get $t) (i32.const 3)) (i32.rotl (local.get $t) (local.get 1))))
  (func (export "f64_chain") (param f64 f64) (result f64)
    (local $t f64)
    (local.set $t (f64.mul (f64.add (local.get 0) (local.get 1)) (f64.sqrt (local.get 1))))
    (f64.sub (f64.div (local.get $t) (f64.const 3)) (f64.neg (local.get $t))))
  (func (export "f64_bits") (param i64) (result i64)
    ;; sign operations and reinterpretations through the accumulator keep NaN payloads
    (i64.reinterpret_f64 (f64.neg (f64.abs (f64.reinterpret_i64 (local.get 0))))))
  (func (export "copysign_bits") (param i64 i64) (result i64)
    (i64.reinterpret_f64
      (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
  (func (export "f64_mem") (param i32 f64) (result f64)
    ;; f64 loads and stores through the accumulator, and operations with a memory operand
    (f64.store (local.get 0) (f64.mul (local.get 1) (f64.const 2)))
    (f64.sub (f64.const 1) (f64.load (local.get 0))))
  (func (export "f64_mem_ops") (param i32 f64) (result f64)
    (f64.store (local.get 0) (local.get 1))
    (f64.mul (local.get 1) (f64.load (local.get 0)))
    (f64.add (f64.load (local.get 0)))
    (f64.sub (f64.load (local.get 0))))
  (func (export "int_mem_ops") (param i32 i32 i64) (result i64)
    (i32.store (local.get 0) (local.get 1))
    (i64.store offset=8 (local.get 0) (local.get 2))
    (i64.add
      (i64.extend_i32_u (i32.add (local.get 1) (i32.load (local.get 0))))
      (i64.add (local.get 2) (i64.load offset=8 (local.get 0)))))
  (func (export "add_shl") (param i32 i32) (result i32)
    (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 35))))
  (func (export "field") (param i32) (result i32)
    (i32.and (i32.shr_u (local.get 0) (i32.const 7)) (i32.const 0x3fc)))
  (func (export "scaled_load") (param i32) (result i32)
    (i32.store (i32.const 4) (i32.const 0x11223344))
    ;; the shift wraps like i32.shl: 0x40000001 << 2 = 4
    (i32.load16_u offset=1 (i32.shl (local.get 0) (i32.const 2))))
  (func (export "bit_test") (param i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (i32.const 0x10))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "bit_test_eqz") (param i32) (result i32)
    (block $b (br_if $b (i32.eqz (i32.and (local.get 0) (i32.const 6)))) (return (i32.const 7)))
    (i32.const 9))
  (func (export "store_imm") (param i32) (result i64)
    (i64.store (local.get 0) (i64.const -2))
    (i32.store8 offset=1 (local.get 0) (i32.const 0x1ab))
    (i64.load (local.get 0)))
  (func (export "swap") (param i32 i32) (result i64)
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $a (local.get 0)) (local.set $b (local.get 1))
    (local.set $t (local.get $a)) (local.set $a (local.get $b)) (local.set $b (local.get $t))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $a)) (i64.const 32)) (i64.extend_i32_u (local.get $b)))))"#;

#[test]
fn accumulator_chains_compute_the_same_values() {
    let inst = instance(CHAINS);
    let int_chain = |a: i32, b: i32| {
        let t = a.wrapping_mul(7).wrapping_add(b) as u32;
        ((t >> 3) ^ t.rotate_left(b as u32 & 31)) as i32
    };
    for (a, b) in [(1, 2), (-5, 31), (i32::MAX, 7), (0x1234_5678, -1)] {
        assert_eq!(call_i32(&inst, "int_chain", &[Val::I32(a), Val::I32(b)]), int_chain(a, b));
    }
    let f64_chain = |a: f64, b: f64| {
        let t = (a + b) * b.sqrt();
        t / 3.0 - (-t)
    };
    for (a, b) in [(1.5f64, 2.25f64), (-3.0, 9.0), (1e300, 4.0)] {
        let r = call_ok(&inst, "f64_chain", &[Val::F64(a.to_bits()), Val::F64(b.to_bits())]);
        assert_eq!(r, vec![Val::F64(f64_chain(a, b).to_bits())]);
    }
}

#[test]
fn f64_accumulator_keeps_nan_payloads() {
    let inst = instance(CHAINS);
    let snan = 0x7ff4_0000_0000_1234u64;
    let sign = 1u64 << 63;
    assert_eq!(call_i64(&inst, "f64_bits", &[Val::I64(snan as i64)]), (snan | sign) as i64);
    assert_eq!(call_i64(&inst, "copysign_bits", &[Val::I64(snan as i64), Val::I64(-1)]), (snan | sign) as i64);
    let r = call_ok(&inst, "f64_mem", &[Val::I32(64), Val::F64(4.0f64.to_bits())]);
    assert_eq!(r, vec![Val::F64((-7.0f64).to_bits())]);
    let r = call_ok(&inst, "f64_mem_ops", &[Val::I32(8), Val::F64(3.0f64.to_bits())]);
    assert_eq!(r, vec![Val::F64(9.0f64.to_bits())]);
    assert_eq!(trap_of(call(&inst, "f64_mem", &[Val::I32(65530), Val::F64(0)])), TrapCode::MemOutOfBounds);
}

#[test]
fn superinstructions_compute_the_same_values() {
    let inst = instance(CHAINS);
    assert_eq!(call_i64(&inst, "int_mem_ops", &[Val::I32(16), Val::I32(5), Val::I64(-9)]), 10 - 18);
    assert_eq!(
        trap_of(call(&inst, "int_mem_ops", &[Val::I32(65528), Val::I32(0), Val::I64(0)])),
        TrapCode::MemOutOfBounds
    );
    assert_eq!(call_i32(&inst, "add_shl", &[Val::I32(3), Val::I32(5)]), 3 + (5 << 3));
    assert_eq!(call_i32(&inst, "field", &[Val::I32(-1)]), 0x3fc);
    assert_eq!(call_i32(&inst, "field", &[Val::I32(0x1234_5678)]), (0x1234_5678 >> 7) & 0x3fc);
    assert_eq!(call_i32(&inst, "scaled_load", &[Val::I32(0x4000_0001)]), 0x2233);
    assert_eq!(call_i32(&inst, "scaled_load", &[Val::I32(1)]), 0x2233);
    assert_eq!(trap_of(call(&inst, "scaled_load", &[Val::I32(0x4000)])), TrapCode::MemOutOfBounds);
    assert_eq!(call_i32(&inst, "bit_test", &[Val::I32(0x30)]), 1);
    assert_eq!(call_i32(&inst, "bit_test", &[Val::I32(0x20)]), 0);
    assert_eq!(call_i32(&inst, "bit_test_eqz", &[Val::I32(8)]), 9);
    assert_eq!(call_i32(&inst, "bit_test_eqz", &[Val::I32(2)]), 7);
    assert_eq!(call_i64(&inst, "store_imm", &[Val::I32(32)]), 0xffff_ffff_ffff_abfeu64 as i64);
    assert_eq!(call_i64(&inst, "swap", &[Val::I32(1), Val::I32(2)]), (2 << 32) | 1);
}

const LOOPS: &str = r#"(module
  (memory 1)
  ;; loop latches: every i32 comparison, with a slot or an immediate limit
  (func (export "count_lt_s") (param $n i32) (result i32) (local $i i32) (local $c i32)
    (block $d (loop $l (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
    (local.get $c))
  (func (export "count_down") (param $n i32) (result i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (local.get $n)))
      (br_if $l (i32.ne (local.tee $n (i32.add (local.get $n) (i32.const -1))) (i32.const 0))))
    (local.get $c))
  (func (export "step_by") (param $step i32) (param $n i32) (result i32) (local $i i32) (local $c i32)
    (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (local.get $step))) (br $l)))
    (local.get $c))
  (func (export "wrap_u") (param $i i32) (result i32) (local $c i32)
    ;; unsigned latch across the wrap-around: i counts up to 0
    (loop $l (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.gt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0xfffffff0))))
    (local.get $c))
  (func (export "big_step") (param $n i32) (result i32) (local $i i32) (local $c i32)
    ;; an increment that does not fit a latch
    (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 100000))) (br $l)))
    (local.get $c))
  (func (export "header") (param $n i32) (result i32) (local $i i32) (local $c i32)
    ;; a loop test with straight-line code before it (copied by loop inversion)
    (local.set $i (i32.const 1))
    (block $d (loop $l (br_if $d (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
      (local.set $c (i32.add (local.get $c) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
    (local.get $c))
  ;; a bytecode interpreter loop: the dispatch block ends in a br_table (tail duplication)
  (func (export "vm") (param $n i32) (result i32) (local $pc i32) (local $acc i32) (local $op i32)
    (i32.store8 (i32.const 0) (i32.const 1))
    (i32.store8 (i32.const 1) (i32.const 2))
    (i32.store8 (i32.const 2) (i32.const 3))
    (i32.store8 (i32.const 3) (i32.const 0))
    (block $halt (loop $next
      (local.set $op (i32.load8_u (local.get $pc)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
      (block $jump (block $double (block $inc
        (br_table $halt $inc $double $jump (local.get $op)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $next))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $next))
      ;; jump: back to the start while n > 0
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $pc (select (i32.const 0) (i32.const 3) (local.get $n)))
      (br $next)))
    (local.get $acc)))"#;

const SELECTS: &str = r#"(module
  ;; one CRC-16 step per bit, as clang compiles CoreMark's crcu8: select on a bit test
  (func (export "crc8") (param $data i32) (param $crc i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $crc
        (select
          (i32.xor (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)) (i32.const 0xa001))
          (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff))
          (i32.and (i32.xor (local.get $data) (local.get $crc)) (i32.const 1))))
      (local.set $data (i32.shr_u (local.get $data) (i32.const 1)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 8))))
    (local.get $crc))
  ;; the selected operand is the local the result goes to; a wide mask; i64 and f64 operands
  (func (export "keep_or_swap") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local.set $a (select (local.get $b) (local.get $a) (i32.and (local.get $c) (i32.const 0x80000000))))
    (local.get $a))
  (func (export "pick64") (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (i32.and (i32.mul (local.get 2) (i32.const 3)) (i32.const 6))))
  (func (export "pickf") (param f64 f64 i32 i32) (result f64)
    (select (local.get 0) (local.get 1) (i32.lt_u (local.get 2) (local.get 3)))))"#;

#[test]
fn selects_on_bit_tests_and_computed_conditions() {
    let inst = instance(SELECTS);
    let crc8 = |mut data: u32, mut crc: u32| {
        for _ in 0..8 {
            let x = (data ^ crc) & 1;
            data >>= 1;
            crc = (crc >> 1) & 0x7fff;
            if x != 0 {
                crc ^= 0xa001;
            }
        }
        crc as i32
    };
    for (d, c) in [(0, 0), (0x5a, 0xffff), (0xff, 0x1234), (0x80, 1), (0x01, 0x8001)] {
        assert_eq!(
            call_i32(&inst, "crc8", &[Val::I32(d), Val::I32(c)]),
            crc8(d as u32, c as u32),
            "crc8({d:#x}, {c:#x})"
        );
    }
    for (c, want) in [(0, 1), (i32::MIN, 2), (0x7fff_ffff, 1), (-1, 2)] {
        assert_eq!(call_i32(&inst, "keep_or_swap", &[Val::I32(1), Val::I32(2), Val::I32(c)]), want, "c = {c:#x}");
    }
    for c in [0i32, 1, 2, 4, 5, 0x5555_5554] {
        let want = if c.wrapping_mul(3) & 6 != 0 { 7 } else { -9 };
        assert_eq!(call_i64(&inst, "pick64", &[Val::I64(7), Val::I64(-9), Val::I32(c)]), want, "c = {c}");
    }
    for (x, y, want) in [(1, 2, 1.5), (2, 1, -0.0), (3, 3, -0.0), (0, u32::MAX as i32, 1.5)] {
        let r = call_ok(
            &inst,
            "pickf",
            &[Val::F64(1.5f64.to_bits()), Val::F64((-0.0f64).to_bits()), Val::I32(x), Val::I32(y)],
        );
        assert_eq!(r, vec![Val::F64(f64::to_bits(want))], "pickf({x}, {y})");
    }
}

#[test]
fn optimised_loops_count_right() {
    let inst = instance(LOOPS);
    assert_eq!(call_i32(&inst, "count_lt_s", &[Val::I32(10)]), 30);
    assert_eq!(call_i32(&inst, "count_lt_s", &[Val::I32(-4)]), 0);
    assert_eq!(call_i32(&inst, "count_down", &[Val::I32(5)]), 15);
    assert_eq!(call_i32(&inst, "step_by", &[Val::I32(3), Val::I32(10)]), 4);
    assert_eq!(call_i32(&inst, "wrap_u", &[Val::I32(-10)]), 10);
    assert_eq!(call_i32(&inst, "big_step", &[Val::I32(1_000_000)]), 10);
    assert_eq!(call_i32(&inst, "header", &[Val::I32(30)]), 1 + 2 + 3 + 4 + 5);
    // ((0 + 1) * 2) per round, 4 rounds: acc = ((((1*2)+1)*2+1)*2+1)*2 = 30
    assert_eq!(call_i32(&inst, "vm", &[Val::I32(4)]), 30);
}

#[test]
fn call_results_go_straight_to_locals() {
    let double = host(&[ValType::I32], &[ValType::I32], |args, res| {
        let Val::I32(x) = args[0] else { panic!() };
        res.push(Val::I32(2 * x));
        Ok(())
    });
    let wat = r#"(module
      (import "h" "double" (func $double (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $inc $double)
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $half (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
      (func (export "run") (param $x i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d f64)
        (local.set $a (call $inc (local.get $x)))
        (local.set $b (call $double (local.get $a)))
        (local.set $c (call_indirect (type $t) (local.get $b) (i32.const 0)))
        (local.set $c (i32.add (local.get $c) (call_indirect (type $t) (local.get $c) (i32.const 1))))
        (local.set $d (call $half (f64.convert_i32_s (local.get $c))))
        (i32.add (i32.trunc_f64_s (local.get $d)) (local.tee $a (call $inc (local.get $a))))))"#;
    let inst = instance_with(wat, &[double]);
    // a = 6, b = 12, c = 13, c = 13 + 26 = 39, d = 19.5, a = 7: 19 + 7
    assert_eq!(call_i32(&inst, "run", &[Val::I32(5)]), 26);
    // Into another instance: the callee's frame returns the result into the caller's local.
    let lib =
        instance(r#"(module (func (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))"#);
    let Some(Extern::Func(sq)) = lib.export("sq") else { panic!() };
    let user = instance_with(
        r#"(module (import "m" "sq" (func $sq (param i32) (result i32)))
          (func (export "f") (param i32) (result i32) (local $r i32)
            (local.set $r (call $sq (local.get 0))) (i32.add (local.get $r) (i32.const 1))))"#,
        &[Extern::Func(sq)],
    );
    assert_eq!(call_i32(&user, "f", &[Val::I32(9)]), 82);
}

/// Handlers continue with sibling calls (jumps) in optimised builds and through a trampoline in
/// debug builds: either way a long run must not grow the native stack.
#[test]
fn long_runs_use_constant_native_stack() {
    let wat = r#"(module
      (memory 1)
      (func $f (param i32) (result i32) (i32.xor (local.get 0) (i32.const 0x55)))
      (func (export "spin") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $s (i32.add (local.get $s) (call $f (local.get $i))))
          (i32.store (i32.and (local.get $i) (i32.const 1020)) (local.get $s))
          (local.set $s (i32.add (local.get $s) (i32.load (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
        (local.get $s)))"#;
    let n = if cfg!(debug_assertions) { 20_000 } else { 2_000_000 };
    let result = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let inst = instance(wat);
            call_i32(&inst, "spin", &[Val::I32(n)])
        })
        .expect("thread")
        .join()
        .expect("no native stack overflow");
    let inst = instance(wat);
    assert_eq!(call_i32(&inst, "spin", &[Val::I32(n)]), result);
}

/// Loops whose body is one store of a constant at the induction variable (run by one
/// instruction, `StoreImmLoop`): every latch shape, `<` signed and unsigned and `!=`, 8/16/32-bit
/// stores with an offset, and a loop that runs out of memory midway.
const STORE_LOOPS: &str = r#"(module
  (memory 1)
  (func (export "sum") (param $from i32) (param $to i32) (result i32)
    (local $s i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $from) (local.get $to)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $from))))
      (local.set $from (i32.add (local.get $from) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "fill8") (param $i i32) (param $n i32) (param $step i32) (result i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 offset=3 (local.get $i) (i32.const 0x1ff))
      (local.set $i (i32.add (local.get $i) (local.get $step)))
      (br $l)))
    (local.get $i))
  (func (export "fill16s") (param $i i32) (param $n i32) (result i32)
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
      (i32.store16 (local.get $i) (i32.const 0x0102))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $l)))
    (local.get $i))
  (func (export "fill32ne") (param $i i32) (result i32)
    (block $d (loop $l
      (br_if $d (i32.eq (local.get $i) (i32.const 64)))
      (i32.store (local.get $i) (i32.const -1))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (local.get $i))
  (func (export "clear") (param $i i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (i32.const 65536)))
      (i32.store8 (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))))"#;

#[test]
fn store_loops_compute_the_same_values() {
    let inst = instance(STORE_LOOPS);
    let sum = |a: i32, b: i32| call_i32(&inst, "sum", &[Val::I32(a), Val::I32(b)]);
    // every third byte of 3..3+30 (i = 0, 3, ..., 27 at offset 3): 10 bytes of 0xff
    assert_eq!(call_i32(&inst, "fill8", &[Val::I32(0), Val::I32(30), Val::I32(3)]), 30);
    assert_eq!(sum(0, 40), 10 * 255);
    assert_eq!(call_i32(&inst, "fill8", &[Val::I32(50), Val::I32(50), Val::I32(3)]), 50);
    assert_eq!(sum(0, 100), 10 * 255);
    call_ok(&inst, "clear", &[Val::I32(0)]);
    // signed bound: from -4 the loop would store at 0xfffffffc; from 100 to 110, 5 halfwords
    assert_eq!(call_i32(&inst, "fill16s", &[Val::I32(100), Val::I32(110)]), 110);
    assert_eq!(sum(0, 200), 5 * 3);
    assert_eq!(call_i32(&inst, "fill16s", &[Val::I32(120), Val::I32(-5)]), 120);
    assert_eq!(call_i32(&inst, "fill32ne", &[Val::I32(0)]), 64);
    assert_eq!(sum(0, 64), 64 * 255);
    // a loop running out of memory stores up to the last byte, then traps
    call_ok(&inst, "clear", &[Val::I32(0)]);
    assert_eq!(
        trap_of(call(&inst, "fill8", &[Val::I32(65530), Val::I32(70000), Val::I32(1)])),
        TrapCode::MemOutOfBounds
    );
    assert_eq!(sum(65530, 65536), 3 * 255);
    assert_eq!(sum(0, 65530), 0);
    assert_eq!(trap_of(call(&inst, "fill16s", &[Val::I32(-4), Val::I32(0)])), TrapCode::MemOutOfBounds);
}

#[test]
fn xorshift_steps_compute_the_same_values() {
    // `x ^ (x >> k)` is one instruction: on a parameter, on a local just written (read through
    // the accumulator), and not when the xor's other operand is a different value.
    let inst = instance(
        r#"(module
      (func (export "mix64") (param $x i64) (result i64)
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 30))))
        (local.set $x (i64.mul (local.get $x) (i64.const 0xbf58476d1ce4e5b9)))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 91))))
        (i64.xor (i64.shr_u (local.get $x) (i64.const 7)) (local.get $x)))
      (func (export "mix32") (param $x i32) (param $y i32) (result i32)
        (local.set $y (i32.add (local.get $y) (local.get $x)))
        (local.set $x (i32.xor (local.get $y) (i32.shr_u (local.get $y) (i32.const 13))))
        (i32.xor (local.get $y) (i32.shr_u (local.get $x) (i32.const 3)))))"#,
    );
    let mix64 = |x: u64| {
        let x = x ^ (x >> 30);
        let x = x.wrapping_mul(0xbf58476d1ce4e5b9);
        let x = x ^ (x >> (91 & 63));
        (x >> 7) ^ x
    };
    let mix32 = |x: u32, y: u32| {
        let y = y.wrapping_add(x);
        let x = y ^ (y >> 13);
        y ^ (x >> 3)
    };
    for x in [0u64, 1, 0x8000_0000_0000_0001, 0x0123_4567_89ab_cdef, u64::MAX] {
        assert_eq!(call_i64(&inst, "mix64", &[Val::I64(x as i64)]) as u64, mix64(x));
        let (a, b) = (x as u32, (x >> 32) as u32);
        assert_eq!(call_i32(&inst, "mix32", &[Val::I32(a as i32), Val::I32(b as i32)]) as u32, mix32(a, b));
    }
}
