//! Compile-time rejection: malformed binaries, invalid modules, and features the engine does not
//! execute. Every rejection is a `CompileError` with a message and a byte offset.

use jitless_wasm_core::{CompileError, CompileErrorKind, CompileLimit, Feature, Module};

fn compile(wat: &str) -> Result<Module, CompileError> {
    Module::new(&wat::parse_str(wat).expect("test WAT parses"))
}

/// The error of a module that must not compile; checks it has a message and an offset.
fn reject_bytes(bytes: &[u8]) -> CompileError {
    let err = Module::new(bytes).expect_err("module must be rejected");
    assert!(!err.message.is_empty(), "empty message");
    assert!(err.offset.is_some(), "no offset in {err:?}");
    assert!(err.offset.unwrap() <= bytes.len(), "offset past the end in {err:?}");
    err
}

fn reject(wat: &str) -> CompileError {
    reject_bytes(&wat::parse_str(wat).expect("test WAT parses"))
}

/// Asserts the message mentions one of `words` (case-insensitive).
fn assert_mentions(err: &CompileError, words: &[&str]) {
    let msg = err.message.to_lowercase();
    assert!(words.iter().any(|w| msg.contains(w)), "message {:?} names none of {words:?}", err.message);
}

#[test]
fn empty_module_compiles() {
    let m = compile("(module)").unwrap();
    assert!(m.imports().is_empty());
    assert!(m.exports().is_empty());
}

#[test]
fn bad_magic() {
    let err = reject_bytes(b"\0asx\x01\0\0\0");
    assert_eq!(err.offset, Some(0));
    assert!(Module::new(b"").is_err());
    assert!(Module::new(b"\0as").is_err());
}

/// The module header's errors are classified where the core reads it: each kind with its
/// offset and the bytes found (embedders word them from these, not from the message).
#[test]
fn header_errors_are_typed() {
    let kind = |bytes: &[u8]| {
        let e = Module::new(bytes).expect_err("bad header");
        (e.kind, e.offset)
    };
    assert_eq!(kind(b""), (CompileErrorKind::HeaderTruncated, Some(0)));
    assert_eq!(kind(b"\0as"), (CompileErrorKind::HeaderTruncated, Some(0)));
    assert_eq!(kind(b"\0asm\x01\0\0"), (CompileErrorKind::HeaderTruncated, Some(4)));
    assert_eq!(kind(b"\x01\x02\x03\x04\x01\0\0\0"), (CompileErrorKind::BadMagic { found: [1, 2, 3, 4] }, Some(0)));
    // A bad magic number is found before a short version.
    assert_eq!(kind(b"\x01\x02\x03\x04\x01"), (CompileErrorKind::BadMagic { found: [1, 2, 3, 4] }, Some(0)));
    assert_eq!(kind(b"\0asm\x02\0\0\0"), (CompileErrorKind::BadVersion { found: [2, 0, 0, 0] }, Some(4)));
    // A component's header is not a module's version.
    assert_eq!(kind(b"\0asm\x0d\0\x01\0"), (CompileErrorKind::BadVersion { found: [0x0d, 0, 1, 0] }, Some(4)));
    // After a good header, wasmparser's errors are `Invalid`.
    assert_eq!(kind(b"\0asm\x01\0\0\0\x01\x05\x01").0, CompileErrorKind::Invalid);
}

/// Limits and disabled features carry their data.
#[test]
fn limit_and_feature_errors_are_typed() {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    // An import section claiming 100,001 imports (the count is checked before the entries):
    // past V8 12.4's limit (node20, node22); V8 13.6 (node24 on) allows 1,000,000.
    bytes.extend([0x02, 0x04, 0xa1, 0x8d, 0x06, 0x00]);
    let e = Module::with_profile(&bytes, jitless_wasm_core::Profile::Node22).expect_err("too many imports");
    assert_eq!(e.kind, CompileErrorKind::Limit { limit: CompileLimit::Imports, value: 100_001, max: 100_000 });
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    // 1,000,001 imports: past the JS API's limit in `latest`.
    bytes.extend([0x02, 0x04, 0xc1, 0x84, 0x3d, 0x00]);
    let e = Module::new(&bytes).expect_err("too many imports");
    assert_eq!(e.kind, CompileErrorKind::Limit { limit: CompileLimit::Imports, value: 1_000_001, max: 1_000_000 });
    // WebAssembly 3.0 exception handling in the Node 20 profile.
    let bytes = wat::parse_str("(module (func (param exnref)))").unwrap();
    let e = Module::with_profile(&bytes, jitless_wasm_core::Profile::Node20).expect_err("exnref in node20");
    assert_eq!(e.kind, CompileErrorKind::Disabled { feature: Feature::ExnRef });
}

#[test]
fn bad_version() {
    let err = reject_bytes(b"\0asm\x02\0\0\0");
    assert_eq!(err.offset, Some(4));
}

#[test]
fn truncated_section() {
    // A type section that claims 5 bytes but has 1.
    reject_bytes(b"\0asm\x01\0\0\0\x01\x05\x01");
}

#[test]
fn section_out_of_order() {
    // A function section (3) after a code section (10).
    reject_bytes(b"\0asm\x01\0\0\0\x0a\x01\x00\x03\x01\x00");
}

#[test]
fn function_and_code_counts_differ() {
    // type () -> (); function section declares one function; no code section.
    reject_bytes(b"\0asm\x01\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00");
}

#[test]
fn overlong_memory_limits_are_malformed() {
    // Memory section, one memory, no maximum, minimum 2 encoded in 11 bytes (a u64 LEB128 has
    // at most 10: memory64 reads every memory's limits as u64, as WebAssembly 3.0 does).
    let err = reject_bytes(b"\0asm\x01\0\0\0\x05\x0d\x01\x00\x82\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00");
    assert_mentions(&err, &["too long", "too large", "invalid"]);
    // The same limit in 6 bytes is fine (it was malformed before WebAssembly 3.0).
    Module::new(b"\0asm\x01\0\0\0\x05\x08\x01\x00\x82\x80\x80\x80\x80\x00").unwrap();
}

#[test]
fn type_mismatch_in_body() {
    let err = reject("(module (func (result i32) f32.const 0))");
    assert_mentions(&err, &["type mismatch"]);
}

#[test]
fn unknown_local_global_and_function() {
    reject("(module (func local.get 0 drop))");
    reject("(module (func global.get 0 drop))");
    reject("(module (func call 1))");
}

#[test]
fn invalid_module_level_declarations() {
    assert_mentions(&reject(r#"(module (func) (export "a" (func 0)) (export "a" (func 0)))"#), &["duplicate"]);
    reject("(module (func (param i32)) (start 0))");
    reject("(module (global i32 (i32.const 0)) (func i32.const 1 global.set 0))");
    reject("(module (memory 2 1))");
    reject("(module (memory 65537))");
    reject("(module (table 2 1 funcref))");
}

#[test]
fn offset_points_into_the_code_section() {
    let bytes = wat::parse_str("(module (func (result i32) i64.const 0))").unwrap();
    let err = reject_bytes(&bytes);
    // The code section is last; the offending instruction lies within it.
    assert!(err.offset.unwrap() > bytes.len() / 2, "offset {err:?} of {} bytes", bytes.len());
}

#[test]
fn simd_and_relaxed_simd_compile() {
    for wat in [
        "(module (func (result v128) v128.const i64x2 0 0))",
        "(module (global v128 (v128.const i64x2 0 0)))",
        "(module (func (param v128)))",
        "(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))",
    ] {
        compile(wat).unwrap_or_else(|e| panic!("{wat}: {e:?}"));
    }
}

#[test]
fn threads_are_accepted() {
    compile("(module (memory 1 1 shared) (func (result i32) i32.const 0 i32.atomic.load))").unwrap();
    // Atomics on an unshared memory validate (wait traps at run time).
    compile("(module (memory 1) (func (result i32) i32.const 0 i32.const 0 i64.const 0 memory.atomic.wait32))")
        .unwrap();
    assert_mentions(&reject("(module (memory 1 shared))"), &["shared", "maximum"]);
}

#[test]
fn tail_calls_and_typed_function_references_are_accepted() {
    compile("(module (func return_call 0))").expect("tail calls compile");
    compile("(module (type $t (func)) (func (param (ref $t)) (result (ref null func)) local.get 0))")
        .expect("typed function references compile");
}

#[test]
fn exceptions_validate() {
    // Exception handling (3.0 and legacy) validates; its misuse does not.
    for ok in ["(module (tag))", "(module (func try_table end))", "(module (tag) (func try catch 0 end))"] {
        Module::new(&wat::parse_str(ok).unwrap()).expect(ok);
    }
    reject("(module (func (throw 0)))");
    reject("(module (tag (param i32)) (func (throw 0)))");
    reject("(module (func try (rethrow 0) end))");
}

#[test]
fn memory64_and_table64_are_accepted() {
    compile("(module (memory i64 1) (func (param i64) (result i64) local.get 0 i64.load offset=0x100000000))").unwrap();
    compile("(module (table i64 1 funcref) (func (param i64) (result funcref) local.get 0 table.get 0))").unwrap();
    reject("(module (table i64 1 funcref) (func (param i32) (result funcref) local.get 0 table.get 0))");
}

#[test]
fn memory64_limits_are_the_js_api_ones() {
    // At most 2^37 - 1 pages for min and max (https://webassembly.github.io/spec/js-api/#limits).
    compile("(module (memory i64 0 0x1f_ffff_ffff))").unwrap();
    compile(r#"(module (import "m" "m" (memory i64 0x1f_ffff_ffff)))"#).unwrap();
    assert_mentions(
        &reject("(module (memory i64 0 0x20_0000_0000))"),
        &["maximum memory size", "implementation limit"],
    );
    assert_mentions(&reject("(module (memory i64 0x20_0000_0000))"), &["initial memory size"]);
    assert_mentions(&reject(r#"(module (import "m" "m" (memory i64 0 0xffff_ffff_ffff)))"#), &["maximum memory size"]);
}

#[test]
fn multi_memory_is_accepted() {
    compile("(module (memory 1) (memory 1))").unwrap();
    compile(
        r#"(module (import "a" "b" (memory 1)) (memory 1) (func i32.const 0 i32.const 0 i32.const 1 memory.copy 0 1))"#,
    )
    .unwrap();
}

#[test]
fn gc_is_rejected_in_node20_and_compiles_from_node22() {
    use jitless_wasm_core::Profile;
    for wat in ["(module (type (struct)))", "(module (func (param anyref)))"] {
        let bytes = wat::parse_str(wat).unwrap();
        let e = Module::with_profile(&bytes, Profile::Node20).expect_err(wat);
        assert!(e.offset.is_some(), "no offset in {e:?}");
        assert_mentions(&e, &["gc"]);
        for p in [Profile::Node22, Profile::Node24, Profile::Node26] {
            Module::with_profile(&bytes, p).unwrap_or_else(|e| panic!("{}: {e:?} for {wat}", p.name()));
        }
        compile(wat).unwrap();
    }
    // Recursion groups of function types are WebAssembly 3.0 without GC objects.
    compile("(module (rec (type $t (func (param (ref $t))))))").unwrap();
}

#[test]
fn extended_constant_expressions_are_accepted() {
    compile(r#"(module (import "m" "g" (global i64)) (global i32 (i32.mul (i32.const 3) (i32.sub (i32.const 1) (i32.const 2))))
        (global i64 (i64.add (global.get 0) (i64.const 2))) (memory 1) (data (i32.add (i32.const 1) (i32.const 2)) "x"))"#)
    .unwrap();
}

#[test]
fn wasm2_features_are_accepted() {
    // Multi-value, reference types, bulk memory, sign extension, saturating truncation,
    // mutable-global imports/exports.
    compile(
        r#"(module
            (import "m" "g" (global (mut i32)))
            (table 1 externref)
            (memory 1)
            (data "x")
            (func (export "f") (param i32) (result i32 i64)
              local.get 0 i32.extend8_s
              f32.const 1 i64.trunc_sat_f32_s)
            (func (param externref) (result externref) local.get 0)
            (func i32.const 0 i32.const 0 i32.const 1 memory.init 0 data.drop 0)
            (func (result funcref) ref.func 0)
            (global (export "h") (mut i64) (i64.const 0)))"#,
    )
    .unwrap();
}

#[test]
fn custom_sections_are_kept() {
    let m = compile(r#"(module (@custom "hello" "abc") (@custom "hello" "d"))"#).unwrap();
    let secs: Vec<&[u8]> = m.custom_sections("hello").collect();
    assert_eq!(secs, [&b"abc"[..], &b"d"[..]]);
    assert_eq!(m.custom_sections("other").count(), 0);
}
