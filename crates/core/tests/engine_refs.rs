//! Reference types through the engine: `externref`/`funcref` values in arguments, results,
//! locals, tables and globals, the table instructions, and reference lifetimes (a reference
//! taken out of a table stays valid after the table slot is overwritten).

mod engine_util;

use std::cell::Cell;
use std::rc::Rc;

use engine_util::*;
use jitless_wasm_core::{Extern, ExternRef, FuncRef, Instance, TrapCode, Val, ValType};

/// A host value that counts how often it is dropped.
struct Tracked {
    id: u32,
    drops: Rc<Cell<u32>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

fn id_of(v: &Val) -> Option<u32> {
    match v {
        Val::ExternRef(Some(e)) => Some(e.data().downcast_ref::<Tracked>().expect("a Tracked").id),
        Val::ExternRef(None) => None,
        other => panic!("not an externref: {other:?}"),
    }
}

const REFS: &str = r#"(module
  (import "env" "check" (func $check (param externref) (result i32)))
  (table $t (export "t") 4 externref)
  (table $f 4 funcref)
  (global $g (export "g") (mut externref) (ref.null extern))
  (elem $e funcref (ref.func $one) (ref.func $two))
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "swap") (param externref externref) (result externref externref) local.get 1 local.get 0)
  (func (export "set") (param i32 externref) local.get 0 local.get 1 table.set $t)
  (func (export "get") (param i32) (result externref) local.get 0 table.get $t)
  ;; take slot 0 out, overwrite the slot, then use the value taken
  (func (export "take_and_clear") (result i32)
    (local externref)
    i32.const 0 table.get $t local.set 0
    i32.const 0 ref.null extern table.set $t
    local.get 0 call $check)
  (func (export "global_roundtrip") (param externref) (result externref)
    local.get 0 global.set $g
    global.get $g)
  (func (export "grow") (param externref i32) (result i32) local.get 0 local.get 1 table.grow $t)
  (func (export "size") (result i32) table.size $t)
  (func (export "fill") (param i32 externref i32) local.get 0 local.get 1 local.get 2 table.fill $t)
  (func (export "init_funcs") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.init $f $e)
  (func (export "drop_elem") elem.drop $e)
  (func (export "call_slot") (param i32) (result i32) local.get 0 call_indirect $f (result i32))
  (func (export "copy_funcs") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.copy $f $f)
  (func (export "store_func") (param i32 funcref) local.get 0 local.get 1 table.set $f)
  (func (export "get_func") (param i32) (result funcref) local.get 0 table.get $f)
  (func (export "ref_two") (result funcref) ref.func $two)
  (func (export "install_two") (param i32) local.get 0 ref.func $two table.set $f))"#;

/// The id the `check` import saw last.
type Seen = Rc<Cell<Option<u32>>>;

fn setup() -> (Instance, Rc<Cell<u32>>, Seen) {
    let seen = Rc::new(Cell::new(None));
    let s = seen.clone();
    let check = host(&[ValType::EXTERNREF], &[ValType::I32], move |args, res| {
        s.set(id_of(&args[0]));
        res.push(Val::I32(1));
        Ok(())
    });
    (instance_with(REFS, &[check]), Rc::new(Cell::new(0)), seen)
}

fn tracked(id: u32, drops: &Rc<Cell<u32>>) -> Val {
    Val::ExternRef(Some(ExternRef::new(Tracked { id, drops: drops.clone() })))
}

#[test]
fn externref_values_pass_through() {
    let (inst, drops, _) = setup();
    let a = tracked(1, &drops);
    assert_eq!(call_ok(&inst, "id", std::slice::from_ref(&a)), vec![a.clone()]);
    assert_eq!(call_ok(&inst, "id", &[Val::ExternRef(None)]), vec![Val::ExternRef(None)]);
    assert_eq!(call_i32(&inst, "is_null", std::slice::from_ref(&a)), 0);
    assert_eq!(call_i32(&inst, "is_null", &[Val::ExternRef(None)]), 1);
    let b = tracked(2, &drops);
    let out = call_ok(&inst, "swap", &[a.clone(), b.clone()]);
    assert_eq!(out.iter().map(id_of).collect::<Vec<_>>(), [Some(2), Some(1)]);
    assert_eq!(call_ok(&inst, "global_roundtrip", std::slice::from_ref(&b)), vec![b.clone()]);
    drop((out, a, b));
    // `b` is still held by the global; `a` is gone.
    assert_eq!(drops.get(), 1);
}

#[test]
fn references_taken_from_tables_stay_alive() {
    let (inst, drops, seen) = setup();
    call_ok(&inst, "set", &[Val::I32(0), tracked(7, &drops)]);
    assert_eq!(drops.get(), 0);
    // The table held the only handle; wasm took it out and cleared the slot, then used it.
    assert_eq!(call_i32(&inst, "take_and_clear", &[]), 1);
    assert_eq!(seen.get(), Some(7));
    // Released once the invocation is over.
    assert_eq!(drops.get(), 1);
    assert_eq!(call_ok(&inst, "get", &[Val::I32(0)]), vec![Val::ExternRef(None)]);
}

#[test]
fn table_instructions() {
    let (inst, drops, _) = setup();
    assert_eq!(call_i32(&inst, "size", &[]), 4);
    assert_eq!(call_i32(&inst, "grow", &[tracked(3, &drops), Val::I32(2)]), 4);
    assert_eq!(call_i32(&inst, "size", &[]), 6);
    assert_eq!(id_of(&call_ok(&inst, "get", &[Val::I32(5)])[0]), Some(3));
    assert_eq!(call_i32(&inst, "grow", &[Val::ExternRef(None), Val::I32(-1)]), -1);
    call_ok(&inst, "fill", &[Val::I32(1), tracked(4, &drops), Val::I32(2)]);
    assert_eq!(id_of(&call_ok(&inst, "get", &[Val::I32(2)])[0]), Some(4));
    assert_eq!(trap_of(call(&inst, "get", &[Val::I32(6)])), TrapCode::TableOutOfBounds);
    assert_eq!(trap_of(call(&inst, "set", &[Val::I32(6), Val::ExternRef(None)])), TrapCode::TableOutOfBounds);
    assert_eq!(
        trap_of(call(&inst, "fill", &[Val::I32(5), Val::ExternRef(None), Val::I32(2)])),
        TrapCode::TableOutOfBounds
    );
    // The failed fill wrote nothing.
    assert_eq!(id_of(&call_ok(&inst, "get", &[Val::I32(5)])[0]), Some(3));
}

#[test]
fn funcref_tables_and_segments() {
    let (inst, _, _) = setup();
    assert_eq!(trap_of(call(&inst, "call_slot", &[Val::I32(0)])), TrapCode::FuncSigMismatch);
    call_ok(&inst, "init_funcs", &[Val::I32(1), Val::I32(0), Val::I32(2)]);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(1)]), 1);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(2)]), 2);
    call_ok(&inst, "copy_funcs", &[Val::I32(2), Val::I32(1), Val::I32(2)]);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(2)]), 1);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(3)]), 2);
    // The segment's range is out of bounds, the table's is not (V8's message).
    assert_eq!(
        trap_of(call(&inst, "init_funcs", &[Val::I32(0), Val::I32(1), Val::I32(2)])),
        TrapCode::ElemSegmentOutOfBounds
    );
    call_ok(&inst, "drop_elem", &[]);
    call_ok(&inst, "init_funcs", &[Val::I32(0), Val::I32(0), Val::I32(0)]);
    // A dropped segment is empty.
    assert_eq!(
        trap_of(call(&inst, "init_funcs", &[Val::I32(0), Val::I32(0), Val::I32(1)])),
        TrapCode::ElemSegmentOutOfBounds
    );
    call_ok(&inst, "install_two", &[Val::I32(0)]);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(0)]), 2);
}

#[test]
fn funcrefs_cross_the_boundary() {
    let (inst, _, _) = setup();
    // A funcref made by wasm, called by the host.
    let Some(Val::FuncRef(Some(two))) = call_ok(&inst, "ref_two", &[]).pop() else { panic!() };
    let mut r = Vec::new();
    two.call(&[], &mut r).unwrap();
    assert_eq!(r, vec![Val::I32(2)]);
    // Identity: the same function as the one stored by `install_two`.
    call_ok(&inst, "install_two", &[Val::I32(3)]);
    assert_eq!(call_ok(&inst, "get_func", &[Val::I32(3)]), vec![Val::FuncRef(Some(two))]);
    // A host function stored into a table by wasm, then called through the table.
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    let Extern::Func(h) = host(&[], &[ValType::I32], move |_, res| {
        c.set(c.get() + 1);
        res.push(Val::I32(99));
        Ok(())
    }) else {
        unreachable!()
    };
    let h: FuncRef = h;
    call_ok(&inst, "store_func", &[Val::I32(1), Val::FuncRef(Some(h.clone()))]);
    drop(h);
    assert_eq!(call_i32(&inst, "call_slot", &[Val::I32(1)]), 99);
    assert_eq!(calls.get(), 1);
}

#[test]
fn long_running_invocations_release_dead_references() {
    // A loop that asks the host for a fresh externref 100,000 times and keeps only the last one
    // (in a local): the engine must not keep every one of them alive until the loop ends.
    let drops = Rc::new(Cell::new(0));
    let made = Rc::new(Cell::new(0u32));
    let (d, m) = (drops.clone(), made.clone());
    let fresh = host(&[], &[ValType::EXTERNREF], move |_, res| {
        m.set(m.get() + 1);
        res.push(tracked(m.get(), &d));
        Ok(())
    });
    let live_at_end = Rc::new(Cell::new(0u32));
    let (d2, m2, l2) = (drops.clone(), made.clone(), live_at_end.clone());
    let probe = host(&[ValType::EXTERNREF], &[], move |args, _| {
        assert_eq!(id_of(&args[0]), Some(m2.get()));
        l2.set(m2.get() - d2.get());
        Ok(())
    });
    let inst = instance_with(
        r#"(module
      (import "env" "fresh" (func $fresh (result externref)))
      (import "env" "probe" (func $probe (param externref)))
      (func (export "run") (param i32)
        (local externref)
        loop
          call $fresh local.set 1
          local.get 0 i32.const 1 i32.sub local.tee 0
          br_if 0
        end
        local.get 1 call $probe))"#,
        &[fresh, probe],
    );
    call_ok(&inst, "run", &[Val::I32(100_000)]);
    assert_eq!(made.get(), 100_000);
    assert!(live_at_end.get() < 5_000, "{} references were still alive", live_at_end.get());
    assert_eq!(drops.get(), 100_000);
}

// ---- typed function references ----

/// Instantiates `wat` with `imports`, returning the error.
fn link_error(wat: &str, imports: &[Extern]) -> jitless_wasm_core::Error {
    let bytes = jitless_wasm_core::text::wat_to_wasm(wat).expect("wat");
    let module = jitless_wasm_core::Module::new(&bytes).expect("compiles");
    match Instance::new(&module, imports) {
        Ok(_) => panic!("must not link"),
        Err(e) => e,
    }
}

#[test]
fn call_ref_into_other_instances_and_null_traps() {
    let lib = instance(
        r#"(module
      (type $ii (func (param i32) (result i32)))
      (memory 1)
      (data (i32.const 0) "\05")
      (func $peek (export "peek") (type $ii) (i32.add (i32.load8_u (i32.const 0)) (local.get 0)))
      (global (export "g") (ref $ii) (ref.func $peek)))"#,
    );
    let app = instance_with(
        r#"(module
      (type $ii (func (param i32) (result i32)))
      (import "lib" "g" (global $g (ref $ii)))
      (memory 1)
      (data (i32.const 0) "\64")
      (func (export "call") (param i32) (result i32)
        (i32.add (call_ref $ii (local.get 0) (global.get $g)) (i32.load8_u (i32.const 0))))
      (func (export "tail") (param i32) (result i32) (return_call_ref $ii (local.get 0) (global.get $g)))
      (func (export "null") (result i32) (call_ref $ii (i32.const 0) (ref.null $ii)))
      (func (export "on_null") (param (ref null $ii)) (result i32)
        (block $is_null (return (call_ref $ii (i32.const 1) (br_on_null $is_null (local.get 0)))))
        (i32.const -1))
      (func (export "on_non_null") (param (ref null $ii)) (result i32)
        (local $r (ref null $ii))
        (local.set $r (block $f (result (ref $ii)) (br_on_non_null $f (local.get 0)) (return (i32.const -2))))
        (call_ref $ii (i32.const 2) (ref.as_non_null (local.get $r)))))"#,
        &[lib.export("g").unwrap()],
    );
    // lib's memory holds 5, app's 100: the callee runs with its own memory.
    assert_eq!(call_i32(&app, "call", &[Val::I32(1)]), 106);
    assert_eq!(call_i32(&app, "tail", &[Val::I32(1)]), 6);
    assert_eq!(trap_of(call(&app, "null", &[])), TrapCode::NullDereference);
    let peek = func(&lib, "peek");
    assert_eq!(call_i32(&app, "on_null", &[Val::FuncRef(Some(peek.clone()))]), 6);
    assert_eq!(call_i32(&app, "on_null", &[Val::FuncRef(None)]), -1);
    assert_eq!(call_i32(&app, "on_non_null", &[Val::FuncRef(Some(peek))]), 7);
    assert_eq!(call_i32(&app, "on_non_null", &[Val::FuncRef(None)]), -2);
}

#[test]
fn typed_imports_match_by_subtyping_and_type_equivalence() {
    let lib = instance(
        r#"(module
      (type $ii (func (param i32) (result i32)))
      (type $takes (func (param (ref $ii))))
      (func $id (export "id") (type $ii) (local.get 0))
      (func (export "takes") (type $takes))
      (global (export "imm") (ref $ii) (ref.func $id))
      (global (export "mut") (mut (ref null $ii)) (ref.null $ii))
      (table (export "tab") 1 (ref null $ii)))"#,
    );
    let ext = |n: &str| lib.export(n).unwrap();
    // An equivalent type defined separately (also inside a parameter type) matches.
    instance_with(
        r#"(module
      (type $other (func (param i32) (result i32)))
      (type $t (func (param (ref $other))))
      (import "lib" "takes" (func (type $t)))
      (import "lib" "imm" (global (ref null func)))
      (import "lib" "mut" (global (mut (ref null $other))))
      (import "lib" "tab" (table 1 (ref null $other))))"#,
        &[ext("takes"), ext("imm"), ext("mut"), ext("tab")],
    );
    // A mutable global's type must be equal, a table's element type too; an immutable global
    // only needs a subtype.
    for wat in [
        r#"(module (import "lib" "mut" (global (mut (ref null func)))))"#,
        r#"(module (import "lib" "tab" (table 1 funcref)))"#,
        r#"(module (type $ii (func (param i32) (result i32))) (import "lib" "mut" (global (ref $ii))))"#,
        r#"(module (type $v (func)) (import "lib" "imm" (global (ref $v))))"#,
        r#"(module (type $v (func (param (ref func)))) (import "lib" "takes" (func (type $v))))"#,
    ] {
        let e = link_error(wat, &[ext(import_name(wat))]);
        assert!(matches!(e, jitless_wasm_core::Error::Link(_)), "{wat}: {e}");
    }
    // Non-nullable values: a host function returning null for `(ref func)` is a bug of the
    // host; the engine reports it instead of passing the null on.
    assert!(Val::FuncRef(None).matches(&ValType::Ref(jitless_wasm_core::RefType::FuncRef)));
    let non_null = ValType::Ref(jitless_wasm_core::RefType::new(false, jitless_wasm_core::HeapType::Func));
    assert!(!Val::FuncRef(None).matches(&non_null));
    assert_eq!(non_null.to_string(), "(ref func)");
}

/// The name of the single import of a test module (`"lib" "<name>"`).
fn import_name(wat: &str) -> &str {
    let start = wat.find("\"lib\" \"").expect("an import") + 7;
    let end = start + wat[start..].find('"').expect("closing quote");
    &wat[start..end]
}

#[test]
fn typed_tables_are_filled_by_their_initializer() {
    let inst = instance(
        r#"(module
      (type $ii (func (param i32) (result i32)))
      (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (table $t 3 (ref $ii) (ref.func $inc))
      (func (export "run") (param i32) (result i32) (call_ref $ii (i32.const 41) (table.get $t (local.get 0))))
      (func (export "grow") (result i32) (table.grow $t (ref.func $inc) (i32.const 2))))"#,
    );
    assert_eq!(call_i32(&inst, "run", &[Val::I32(2)]), 42);
    assert_eq!(call_i32(&inst, "grow", &[]), 3);
    assert_eq!(call_i32(&inst, "run", &[Val::I32(4)]), 42);
    assert_eq!(trap_of(call(&inst, "run", &[Val::I32(5)])), TrapCode::TableOutOfBounds);
}
