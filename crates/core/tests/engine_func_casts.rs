//! `ref.test`/`ref.cast` of function references and `call_indirect` into another instance
//! (#13): the shape of pyodide's GC trampoline (a second module that reads the first one's
//! table, tests each function against a few types and calls it back), with wasm and host
//! functions, null and mismatching entries, and declared function subtypes of two modules.

mod engine_util;

use engine_util::{call_i32, call_ok, func, host, instance, instance_with, trap_of};
use jitless_wasm_core::{Extern, Instance, TrapCode, Val, ValType};

/// The main module: functions of four arities and one other type in a table, a host function
/// (imported) at index 6, and `run`, which calls the trampoline at table index 7 as pyodide's
/// C code does and returns its result and the success flag it stored.
const MAIN: &str = r#"(module
  (type $t0 (func (param i32 i32 i32) (result i32)))
  (type $t1 (func (param i32 i32) (result i32)))
  (type $t2 (func (param i32) (result i32)))
  (type $t3 (func (result i32)))
  (type $other (func (param f64)))
  (type $tramp (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "host" (func $host (type $t2)))
  (memory (export "memory") 1)
  (table $tab (export "table") 8 funcref)
  (elem (table $tab) (i32.const 0) func $f0 $f1 $f2 $f3 $fo)
  (elem (table $tab) (i32.const 6) func $host)
  (func $f0 (type $t0) (i32.add (i32.add (local.get 0) (local.get 1)) (i32.mul (local.get 2) (i32.const 100))))
  (func $f1 (type $t1) (i32.sub (local.get 0) (local.get 1)))
  (func $f2 (type $t2) (i32.mul (local.get 0) (i32.const 3)))
  (func $f3 (type $t3) (i32.const 42))
  (func $fo (type $other))
  (func (export "run") (param $f i32) (param $a i32) (param $b i32) (param $c i32) (result i32 i32)
    (i32.store (i32.const 16) (i32.const -1))
    (call_indirect $tab (type $tramp)
      (i32.const 16) (local.get $f) (local.get $a) (local.get $b) (local.get $c) (i32.const 7))
    (i32.load (i32.const 16)))
  ;; `n` trampoline calls of entries 0..=6 in turn: the sum of results and of flags.
  (func (export "many") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum)
        (call_indirect $tab (type $tramp)
          (i32.const 16) (i32.rem_u (local.get $n) (i32.const 7))
          (local.get $n) (i32.const 1) (i32.const 2) (i32.const 7))))
      (local.set $sum (i32.add (local.get $sum) (i32.load (i32.const 16))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum)))"#;

/// pyodide's trampoline (its `trampoline_call`, written out): tests the function at table
/// index `f` against the four arities and calls it with as many arguments; stores 1 at `ok`
/// when one matched, else 0.
const TRAMPOLINE: &str = r#"(module
  (type $t0 (func (param i32 i32 i32) (result i32)))
  (type $t1 (func (param i32 i32) (result i32)))
  (type $t2 (func (param i32) (result i32)))
  (type $t3 (func (result i32)))
  (import "env" "memory" (memory 1))
  (import "env" "table" (table 0 funcref))
  (func (export "trampoline_call")
    (param $ok i32) (param $f i32) (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.store (local.get $ok) (i32.const 1))
    (if (ref.test (ref $t0) (table.get (local.get $f)))
      (then (return (call_indirect (type $t0) (local.get $a) (local.get $b) (local.get $c) (local.get $f)))))
    (if (ref.test (ref $t1) (table.get (local.get $f)))
      (then (return (call_indirect (type $t1) (local.get $a) (local.get $b) (local.get $f)))))
    (if (ref.test (ref $t2) (table.get (local.get $f)))
      (then (return (call_indirect (type $t2) (local.get $a) (local.get $f)))))
    (if (ref.test (ref $t3) (table.get (local.get $f)))
      (then (return (call_indirect (type $t3) (local.get $f)))))
    (i32.store (local.get $ok) (i32.const 0))
    (i32.const 0)))"#;

/// The main instance with the trampoline instance's function at its table index 7.
fn main_with_trampoline() -> (Instance, Instance) {
    let h = host(&[ValType::I32], &[ValType::I32], |args, out| {
        let Val::I32(x) = args[0] else { panic!("not an i32: {args:?}") };
        out.push(Val::I32(x + 1000));
        Ok(())
    });
    let main = instance_with(MAIN, &[h]);
    let (Some(Extern::Memory(memory)), Some(Extern::Table(table))) = (main.export("memory"), main.export("table"))
    else {
        panic!("main exports memory and table")
    };
    let tramp = instance_with(TRAMPOLINE, &[Extern::Memory(memory), Extern::Table(table.clone())]);
    table.set(7, Val::FuncRef(Some(func(&tramp, "trampoline_call")))).expect("in bounds");
    (main, tramp)
}

/// `run(f, a, b, c)` as (result, flag).
fn run(main: &Instance, f: i32, a: i32, b: i32, c: i32) -> (i32, i32) {
    match call_ok(main, "run", &[Val::I32(f), Val::I32(a), Val::I32(b), Val::I32(c)]).as_slice() {
        [Val::I32(r), Val::I32(ok)] => (*r, *ok),
        other => panic!("run: {other:?}"),
    }
}

#[test]
fn the_trampoline_dispatches_on_the_function_type_across_instances() {
    let (main, _tramp) = main_with_trampoline();
    assert_eq!(run(&main, 0, 1, 2, 3), (303, 1));
    assert_eq!(run(&main, 1, 10, 4, 0), (6, 1));
    assert_eq!(run(&main, 2, 7, 0, 0), (21, 1));
    assert_eq!(run(&main, 3, 0, 0, 0), (42, 1));
    // Another type and a null entry: no test passes (`ref $t` is not nullable).
    assert_eq!(run(&main, 4, 1, 2, 3), (0, 0));
    assert_eq!(run(&main, 5, 1, 2, 3), (0, 0));
    // A host function in the table is tested by its type too.
    assert_eq!(run(&main, 6, 5, 0, 0), (1005, 1));
    // Out of the table's bounds: `table.get` traps.
    assert_eq!(
        trap_of(engine_util::call(&main, "run", &[Val::I32(8), Val::I32(0), Val::I32(0), Val::I32(0)])),
        TrapCode::TableOutOfBounds
    );
}

#[test]
fn many_trampoline_calls_give_the_same_answers() {
    let (main, _tramp) = main_with_trampoline();
    let n = 7 * 3000;
    // The same sum computed call by call through `run`.
    let mut want = 0i32;
    for k in (1..=n).rev() {
        let (r, ok) = run(&main, k % 7, k, 1, 2);
        want = want.wrapping_add(r).wrapping_add(ok);
    }
    assert_eq!(call_i32(&main, "many", &[Val::I32(n)]), want);
}

/// A function subtype chain `$sup` ← `$sub` in two modules (the same canonical types).
const SUBTYPES: &str = r#"
  (type $sup (sub (func (result i32))))
  (type $sub (sub $sup (func (result i32))))
  (type $plain (func (result i32)))"#;

#[test]
fn declared_function_subtypes_are_tested_and_called_across_instances() {
    let a = instance(&format!(
        r#"(module {SUBTYPES}
          (table (export "table") 3 funcref)
          (elem (i32.const 0) func $a_sup $a_sub $a_plain)
          (func $a_sup (type $sup) (i32.const 1))
          (func $a_sub (type $sub) (i32.const 2))
          (func $a_plain (type $plain) (i32.const 3)))"#
    ));
    let Some(Extern::Table(table)) = a.export("table") else { panic!("a exports its table") };
    let b = instance_with(
        &format!(
            r#"(module {SUBTYPES}
              (import "a" "table" (table 3 funcref))
              (func (export "test_sup") (param i32) (result i32) (ref.test (ref $sup) (table.get (local.get 0))))
              (func (export "test_sub") (param i32) (result i32) (ref.test (ref $sub) (table.get (local.get 0))))
              (func (export "test_plain") (param i32) (result i32) (ref.test (ref $plain) (table.get (local.get 0))))
              (func (export "test_func") (param i32) (result i32) (ref.test (ref func) (table.get (local.get 0))))
              (func (export "cast_sub") (param i32) (result i32) (call_ref $sub (ref.cast (ref $sub) (table.get (local.get 0)))))
              (func (export "call_sup") (param i32) (result i32) (call_indirect (type $sup) (local.get 0)))
              (func (export "call_sub") (param i32) (result i32) (call_indirect (type $sub) (local.get 0))))"#
        ),
        &[Extern::Table(table)],
    );
    let t = |name: &str, i: i32| call_i32(&b, name, &[Val::I32(i)]);
    // Entry 0 is a `$sup`, 1 a `$sub` (so also a `$sup`), 2 a plain final type.
    assert_eq!([0, 1, 2].map(|i| t("test_sup", i)), [1, 1, 0]);
    assert_eq!([0, 1, 2].map(|i| t("test_sub", i)), [0, 1, 0]);
    assert_eq!([0, 1, 2].map(|i| t("test_plain", i)), [0, 0, 1]);
    assert_eq!([0, 1, 2].map(|i| t("test_func", i)), [1, 1, 1]);
    assert_eq!(t("cast_sub", 1), 2);
    assert_eq!(trap_of(engine_util::call(&b, "cast_sub", &[Val::I32(0)])), TrapCode::IllegalCast);
    assert_eq!([0, 1].map(|i| t("call_sup", i)), [1, 2]);
    assert_eq!(t("call_sub", 1), 2);
    for (name, i) in [("call_sub", 0), ("call_sup", 2), ("call_sub", 2)] {
        assert_eq!(trap_of(engine_util::call(&b, name, &[Val::I32(i)])), TrapCode::FuncSigMismatch, "{name}({i})");
    }
}
