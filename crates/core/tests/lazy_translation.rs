//! Lazy translation: every body is validated when the module compiles (so a module that compiles
//! never fails later), and translated on its function's first call, whichever way that call
//! comes (export, `call`, `call_indirect`, start function, another instance, a shared table).

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Extern, Instance, Module, Val};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).unwrap_or_else(|e| panic!("compile error: {e}"))
}

/// `n` valid functions `(param i32) (result i32)` that are never called, as WAT.
fn filler(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "(func (param i32) (result i32) (local i64 f64)
                   (local.set 1 (i64.extend_i32_u (local.get 0)))
                   (block (loop (br_if 1 (i64.eqz (local.get 1)))
                     (local.set 1 (i64.sub (local.get 1) (i64.const {i})))
                     (local.set 2 (f64.add (local.get 2) (f64.const 1.5)))
                     (br 0)))
                   (i32.add (local.get 0) (i32.const {i})))\n"
            )
        })
        .collect()
}

#[test]
fn invalid_bodies_of_uncalled_functions_fail_compilation() {
    // The bad function is never called, never exported and not in a table.
    let wat = format!("(module {} (func (result i32) (i64.const 1)) {})", filler(3), filler(2));
    let bytes = wat::parse_str(&wat).unwrap();
    let err = Module::new(&bytes).unwrap_err();
    assert_eq!(err.func_index, Some(3), "{err:?}");
    assert!(err.message.contains("type mismatch"), "{err:?}");
    let offset = err.offset.expect("an offset");
    assert!(offset > 0 && offset < bytes.len(), "{err:?}");
}

#[test]
fn large_code_sections_validate_in_parallel_and_report_the_first_error() {
    // Enough code (> 256 KiB) for the two-thread path.
    let n = 6000;
    let ok = format!("(module {})", filler(n));
    let bytes = wat::parse_str(&ok).unwrap();
    assert!(bytes.len() > 300 << 10, "{} bytes", bytes.len());
    Module::new(&bytes).unwrap();
    // An error in the second half only.
    let bad = "(func (drop))";
    let wat = format!("(module {} {bad} {})", filler(n - 10), filler(9));
    let err = Module::new(&wat::parse_str(&wat).unwrap()).unwrap_err();
    assert_eq!(err.func_index, Some(n as u32 - 10), "{err:?}");
    // Errors in both halves: the first one is reported.
    let wat = format!("(module {} {bad} {} {bad} {})", filler(5), filler(n - 20), filler(5));
    let err = Module::new(&wat::parse_str(&wat).unwrap()).unwrap_err();
    assert_eq!(err.func_index, Some(5), "{err:?}");
}

#[test]
fn too_large_frames_fail_compilation_even_if_never_called() {
    // Operand stack alone beyond 65,535 slots (no locals).
    let pushes = "i32.const 0 ".repeat(65_600);
    let drops = "drop ".repeat(65_600);
    let wat = format!("(module {} (func {pushes} {drops}))", filler(1));
    let err = Module::new(&jitless_wasm_core::text::wat_to_wasm(&wat).unwrap()).unwrap_err();
    assert!(err.message.contains("value slots"), "{err}");
    assert_eq!(err.func_index, Some(1));
    assert!(err.offset.is_some());
    // Locals (wasmparser allows at most 50,000) plus a smaller operand stack.
    let wat = format!(
        "(module (func (local {}) {} {}))",
        "i64 ".repeat(49_000),
        "f64.const 0 ".repeat(16_600),
        "drop ".repeat(16_600)
    );
    let err = Module::new(&jitless_wasm_core::text::wat_to_wasm(&wat).unwrap()).unwrap_err();
    assert!(err.message.contains("value slots"), "{err}");
    assert_eq!(err.func_index, Some(0));
}

const CALLS: &str = r#"(module
  (type $t (func (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (global $started (export "started") (mut i32) (i32.const 0))
  (table $tbl (export "tbl") 4 funcref)
  (elem (i32.const 0) $double $via_call $via_indirect)
  (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func $via_call (type $t) (i32.add (call $double (local.get 0)) (i32.const 1)))
  (func $via_indirect (type $t) (call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func $start (call $log (i32.const 7)) (global.set $started (call $via_call (i32.const 20))))
  (start $start))"#;

fn calls_instance(log: std::rc::Rc<std::cell::RefCell<Vec<i32>>>) -> Instance {
    let m = module(CALLS);
    let l = log.clone();
    let imp = host(&[jitless_wasm_core::ValType::I32], &[], move |args, _| {
        let Val::I32(x) = args[0] else { panic!() };
        l.borrow_mut().push(x);
        Ok(())
    });
    Instance::new(&m, &[imp]).unwrap()
}

#[test]
fn first_calls_translate_through_every_call_path() {
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let inst = calls_instance(log.clone());
    // The start function ran (translated on its first call) and called $via_call → $double.
    assert_eq!(*log.borrow(), [7]);
    let Some(Extern::Global(g)) = inst.export("started") else { panic!() };
    assert_eq!(g.get(), Val::I32(41));
    // An export that recurses into itself.
    assert_eq!(call_i64(&inst, "fac", &[Val::I64(20)]), 2_432_902_008_176_640_000);
    // call_indirect to functions not called before ($via_indirect → call_indirect → $double).
    assert_eq!(call_i32(&inst, "indirect", &[Val::I32(2), Val::I32(5)]), 10);
    assert_eq!(call_i32(&inst, "indirect", &[Val::I32(1), Val::I32(5)]), 11);
    // A null entry still traps as before.
    assert_eq!(
        trap_of(call(&inst, "indirect", &[Val::I32(3), Val::I32(5)])),
        jitless_wasm_core::TrapCode::FuncSigMismatch
    );
}

#[test]
fn first_calls_from_other_instances_and_through_shared_tables() {
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let a = calls_instance(log.clone());
    // A second instance of the same module shares its translated code; a third module calls
    // a's functions as imports and through a's table.
    let m2 = module(
        r#"(module
          (type $t (func (param i32) (result i32)))
          (import "a" "fac" (func $fac (param i64) (result i64)))
          (import "a" "tbl" (table 4 funcref))
          (func (export "fac_twice") (param i64) (result i64) (i64.add (call $fac (local.get 0)) (call $fac (local.get 0))))
          (func (export "via_table") (param i32 i32) (result i32) (call_indirect (type $t) (local.get 1) (local.get 0))))"#,
    );
    let Some(Extern::Func(fac)) = a.export("fac") else { panic!() };
    let Some(Extern::Table(tbl)) = a.export("tbl") else { panic!() };
    let b = Instance::new(&m2, &[Extern::Func(fac), Extern::Table(tbl)]).unwrap();
    // Nothing of `a` has run except its start function: fac and $via_indirect are translated
    // on these calls from `b`.
    assert_eq!(call_i64(&b, "fac_twice", &[Val::I64(5)]), 240);
    assert_eq!(call_i32(&b, "via_table", &[Val::I32(2), Val::I32(8)]), 16);
    assert_eq!(call_i32(&b, "via_table", &[Val::I32(0), Val::I32(8)]), 16);
    let a2 = calls_instance(log.clone());
    assert_eq!(call_i32(&a2, "indirect", &[Val::I32(1), Val::I32(1)]), 3);
    assert_eq!(*log.borrow(), [7, 7]);
}

#[test]
fn modules_translate_on_several_threads_at_once() {
    let m = module(&format!(
        r#"(module {}
          (func $sum (param i32) (result i32) (local i32)
            (block (loop (br_if 1 (i32.eqz (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))
            (local.get 1))
          (func (export "run") (param i32) (result i32) (call $sum (local.get 0))))"#,
        filler(50)
    ));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let m = m.clone();
            std::thread::spawn(move || {
                let inst = Instance::new(&m, &[]).unwrap();
                (0..50).map(|i| call_i32(&inst, "run", &[Val::I32(1000 + i)])).collect::<Vec<_>>()
            })
        })
        .collect();
    let want: Vec<i32> = (0..50).map(|i| (1000 + i) * (1001 + i) / 2).collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), want);
    }
}

#[test]
fn translate_all_translates_every_function_before_any_call() {
    // What the `translate` fuzz target relies on: every body, called or not, exported or not.
    let m = module(&format!("(module {} (func (export \"f\") (result i32) (i32.const 7)))", filler(20)));
    m.translate_all().expect("every body translates");
    m.translate_all().expect("a second time is a no-op");
    let inst = Instance::new(&m, &[]).unwrap();
    assert_eq!(call_i32(&inst, "f", &[]), 7);
}
