//! Feature profiles: `Profile::NodeNN` validates what Node NN's V8 validates (GC excepted: not
//! executed yet), `Profile::Latest` everything the engine executes. The facts come from
//! `scripts/profiles/derive.mjs` (see `crates/core/src/module/profile.rs`).

use jitless_wasm_core::{Extern, Instance, Module, Profile, Val, PROFILES};

/// The profiles of the Node lines from 22 on.
const NODE22_ON: [Profile; 3] = [Profile::Node22, Profile::Node24, Profile::Node26];

/// Whether `wat` validates under `profile`.
fn valid(profile: Profile, wat: &str) -> bool {
    let bytes = wat::parse_str(wat).expect("test text parses");
    Module::validate_with_profile(&bytes, profile).is_ok()
}

/// The error message of `wat` under `profile`.
fn error(profile: Profile, wat: &str) -> String {
    let bytes = wat::parse_str(wat).expect("test text parses");
    Module::with_profile(&bytes, profile).expect_err("invalid under the profile").to_string()
}

/// Modules of features both profiles have.
const COMMON: &[&str] = &[
    "(module (func (param i32) (result i32) local.get 0 i32.extend8_s))",
    "(module (func (result i32 i64) i32.const 1 i64.const 2))",
    "(module (memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.copy))",
    "(module (table 1 externref) (func (param externref) (result externref) local.get 0))",
    "(module (func (result v128) v128.const i32x4 1 2 3 4))",
    "(module (func $f return_call $f))",
    "(module (memory 1 1 shared) (func (result i32) i32.const 0 i32.atomic.load))",
    "(module (tag $t (param i32)) (func try i32.const 1 throw $t catch $t drop catch_all end))",
    "(module (tag $t) (func try throw $t delegate 0))",
    "(module (tag $t) (func try throw $t catch_all rethrow 0 end))",
];

/// Modules of WebAssembly 3.0 features Node 20's V8 does not validate.
const LATEST_ONLY: &[&str] = &[
    "(module (memory 1) (memory 1))",
    "(module (memory i64 1))",
    "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
    "(module (global $a i32 (i32.const 1)) (global i32 (global.get $a)))",
    "(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))",
    "(module (type $t (func)) (func (param (ref $t))))",
    "(module (tag $t) (func (block $b (try_table (catch_all $b) (throw $t)))))",
    "(module (func (param exnref) (throw_ref (local.get 0))))",
    "(module (func (local exnref)))",
    "(module (global exnref (ref.null exn)))",
    "(module (table 1 exnref))",
    "(module (func (result exnref) (ref.null exn)))",
    "(module (func (block (result exnref) (ref.null exn)) drop))",
    "(module (func (select (result exnref) (ref.null exn) (ref.null exn) (i32.const 0)) drop))",
    "(module (tag (param exnref)))",
    "(module (elem exnref (ref.null exn)))",
];

#[test]
fn every_profile_accepts_what_node_20_validates() {
    for wat in COMMON {
        for p in PROFILES {
            assert!(valid(p, wat), "{} rejects {wat}", p.name());
        }
    }
}

#[test]
fn node_20_profile_rejects_webassembly_3_features_node_22_on_accept_them() {
    for wat in LATEST_ONLY {
        assert!(!valid(Profile::Node20, wat), "node20 accepts {wat}");
        for p in NODE22_ON.into_iter().chain([Profile::Latest]) {
            assert!(valid(p, wat), "{} rejects {wat}", p.name());
        }
    }
}

/// (V8 12.4 validates 64-bit memories but not 64-bit tables: derive.mjs, "memory64 (i64 table)".)
#[test]
fn table64_from_node_24_on() {
    let wat = "(module (table i64 1 funcref))";
    let imported = "(module (import \"m\" \"t\" (table i64 1 funcref)))";
    for w in [wat, imported] {
        assert!(!valid(Profile::Node20, w));
        assert!(!valid(Profile::Node22, w));
        assert!(valid(Profile::Node24, w) && valid(Profile::Node26, w) && valid(Profile::Latest, w));
    }
    assert!(error(Profile::Node22, wat).contains("node22"));
}

/// Node 20's V8 accepts under-aligned atomic accesses; 12.4 on rejects them, as the spec does.
#[test]
fn under_aligned_atomics_only_in_node_20() {
    let wat = "(module (memory 1 1 shared) (func (drop (i32.atomic.load align=1 (i32.const 0)))))";
    assert!(valid(Profile::Node20, wat));
    for p in NODE22_ON.into_iter().chain([Profile::Latest]) {
        assert!(!valid(p, wat), "{} accepts {wat}", p.name());
    }
}

/// GC follows the Node lines: node22, node24, node26 and `latest` compile and run a GC module
/// (their V8s ship WasmGC); node20 (V8 11.3, no final GC) rejects it.
#[test]
fn gc_in_node_22_on_not_in_node_20() {
    let wat = r#"(module (type $p (struct (field i32)))
        (func (export "f") (result i32) (struct.get $p 0 (struct.new $p (i32.const 42)))))"#;
    let bytes = wat::parse_str(wat).unwrap();
    for p in NODE22_ON.into_iter().chain([Profile::Latest]) {
        assert!(valid(p, wat), "{} rejects {wat}", p.name());
        let m = Module::with_profile(&bytes, p).unwrap_or_else(|e| panic!("{}: {e:?}", p.name()));
        let instance = Instance::new(&m, &[]).unwrap();
        let Some(Extern::Func(f)) = instance.export("f") else { panic!("no export f") };
        let mut out = Vec::new();
        f.call(&[], &mut out).unwrap();
        assert_eq!(out, [Val::I32(42)], "{}", p.name());
    }
    assert!(!valid(Profile::Node20, wat), "node20 accepts GC");
    assert!(Module::with_profile(&bytes, Profile::Node20).is_err(), "node20 compiles GC");
}

#[test]
fn node_20_profile_names_the_exnref_construct() {
    let e = error(Profile::Node20, "(module (tag $t) (func (block $b (try_table (catch_all $b) (throw $t)))))");
    assert!(e.contains("try_table") && e.contains("node20"), "{e}");
    let e = error(Profile::Node20, "(module (func (param exnref) (throw_ref (local.get 0))))");
    assert!(e.contains("exnref"), "{e}");
}

#[test]
fn module_keeps_its_profile_and_translates_with_it() {
    let bytes = wat::parse_str(
        "(module (tag $t (param i32)) (func (export \"f\") (result i32)
           try (result i32) i32.const 7 throw $t catch $t end))",
    )
    .unwrap();
    let m = Module::with_profile(&bytes, Profile::Node20).unwrap();
    assert_eq!(m.profile(), Profile::Node20);
    let instance = Instance::new(&m, &[]).unwrap();
    let Some(Extern::Func(f)) = instance.export("f") else { panic!("no export f") };
    let mut out = Vec::new();
    f.call(&[], &mut out).unwrap();
    assert_eq!(out, [Val::I32(7)]);
    assert_eq!(Module::new(&bytes).unwrap().profile(), Profile::Latest);
}

#[test]
fn profile_names_round_trip() {
    for p in PROFILES {
        assert_eq!(Profile::from_name(p.name()), Some(p));
    }
    assert_eq!(PROFILES.map(Profile::name), ["node20", "node22", "node24", "node26", "latest"]);
    assert_eq!(Profile::from_name("wasm3"), None);
}

/// The compile-time implementation limits of each line's V8: 64-bit memories over 262,144
/// pages from node22, tables over 10,000,000 initial elements from node24 (imports too);
/// `latest` keeps the JS-API's limits.
#[test]
fn v8_compile_time_limits_per_line() {
    let memory = "(module (memory i64 262145))";
    let memory_max = "(module (memory i64 1 262145))";
    let table = "(module (table 10000001 funcref))";
    let imported = "(module (import \"a\" \"b\" (table 10000001 funcref)))";
    for p in NODE22_ON {
        assert!(error(p, memory)
            .contains("initial memory size (262145 pages) is larger than implementation limit (262144 pages)"));
        assert!(error(p, memory_max).contains("maximum memory size (262145 pages)"));
        assert!(valid(p, "(module (memory i64 262144))"));
    }
    assert!(valid(Profile::Latest, memory));
    assert!(valid(Profile::Node22, table) && valid(Profile::Latest, table));
    for p in [Profile::Node24, Profile::Node26] {
        for w in [table, imported] {
            assert!(error(p, w).contains("initial table size (10000001 elements) is larger than implementation limit"));
        }
        assert!(valid(p, "(module (table 1 20000000 funcref))"));
    }
}

/// V8 (node22 on) limits `array.new_fixed` to 10,000 operands at compile time, in function
/// bodies and constant expressions; `latest` has the spec's (no) limit.
#[test]
fn array_new_fixed_length_limited_as_v8_in_node_lines() {
    let operands = |n: usize| "(i32.const 0) ".repeat(n);
    let body =
        |n: usize| format!("(module (type $a (array i32)) (func (drop (array.new_fixed $a {n} {}))))", operands(n));
    let global =
        |n: usize| format!("(module (type $a (array i32)) (global (ref $a) (array.new_fixed $a {n} {})))", operands(n));
    for wat in [body(10_000), global(10_000)] {
        for p in NODE22_ON.into_iter().chain([Profile::Latest]) {
            assert!(valid(p, &wat), "{}", p.name());
        }
    }
    for wat in [body(10_001), global(10_001)] {
        for p in NODE22_ON {
            let e = error(p, &wat);
            assert!(
                e.contains("Requested length 10001 for array.new_fixed too large, maximum is 10000"),
                "{}: {e}",
                p.name()
            );
        }
        assert!(valid(Profile::Latest, &wat));
    }
}
