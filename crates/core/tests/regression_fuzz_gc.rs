//! Regressions found by the differential fuzzer's WasmGC run on Node 26 (`npm run fuzz --
//! --kind differential --profile node26`, V8 14.6 as the oracle), each named after its bug.

mod engine_util;

use engine_util::*;
use jitless_wasm_core::runtime::gc::set_heap_limit;
use jitless_wasm_core::{Error, Instance, Module, Profile, TrapCode, TrapOrigin, Val};

/// Seed 1, modules 4, 13, 14 and 44: `array.new` of more elements than V8 allows trapped with
/// the heap limit's trap ("GC heap limit exceeded"); V8 traps "requested new array is too
/// large" past its length limit, per element size and Node line (probed on Node 22, 24 and
/// 26), whatever the heap.
#[test]
fn array_new_past_v8s_length_limit_traps_too_large() {
    // A small heap: the largest arrays V8 allows do not fit (the heap limit's trap).
    set_heap_limit(1 << 20);
    // (element type, V8 12.4/13.6 limit, V8 14.6 limit)
    let limits = [
        ("i8", 1_073_741_799, 1_073_741_792),
        ("i16", 536_870_899, 536_870_896),
        ("i32", 268_435_449, 268_435_448),
        ("f32", 268_435_449, 268_435_448),
        ("i64", 134_217_724, 134_217_720),
        ("f64", 134_217_724, 134_217_720),
        ("v128", 67_108_862, 67_108_856),
        ("anyref", 134_217_724, 134_217_720),
        ("funcref", 134_217_724, 134_217_720),
    ];
    for (elem, node22, node26) in limits {
        let wat = format!(
            r#"(module (type $a (array (mut {elem})))
                 (func (export "new") (param i32) (drop (array.new_default $a (local.get 0)))))"#
        );
        let bytes = jitless_wasm_core::text::wat_to_wasm(&wat).unwrap();
        for (profile, max) in [(Profile::Node22, node22), (Profile::Node24, node22), (Profile::Node26, node26)] {
            let inst = Instance::new(&Module::with_profile(&bytes, profile).unwrap(), &[]).unwrap();
            let new = |len: i32| trap_of(call(&inst, "new", &[Val::I32(len)]));
            assert_eq!(new(max + 1), TrapCode::ArrayTooLarge, "{elem} {profile:?}: {}", max + 1);
            assert_eq!(new(-1), TrapCode::ArrayTooLarge, "{elem} {profile:?}: 2^32 - 1");
            assert_eq!(new(max), TrapCode::HeapLimit, "{elem} {profile:?}: {max}");
        }
    }
}

/// Seed 1, module 9: a global's initialiser whose `array.new_default` trapped at instantiation
/// was a trap of running code to the binding (no API prefix); V8 reports it as an instantiation
/// step ("WebAssembly.Instance(): requested new array is too large").
#[test]
fn const_expr_allocation_trap_is_an_instantiation_step() {
    let wat = "(module (type $a (array i8)) (global (ref $a) (array.new_default $a (i32.const -1))))";
    let bytes = jitless_wasm_core::text::wat_to_wasm(wat).unwrap();
    let module = Module::new(&bytes).unwrap();
    match Instance::new(&module, &[]) {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code, TrapCode::ArrayTooLarge);
            assert_eq!(t.origin, TrapOrigin::ConstExpr);
            assert!(t.origin.is_instantiation_step() && !t.origin.is_segment());
        }
        Err(e) => panic!("expected a trap, got {e:?}"),
        Ok(_) => panic!("instantiated"),
    }
    assert!(!TrapOrigin::StartFunction.is_instantiation_step());
}

/// Seed 1, module 62: an atomic access both out of bounds and not naturally aligned trapped
/// out of bounds; V8 12.4 and later (Node 22–26) check the alignment first, V8 11.3 (Node 20)
/// the bounds (probed on each line).
#[test]
fn atomic_access_out_of_bounds_and_unaligned_traps_as_the_profile_says() {
    let wat = r#"(module (memory 1 1)
        (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
        (func (export "add") (param i32) (result i64) (i64.atomic.rmw.add offset=4 (local.get 0) (i64.const 1))))"#;
    let bytes = jitless_wasm_core::text::wat_to_wasm(wat).unwrap();
    for profile in [Profile::Node20, Profile::Node22, Profile::Node24, Profile::Node26, Profile::Latest] {
        let inst = Instance::new(&Module::with_profile(&bytes, profile).unwrap(), &[]).unwrap();
        let both = if profile == Profile::Node20 { TrapCode::MemOutOfBounds } else { TrapCode::UnalignedAtomic };
        let trap = |name: &str, addr: i32| trap_of(call(&inst, name, &[Val::I32(addr)]));
        assert_eq!(trap("load", 65537), both, "{profile:?}");
        assert_eq!(trap("add", 65536), both, "{profile:?}: the offset counts");
        assert_eq!(trap("load", 1), TrapCode::UnalignedAtomic, "{profile:?}");
        assert_eq!(trap("load", 65536), TrapCode::MemOutOfBounds, "{profile:?}");
        assert_eq!(trap("add", 65532), TrapCode::MemOutOfBounds, "{profile:?}");
        assert_eq!(trap("load", -4), TrapCode::MemOutOfBounds, "{profile:?}");
    }
}

/// Seed 3, module 25: an atomic access whose offset alone passes the largest size the memory's
/// declared type allows is out of bounds in V8 12.4 and later even when unaligned (V8 knows it at
/// compile time); below that size alignment is checked first (probed on Node 26).
#[test]
fn atomic_access_past_the_declared_maximum_is_out_of_bounds_before_unaligned() {
    let cases: [(&str, u64, TrapCode); 11] = [
        ("1 1", 65529, TrapCode::MemOutOfBounds),
        ("1 1", 65521, TrapCode::UnalignedAtomic),
        ("1 2", 131065, TrapCode::MemOutOfBounds),
        ("1 2", 131057, TrapCode::UnalignedAtomic),
        ("1", 65529, TrapCode::UnalignedAtomic),
        ("1", 4294967281, TrapCode::UnalignedAtomic),
        ("1", 4294967289, TrapCode::MemOutOfBounds),
        ("i64 1", 4294967289, TrapCode::UnalignedAtomic),
        ("i64 1", 17179869169, TrapCode::UnalignedAtomic),
        ("i64 1", 17179869177, TrapCode::MemOutOfBounds),
        ("i64 1 1", 65529, TrapCode::MemOutOfBounds),
    ];
    for (memory, offset, expected) in cases {
        let addr = if memory.starts_with("i64") { "i64" } else { "i32" };
        let wat = format!(
            r#"(module (memory {memory})
                 (func (export "load") (param {addr}) (result i64) (i64.atomic.load offset={offset} (local.get 0))))"#
        );
        let bytes = jitless_wasm_core::text::wat_to_wasm(&wat).unwrap();
        for profile in [Profile::Node20, Profile::Node26] {
            if profile == Profile::Node20 && addr == "i64" {
                continue; // no memory64 in Node 20's V8
            }
            let inst = Instance::new(&Module::with_profile(&bytes, profile).unwrap(), &[]).unwrap();
            let arg = if addr == "i64" { Val::I64(0) } else { Val::I32(0) };
            // Node 20's V8 checks the bounds first (the memories are one page: 65536 bytes).
            let out_of_bounds = offset + 8 > 65536;
            let expected =
                if profile == Profile::Node20 && out_of_bounds { TrapCode::MemOutOfBounds } else { expected };
            assert_eq!(trap_of(call(&inst, "load", &[arg])), expected, "(memory {memory}) offset={offset} {profile:?}");
        }
    }
}

/// Seed 2, module 146: a constant expression's allocation did not collect, so garbage left by
/// earlier instances made it trap with the heap limit where V8 collects.
#[test]
fn const_expr_allocation_collects_garbage_first() {
    set_heap_limit(1 << 20);
    let wat = "(module (type $a (array (mut i8))) (global (ref $a) (array.new_default $a (i32.const 600000))))";
    let module = Module::new(&jitless_wasm_core::text::wat_to_wasm(wat).unwrap()).unwrap();
    // The first instance's array is garbage once the instance is dropped.
    drop(Instance::new(&module, &[]).unwrap());
    if let Err(e) = Instance::new(&module, &[]) {
        panic!("the second instance's array did not fit after a collection: {e:?}");
    }
}

/// Seed 7, module 15: `array.new_data` past the end of its data segment trapped "memory access
/// out of bounds" (and `array.new_elem` past its element segment "table index is out of
/// bounds"); V8 says "data segment out of bounds" / "element segment out of bounds", and checks a
/// new array's length limit before the segment's range (probed on Node 22 and 26).
#[test]
fn array_from_a_segment_traps_as_v8_does() {
    let inst = instance(
        r#"(module (type $b (array (mut i8))) (type $f (array (mut funcref)))
          (memory 1) (data $d "abcd") (elem $e func $g $g) (func $g)
          (func (export "newData") (param i32 i32) (drop (array.new_data $b $d (local.get 0) (local.get 1))))
          (func (export "initData") (param i32 i32 i32)
            (array.init_data $b $d (array.new_default $b (i32.const 4)) (local.get 0) (local.get 1) (local.get 2)))
          (func (export "newElem") (param i32 i32) (drop (array.new_elem $f $e (local.get 0) (local.get 1))))
          (func (export "initElem") (param i32 i32 i32)
            (array.init_elem $f $e (array.new_default $f (i32.const 2)) (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drops") (data.drop $d) (elem.drop $e)))"#,
    );
    let run = |name: &str, args: &[i32]| {
        let args: Vec<Val> = args.iter().map(|&v| Val::I32(v)).collect();
        call(&inst, name, &args)
    };
    let data = TrapCode::DataSegmentRangeOutOfBounds;
    let elem = TrapCode::ElemSegmentOutOfBounds;
    assert_eq!(trap_of(run("newData", &[3, 2])), data);
    assert_eq!(trap_of(run("newData", &[5, 0])), data);
    assert_eq!(trap_of(run("newData", &[0, -1])), TrapCode::ArrayTooLarge);
    assert_eq!(trap_of(run("initData", &[0, 3, 2])), data);
    assert_eq!(trap_of(run("initData", &[3, 3, 2])), TrapCode::ArrayOutOfBounds);
    assert_eq!(trap_of(run("newElem", &[1, 2])), elem);
    assert_eq!(trap_of(run("newElem", &[0, -1])), TrapCode::ArrayTooLarge);
    assert_eq!(trap_of(run("initElem", &[0, 1, 2])), elem);
    assert_eq!(trap_of(run("initElem", &[1, 0, 2])), TrapCode::ArrayOutOfBounds);
    run("newData", &[1, 3]).unwrap();
    run("newElem", &[0, 2]).unwrap();
    run("drops", &[]).unwrap();
    assert_eq!(trap_of(run("newData", &[0, 1])), data);
    assert_eq!(trap_of(run("newElem", &[0, 1])), elem);
    assert_eq!(data.message(), "data segment out of bounds");
}
