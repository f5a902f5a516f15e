//! Every trap reachable from wasm is reported with the right `TrapCode` (and V8's text).

use jitless_wasm_core::{Error, Extern, FuncRef, Instance, Module, TrapCode, Val};

/// A module exercising one trap per export.
const TRAPS: &str = r#"(module
  (type $v (func))
  (type $i (func (result i32)))
  (memory 1)
  (table $t 3 funcref)
  (elem (table $t) (i32.const 0) func $ok_v $ok_i)
  (data $d "abc")
  (func $ok_v)
  (func $ok_i (result i32) i32.const 1)
  (func (export "unreachable") unreachable)
  (func (export "load_oob") (param i32) (result i32) local.get 0 i32.load)
  (func (export "store_oob") (param i32) local.get 0 i64.const 0 i64.store offset=4)
  (func (export "grow_then_load") (result i32) i32.const 1 memory.grow drop i32.const 65536 i32.load)
  (func (export "fill_oob") i32.const 65530 i32.const 0 i32.const 7 memory.fill)
  (func (export "copy_oob") i32.const 0 i32.const 65535 i32.const 2 memory.copy)
  (func (export "init_oob") i32.const 0 i32.const 2 i32.const 2 memory.init $d)
  (func (export "div_s") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "div_u64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_u)
  (func (export "rem_s") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_s)
  (func (export "rem_u64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_u)
  (func (export "trunc_f32") (param f32) (result i32) local.get 0 i32.trunc_f32_s)
  (func (export "trunc_f64_u64") (param f64) (result i64) local.get 0 i64.trunc_f64_u)
  (func (export "call_indirect_v") (param i32) local.get 0 call_indirect $t (type $v))
  (func (export "call_indirect_i") (param i32) (result i32) local.get 0 call_indirect $t (type $i))
  (func (export "table_get") (param i32) (result funcref) local.get 0 table.get $t)
  (func (export "table_set") (param i32) local.get 0 ref.null func table.set $t)
  (func (export "table_fill") i32.const 2 ref.null func i32.const 2 table.fill $t)
  (func (export "table_copy") i32.const 2 i32.const 0 i32.const 2 table.copy $t $t)
  (func $recurse (export "recurse") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $recurse)
  (func $a (export "mutual") call $b)
  (func $b call $a)
)"#;

fn instance() -> Instance {
    let module = Module::new(&wat::parse_str(TRAPS).unwrap()).unwrap();
    Instance::new(&module, &[]).unwrap()
}

fn call(inst: &Instance, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
    let Some(Extern::Func(f)) = inst.export(name) else { panic!("no export {name}") };
    let mut results = Vec::new();
    f.call(args, &mut results).map(|()| results)
}

#[track_caller]
fn assert_trap(inst: &Instance, name: &str, args: &[Val], code: TrapCode) {
    match call(inst, name, args) {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code, code, "{name}({args:?})");
            assert_eq!(t.to_string(), code.message());
        }
        other => panic!("{name}({args:?}): expected trap {code:?}, got {other:?}"),
    }
}

#[test]
fn unreachable() {
    assert_trap(&instance(), "unreachable", &[], TrapCode::Unreachable);
}

#[test]
fn memory_out_of_bounds() {
    let inst = instance();
    assert_trap(&inst, "load_oob", &[Val::I32(65533)], TrapCode::MemOutOfBounds);
    assert_trap(&inst, "load_oob", &[Val::I32(-1)], TrapCode::MemOutOfBounds);
    assert_eq!(call(&inst, "load_oob", &[Val::I32(65532)]).unwrap(), [Val::I32(0)]);
    assert_trap(&inst, "store_oob", &[Val::I32(65528)], TrapCode::MemOutOfBounds);
    assert_trap(&inst, "fill_oob", &[], TrapCode::MemOutOfBounds);
    assert_trap(&inst, "copy_oob", &[], TrapCode::MemOutOfBounds);
}

#[test]
fn memory_grow_extends_the_bounds() {
    let inst = instance();
    assert_eq!(call(&inst, "grow_then_load", &[]).unwrap(), [Val::I32(0)]);
}

#[test]
fn memory_init_out_of_bounds() {
    // V8 reports "memory access out of bounds"; `TrapCode::DataSegmentOutOfBounds` is also
    // documented for `memory.init`.
    match call(&instance(), "init_oob", &[]) {
        Err(Error::Trap(t)) => {
            assert!(matches!(t.code, TrapCode::MemOutOfBounds | TrapCode::DataSegmentOutOfBounds), "{t:?}")
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn integer_division() {
    let inst = instance();
    assert_trap(&inst, "div_s", &[Val::I32(1), Val::I32(0)], TrapCode::DivByZero);
    assert_trap(&inst, "div_s", &[Val::I32(i32::MIN), Val::I32(-1)], TrapCode::DivUnrepresentable);
    assert_trap(&inst, "div_u64", &[Val::I64(1), Val::I64(0)], TrapCode::DivByZero);
    assert_trap(&inst, "rem_s", &[Val::I32(1), Val::I32(0)], TrapCode::RemByZero);
    assert_trap(&inst, "rem_u64", &[Val::I64(1), Val::I64(0)], TrapCode::RemByZero);
    // INT_MIN % -1 is 0, not a trap.
    assert_eq!(call(&inst, "rem_s", &[Val::I32(i32::MIN), Val::I32(-1)]).unwrap(), [Val::I32(0)]);
}

#[test]
fn float_truncation() {
    let inst = instance();
    assert_trap(&inst, "trunc_f32", &[Val::F32(0x7fc0_0000)], TrapCode::FloatUnrepresentable);
    assert_trap(&inst, "trunc_f32", &[Val::from_f32(2147483648.0)], TrapCode::FloatUnrepresentable);
    assert_eq!(call(&inst, "trunc_f32", &[Val::from_f32(-2147483648.0)]).unwrap(), [Val::I32(i32::MIN)]);
    assert_trap(&inst, "trunc_f64_u64", &[Val::from_f64(-1.0)], TrapCode::FloatUnrepresentable);
    assert_trap(&inst, "trunc_f64_u64", &[Val::from_f64(f64::INFINITY)], TrapCode::FloatUnrepresentable);
}

#[test]
fn call_indirect() {
    let inst = instance();
    call(&inst, "call_indirect_v", &[Val::I32(0)]).unwrap();
    assert_eq!(call(&inst, "call_indirect_i", &[Val::I32(1)]).unwrap(), [Val::I32(1)]);
    assert_trap(&inst, "call_indirect_v", &[Val::I32(1)], TrapCode::FuncSigMismatch);
    assert_trap(&inst, "call_indirect_v", &[Val::I32(2)], TrapCode::FuncSigMismatch);
    assert_trap(&inst, "call_indirect_v", &[Val::I32(3)], TrapCode::TableOutOfBounds);
    assert_trap(&inst, "call_indirect_i", &[Val::I32(-1)], TrapCode::TableOutOfBounds);
}

#[test]
fn table_access() {
    let inst = instance();
    assert!(matches!(call(&inst, "table_get", &[Val::I32(0)]).unwrap()[..], [Val::FuncRef(Some(_))]));
    assert_trap(&inst, "table_get", &[Val::I32(3)], TrapCode::TableOutOfBounds);
    assert_trap(&inst, "table_set", &[Val::I32(3)], TrapCode::TableOutOfBounds);
    assert_trap(&inst, "table_fill", &[], TrapCode::TableOutOfBounds);
    assert_trap(&inst, "table_copy", &[], TrapCode::TableOutOfBounds);
}

#[test]
fn stack_overflow() {
    let inst = instance();
    assert_trap(&inst, "recurse", &[Val::I32(0)], TrapCode::StackOverflow);
    assert_trap(&inst, "mutual", &[], TrapCode::StackOverflow);
    // The instance stays usable after an overflow.
    assert_eq!(call(&inst, "load_oob", &[Val::I32(0)]).unwrap(), [Val::I32(0)]);
}

#[test]
fn trap_in_a_callee_unwinds_to_the_caller() {
    let wat = r#"(module
      (import "m" "f" (func $f))
      (func (export "run") (result i32) call $f i32.const 1))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let inner = instance();
    let Some(Extern::Func(unreachable)) = inner.export("unreachable") else { panic!() };
    let inst = Instance::new(&module, &[Extern::Func(unreachable)]).unwrap();
    assert_trap(&inst, "run", &[], TrapCode::Unreachable);
}

#[test]
fn host_errors_pass_through_untouched() {
    struct Fail;
    impl jitless_wasm_core::HostFunc for Fail {
        fn call(&self, _: &[Val], _: &mut Vec<Val>) -> Result<(), Error> {
            Err(Error::Host(jitless_wasm_core::HostError(Box::new("boom"))))
        }
    }
    let wat = r#"(module (import "m" "f" (func $f)) (func (export "run") call $f))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let f = FuncRef::host(jitless_wasm_core::FuncType::new([], []), Fail);
    let inst = Instance::new(&module, &[Extern::Func(f)]).unwrap();
    match call(&inst, "run", &[]) {
        Err(Error::Host(h)) => assert_eq!(h.0.downcast_ref::<&str>(), Some(&"boom")),
        other => panic!("expected the host error, got {other:?}"),
    }
}
