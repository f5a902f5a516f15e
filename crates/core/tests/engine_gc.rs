//! GC objects executed (#13): a real collector run (far more allocated than the heap's limit, in
//! short-lived structs, arrays and cycles among them), the heap limit as a catchable trap, and
//! the roots (an object reachable only from a global, a table, a frame or a host-held handle
//! survives collections).

mod engine_util;

use engine_util::{call, instance};
use jitless_wasm_core::runtime::gc::{collections, set_heap_limit};
use jitless_wasm_core::{AnyRef, Error, TrapCode, Val};

/// Types and a garbage maker: `churn n` allocates `n` pairs that point at each other (a cycle)
/// and an array of 16 i64 each, and keeps none of them.
const TYPES_AND_CHURN: &str = r#"
  (rec (type $pair (struct (field (mut (ref null $pair))) (field i64))))
  (type $arr (array (mut i64)))
  (func $churn (export "churn") (param $n i32)
    (local $a (ref null $pair)) (local $b (ref null $pair))
    (loop $l
      (local.set $a (struct.new $pair (ref.null $pair) (i64.extend_i32_u (local.get $n))))
      (local.set $b (struct.new $pair (local.get $a) (i64.const 2)))
      (struct.set $pair 0 (local.get $a) (local.get $b))
      (drop (array.new $arr (i64.const 7) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
"#;

#[test]
fn short_lived_structs_arrays_and_cycles_far_beyond_the_limit_are_collected() {
    set_heap_limit(1 << 20);
    let i = instance(&format!("(module {TYPES_AND_CHURN})"));
    let before = collections();
    // 200,000 iterations of 2 pairs (3 words each) and an array (17 words): about 36 MB
    // through a 1 MiB heap.
    call(&i, "churn", &[Val::I32(200_000)]).expect("completes within the limit");
    assert!(collections() - before >= 10, "collections: {}", collections() - before);
}

#[test]
fn the_heap_limit_is_a_catchable_trap() {
    set_heap_limit(256 << 10);
    let i = instance(&format!(
        r#"(module {TYPES_AND_CHURN}
          (global $list (mut (ref null $pair)) (ref.null $pair))
          ;; A list that stays reachable from a global: it cannot be collected.
          (func (export "grow") (param $n i32)
            (loop $l
              (global.set $list (struct.new $pair (global.get $list) (i64.const 0)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func (export "clear") (global.set $list (ref.null $pair))))"#
    ));
    let e = call(&i, "grow", &[Val::I32(1_000_000)]).expect_err("the list outgrows the heap");
    let Error::Trap(t) = e else { panic!("not a trap: {e:?}") };
    assert_eq!(t.code, TrapCode::HeapLimit);
    assert!(t.code.message().contains("GC heap limit"), "{}", t.code.message());
    // Once the list is unreachable, the heap is usable again.
    call(&i, "clear", &[]).unwrap();
    call(&i, "churn", &[Val::I32(50_000)]).expect("the heap was reclaimed");
}

#[test]
fn objects_reachable_from_a_global_a_table_or_a_frame_survive_collections() {
    set_heap_limit(1 << 20);
    let i = instance(&format!(
        r#"(module {TYPES_AND_CHURN}
          (global $g (mut (ref null $pair)) (ref.null $pair))
          (table $t 1 (ref null $pair))
          (func (export "keep")
            (global.set $g (struct.new $pair (ref.null $pair) (i64.const 11)))
            (table.set $t (i32.const 0) (struct.new $pair (ref.null $pair) (i64.const 22))))
          (func (export "read") (result i64 i64)
            (struct.get $pair 1 (global.get $g))
            (struct.get $pair 1 (table.get $t (i32.const 0))))
          ;; A local holds the only reference while garbage is made.
          (func (export "frame") (result i64)
            (local $p (ref null $pair))
            (local.set $p (struct.new $pair (ref.null $pair) (i64.const 33)))
            (call $churn (i32.const 100000))
            (struct.get $pair 1 (local.get $p))))"#
    ));
    call(&i, "keep", &[]).unwrap();
    let before = collections();
    call(&i, "churn", &[Val::I32(100_000)]).unwrap();
    assert!(collections() > before, "no collection ran");
    assert_eq!(call(&i, "read", &[]).unwrap(), [Val::I64(11), Val::I64(22)]);
    assert_eq!(call(&i, "frame", &[]).unwrap(), [Val::I64(33)]);
}

#[test]
fn an_object_held_by_the_host_survives_collections() {
    set_heap_limit(1 << 20);
    let i = instance(&format!(
        r#"(module {TYPES_AND_CHURN}
          (func (export "make") (result anyref) (struct.new $pair (ref.null $pair) (i64.const 44)))
          (func (export "read") (param anyref) (result i64)
            (struct.get $pair 1 (ref.cast (ref $pair) (local.get 0)))))"#
    ));
    let held = call(&i, "make", &[]).unwrap().remove(0);
    assert!(matches!(held, Val::AnyRef(Some(AnyRef::Object(_)))), "{held:?}");
    let before = collections();
    call(&i, "churn", &[Val::I32(100_000)]).unwrap();
    assert!(collections() > before, "no collection ran");
    assert_eq!(call(&i, "read", &[held]).unwrap(), [Val::I64(44)]);
}

/// Regression: the handlers of the GC instructions with their own instruction (`struct.get*`,
/// `struct.set`, `array.get`/`set`/`len`, `ref.test`, `ref.cast`, `br_on_cast`) must tail-call
/// the next handler. An inlined cast test once gave `ref.test` a frame that stayed on the native
/// stack per executed instruction, and a loop of them overflowed it (a crash, not a trap).
#[test]
fn regression_gc_instructions_run_in_constant_native_stack() {
    let i = instance(
        r#"(module
          (type $base (sub (struct (field (mut i32)))))
          (type $sub (sub final $base (struct (field (mut i32)) (field i8))))
          (type $arr (array (mut i32)))
          (func (export "run") (param $n i32) (result i32)
            (local $o (ref null $base)) (local $a (ref $arr)) (local $acc i32)
            (local.set $o (struct.new $sub (i32.const 1) (i32.const -3)))
            (local.set $a (array.new $arr (i32.const 2) (i32.const 4)))
            (loop $l
              ;; acc += -3 (a sign-extended packed field, through a test and a cast)
              (if (ref.test (ref $sub) (local.get $o))
                (then (local.set $acc (i32.add (local.get $acc)
                  (struct.get_s $sub 1 (ref.cast (ref $sub) (local.get $o)))))))
              (drop (block $is (result (ref $sub))
                (br_on_cast $is (ref null $base) (ref $sub) (local.get $o))
                (unreachable)))
              ;; o.0 += len(a) (4); a[1] += 1
              (struct.set $base 0 (local.get $o)
                (i32.add (struct.get $base 0 (local.get $o)) (array.len (local.get $a))))
              (array.set $arr (local.get $a) (i32.const 1)
                (i32.add (array.get $arr (local.get $a) (i32.const 1)) (i32.const 1)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (i32.add (local.get $acc)
              (i32.add (struct.get $base 0 (local.get $o)) (array.get $arr (local.get $a) (i32.const 1))))))"#,
    );
    let n = 2_000_000;
    // -3n + (1 + 4n) + (2 + n)
    let r = call(&i, "run", &[Val::I32(n)]).expect("runs to the end");
    assert_eq!(r, vec![Val::I32(2 * n + 3)]);
}

/// Regression: a field read through a supertype reads the subtype object's field at the same
/// offset (field offsets are resolved at translation from the static type, so a subtype's
/// layout must start with its supertype's; with fields placed largest first, the subtype's
/// `i64` came first and `struct.get $s0 0` read its low half).
#[test]
fn regression_a_field_read_through_a_supertype_reads_the_subtype_field() {
    let i = instance(
        r#"(module
          (type $s0 (sub (struct (field (mut i32)))))
          (type $sub (sub $s0 (struct (field (mut i32)) (field i64) (field i8) (field v128))))
          (func $get (param (ref $s0)) (result i32) (struct.get $s0 0 (local.get 0)))
          (func (export "run") (result i32)
            (local $o (ref $sub))
            (local.set $o (struct.new $sub (i32.const 7) (i64.const -1) (i32.const 5)
              (v128.const i64x2 -1 -1)))
            (struct.set $s0 0 (local.get $o) (i32.add (call $get (local.get $o)) (i32.const 1)))
            ;; 8 (field 0 through the subtype) * 100 + 5 (the i8)
            (i32.add (i32.mul (struct.get $sub 0 (local.get $o)) (i32.const 100))
              (struct.get_u $sub 2 (local.get $o)))))"#,
    );
    assert_eq!(call(&i, "run", &[]).expect("runs"), vec![Val::I32(805)]);
}
