//! The cycle collector with GC objects in the cycle (issue #13): a module whose globals, tables
//! or element segments hold structs that hold its own functions (every GC toolchain's vtables)
//! is freed once nothing outside holds it; a struct held from outside keeps it alive and usable.

use std::cell::Cell;
use std::rc::Rc;

use jitless_wasm_core::runtime::collect_cycles;
use jitless_wasm_core::{Extern, ExternRef, Global, GlobalType, Instance, Module, Val, ValType};

/// Sets its flag when dropped: tells whether the instance holding it was freed.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

/// A vtable struct holding the module's own function, in an immutable global (the cycle
/// instance → global → struct → function → instance), plus an externref global that holds
/// the drop flag and an export that hands the vtable out.
const VTABLE: &str = r#"(module
  (type $fn (func (result i32)))
  (type $vt (struct (field (ref $fn))))
  (import "env" "marker" (global $marker externref))
  (global $keep (mut externref) (ref.null extern))
  (global $vtable (ref $vt) (struct.new $vt (ref.func $f)))
  (func $f (type $fn) i32.const 42)
  (func (export "keep") (global.set $keep (global.get $marker)))
  (func (export "vtable") (result (ref $vt)) (global.get $vtable))
  (func (export "call") (param (ref $vt)) (result i32)
    (call_ref $fn (struct.get $vt 0 (local.get 0)))))"#;

/// A table of `anyref` holding a chain struct → struct → function.
const TABLE_CHAIN: &str = r#"(module
  (type $fn (func (result i32)))
  (type $inner (struct (field funcref)))
  (type $outer (struct (field (ref $inner))))
  (import "env" "marker" (global $marker externref))
  (global $keep (mut externref) (ref.null extern))
  (table $t 1 anyref)
  (func $f (type $fn) i32.const 7)
  (elem declare func $f)
  (func (export "keep") (global.set $keep (global.get $marker))
    (table.set $t (i32.const 0) (struct.new $outer (struct.new $inner (ref.func $f))))))"#;

/// Instantiates `wat` with a drop-flag marker and calls its `keep` export.
fn instantiate(wat: &str) -> (Instance, Rc<Cell<bool>>) {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let freed = Rc::new(Cell::new(false));
    let marker = ExternRef::new(DropFlag(freed.clone()));
    let global =
        Global::new(GlobalType { content: ValType::EXTERNREF, mutable: false }, Val::ExternRef(Some(marker))).unwrap();
    let instance = Instance::new(&module, &[Extern::Global(global)]).unwrap();
    call(&instance, "keep", &[]);
    (instance, freed)
}

/// Calls export `name` of `instance` with `args`; returns its results.
fn call(instance: &Instance, name: &str, args: &[Val]) -> Vec<Val> {
    let Some(Extern::Func(f)) = instance.export(name) else { panic!("no export {name}") };
    let mut results = Vec::new();
    f.call(args, &mut results).unwrap();
    results
}

#[test]
fn an_instance_held_only_through_a_vtable_struct_in_its_global_is_freed() {
    let (instance, freed) = instantiate(VTABLE);
    drop(instance);
    collect_cycles();
    assert!(freed.get(), "instance → global → struct → function → instance must be collected");
}

#[test]
fn a_struct_held_from_outside_keeps_its_functions_instance_alive() {
    let (instance, freed) = instantiate(VTABLE);
    let vtable = call(&instance, "vtable", &[]).pop().unwrap();
    let Some(Extern::Func(call_fn)) = instance.export("call") else { panic!() };
    drop(instance);
    collect_cycles();
    assert!(!freed.get(), "the struct held by the test holds a function of the instance");
    let mut results = Vec::new();
    call_fn.call(std::slice::from_ref(&vtable), &mut results).unwrap();
    assert_eq!(results, vec![Val::I32(42)]);
    drop(call_fn);
    collect_cycles();
    assert!(!freed.get(), "the struct alone still holds the function");
    drop(vtable);
    collect_cycles();
    assert!(freed.get(), "once the struct is released the cycle is garbage");
}

#[test]
fn an_instance_held_only_through_a_struct_chain_in_its_table_is_freed() {
    let (instance, freed) = instantiate(TABLE_CHAIN);
    drop(instance);
    collect_cycles();
    assert!(freed.get(), "instance → table → struct → struct → function → instance must be collected");
}

#[test]
fn an_exported_global_holding_the_vtable_keeps_the_instance_alive() {
    let (instance, freed) = instantiate(VTABLE);
    let vtable_global = (0..1)
        .map(|_| call(&instance, "vtable", &[]).pop().unwrap())
        .map(|v| Global::new(GlobalType { content: v.ty(), mutable: false }, v).unwrap())
        .next()
        .unwrap();
    drop(instance);
    collect_cycles();
    assert!(!freed.get(), "a live global outside the instance holds the struct");
    drop(vtable_global);
    collect_cycles();
    assert!(freed.get());
}

#[test]
fn many_vtable_instances_are_freed_as_they_are_released() {
    let flags: Vec<Rc<Cell<bool>>> = (0..200)
        .map(|_| {
            let (instance, freed) = instantiate(VTABLE);
            drop(instance);
            freed
        })
        .collect();
    collect_cycles();
    assert!(flags.iter().all(|f| f.get()), "every released instance must be freed");
}

/// A host function made from a closure.
struct Host<F>(F);

impl<F: Fn(&[Val], &mut Vec<Val>) -> Result<(), jitless_wasm_core::Error>> jitless_wasm_core::HostFunc for Host<F> {
    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), jitless_wasm_core::Error> {
        (self.0)(args, results)
    }
}

#[test]
fn a_collection_from_a_host_call_keeps_the_running_instances_objects() {
    // `run` calls the host, which collects; the running call holds the instance, and its
    // frame's struct must stay intact (while wasm runs, the heap's functions stay roots).
    let module = Module::new(
        &wat::parse_str(
            r#"(module
          (type $fn (func (result i32)))
          (type $vt (struct (field (ref $fn))))
          (import "env" "collect" (func $collect))
          (global $vtable (mut (ref null $vt)) (struct.new $vt (ref.func $f)))
          (func $f (type $fn) i32.const 9)
          (func (export "run") (result i32) (local $v (ref null $vt))
            (local.set $v (global.get $vtable))
            (global.set $vtable (ref.null $vt))
            (call $collect)
            (call_ref $fn (struct.get $vt 0 (local.get $v)))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let collect = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(|_: &[Val], _: &mut Vec<Val>| {
            collect_cycles();
            Ok(())
        }),
    );
    let instance = Instance::new(&module, &[Extern::Func(collect)]).unwrap();
    let Some(Extern::Func(run)) = instance.export("run") else { panic!() };
    drop(instance);
    let mut results = Vec::new();
    run.call(&[], &mut results).unwrap();
    assert_eq!(results, vec![Val::I32(9)]);
}

#[test]
fn a_struct_only_in_a_running_frame_keeps_a_garbage_instance_whole() {
    // Instance B's vtable struct (its only holder besides B's own global) is handed to a call
    // of instance A and then released by the host: during the collection it lives only in A's
    // frame. B must not be cleared: A then calls B's function, which goes through B's table.
    let b_module = Module::new(
        &wat::parse_str(
            r#"(module
          (type $fn (func (result i32)))
          (type $vt (struct (field (ref $fn))))
          (table 1 funcref)
          (elem (i32.const 0) $h)
          (global $vtable (ref $vt) (struct.new $vt (ref.func $f)))
          (func $h (result i32) i32.const 11)
          (func $f (type $fn) (call_indirect (result i32) (i32.const 0)))
          (func (export "vtable") (result (ref $vt)) (global.get $vtable)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let b = Instance::new(&b_module, &[]).unwrap();
    let handed: Rc<std::cell::RefCell<Option<Val>>> = Rc::new(std::cell::RefCell::new(call(&b, "vtable", &[]).pop()));
    drop(b);
    let a_module = Module::new(
        &wat::parse_str(
            r#"(module
          (type $fn (func (result i32)))
          (type $vt (struct (field (ref $fn))))
          (import "env" "take" (func $take (result (ref $vt))))
          (import "env" "collect" (func $collect))
          (func (export "run") (result i32) (local $v (ref null $vt))
            (local.set $v (call $take))
            (call $collect)
            (call_ref $fn (struct.get $vt 0 (local.get $v)))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let vt_id = match &*handed.borrow() {
        Some(Val::AnyRef(Some(jitless_wasm_core::AnyRef::Object(vt)))) => vt.ty(),
        _ => panic!("not a struct"),
    };
    let vt_ty = jitless_wasm_core::ValType::Ref(jitless_wasm_core::types::RefType::Typed {
        nullable: false,
        heap: jitless_wasm_core::types::HeapType::Concrete(vt_id),
    });
    let from = handed.clone();
    let take = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![vt_ty]),
        Host(move |_: &[Val], results: &mut Vec<Val>| {
            results.push(from.borrow_mut().take().unwrap());
            Ok(())
        }),
    );
    let collect = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(|_: &[Val], _: &mut Vec<Val>| {
            collect_cycles();
            Ok(())
        }),
    );
    let a = Instance::new(&a_module, &[Extern::Func(take), Extern::Func(collect)]).unwrap();
    assert_eq!(call(&a, "run", &[]), vec![Val::I32(11)]);
}
