//! wasmparser validates with its GC feature on (for WebAssembly 3.0's constant expressions and
//! recursion groups); in the Node profiles (GC not yet converted at the JS boundary), every
//! construct that needs GC objects or GC types must still be rejected at compile time with a
//! `CompileError` naming GC. The `latest` profile executes GC (#13): it compiles them all.

use jitless_wasm_core::{CompileError, Module, Profile};

/// Compiles `wat`, which must be valid WebAssembly (with GC), and expects a GC rejection in
/// every Node profile that has GC in V8, and a module in `latest`.
fn rejected(wat: &str) -> CompileError {
    let bytes = wat::parse_str(wat).expect("test WAT parses");
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    v.validate_all(&bytes).unwrap_or_else(|e| panic!("the test module must be valid with GC: {e}\n{wat}"));
    Module::with_profile(&bytes, Profile::Latest).unwrap_or_else(|e| panic!("latest executes GC: {e:?} for {wat}"));
    let mut last = None;
    for p in [Profile::Node22, Profile::Node24, Profile::Node26] {
        let err = Module::with_profile(&bytes, p).expect_err(wat);
        assert!(err.message.contains("GC"), "message {:?} does not name GC for {wat}", err.message);
        assert!(err.offset.is_some_and(|o| o <= bytes.len()), "no offset in {err:?} for {wat}");
        last = Some(err);
    }
    last.expect("three profiles")
}

#[test]
fn gc_composite_and_sub_types_are_rejected() {
    for t in [
        "(type (struct))",
        "(type (struct (field i32)))",
        "(type (array i8))",
        "(type (sub (func)))",
        "(type $f (sub (func))) (type (sub $f (func)))",
        "(type (sub final (struct)))",
    ] {
        rejected(&format!("(module {t})"));
    }
}

#[test]
fn gc_abstract_heap_types_are_rejected_everywhere() {
    for ht in ["any", "eq", "i31", "struct", "array", "none"] {
        for m in [
            format!("(module (type (func (param (ref null {ht})))))"),
            format!("(module (type (func (result (ref null {ht})))))"),
            format!("(module (global (ref null {ht}) (ref.null {ht})))"),
            format!("(module (table 1 (ref null {ht})))"),
            format!("(module (import \"m\" \"g\" (global (ref null {ht}))))"),
            format!("(module (elem (ref null {ht})))"),
            format!("(module (func (local (ref null {ht}))))"),
            format!("(module (func (drop (ref.null {ht}))))"),
            format!("(module (func (block (result (ref null {ht})) (ref.null {ht})) (drop)))"),
            format!("(module (func (ref.null {ht}) (ref.null {ht}) (i32.const 0) (select (result (ref null {ht}))) (drop)))"),
            format!("(module (global funcref (ref.null func)) (global externref (ref.null noextern)) (global (ref null {ht}) (ref.null none)))"),
        ] {
            rejected(&m);
        }
    }
}

#[test]
fn gc_instructions_are_rejected_in_function_bodies() {
    let types = "(type $s (struct (field (mut i32)))) (type $a (array (mut i32))) (type $f (func))";
    for body in [
        "(drop (struct.new_default $s))",
        "(drop (struct.new $s (i32.const 1)))",
        "(drop (struct.get $s 0 (ref.null $s)))",
        "(struct.set $s 0 (ref.null $s) (i32.const 1))",
        "(drop (array.new_default $a (i32.const 1)))",
        "(drop (array.new $a (i32.const 1) (i32.const 1)))",
        "(drop (array.new_fixed $a 1 (i32.const 1)))",
        "(drop (array.len (ref.null $a)))",
        "(drop (array.get $a (ref.null $a) (i32.const 0)))",
        "(drop (ref.i31 (i32.const 1)))",
        "(drop (i31.get_s (ref.null i31)))",
        "(drop (i31.get_u (ref.null i31)))",
        "(drop (ref.test (ref func) (ref.null func)))",
        "(drop (ref.cast (ref null func) (ref.null func)))",
        "(drop (ref.test (ref $f) (ref.null func)))",
        "(drop (ref.cast (ref null $f) (ref.null func)))",
        "(drop (block (result funcref) (br_on_cast 0 funcref (ref $f) (ref.null func))))",
        "(drop (block (result funcref) (br_on_cast_fail 0 funcref (ref $f) (ref.null func))))",
        "(drop (any.convert_extern (ref.null extern)))",
        "(drop (extern.convert_any (ref.null any)))",
        "(drop (ref.eq (ref.null eq) (ref.null eq)))",
    ] {
        rejected(&format!("(module {types} (func {body}))"));
    }
    // Without any GC type in the module's types.
    rejected("(module (func (drop (ref.test (ref func) (ref.null func)))))");
    rejected("(module (func (drop (ref.cast (ref null func) (ref.null nofunc)))))");
    rejected("(module (func (drop (any.convert_extern (ref.null noextern)))))");
}

#[test]
fn gc_instructions_are_rejected_in_constant_expressions() {
    let types = "(type $s (struct (field i32))) (type $a (array i32))";
    for (ty, init) in [
        ("(ref null $s)", "(struct.new_default $s)"),
        ("(ref null $s)", "(struct.new $s (i32.const 1))"),
        ("(ref null $a)", "(array.new_default $a (i32.const 1))"),
        ("(ref null $a)", "(array.new_fixed $a 0)"),
        ("(ref null i31)", "(ref.i31 (i32.const 1))"),
        ("anyref", "(any.convert_extern (ref.null extern))"),
        ("externref", "(extern.convert_any (ref.null any))"),
        ("externref", "(extern.convert_any (ref.null none))"),
    ] {
        rejected(&format!("(module {types} (global {ty} {init}))"));
    }
}

#[test]
fn webassembly_3_constructs_without_gc_objects_compile() {
    for wat in [
        // global.get of an earlier defined immutable global in constant expressions.
        "(module (global i32 (i32.const 1)) (global i32 (global.get 0)) (memory 1) (data (offset (global.get 0)) \"a\"))",
        "(module (global i32 (i32.const 0)) (table 1 funcref) (func) (elem (offset (global.get 0)) 0))",
        // Typed function references and the bottom types of funcs/externs/exns.
        "(module (type $f (func)) (global (ref null $f) (ref.null nofunc)) (global externref (ref.null noextern)))",
        // An explicit recursion group of one function type is the plain function type.
        "(module (rec (type (func))))",
        "(module (type (sub final (func))))",
    ] {
        Module::new(&wat::parse_str(wat).unwrap()).unwrap_or_else(|e| panic!("{wat}: {e:?}"));
    }
}
