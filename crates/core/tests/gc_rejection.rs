//! GC constructs follow the Node lines: `latest`, node22, node24 and node26 compile every
//! construct that needs GC objects or GC types (their V8s ship WasmGC, #13); node20 (V8 11.3,
//! no final GC) rejects them all at compile time.

use jitless_wasm_core::{CompileError, Module, Profile};

/// Compiles `wat`, which must be valid WebAssembly (with GC), in every profile: a module in
/// `latest` and the node22+ profiles, a `CompileError` (returned) in node20.
fn only_node20_rejects(wat: &str) -> CompileError {
    let bytes = wat::parse_str(wat).expect("test WAT parses");
    let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    v.validate_all(&bytes).unwrap_or_else(|e| panic!("the test module must be valid with GC: {e}\n{wat}"));
    for p in [Profile::Latest, Profile::Node22, Profile::Node24, Profile::Node26] {
        Module::with_profile(&bytes, p).unwrap_or_else(|e| panic!("{} executes GC: {e:?} for {wat}", p.name()));
    }
    let err = Module::with_profile(&bytes, Profile::Node20).expect_err(wat);
    assert!(err.offset.is_some_and(|o| o <= bytes.len()), "no offset in {err:?} for {wat}");
    err
}

#[test]
fn gc_composite_and_sub_types_only_in_node20_rejected() {
    for t in [
        "(type (struct))",
        "(type (struct (field i32)))",
        "(type (array i8))",
        "(type (sub (func)))",
        "(type $f (sub (func))) (type (sub $f (func)))",
        "(type (sub final (struct)))",
    ] {
        only_node20_rejects(&format!("(module {t})"));
    }
}

#[test]
fn gc_abstract_heap_types_only_in_node20_rejected() {
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
            only_node20_rejects(&m);
        }
    }
}

#[test]
fn gc_instructions_in_function_bodies_only_in_node20_rejected() {
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
        only_node20_rejects(&format!("(module {types} (func {body}))"));
    }
    // Without any GC type in the module's types.
    only_node20_rejects("(module (func (drop (ref.test (ref func) (ref.null func)))))");
    only_node20_rejects("(module (func (drop (ref.cast (ref null func) (ref.null nofunc)))))");
    only_node20_rejects("(module (func (drop (any.convert_extern (ref.null noextern)))))");
}

#[test]
fn gc_instructions_in_constant_expressions_only_in_node20_rejected() {
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
        only_node20_rejects(&format!("(module {types} (global {ty} {init}))"));
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
