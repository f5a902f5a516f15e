//! Feature profiles: `Profile::Node20` validates what Node 20's V8 validates, `Profile::Latest`
//! everything the engine executes.

use jitless_wasm_core::{Extern, Instance, Module, Profile, Val};

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
fn both_profiles_accept_what_node_20_validates() {
    for wat in COMMON {
        assert!(valid(Profile::Node20, wat), "node20 rejects {wat}");
        assert!(valid(Profile::Latest, wat), "latest rejects {wat}");
    }
}

#[test]
fn node_20_profile_rejects_webassembly_3_features() {
    for wat in LATEST_ONLY {
        assert!(!valid(Profile::Node20, wat), "node20 accepts {wat}");
        assert!(valid(Profile::Latest, wat), "latest rejects {wat}");
    }
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
    for p in [Profile::Node20, Profile::Latest] {
        assert_eq!(Profile::from_name(p.name()), Some(p));
    }
    assert_eq!(Profile::from_name("wasm3"), None);
}
