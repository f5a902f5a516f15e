//! Linear memory through the engine: effective addresses beyond 4 GiB, bounds after growth
//! (also growth by a callee), bulk operations (overlap, bounds checked before any write,
//! dropped segments).

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Extern, TrapCode, Val};

const MEM: &str = r#"(module
  (memory (export "mem") 1 4)
  (data $d "hello")
  (func (export "load8") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "load_off") (param i32) (result i32) local.get 0 i32.load offset=0xffffffff)
  (func (export "load64") (param i32) (result i64) local.get 0 i64.load)
  (func (export "store32") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "sign") (result i64 i64 i32 i32)
    i32.const 0 i32.const -1 i32.store
    i32.const 0 i64.load8_s
    i32.const 0 i64.load32_u
    i32.const 0 i32.load16_s
    i32.const 0 i32.load16_u)
  (func (export "floats") (param f64) (result f64 f32)
    i32.const 8 local.get 0 f64.store
    i32.const 16 i32.const 8 f64.load f32.demote_f64 f32.store
    i32.const 8 f64.load
    i32.const 16 f32.load)
  (func $grow (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "size") (result i32) memory.size)
  ;; grows through a call, then touches the new page: the cached bounds must be refreshed
  (func (export "grow_then_store") (result i32)
    i32.const 1 call $grow drop
    i32.const 70000 i32.const 7 i32.store
    i32.const 70000 i32.load)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $d)
  (func (export "drop") data.drop $d))"#;

fn bytes(inst: &jitless_wasm_core::Instance, at: u64, n: usize) -> Vec<u8> {
    let Some(Extern::Memory(m)) = inst.export("mem") else { panic!() };
    let mut b = vec![0; n];
    m.read(at, &mut b).unwrap();
    b
}

#[test]
fn loads_stores_and_bounds() {
    let inst = instance(MEM);
    call_ok(&inst, "store32", &[Val::I32(65532), Val::I32(0x0403_0201)]);
    assert_eq!(call_i32(&inst, "load8", &[Val::I32(65535)]), 4);
    assert_eq!(trap_of(call(&inst, "load8", &[Val::I32(65536)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "store32", &[Val::I32(65533), Val::I32(0)])), TrapCode::MemOutOfBounds);
    // The failed store wrote nothing.
    assert_eq!(bytes(&inst, 65532, 4), [1, 2, 3, 4]);
    assert_eq!(trap_of(call(&inst, "load64", &[Val::I32(65529)])), TrapCode::MemOutOfBounds);
    // addr + offset is computed without wrapping at 4 GiB.
    assert_eq!(trap_of(call(&inst, "load_off", &[Val::I32(1)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "load_off", &[Val::I32(-1)])), TrapCode::MemOutOfBounds);
    assert_eq!(call_ok(&inst, "sign", &[]), vec![Val::I64(-1), Val::I64(0xffff_ffff), Val::I32(-1), Val::I32(0xffff)]);
    let out = call_ok(&inst, "floats", &[Val::from_f64(1.25)]);
    assert_eq!(out, vec![Val::from_f64(1.25), Val::from_f32(1.25)]);
    // NaN payloads survive a store and a load.
    let nan = Val::F64(0x7ff4_0000_dead_beef);
    assert_eq!(call_ok(&inst, "floats", std::slice::from_ref(&nan))[0], nan);
}

#[test]
fn growth() {
    let inst = instance(MEM);
    assert_eq!(call_i32(&inst, "size", &[]), 1);
    assert_eq!(call_i32(&inst, "grow_then_store", &[]), 7);
    assert_eq!(call_i32(&inst, "size", &[]), 2);
    assert_eq!(call_i32(&inst, "grow", &[Val::I32(3)]), -1);
    assert_eq!(call_i32(&inst, "grow", &[Val::I32(2)]), 2);
    assert_eq!(call_i32(&inst, "grow", &[Val::I32(0)]), 4);
    assert_eq!(call_i32(&inst, "grow", &[Val::I32(-1)]), -1);
    assert_eq!(call_i32(&inst, "load8", &[Val::I32(4 * 65536 - 1)]), 0);
    // Growth by the embedder between calls is seen too.
    let inst = instance(MEM);
    let Some(Extern::Memory(m)) = inst.export("mem") else { panic!() };
    m.grow(1).unwrap();
    assert_eq!(call_i32(&inst, "load8", &[Val::I32(65536)]), 0);
}

#[test]
fn bulk_memory() {
    let inst = instance(MEM);
    call_ok(&inst, "init", &[Val::I32(10), Val::I32(0), Val::I32(5)]);
    assert_eq!(bytes(&inst, 10, 5), *b"hello");
    // Overlapping copies in both directions.
    call_ok(&inst, "copy", &[Val::I32(12), Val::I32(10), Val::I32(5)]);
    assert_eq!(bytes(&inst, 10, 7), *b"hehello");
    call_ok(&inst, "copy", &[Val::I32(9), Val::I32(10), Val::I32(7)]);
    assert_eq!(bytes(&inst, 9, 8), *b"hehelloo");
    call_ok(&inst, "fill", &[Val::I32(100), Val::I32(0x1ab), Val::I32(3)]);
    assert_eq!(bytes(&inst, 99, 5), [0, 0xab, 0xab, 0xab, 0]);
    // Out of bounds: trap before writing anything (2.0 semantics).
    assert_eq!(trap_of(call(&inst, "fill", &[Val::I32(65530), Val::I32(1), Val::I32(7)])), TrapCode::MemOutOfBounds);
    assert_eq!(bytes(&inst, 65530, 6), [0; 6]);
    assert_eq!(trap_of(call(&inst, "copy", &[Val::I32(65530), Val::I32(10), Val::I32(7)])), TrapCode::MemOutOfBounds);
    assert_eq!(bytes(&inst, 65530, 6), [0; 6]);
    assert_eq!(trap_of(call(&inst, "init", &[Val::I32(0), Val::I32(3), Val::I32(3)])), TrapCode::MemOutOfBounds);
    // Zero-length operations at the very end are fine; one past the end is not.
    call_ok(&inst, "fill", &[Val::I32(65536), Val::I32(0), Val::I32(0)]);
    assert_eq!(trap_of(call(&inst, "fill", &[Val::I32(65537), Val::I32(0), Val::I32(0)])), TrapCode::MemOutOfBounds);
    // After data.drop the segment is empty.
    call_ok(&inst, "drop", &[]);
    call_ok(&inst, "init", &[Val::I32(0), Val::I32(0), Val::I32(0)]);
    assert_eq!(trap_of(call(&inst, "init", &[Val::I32(0), Val::I32(0), Val::I32(1)])), TrapCode::MemOutOfBounds);
}

#[test]
fn memory_of_size_zero() {
    let inst = instance(
        r#"(module (memory 0)
      (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u)
      (func (export "grow") (result i32) i32.const 1 memory.grow))"#,
    );
    assert_eq!(trap_of(call(&inst, "load", &[Val::I32(0)])), TrapCode::MemOutOfBounds);
    assert_eq!(call_i32(&inst, "grow", &[]), 0);
    assert_eq!(call_i32(&inst, "load", &[Val::I32(65535)]), 0);
}
