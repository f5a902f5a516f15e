//! The cycle collector: an instance kept alive only by reference cycles among runtime objects is
//! freed; anything reachable from an outside handle stays alive and usable.

use std::cell::Cell;
use std::rc::Rc;

use jitless_wasm_core::runtime::collect_cycles;
use jitless_wasm_core::{Extern, ExternRef, Instance, Module, Val};

/// Sets its flag when dropped: tells whether the instance holding it was freed.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// A module whose table holds its own function (the cycle every real module has), with an
/// externref global through which the test observes the instance being freed.
const CYCLIC: &str = r#"(module
  (import "env" "marker" (global $marker externref))
  (global $keep (mut externref) (ref.null extern))
  (table (export "table") 2 funcref)
  (func $f (export "f") (result i32) i32.const 42)
  (func (export "keep") (global.set $keep (global.get $marker)))
  (elem (i32.const 0) $f))"#;

/// Instantiates [`CYCLIC`]; returns the instance and the flag set when it is freed.
fn instantiate() -> (Instance, Rc<Cell<bool>>) {
    let module = Module::new(&wat::parse_str(CYCLIC).unwrap()).unwrap();
    let freed = Rc::new(Cell::new(false));
    let marker = ExternRef::new(DropFlag(freed.clone()));
    let global = jitless_wasm_core::Global::new(
        jitless_wasm_core::GlobalType { content: jitless_wasm_core::ValType::EXTERNREF, mutable: false },
        Val::ExternRef(Some(marker)),
    )
    .unwrap();
    let instance = Instance::new(&module, &[Extern::Global(global)]).unwrap();
    let Some(Extern::Func(keep)) = instance.export("keep") else { panic!("no keep export") };
    keep.call(&[], &mut Vec::new()).unwrap();
    (instance, freed)
}

fn call_table_entry(table: &jitless_wasm_core::Table) -> Val {
    let Some(Val::FuncRef(Some(f))) = table.get(0) else { panic!("table entry 0 is not a function") };
    let mut results = Vec::new();
    f.call(&[], &mut results).unwrap();
    results.pop().unwrap()
}

#[test]
fn an_instance_held_only_by_its_own_table_is_freed() {
    let (instance, freed) = instantiate();
    drop(instance);
    assert!(!freed.get(), "the cycle keeps it alive until a collection");
    collect_cycles();
    assert!(freed.get(), "the collector must free the cyclic instance");
}

#[test]
fn an_instance_with_a_live_handle_survives_collection() {
    let (instance, freed) = instantiate();
    collect_cycles();
    assert!(!freed.get());
    let Some(Extern::Table(table)) = instance.export("table") else { panic!() };
    assert_eq!(call_table_entry(&table), Val::I32(42));
}

#[test]
fn an_instance_reachable_through_an_exported_table_survives() {
    let (instance, freed) = instantiate();
    let Some(Extern::Table(table)) = instance.export("table") else { panic!() };
    drop(instance);
    collect_cycles();
    assert!(!freed.get(), "the table's function needs its instance");
    assert_eq!(call_table_entry(&table), Val::I32(42));
    drop(table);
    collect_cycles();
    assert!(freed.get());
}

#[test]
fn an_instance_reachable_through_a_function_reference_survives() {
    let (instance, freed) = instantiate();
    let Some(Extern::Func(f)) = instance.export("f") else { panic!() };
    drop(instance);
    collect_cycles();
    assert!(!freed.get());
    let mut results = Vec::new();
    f.call(&[], &mut results).unwrap();
    assert_eq!(results, vec![Val::I32(42)]);
    drop(f);
    collect_cycles();
    assert!(freed.get());
}

#[test]
fn many_cyclic_instances_do_not_accumulate() {
    // Automatic collections run as instances are created: the flags of early instances must
    // be set long before the loop ends, without any explicit collection.
    let mut flags = Vec::new();
    for _ in 0..2000 {
        let (instance, freed) = instantiate();
        drop(instance);
        flags.push(freed);
    }
    let freed = flags.iter().filter(|f| f.get()).count();
    assert!(freed >= 1000, "only {freed} of 2000 cyclic instances were freed automatically");
}

/// Creates `n` cyclic instances in one go, then drops them one by one with `note_release` after
/// each (as the binding does when their JS wrappers are collected). Returns the collector's work
/// meanwhile and how many were freed by the end (before any explicit collection).
fn release_one_by_one(n: usize) -> (u64, usize) {
    use jitless_wasm_core::runtime::{collector_work, note_release};
    collect_cycles();
    let held: Vec<_> = (0..n).map(|_| instantiate()).collect();
    let before = collector_work();
    let mut flags = Vec::new();
    for (instance, freed) in held {
        drop(instance);
        note_release();
        flags.push(freed);
    }
    let work = collector_work() - before;
    (work, flags.iter().filter(|f| f.get()).count())
}

#[test]
fn releasing_n_instances_costs_linear_collector_work() {
    // Regression: every 32nd release ran a full collection over every registered object, so
    // releasing N instances visited O(N²) objects (20k instances took 25.7 s in Node).
    let (small, freed_small) = release_one_by_one(1000);
    let (large, freed_large) = release_one_by_one(8000);
    assert!(freed_small >= 500 && freed_large >= 4000, "freed {freed_small}/1000 and {freed_large}/8000");
    // Linear: 8× the instances cost about 8× the work (quadratic would be 64×).
    assert!(large <= small * 16, "work for 1000: {small}, for 8000: {large}");
    // A constant amount of work per instance (each has a handful of nodes).
    assert!(large <= 8000 * 40, "work for 8000 instances: {large}");
    collect_cycles();
}
