//! Regressions found by the differential fuzzer (`scripts/fuzz/differential.mjs`, V8 as the
//! oracle), each named after its bug.

mod engine_util;

use engine_util::*;
use jitless_wasm_core::{Error, TrapCode, Val};

/// Seed 4, module 1953: a `return_call_indirect` that trapped (index out of bounds, null entry,
/// wrong signature) had no frame for its function in the backtrace, so a start function's trap
/// looked like a segment's at instantiation (and was reported with the API prefix).
#[test]
fn return_call_indirect_trap_has_its_function_in_the_backtrace() {
    let inst = instance(
        r#"(module
          (type $v (func))
          (table 2 funcref)
          (func $other (param i32))
          (elem (i32.const 1) $other)
          (func (export "tail") (param i32) (return_call_indirect (type $v) (local.get 0))))"#,
    );
    for (index, code) in
        [(5, TrapCode::TableOutOfBounds), (0, TrapCode::FuncSigMismatch), (1, TrapCode::FuncSigMismatch)]
    {
        match call(&inst, "tail", &[Val::I32(index)]) {
            Err(Error::Trap(t)) => {
                assert_eq!(t.code, code, "index {index}");
                let frame = t.backtrace.first().unwrap_or_else(|| panic!("index {index}: no frames"));
                assert_eq!(frame.func_index, 1, "index {index}: {frame:?}");
                assert!(frame.offset.is_some(), "index {index}: {frame:?}");
            }
            other => panic!("index {index}: expected a trap, got {other:?}"),
        }
    }
}

/// Found while reducing seed 4's modules: `table.init` reports the table range first ("table
/// index is out of bounds"), then the segment's ("element segment out of bounds"), as V8.
#[test]
fn table_init_checks_the_table_range_then_the_segment() {
    let inst = instance(
        r#"(module
          (table 5 funcref)
          (func $f)
          (elem $e func $f $f)
          (func (export "init") (param i32 i32 i32) (table.init $e (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drop") (elem.drop $e)))"#,
    );
    let init = |d: i32, s: i32, n: i32| call(&inst, "init", &[Val::I32(d), Val::I32(s), Val::I32(n)]);
    assert_eq!(trap_of(init(0, 1, 2)), TrapCode::ElemSegmentOutOfBounds);
    assert_eq!(trap_of(init(0, 3, 0)), TrapCode::ElemSegmentOutOfBounds);
    assert_eq!(trap_of(init(4, 1, 2)), TrapCode::TableOutOfBounds);
    assert_eq!(trap_of(init(6, 5, 0)), TrapCode::TableOutOfBounds);
    init(3, 0, 2).expect("in bounds");
    call(&inst, "drop", &[]).unwrap();
    assert_eq!(trap_of(init(0, 0, 1)), TrapCode::ElemSegmentOutOfBounds);
    init(0, 0, 0).expect("an empty init of a dropped segment");
    assert_eq!(TrapCode::ElemSegmentOutOfBounds.message(), "element segment out of bounds");
}
