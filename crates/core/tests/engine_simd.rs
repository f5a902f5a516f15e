//! SIMD in the interpreter beyond the spec testsuite: `v128` values (two cells each) through
//! calls with many arguments and results, host functions, other instances and tables; `v128`
//! locals mixed with scalars across blocks, loops and branches; `v128` globals; constants in
//! copied loop headers; precise traps of SIMD memory accesses, on memory 0 and on other or
//! 64-bit memories.

mod engine_util;

use std::cell::RefCell;
use std::rc::Rc;

use engine_util::*;
use jitless_wasm_core::{Extern, Global, GlobalType, TrapCode, Val, ValType};

/// A v128 from four i32 lanes (lane 0 first).
fn i32x4(l: [i32; 4]) -> u128 {
    l.iter().enumerate().fold(0, |acc, (i, &x)| acc | (x as u32 as u128) << (32 * i))
}

/// The four i32 lanes of a v128.
fn lanes(v: &Val) -> [i32; 4] {
    let Val::V128(v) = v else { panic!("expected a v128, got {v:?}") };
    [0, 1, 2, 3].map(|i| (v >> (32 * i)) as u32 as i32)
}

#[test]
fn v128_arguments_and_results_interleave_with_scalars() {
    let inst = instance(
        r#"(module
      (func $mix (export "mix") (param i32 v128 i64 v128 f64 v128) (result v128 i32 v128 f64)
        (i32x4.add (local.get 1) (local.get 3))
        (i32.add (local.get 0) (i32.wrap_i64 (local.get 2)))
        (i32x4.mul (local.get 5) (i32x4.splat (local.get 0)))
        (local.get 4))
      (func (export "callMix") (result i32 v128 f64)
        (local $a v128) (local $n i32) (local $b v128) (local $f f64)
        (call $mix (i32.const 3) (v128.const i32x4 1 2 3 4) (i64.const 4)
                   (v128.const i32x4 10 20 30 40) (f64.const 2.5) (v128.const i32x4 -1 0 1 2))
        (local.set $f)
        (local.set $b)
        (local.set $n)
        (local.set $a)
        (local.get $n)
        (i32x4.sub (local.get $b) (local.get $a))
        (local.get $f))
      (func $sum (export "sum") (param v128 i32) (result v128)
        (if (result v128) (i32.eqz (local.get 1))
          (then (local.get 0))
          (else (call $sum (i32x4.add (local.get 0) (i32x4.splat (local.get 1)))
                           (i32.sub (local.get 1) (i32.const 1)))))))"#,
    );
    let r = call_ok(
        &inst,
        "mix",
        &[
            Val::I32(3),
            Val::V128(i32x4([1, 2, 3, 4])),
            Val::I64(4),
            Val::V128(i32x4([10, 20, 30, 40])),
            Val::F64(2.5f64.to_bits()),
            Val::V128(i32x4([-1, 0, 1, 2])),
        ],
    );
    assert_eq!(r.len(), 4);
    assert_eq!(lanes(&r[0]), [11, 22, 33, 44]);
    assert_eq!(r[1], Val::I32(7));
    assert_eq!(lanes(&r[2]), [-3, 0, 3, 6]);
    assert_eq!(r[3], Val::F64(2.5f64.to_bits()));
    let r = call_ok(&inst, "callMix", &[]);
    assert_eq!(r[0], Val::I32(7));
    assert_eq!(lanes(&r[1]), [-14, -22, -30, -38]);
    assert_eq!(r[2], Val::F64(2.5f64.to_bits()));
    // Recursion with a v128 parameter and result: adds 1 + 2 + ... + 100 to every lane.
    let r = call_ok(&inst, "sum", &[Val::V128(i32x4([0, 1, -1, 1000])), Val::I32(100)]);
    assert_eq!(lanes(&r[0]), [5050, 5051, 5049, 6050]);
}

#[test]
fn v128_locals_across_blocks_loops_and_branches() {
    let inst = instance(
        r#"(module
      (func (export "loop") (param i32) (result v128)
        (local $acc v128) (local $i i32) (local $step v128)
        (local.set $step (v128.const i32x4 1 2 3 4))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
            (local.set $acc (i32x4.add (local.get $acc) (local.get $step)))
            (local.set $step (i32x4.add (local.get $step) (v128.const i32x4 1 1 1 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.get $acc))
      (func (export "brIf") (param i32) (result v128)
        (local $v v128)
        (local.set $v (v128.const i32x4 7 7 7 7))
        (block (result v128)
          (local.get $v)
          (local.set $v (v128.const i32x4 9 9 9 9))
          (br_if 0 (local.get 0))
          (drop)
          (local.get $v)))
      (func (export "brTable") (param i32) (result v128)
        (block $b2 (result v128)
          (block $b1 (result v128)
            (block $b0 (result v128)
              (v128.const i32x4 1 2 3 4)
              (br_table $b0 $b1 $b2 (local.get 0)))
            (i32x4.add (v128.const i32x4 10 10 10 10)))
          (i32x4.add (v128.const i32x4 100 100 100 100))))
      (func (export "select") (param i32) (result v128 v128)
        (local $a v128) (local $b v128)
        (local.set $a (v128.const i32x4 1 1 1 1))
        (local.set $b (v128.const i32x4 2 2 2 2))
        (select (local.get $a) (local.get $b) (local.get 0))
        (select (result v128) (local.get $a) (local.get $b) (i32.eqz (local.get 0))))
      (func (export "tee") (result v128 v128)
        (local $a v128) (local $b v128)
        (local.set $b (local.tee $a (v128.const i32x4 5 6 7 8)))
        (local.set $a (i32x4.add (local.get $a) (local.get $a)))
        (local.get $a) (local.get $b))
      (func (export "params") (param v128 v128) (result v128)
        (local.get 1)
        (local.set 1 (local.get 0))
        (local.set 0)
        (i32x4.sub (local.get 0) (local.get 1)))
      (func (export "blockParams") (result v128)
        (v128.const i32x4 1 2 3 4)
        (i32.const 3)
        (block (param v128 i32) (result v128)
          (i32x4.splat)
          (i32x4.mul))))"#,
    );
    // Sum over i < 4 of (1 + i, 2 + i, 3 + i, 4 + i).
    assert_eq!(lanes(&call_ok(&inst, "loop", &[Val::I32(4)])[0]), [10, 14, 18, 22]);
    assert_eq!(lanes(&call_ok(&inst, "loop", &[Val::I32(0)])[0]), [0, 0, 0, 0]);
    // The value pushed before the local is overwritten is the one branched with.
    assert_eq!(lanes(&call_ok(&inst, "brIf", &[Val::I32(1)])[0]), [7, 7, 7, 7]);
    assert_eq!(lanes(&call_ok(&inst, "brIf", &[Val::I32(0)])[0]), [9, 9, 9, 9]);
    assert_eq!(lanes(&call_ok(&inst, "brTable", &[Val::I32(0)])[0]), [111, 112, 113, 114]);
    assert_eq!(lanes(&call_ok(&inst, "brTable", &[Val::I32(1)])[0]), [101, 102, 103, 104]);
    assert_eq!(lanes(&call_ok(&inst, "brTable", &[Val::I32(9)])[0]), [1, 2, 3, 4]);
    let r = call_ok(&inst, "select", &[Val::I32(1)]);
    assert_eq!((lanes(&r[0]), lanes(&r[1])), ([1; 4], [2; 4]));
    let r = call_ok(&inst, "select", &[Val::I32(0)]);
    assert_eq!((lanes(&r[0]), lanes(&r[1])), ([2; 4], [1; 4]));
    let r = call_ok(&inst, "tee", &[]);
    assert_eq!((lanes(&r[0]), lanes(&r[1])), ([10, 12, 14, 16], [5, 6, 7, 8]));
    let r = call_ok(&inst, "params", &[Val::V128(i32x4([10, 20, 30, 40])), Val::V128(i32x4([1, 2, 3, 4]))]);
    assert_eq!(lanes(&r[0]), [-9, -18, -27, -36]);
    assert_eq!(lanes(&call_ok(&inst, "blockParams", &[])[0]), [3, 6, 9, 12]);
}

#[test]
fn constants_and_shuffles_in_copied_loop_headers() {
    // The loop test sits in a short header with a v128 constant and a shuffle, which back
    // edges copy (loop inversion): the copies must read the same constant pool entries.
    let inst = instance(
        r#"(module
      (func (export "f") (param i32) (result v128)
        (local $v v128) (local $i i32)
        (loop $l
          (local.set $v
            (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3
              (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4))
              (v128.const i64x2 0 0)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
        (local.get $v)))"#,
    );
    // Each round adds (1, 2, 3, 4) and rotates the lanes left by one.
    let mut v = [0i32; 4];
    for _ in 0..5 {
        let added = [v[0] + 1, v[1] + 2, v[2] + 3, v[3] + 4];
        v = [added[1], added[2], added[3], added[0]];
    }
    assert_eq!(lanes(&call_ok(&inst, "f", &[Val::I32(5)])[0]), v);
}

#[test]
fn v128_globals_read_written_exported_and_imported() {
    let imported = Global::new(GlobalType { content: ValType::V128, mutable: true }, Val::V128(i32x4([1, 2, 3, 4])))
        .expect("a v128 global");
    let inst = instance_with(
        r#"(module
      (import "m" "g" (global $imp (mut v128)))
      (global $g (export "g") (mut v128) (v128.const i32x4 10 20 30 40))
      (global $c (export "c") v128 (v128.const i64x2 -1 0))
      (func (export "bump")
        (global.set $g (i32x4.add (global.get $g) (global.get $imp)))
        (global.set $imp (i32x4.neg (global.get $imp))))
      (func (export "get") (result v128 v128 v128)
        (global.get $g) (global.get $c) (global.get $imp)))"#,
        &[Extern::Global(imported.clone())],
    );
    call_ok(&inst, "bump", &[]);
    let r = call_ok(&inst, "get", &[]);
    assert_eq!(lanes(&r[0]), [11, 22, 33, 44]);
    assert_eq!(lanes(&r[1]), [-1, -1, 0, 0]);
    assert_eq!(lanes(&r[2]), [-1, -2, -3, -4]);
    assert_eq!(imported.get(), Val::V128(i32x4([-1, -2, -3, -4])));
    let Some(Extern::Global(g)) = inst.export("g") else { panic!("no global g") };
    assert_eq!(g.get(), Val::V128(i32x4([11, 22, 33, 44])));
    g.set(Val::V128(7)).expect("set a mutable v128 global");
    assert_eq!(lanes(&call_ok(&inst, "get", &[])[0]), [7, 0, 0, 0]);
}

#[test]
fn host_functions_take_and_return_v128() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    let swap = host(&[ValType::V128, ValType::I32, ValType::V128], &[ValType::V128], move |args, res| {
        s.borrow_mut().push(args.to_vec());
        let (Val::V128(a), Val::V128(b)) = (&args[0], &args[2]) else { panic!("v128 arguments") };
        res.push(Val::V128(a.wrapping_add(*b)));
        Ok(())
    });
    let pair = host(&[], &[ValType::I32, ValType::V128, ValType::I64], |_, res| {
        res.extend([Val::I32(-5), Val::V128(i32x4([9, 8, 7, 6])), Val::I64(1 << 40)]);
        Ok(())
    });
    let inst = instance_with(
        r#"(module
      (import "m" "swap" (func $swap (param v128 i32 v128) (result v128)))
      (import "m" "pair" (func $pair (result i32 v128 i64)))
      (func (export "f") (result v128)
        (local $keep v128)
        (local.set $keep (v128.const i32x4 100 200 300 400))
        (i32x4.add (local.get $keep)
          (call $swap (v128.const i32x4 1 2 3 4) (i32.const 42) (v128.const i32x4 10 20 30 40))))
      (func (export "g") (result i32 v128 i64) (call $pair)))"#,
        &[swap, pair],
    );
    assert_eq!(lanes(&call_ok(&inst, "f", &[])[0]), [111, 222, 333, 444]);
    assert_eq!(
        seen.borrow()[0],
        vec![Val::V128(i32x4([1, 2, 3, 4])), Val::I32(42), Val::V128(i32x4([10, 20, 30, 40]))]
    );
    let r = call_ok(&inst, "g", &[]);
    assert_eq!(r[0], Val::I32(-5));
    assert_eq!(lanes(&r[1]), [9, 8, 7, 6]);
    assert_eq!(r[2], Val::I64(1 << 40));
}

#[test]
fn v128_across_instances_and_tables() {
    let lib = instance(
        r#"(module
      (func (export "twice") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0))))"#,
    );
    let inst = instance_with(
        r#"(module
      (import "lib" "twice" (func $twice (param v128) (result v128)))
      (type $vv (func (param v128) (result v128)))
      (table 2 funcref)
      (elem (i32.const 0) $twice $neg)
      (func $neg (param v128) (result v128) (i32x4.neg (local.get 0)))
      (func (export "direct") (result v128) (call $twice (v128.const i32x4 1 2 3 4)))
      (func (export "indirect") (param i32) (result v128)
        (call_indirect (type $vv) (v128.const i32x4 1 2 3 4) (local.get 0))))"#,
        &[Extern::Func(func(&lib, "twice"))],
    );
    assert_eq!(lanes(&call_ok(&inst, "direct", &[])[0]), [2, 4, 6, 8]);
    assert_eq!(lanes(&call_ok(&inst, "indirect", &[Val::I32(0)])[0]), [2, 4, 6, 8]);
    assert_eq!(lanes(&call_ok(&inst, "indirect", &[Val::I32(1)])[0]), [-1, -2, -3, -4]);
    assert_eq!(trap_of(call(&inst, "indirect", &[Val::I32(2)])), TrapCode::TableOutOfBounds);
}

#[test]
fn simd_memory_accesses_trap_precisely() {
    let inst = instance(
        r#"(module
      (memory 1)
      (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
      (func (export "store") (param i32) (v128.store offset=1 (local.get 0) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))
      (func (export "storeLane") (param i32) (v128.store32_lane 3 (local.get 0) (v128.const i32x4 1 2 3 4)))
      (func (export "loadSplat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
      (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    assert!(call(&inst, "load", &[Val::I32(65536 - 16)]).is_ok());
    assert_eq!(trap_of(call(&inst, "load", &[Val::I32(65536 - 15)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "load", &[Val::I32(-1)])), TrapCode::MemOutOfBounds);
    // A store that does not fit writes nothing.
    assert_eq!(trap_of(call(&inst, "store", &[Val::I32(65536 - 16)])), TrapCode::MemOutOfBounds);
    assert_eq!(call_i32(&inst, "byte", &[Val::I32(65535)]), 0);
    call_ok(&inst, "store", &[Val::I32(65536 - 17)]);
    assert_eq!(call_i32(&inst, "byte", &[Val::I32(65535)]), 1);
    call_ok(&inst, "storeLane", &[Val::I32(65532)]);
    assert_eq!(call_i32(&inst, "byte", &[Val::I32(65532)]), 4);
    assert_eq!(trap_of(call(&inst, "storeLane", &[Val::I32(65533)])), TrapCode::MemOutOfBounds);
    assert_eq!(lanes(&call_ok(&inst, "loadSplat", &[Val::I32(65534)])[0]), [0; 4]);
    assert_eq!(trap_of(call(&inst, "loadSplat", &[Val::I32(65535)])), TrapCode::MemOutOfBounds);
}

#[test]
fn many_v128_locals_and_temporaries() {
    // 200 v128 locals (400 cells) between scalar locals, and a deep operand stack of v128s.
    let mut body = String::new();
    for i in 0..200 {
        body.push_str(&format!("(local.set {} (i32x4.splat (i32.const {i})))\n", i + 1));
    }
    body.push_str("(local.get 1)\n");
    for i in 2..=200 {
        body.push_str(&format!("(local.get {i})\n"));
    }
    for _ in 2..=200 {
        body.push_str("(i32x4.add)\n");
    }
    let wat = format!(
        r#"(module (func (export "f") (param i32) (result i32)
          (local {} i32)
          {body}
          (i32x4.extract_lane 1)
          (i32.add (local.get 201))
          (i32.add (local.get 0))))"#,
        "v128 ".repeat(200)
    );
    let inst = instance(&wat);
    assert_eq!(call_i32(&inst, "f", &[Val::I32(1000)]), (0..200).sum::<i32>() + 1000);
}

#[test]
fn simd_loads_and_stores_of_memory_1() {
    // Memory 0 is larger than memory 1, so bounds must be memory 1's.
    let inst = instance(
        r#"(module
      (memory $m0 2)
      (memory $m1 1)
      (data (memory $m1) (i32.const 32) "\01\02\03\04\05\06\07\08\f9\fa\fb\fc\fd\fe\ff\00")
      (func (export "store") (param i32) (v128.store $m1 offset=4 (local.get 0) (v128.const i32x4 1 2 3 4)))
      (func (export "load") (param i32) (result v128) (v128.load $m1 offset=4 (local.get 0)))
      (func (export "load0") (param i32) (result v128) (v128.load $m0 offset=4 (local.get 0)))
      (func (export "load8x8s") (param i32) (result v128) (i16x8.extract_lane_s 4 (v128.load8x8_s $m1 (local.get 0))) (i32x4.splat))
      (func (export "splat") (param i32) (result v128) (v128.load32_splat $m1 (local.get 0)))
      (func (export "zero") (param i32) (result v128) (v128.load64_zero $m1 (local.get 0)))
      (func (export "loadLane") (param i32) (result v128) (local v128)
        (local.set 1 (v128.const i32x4 -1 -1 -1 -1))
        (local.set 1 (v128.load16_lane $m1 offset=2 1 (local.get 0) (local.get 1)))
        (local.get 1))
      (func (export "storeLane") (param i32) (v128.store64_lane $m1 offset=8 1 (local.get 0) (v128.const i32x4 5 6 7 8)))
      (func (export "byte1") (param i32) (result i32) (i32.load8_u $m1 (local.get 0))))"#,
    );
    assert_eq!(lanes(&call_ok(&inst, "splat", &[Val::I32(32)])[0]), [0x04030201; 4]);
    assert_eq!(lanes(&call_ok(&inst, "zero", &[Val::I32(36)])[0]), [0x08070605, 0xfcfbfaf9_u32 as i32, 0, 0]);
    // Byte 36 + 4 is 0xf9, sign-extended.
    assert_eq!(lanes(&call_ok(&inst, "load8x8s", &[Val::I32(36)])[0]), [-7; 4]);
    assert_eq!(lanes(&call_ok(&inst, "loadLane", &[Val::I32(30)])[0]), [0x0201ffff, -1, -1, -1]);
    call_ok(&inst, "store", &[Val::I32(100)]);
    assert_eq!(lanes(&call_ok(&inst, "load", &[Val::I32(100)])[0]), [1, 2, 3, 4]);
    assert_eq!(lanes(&call_ok(&inst, "load0", &[Val::I32(100)])[0]), [0; 4]);
    call_ok(&inst, "storeLane", &[Val::I32(65536 - 16)]);
    assert_eq!(call_i32(&inst, "byte1", &[Val::I32(65536 - 8)]), 7);
    // The last 16 bytes of memory 1 are the last in bounds.
    assert!(call(&inst, "load", &[Val::I32(65536 - 20)]).is_ok());
    assert_eq!(trap_of(call(&inst, "load", &[Val::I32(65536 - 19)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "store", &[Val::I32(65536 - 19)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "splat", &[Val::I32(65536 - 3)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "loadLane", &[Val::I32(65536 - 3)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "storeLane", &[Val::I32(65536 - 15)])), TrapCode::MemOutOfBounds);
    // A trapping store writes nothing.
    assert_eq!(call_i32(&inst, "byte1", &[Val::I32(65536 - 1)]), 0);
    // The address is unsigned: -1 is 4 GiB - 1, not a wrap-around.
    assert_eq!(trap_of(call(&inst, "load", &[Val::I32(-1)])), TrapCode::MemOutOfBounds);
}

#[test]
fn simd_accesses_of_a_64_bit_memory_near_its_end() {
    let inst = instance(
        r#"(module
      (memory i64 1)
      (func (export "store") (param i64) (v128.store (local.get 0) (v128.const i32x4 1 2 3 4)))
      (func (export "load") (param i64) (result v128) (v128.load (local.get 0)))
      (func (export "splat") (param i64) (result v128) (v128.load64_splat offset=8 (local.get 0)))
      (func (export "storeLane") (param i64) (v128.store32_lane 2 (local.get 0) (v128.const i32x4 1 2 3 4)))
      (func (export "loadLane") (param i64) (result v128) (v128.load32_lane 3 (local.get 0) (v128.const i32x4 0 0 0 0))))"#,
    );
    let end = 65536_i64;
    call_ok(&inst, "store", &[Val::I64(end - 16)]);
    assert_eq!(lanes(&call_ok(&inst, "load", &[Val::I64(end - 16)])[0]), [1, 2, 3, 4]);
    assert_eq!(lanes(&call_ok(&inst, "splat", &[Val::I64(end - 16)])[0]), [3, 4, 3, 4]);
    call_ok(&inst, "storeLane", &[Val::I64(end - 4)]);
    assert_eq!(lanes(&call_ok(&inst, "loadLane", &[Val::I64(end - 4)])[0]), [0, 0, 0, 3]);
    for addr in [end - 15, end, 1 << 32, (1 << 32) + 16, i64::MAX, -16, -1] {
        assert_eq!(trap_of(call(&inst, "store", &[Val::I64(addr)])), TrapCode::MemOutOfBounds, "{addr}");
        assert_eq!(trap_of(call(&inst, "load", &[Val::I64(addr)])), TrapCode::MemOutOfBounds, "{addr}");
    }
    assert_eq!(trap_of(call(&inst, "splat", &[Val::I64(end - 15)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "storeLane", &[Val::I64(end - 3)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "loadLane", &[Val::I64(-4)])), TrapCode::MemOutOfBounds);
    // Nothing was written by the trapping stores.
    assert_eq!(lanes(&call_ok(&inst, "load", &[Val::I64(end - 16)])[0]), [1, 2, 3, 3]);
}

#[test]
fn simd_lane_accesses_with_offsets_that_overflow() {
    // Offsets beyond 32 bits (64-bit memory) and address + offset sums that overflow 32 or
    // 64 bits trap instead of wrapping around.
    let inst = instance(
        r#"(module
      (memory $m0 1)
      (memory $m1 1)
      (memory $m64 i64 1)
      (func (export "load1") (param i32) (result v128) (v128.load8_lane $m1 offset=0xffffffff 0 (local.get 0) (v128.const i64x2 0 0)))
      (func (export "store1") (param i32) (v128.store16_lane $m1 offset=0xfffffffe 0 (local.get 0) (v128.const i64x2 0 0)))
      (func (export "loadMax") (param i64) (result v128) (v128.load64_lane $m64 offset=0xffffffffffffffff 1 (local.get 0) (v128.const i64x2 7 7)))
      (func (export "storeMax") (param i64) (v128.store8_lane $m64 offset=0xfffffffffffffff0 15 (local.get 0) (v128.const i64x2 -1 -1)))
      (func (export "loadBig") (param i64) (result v128) (v128.load64_lane $m64 offset=0x100000000 0 (local.get 0) (v128.const i64x2 7 7)))
      (func (export "loadNear") (param i64) (result v128) (v128.load64_lane $m64 offset=65528 0 (local.get 0) (v128.const i64x2 7 7)))
      (func (export "byte64") (param i64) (result i32) (i32.load8_u $m64 (local.get 0))))"#,
    );
    // 32-bit memory 1: 1 + 0xffffffff is 2^32, not 0.
    assert_eq!(call_i32(&inst, "byte64", &[Val::I64(0)]), 0);
    for addr in [1, 2, -1] {
        assert_eq!(trap_of(call(&inst, "load1", &[Val::I32(addr)])), TrapCode::MemOutOfBounds, "{addr}");
        assert_eq!(trap_of(call(&inst, "store1", &[Val::I32(addr)])), TrapCode::MemOutOfBounds, "{addr}");
    }
    // 64-bit memory: address + offset beyond 2^64 traps; so does an offset of 2^32.
    for addr in [0, 1, 16, -1, i64::MIN] {
        assert_eq!(trap_of(call(&inst, "loadMax", &[Val::I64(addr)])), TrapCode::MemOutOfBounds, "{addr}");
        assert_eq!(trap_of(call(&inst, "storeMax", &[Val::I64(addr)])), TrapCode::MemOutOfBounds, "{addr}");
        assert_eq!(trap_of(call(&inst, "loadBig", &[Val::I64(addr)])), TrapCode::MemOutOfBounds, "{addr}");
    }
    assert_eq!(call_i32(&inst, "byte64", &[Val::I64(0)]), 0);
    // A large offset in bounds reads the right bytes (the offset is kept in full).
    assert_eq!(lanes(&call_ok(&inst, "loadNear", &[Val::I64(0)])[0]), [0, 0, 7, 0]);
    assert_eq!(trap_of(call(&inst, "loadNear", &[Val::I64(1)])), TrapCode::MemOutOfBounds);
}

#[test]
fn loads_fused_into_constant_operations_and_accumulations() {
    // `v128.load` + an operation with a `v128.const` is one instruction, and
    // `local.set $acc (op2 (local.get $acc) (op (v128.load) k))` another; both keep the
    // load's bounds check, the operand order and the accumulator's old value.
    let inst = instance(
        r#"(module
      (memory 1)
      (func (export "init") (param i32)
        (v128.store (i32.const 0) (v128.const i32x4 1 2 3 4))
        (v128.store (i32.const 16) (v128.const i32x4 10 20 30 40))
        (v128.store (i32.const 32) (v128.const f32x4 1.5 2.5 -3 0.25)))
      (func (export "mac") (param $p i32) (result v128)
        (local $acc v128)
        (local.set $acc (i32x4.add (v128.load (local.get $p)) (v128.const i32x4 2 2 2 2)))
        (local.set $acc (i32x4.sub (local.get $acc) (i32x4.add (v128.load offset=16 (local.get $p)) (v128.const i32x4 1 1 1 1))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.sub (v128.load offset=4 (local.get $p)) (v128.const i32x4 100 0 0 0))))
        (local.get $acc))
      (func (export "fmac") (param $p i32) (result v128)
        (local $acc v128)
        (local.set $acc (f32x4.mul (v128.load offset=32 (local.get $p)) (v128.const f32x4 2 2 2 2)))
        (local.set $acc (f32x4.sub (local.get $acc) (f32x4.mul (v128.load offset=32 (local.get $p)) (v128.const f32x4 0.5 0.5 0.5 0.5))))
        (local.get $acc))
      (func (export "tee") (param $p i32) (result v128)
        ;; the accumulator is still read after its update: the value the fused step wrote
        (local $acc v128)
        (local.set $acc (v128.const i32x4 7 7 7 7))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.add (v128.load (local.get $p)) (v128.const i32x4 3 3 3 3))))
        (i32x4.add (local.get $acc) (local.get $acc))))"#,
    );
    call_ok(&inst, "init", &[Val::I32(0)]);
    // ([1,2,3,4] + 2) - ([10,20,30,40] + 1) + ([2,3,4,10] - [100,0,0,0]) (offset 4: 2, 3, 4, 10)
    assert_eq!(
        lanes(&call_ok(&inst, "mac", &[Val::I32(0)])[0]),
        [3 - 11 + 2 - 100, 4 - 21 + 3, 5 - 31 + 4, 6 - 41 + 10]
    );
    let Val::V128(f) = call_ok(&inst, "fmac", &[Val::I32(0)])[0] else { panic!("a v128") };
    let f: Vec<f32> = (0..4).map(|i| f32::from_bits((f >> (32 * i)) as u32)).collect();
    assert_eq!(f, [2.25, 3.75, -4.5, 0.375]);
    // 2 * (7 + [1,2,3,4] + 3)
    assert_eq!(lanes(&call_ok(&inst, "tee", &[Val::I32(0)])[0]), [22, 24, 26, 28]);
    // The fused load traps like the load: the first access out of bounds, nothing written.
    assert!(call(&inst, "mac", &[Val::I32(65536 - 32)]).is_ok());
    assert_eq!(trap_of(call(&inst, "mac", &[Val::I32(65536 - 31)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "fmac", &[Val::I32(65536 - 47)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "tee", &[Val::I32(-1)])), TrapCode::MemOutOfBounds);
}

#[test]
fn loads_fused_into_splats_and_accumulations_with_a_vector() {
    // A scalar load feeding a splat is a `v128.loadN_splat`; `op(a, v128.load)` one instruction
    // and `local.set $acc (op2 (local.get $acc) (op a (v128.load)))` another (a matrix
    // product's step), with the load's bounds check.
    let inst = instance(
        r#"(module
      (memory 1)
      (func (export "init")
        (v128.store (i32.const 0) (v128.const i32x4 1 2 3 4))
        (v128.store (i32.const 16) (v128.const i32x4 10 20 30 40))
        (i64.store (i32.const 32) (i64.const 0x0000000500000006)))
      (func (export "step") (param $p i32) (param $q i32) (result v128)
        (local $acc v128)
        (local.set $acc (i32x4.add (i32x4.splat (i32.load (local.get $q))) (v128.load (local.get $p))))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.sub (i32x4.splat (i32.load offset=4 (local.get $q))) (v128.load offset=16 (local.get $p)))))
        (local.set $acc (i32x4.sub (local.get $acc) (i16x8.add (i16x8.splat (i32.load16_u (local.get $q))) (v128.load (local.get $p)))))
        (local.get $acc))
      (func (export "splats") (param $q i32) (result v128)
        (i32x4.add (i8x16.splat (i32.load8_u (local.get $q)))
          (i32x4.add (i64x2.splat (i64.load (local.get $q))) (f32x4.splat (f32.load offset=4 (local.get $q)))))))"#,
    );
    call_ok(&inst, "init", &[]);
    // q = 32: i32 at 32 is 6, at 36 is 5; i16 at 32 is 6.
    // acc = [6+1, 6+2, 6+3, 6+4] + ([5,5,5,5] - [10,20,30,40]) - (i16 lanes 6 + [1,2,3,4] as halves)
    let halves = |x: i32| x + 6 + (6 << 16);
    let want = [1, 2, 3, 4].map(|x| 6 + x);
    let want = [want[0] + 5 - 10, want[1] + 5 - 20, want[2] + 5 - 30, want[3] + 5 - 40];
    let want = [want[0] - halves(1), want[1] - halves(2), want[2] - halves(3), want[3] - halves(4)];
    assert_eq!(lanes(&call_ok(&inst, "step", &[Val::I32(0), Val::I32(32)])[0]), want);
    // 0x06060606 + i64 splat [6, 5, 6, 5] + f32 bits 5
    let b = 0x0606_0606;
    assert_eq!(lanes(&call_ok(&inst, "splats", &[Val::I32(32)])[0]), [b + 6 + 5, b + 5 + 5, b + 6 + 5, b + 5 + 5]);
    assert!(call(&inst, "step", &[Val::I32(65536 - 32), Val::I32(65536 - 8)]).is_ok());
    assert_eq!(trap_of(call(&inst, "step", &[Val::I32(65536 - 31), Val::I32(0)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "step", &[Val::I32(0), Val::I32(65536 - 7)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "splats", &[Val::I32(65536 - 7)])), TrapCode::MemOutOfBounds);
}

#[test]
fn runs_of_multiply_accumulate_steps_keep_order_and_traps() {
    // Consecutive `V128LoadBinopKAcc` on one local run in one handler (the accumulator in a
    // register): the sum is the same, rounded step by step, and a tap out of bounds traps.
    let inst = instance(
        r#"(module
      (memory 1)
      (func (export "init")
        (v128.store (i32.const 0) (v128.const f32x4 1 2 3 4))
        (v128.store (i32.const 16) (v128.const f32x4 0.5 16777216 -8 0.1))
        (v128.store (i32.const 32) (v128.const f32x4 3 1 5 7)))
      (func (export "taps") (param $p i32) (result v128)
        (local $acc v128)
        (local.set $acc (f32x4.mul (v128.load (local.get $p)) (v128.const f32x4 2 2 2 2)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.const f32x4 1 1 1 1))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=32 (local.get $p)) (v128.const f32x4 0.5 0.5 0.5 0.5))))
        (local.set $acc (f32x4.sub (local.get $acc) (f32x4.mul (v128.load offset=4 (local.get $p)) (v128.const f32x4 1 1 1 1))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=48 (local.get $p)) (v128.const f32x4 1 1 1 1))))
        (local.get $acc)))"#,
    );
    call_ok(&inst, "init", &[]);
    let Val::V128(v) = call_ok(&inst, "taps", &[Val::I32(0)])[0] else { panic!("a v128") };
    let got: Vec<f32> = (0..4).map(|i| f32::from_bits((v >> (32 * i)) as u32)).collect();
    let a = [1f32, 2., 3., 4.];
    let b = [0.5f32, 16777216., -8., 0.1];
    let c = [3f32, 1., 5., 7.];
    let shifted = [2f32, 3., 4., 0.5]; // offset 4: a[1..] and b[0]
    let want: Vec<f32> = (0..4).map(|i| a[i] * 2. + b[i] + c[i] * 0.5 - shifted[i] + 0.).collect();
    assert_eq!(got, want);
    // 16777216 + 0.5 * 1 rounds at each step (f32), as the unfused code does.
    assert_eq!(got[1], ((2f32 * 2. + 16777216.) + 0.5) - 3.);
    assert!(call(&inst, "taps", &[Val::I32(65536 - 64)]).is_ok());
    // the last tap (offset 48) is out of bounds, the earlier ones are not
    assert_eq!(trap_of(call(&inst, "taps", &[Val::I32(65536 - 63)])), TrapCode::MemOutOfBounds);
    // the third (offset 32)
    assert_eq!(trap_of(call(&inst, "taps", &[Val::I32(65536 - 47)])), TrapCode::MemOutOfBounds);
}

/// The four f32 lanes of a v128.
fn f32_lanes(v: &Val) -> [f32; 4] {
    lanes(v).map(|x| f32::from_bits(x as u32))
}

#[test]
fn accumulations_of_products_of_locals_keep_operand_order_and_rounding() {
    // `local.set $acc (op2 (local.get $acc) (op x y))` with `x`, `y` in locals is one
    // `V128BinopAcc`; so is `op2(op(x, y), acc)` when `op2` commutes. A subtraction, which does
    // not, keeps its order; `acc` may also be an operand of the product.
    let inst = instance(
        r#"(module
      (func (export "fma") (param $n i32) (param $a f32) (param $b f32) (result v128)
        (local $acc v128) (local $x v128) (local $y v128) (local $i i32)
        (local.set $x (f32x4.splat (local.get $a)))
        (local.set $y (f32x4.replace_lane 3 (f32x4.splat (local.get $b)) (f32.const 1e-8)))
        (loop $l
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $x) (local.get $y))))
          (local.set $acc (f32x4.add (f32x4.mul (local.get $y) (local.get $y)) (local.get $acc)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $acc) (local.get $x))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.ne (local.get $i) (local.get $n))))
        (local.get $acc))
      (func (export "int") (param $p v128) (param $q v128) (param $r v128) (result v128)
        (local $acc v128)
        (local.set $acc (local.get $r))
        (local.set $acc (i32x4.sub (i32x4.mul (local.get $p) (local.get $q)) (local.get $acc)))
        (local.set $acc (i32x4.sub (local.get $acc) (i32x4.mul (local.get $p) (local.get $p))))
        (local.set $acc (i32x4.add (i32x4.sub (local.get $q) (local.get $p)) (local.get $acc)))
        (local.get $acc)))"#,
    );
    let (n, a, b) = (7, 0.3f32, 1.7f32);
    let y = [b, b, b, 1e-8];
    let mut want = [0f32; 4];
    for _ in 0..n {
        for l in 0..4 {
            want[l] += a * y[l];
            want[l] += y[l] * y[l]; // (f32 addition commutes: the same bits as `y * y + want`)
            want[l] += want[l] * a;
        }
    }
    let got = f32_lanes(&call_ok(&inst, "fma", &[Val::I32(n), Val::F32(a.to_bits()), Val::F32(b.to_bits())])[0]);
    assert_eq!(got.map(f32::to_bits), want.map(f32::to_bits), "got {got:?}, want {want:?}");
    let (p, q, r): ([i32; 4], [i32; 4], [i32; 4]) = ([1, -2, 3, 40000], [5, 6, -7, 70000], [100, 200, 300, 400]);
    let mut acc = [0i32; 4];
    for l in 0..4 {
        acc[l] = p[l].wrapping_mul(q[l]).wrapping_sub(r[l]);
        acc[l] = acc[l].wrapping_sub(p[l].wrapping_mul(p[l]));
        acc[l] = q[l].wrapping_sub(p[l]).wrapping_add(acc[l]);
    }
    let args = [Val::V128(i32x4(p)), Val::V128(i32x4(q)), Val::V128(i32x4(r))];
    assert_eq!(lanes(&call_ok(&inst, "int", &args)[0]), acc);
}
