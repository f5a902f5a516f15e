//! Limited namespaces (`jitless-wasm/limits`, issue #15): fuel, deadlines, interrupt flags,
//! caps, call depth and deterministic NaNs.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jitless_wasm_core::{Error, Extern, Instance, LimitsConfig, Module, NamespaceLimits, Profile, TrapCode, Val};

fn compile(ns: &NamespaceLimits, wat: &str) -> Result<Module, jitless_wasm_core::CompileError> {
    Module::with_options(&wat::parse_str(wat).unwrap(), Profile::Latest, ns.compile_options())
}

fn instance(ns: &Rc<NamespaceLimits>, wat: &str) -> Instance {
    Instance::new_limited(&compile(ns, wat).unwrap(), &[], ns).unwrap()
}

fn call(inst: &Instance, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
    let Some(Extern::Func(f)) = inst.export(name) else { panic!("no export {name}") };
    let mut results = Vec::new();
    f.call(args, &mut results).map(|()| results)
}

fn trap_code(r: Result<Vec<Val>, Error>) -> TrapCode {
    match r {
        Err(Error::Trap(t)) => t.code,
        other => panic!("expected a trap, got {other:?}"),
    }
}

const LOOPS: &str = r#"(module
  (func (export "spin") (loop $l br $l))
  (func (export "count") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        local.get 0
        i32.eqz
        br_if $done
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        local.get 1
        i32.const 1
        i32.add
        local.set 1
        br $l))
    local.get 1)
  (func (export "fill") (param i32) i32.const 0 i32.const 7 local.get 0 memory.fill)
  (func (export "after_loop") (param i32)
    (loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
    nop nop nop nop nop)
  (memory 1))"#;

#[test]
fn fuel_stops_an_infinite_loop_and_add_fuel_resumes() {
    let ns = NamespaceLimits::new(LimitsConfig { fuel: Some(10_000), ..Default::default() });
    let inst = instance(&ns, LOOPS);
    assert_eq!(trap_code(call(&inst, "spin", &[])), TrapCode::OutOfFuel);
    assert!(ns.fuel() < 10, "fuel left: {}", ns.fuel());
    ns.add_fuel(1_000_000);
    assert_eq!(call(&inst, "count", &[Val::I32(100)]).unwrap(), vec![Val::I32(100)]);
}

#[test]
fn fuel_counts_original_operators() {
    let ns = NamespaceLimits::new(LimitsConfig { fuel: Some(1_000_000), ..Default::default() });
    let inst = instance(&ns, LOOPS);
    let before = ns.fuel();
    call(&inst, "count", &[Val::I32(10)]).unwrap();
    let used = before - ns.fuel();
    // block, loop, then after the block: its `end`, local.get 1 and the function's end: 5
    // (the code after a construct is counted with the block where it starts); 11 charges of the
    // loop's block of 12 operators (local.get .. br: a taken `br_if` has paid for its block up
    // to the next block start).
    assert_eq!(used, 5 + 11 * 12, "fuel used");
    // The code after a loop is charged once, not per iteration: loop (1) + 10 × 5 + end, five
    // nops and the function's end (7).
    let before = ns.fuel();
    call(&inst, "after_loop", &[Val::I32(10)]).unwrap();
    assert_eq!(before - ns.fuel(), 1 + 10 * 5 + 7);
    // Bulk operations also pay per 64 bytes.
    let before = ns.fuel();
    call(&inst, "fill", &[Val::I32(64 * 100)]).unwrap();
    assert_eq!(before - ns.fuel(), 5 + 100);
}

#[test]
fn plain_modules_have_no_fuel_instructions() {
    // The same module compiled without limits instantiates without them and runs freely.
    let m = Module::with_profile(&wat::parse_str(LOOPS).unwrap(), Profile::Latest).unwrap();
    let inst = Instance::new(&m, &[]).unwrap();
    assert_eq!(call(&inst, "count", &[Val::I32(1000)]).unwrap(), vec![Val::I32(1000)]);
    // A limited module is refused by another namespace (and without one).
    let ns = NamespaceLimits::new(LimitsConfig { fuel: Some(1), ..Default::default() });
    let other = NamespaceLimits::new(LimitsConfig { fuel: Some(1), ..Default::default() });
    let lm = compile(&ns, LOOPS).unwrap();
    assert!(Instance::new(&lm, &[]).is_err());
    assert!(Instance::new_limited(&lm, &[], &other).is_err());
}

#[test]
fn deadline_stops_an_infinite_loop() {
    let ns = NamespaceLimits::new(LimitsConfig { deadline: Some(Duration::from_millis(50)), ..Default::default() });
    let inst = instance(&ns, LOOPS);
    let t0 = Instant::now();
    assert_eq!(trap_code(call(&inst, "spin", &[])), TrapCode::DeadlineExceeded);
    let took = t0.elapsed();
    assert!(took >= Duration::from_millis(50) && took < Duration::from_secs(5), "took {took:?}");
    // The next call gets a new deadline.
    assert_eq!(call(&inst, "count", &[Val::I32(10)]).unwrap(), vec![Val::I32(10)]);
}

#[test]
fn interrupt_flag_from_another_thread() {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    let ns = NamespaceLimits::new(LimitsConfig {
        interrupt: Some(Arc::new(move || f.load(Ordering::Relaxed))),
        ..Default::default()
    });
    let inst = instance(&ns, LOOPS);
    let setter = flag.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        setter.store(true, Ordering::Relaxed);
    });
    assert_eq!(trap_code(call(&inst, "spin", &[])), TrapCode::InterruptRequested);
    t.join().unwrap();
    // While set, new calls do not run; cleared, they do.
    assert_eq!(trap_code(call(&inst, "count", &[Val::I32(1)])), TrapCode::InterruptRequested);
    flag.store(false, Ordering::Relaxed);
    assert_eq!(call(&inst, "count", &[Val::I32(3)]).unwrap(), vec![Val::I32(3)]);
}

#[test]
fn memory_and_table_caps() {
    let ns = NamespaceLimits::new(LimitsConfig {
        max_memory_bytes: Some(3 * 65536),
        max_table_elements: Some(10),
        max_instances: Some(2),
        ..Default::default()
    });
    let wat = r#"(module (memory 2) (table 4 funcref)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
      (func (export "tgrow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))"#;
    let inst = instance(&ns, wat);
    assert_eq!(call(&inst, "grow", &[Val::I32(2)]).unwrap(), vec![Val::I32(-1)]);
    assert_eq!(call(&inst, "grow", &[Val::I32(1)]).unwrap(), vec![Val::I32(2)]);
    assert_eq!(call(&inst, "grow", &[Val::I32(1)]).unwrap(), vec![Val::I32(-1)]);
    assert_eq!(call(&inst, "tgrow", &[Val::I32(7)]).unwrap(), vec![Val::I32(-1)]);
    assert_eq!(call(&inst, "tgrow", &[Val::I32(6)]).unwrap(), vec![Val::I32(4)]);
    assert_eq!(ns.memory_bytes(), 3 * 65536);
    // A second instance does not fit the memory cap.
    let m = compile(&ns, wat).unwrap();
    assert!(matches!(Instance::new_limited(&m, &[], &ns), Err(Error::Resource(_))));
    assert_eq!(ns.instances(), 1);
    drop(inst);
    assert_eq!(ns.memory_bytes(), 0);
    let a = Instance::new_limited(&compile(&ns, "(module)").unwrap(), &[], &ns).unwrap();
    let b = Instance::new_limited(&compile(&ns, "(module)").unwrap(), &[], &ns).unwrap();
    assert!(Instance::new_limited(&compile(&ns, "(module)").unwrap(), &[], &ns).is_err());
    drop((a, b));
}

#[test]
fn stack_depth_cap() {
    let ns = NamespaceLimits::new(LimitsConfig { max_stack_depth: Some(100), ..Default::default() });
    let wat = r#"(module (func $f (export "down") (param i32) (result i32)
        local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $f end))"#;
    let inst = instance(&ns, wat);
    assert_eq!(call(&inst, "down", &[Val::I32(50)]).unwrap(), vec![Val::I32(0)]);
    assert_eq!(trap_code(call(&inst, "down", &[Val::I32(500)])), TrapCode::StackOverflow);
    assert_eq!(call(&inst, "down", &[Val::I32(90)]).unwrap(), vec![Val::I32(0)]);
}

const NANS: &str = r#"(module
  (func (export "f32") (param f32 f32) (result i32) local.get 0 local.get 1 f32.add i32.reinterpret_f32)
  (func (export "f64") (param f64 f64) (result i64) local.get 0 local.get 1 f64.mul i64.reinterpret_f64)
  (func (export "sqrt") (param f64) (result i64) local.get 0 f64.sqrt i64.reinterpret_f64)
  (func (export "demote") (param f64) (result i32) local.get 0 f32.demote_f64 i32.reinterpret_f32)
  (func (export "neg") (param f32) (result i32) local.get 0 f32.neg i32.reinterpret_f32)
  (func (export "v4") (param f32) (result i32) local.get 0 f32x4.splat local.get 0 f32x4.splat f32x4.sub
    i32x4.extract_lane 3))"#;

#[test]
fn deterministic_nans_are_canonical() {
    let ns = NamespaceLimits::new(LimitsConfig { deterministic: true, ..Default::default() });
    let inst = instance(&ns, NANS);
    let nan32 = f32::from_bits(0x7fa0_0001);
    let nan64 = f64::from_bits(0xfff4_0000_0000_0001);
    assert_eq!(
        call(&inst, "f32", &[Val::F32(nan32.to_bits()), Val::F32(1.0f32.to_bits())]).unwrap(),
        vec![Val::I32(0x7fc0_0000)]
    );
    assert_eq!(
        call(&inst, "f64", &[Val::F64(nan64.to_bits()), Val::F64(2.0f64.to_bits())]).unwrap(),
        vec![Val::I64(0x7ff8_0000_0000_0000)]
    );
    assert_eq!(call(&inst, "sqrt", &[Val::F64((-1.0f64).to_bits())]).unwrap(), vec![Val::I64(0x7ff8_0000_0000_0000)]);
    assert_eq!(call(&inst, "demote", &[Val::F64(nan64.to_bits())]).unwrap(), vec![Val::I32(0x7fc0_0000)]);
    // Sign operations keep the payload.
    assert_eq!(call(&inst, "neg", &[Val::F32(0x7fa0_0001)]).unwrap(), vec![Val::I32(0xffa0_0001u32 as i32)]);
    assert_eq!(call(&inst, "v4", &[Val::F32(f32::INFINITY.to_bits())]).unwrap(), vec![Val::I32(0x7fc0_0000)]);
    // Shared memories are refused at compile time, saying why.
    let e = compile(&ns, "(module (memory 1 1 shared))").unwrap_err();
    assert!(e.to_string().contains("deterministic"), "{e}");
}
