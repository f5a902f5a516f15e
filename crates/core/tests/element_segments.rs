//! Modules with more element segments than wasmparser's validator accepts (100,000), up to the
//! JS API's limit of 10,000,000: the segments beyond are validated by our own checker, and
//! function bodies see every segment (`table.init`, `elem.drop`, `ref.func` declarations).

use jitless_wasm_core::{CompileError, Extern, Global, GlobalType, Instance, Module, Val, ValType};

/// wasmparser's limit: one more segment than this goes to our own checker.
const VALIDATOR_LIMIT: usize = 100_000;

/// An empty active segment `(elem (i32.const 0) func)` for table 0.
const EMPTY: &[u8] = &[0x00, 0x41, 0x00, 0x0b, 0x00];

/// Appends the unsigned LEB128 encoding of `n`.
fn leb(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Reads an unsigned LEB128 at `*at`.
fn read_leb(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

/// `wat` (which must have an element section) with `filler` empty active segments inserted
/// before its own segments (which then start at index `filler`) and the raw segments `extra`
/// appended after them.
fn with_segments(wat: &str, filler: usize, extra: &[&[u8]]) -> Vec<u8> {
    with_segments_at(wat, filler, extra).0
}

/// [`with_segments`], and the byte offset of the first of the `extra` segments.
fn with_segments_at(wat: &str, filler: usize, extra: &[&[u8]]) -> (Vec<u8>, usize) {
    let mut extra_at = 0;
    let bytes = wat::parse_str(wat).expect("test WAT parses");
    let mut out = bytes[..8].to_vec();
    let mut at = 8;
    let mut found = false;
    while at < bytes.len() {
        let id = bytes[at];
        at += 1;
        let size = read_leb(&bytes, &mut at) as usize;
        let contents = &bytes[at..at + size];
        at += size;
        if id != 9 {
            out.push(id);
            leb(&mut out, size as u64);
            out.extend_from_slice(contents);
            continue;
        }
        found = true;
        let mut pos = 0;
        let count = read_leb(contents, &mut pos);
        let mut section = Vec::with_capacity(EMPTY.len() * filler + contents.len() + 16);
        leb(&mut section, count + filler as u64 + extra.len() as u64);
        for _ in 0..filler {
            section.extend_from_slice(EMPTY);
        }
        section.extend_from_slice(&contents[pos..]);
        extra_at = section.len();
        for e in extra {
            section.extend_from_slice(e);
        }
        out.push(9);
        leb(&mut out, section.len() as u64);
        extra_at += out.len();
        out.extend_from_slice(&section);
    }
    assert!(found, "the test module needs an element section");
    (out, extra_at)
}

/// The error of compiling `bytes`, which must fail.
fn reject(bytes: &[u8]) -> CompileError {
    match Module::new(bytes) {
        Ok(_) => panic!("module compiled"),
        Err(e) => e,
    }
}

/// A module whose segment `VALIDATOR_LIMIT` (beyond wasmparser's limit) is passive and used by
/// `table.init`/`elem.drop`, and whose function `$late` is declared only by a later segment.
const LATE_SEGMENTS: &str = r#"(module
    (type $t (func (result i32)))
    (table 2 funcref)
    (func (export "main") (result i32)
      (table.init 100000 (i32.const 0) (i32.const 0) (i32.const 1))
      (elem.drop 100000)
      (table.set (i32.const 1) (ref.func $late))
      (i32.add (call_indirect (type $t) (i32.const 0)) (call_indirect (type $t) (i32.const 1))))
    (func (export "again")
      (table.init 100000 (i32.const 0) (i32.const 0) (i32.const 1)))
    (func $f42 (result i32) (i32.const 42))
    (func $late (result i32) (i32.const 7))
    (elem func $f42)
    (elem declare func $late))"#;

#[test]
fn segments_beyond_the_validator_limit_are_usable_by_function_bodies() {
    let bytes = with_segments(LATE_SEGMENTS, VALIDATOR_LIMIT, &[]);
    let module = Module::new(&bytes).unwrap_or_else(|e| panic!("compile error: {e}"));
    let instance = Instance::new(&module, &[]).unwrap_or_else(|e| panic!("instantiation: {e}"));
    let Some(Extern::Func(main)) = instance.export("main") else { panic!("no main") };
    let mut results = Vec::new();
    main.call(&[], &mut results).unwrap();
    assert_eq!(results, [Val::I32(49)]);
    // The segment was dropped: initialising one element from it is out of bounds.
    let Some(Extern::Func(again)) = instance.export("again") else { panic!("no again") };
    let err = again.call(&[], &mut results).unwrap_err();
    assert!(err.to_string().contains("out of bounds"), "{err}");
}

#[test]
fn function_bodies_see_exactly_the_segments_there_are() {
    // One segment past the last one.
    let wat = LATE_SEGMENTS.replace("(elem.drop 100000)", "(elem.drop 100002)");
    let err = reject(&with_segments(&wat, VALIDATOR_LIMIT, &[]));
    assert!(err.message.contains("unknown elem segment 100002"), "{err:?}");
    assert!(err.offset.is_some(), "{err:?}");
    // A function no segment (or export, or global) declares.
    let wat = LATE_SEGMENTS.replace("(elem declare func $late)", "(elem declare func $f42)");
    let err = reject(&with_segments(&wat, VALIDATOR_LIMIT, &[]));
    assert!(err.message.contains("undeclared function reference"), "{err:?}");
}

/// The module the segments of the differential tests are appended to: two tables (funcref,
/// externref), imported and defined globals, two functions, one declarative segment.
const BASE: &str = r#"(module
    (type (func))
    (import "m" "gi" (global i32))
    (import "m" "gf" (global funcref))
    (func (type 0))
    (func (type 0))
    (table 1 funcref)
    (table 1 externref)
    (global i32 (i32.const 5))
    (global (mut i32) (i32.const 5))
    (elem declare func 0))"#;

/// Raw element segments for [`BASE`], valid and invalid, with what each checks.
const SEGMENTS: &[(&str, &[u8])] = &[
    ("empty active", &[0x00, 0x41, 0x00, 0x0b, 0x00]),
    ("active with a function", &[0x00, 0x41, 0x00, 0x0b, 0x01, 0x00]),
    ("unknown function", &[0x00, 0x41, 0x00, 0x0b, 0x01, 0x09]),
    ("explicit table 0", &[0x02, 0x00, 0x41, 0x00, 0x0b, 0x00, 0x00]),
    ("unknown table", &[0x02, 0x05, 0x41, 0x00, 0x0b, 0x00, 0x00]),
    ("functions into an externref table", &[0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x00]),
    ("externref expressions into an externref table", &[0x06, 0x01, 0x41, 0x00, 0x0b, 0x6f, 0x01, 0xd0, 0x6f, 0x0b]),
    ("externref expressions into a funcref table", &[0x06, 0x00, 0x41, 0x00, 0x0b, 0x6f, 0x00]),
    ("i64 offset", &[0x00, 0x42, 0x00, 0x0b, 0x00]),
    ("v128 offset", &[0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, 0x00]),
    ("non-constant offset", &[0x00, 0x41, 0x00, 0x45, 0x0b, 0x00]),
    ("empty offset", &[0x00, 0x0b, 0x00]),
    ("two values as offset", &[0x00, 0x41, 0x01, 0x41, 0x02, 0x0b, 0x00]),
    ("extended constant offset", &[0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b, 0x00]),
    ("extended constant of mixed types", &[0x00, 0x41, 0x01, 0x42, 0x02, 0x6a, 0x0b, 0x00]),
    ("i64.mul into an i32 offset", &[0x00, 0x42, 0x01, 0x42, 0x02, 0x7e, 0x0b, 0x00]),
    ("imported immutable global offset", &[0x00, 0x23, 0x00, 0x0b, 0x00]),
    ("defined immutable global offset", &[0x00, 0x23, 0x02, 0x0b, 0x00]),
    ("mutable global offset", &[0x00, 0x23, 0x03, 0x0b, 0x00]),
    ("funcref global offset", &[0x00, 0x23, 0x01, 0x0b, 0x00]),
    ("unknown global offset", &[0x00, 0x23, 0x09, 0x0b, 0x00]),
    ("passive functions", &[0x01, 0x00, 0x01, 0x00]),
    ("passive unknown function", &[0x01, 0x00, 0x01, 0x07]),
    ("declared functions", &[0x03, 0x00, 0x02, 0x00, 0x01]),
    ("passive table kind other than func", &[0x01, 0x01, 0x00]),
    ("passive funcref expressions", &[0x05, 0x70, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b]),
    ("funcref global item", &[0x05, 0x70, 0x01, 0x23, 0x01, 0x0b]),
    ("i32 item", &[0x05, 0x70, 0x01, 0x41, 0x00, 0x0b]),
    ("ref.func item of an externref segment", &[0x05, 0x6f, 0x01, 0xd2, 0x00, 0x0b]),
    ("ref.func of an unknown function", &[0x05, 0x70, 0x01, 0xd2, 0x09, 0x0b]),
    ("typed non-null segment with ref.func", &[0x05, 0x64, 0x00, 0x01, 0xd2, 0x00, 0x0b]),
    ("typed non-null segment with ref.null", &[0x05, 0x64, 0x00, 0x01, 0xd0, 0x00, 0x0b]),
    ("typed nullable segment with ref.null", &[0x05, 0x63, 0x00, 0x01, 0xd0, 0x00, 0x0b]),
    ("segment of an unknown type", &[0x05, 0x64, 0x05, 0x00]),
    ("item of two values", &[0x05, 0x70, 0x01, 0xd2, 0x00, 0xd2, 0x01, 0x0b]),
    ("empty item", &[0x05, 0x70, 0x01, 0x0b]),
    ("active expressions for table 0", &[0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x01, 0x0b]),
    ("declared expressions", &[0x07, 0x70, 0x01, 0xd2, 0x01, 0x0b]),
    ("exnref segment", &[0x05, 0x69, 0x00]),
    ("nofunc segment", &[0x05, 0x73, 0x01, 0xd0, 0x73, 0x0b]),
    ("GC heap type segment", &[0x05, 0x71, 0x00]),
    ("GC constant instruction", &[0x05, 0x70, 0x01, 0x41, 0x00, 0xfb, 0x1c, 0x0b]),
    ("bad flags", &[0x08, 0x00]),
];

#[test]
fn segments_beyond_the_limit_are_validated_like_the_validator_does() {
    for &(what, segment) in SEGMENTS {
        let checked_by_validator = Module::validate(&with_segments(BASE, 0, &[segment]));
        let (bytes, at) = with_segments_at(BASE, VALIDATOR_LIMIT, &[segment]);
        let checked_by_us = Module::validate(&bytes);
        assert_eq!(
            checked_by_validator.is_ok(),
            checked_by_us.is_ok(),
            "{what}: validator {checked_by_validator:?}, ours {checked_by_us:?}"
        );
        if let Err(e) = checked_by_us {
            let offset = e.offset.unwrap_or_else(|| panic!("{what}: no offset in {e:?}"));
            // The error is in the last segment.
            assert!((at..at + segment.len()).contains(&offset), "{what}: {e:?}");
        }
    }
}

#[test]
fn invalid_segments_beyond_the_limit_are_compile_errors() {
    let cases: &[(&[u8], &str)] = &[
        (&[0x02, 0x05, 0x41, 0x00, 0x0b, 0x00, 0x00], "unknown table 5"),
        (&[0x00, 0x41, 0x00, 0x0b, 0x01, 0x09], "unknown function 9"),
        (&[0x00, 0x42, 0x00, 0x0b, 0x00], "type mismatch"),
        (&[0x00, 0x41, 0x00, 0x45, 0x0b, 0x00], "constant expression required"),
        (&[0x00, 0x23, 0x03, 0x0b, 0x00], "mutable global"),
    ];
    for &(segment, message) in cases {
        // The bad segment is the last of 100,001 (or of 200,001).
        for filler in [VALIDATOR_LIMIT, 2 * VALIDATOR_LIMIT] {
            let (bytes, at) = with_segments_at(BASE, filler - 1, &[segment]);
            let e = reject(&bytes);
            assert!(e.message.contains(message), "{message}: {e:?}");
            let offset = e.offset.expect("an offset");
            assert!((at..at + segment.len()).contains(&offset), "{message}: {e:?}");
        }
    }
}

/// The limit module of the JS-API tests: a table of one element and `count` empty active
/// segments.
fn limit_module(count: usize) -> Vec<u8> {
    with_segments("(module (table 1 1 funcref) (elem (i32.const 0) func))", count - 1, &[])
}

#[test]
fn ten_million_segments_compile_and_instantiate_one_more_does_not_compile() {
    let err = reject(&limit_module(10_000_001));
    assert_eq!(err.message, "segment count of 10000001 exceeds internal limit of 10000000");
    assert!(err.offset.is_some());

    let module = Module::new(&limit_module(10_000_000)).unwrap_or_else(|e| panic!("compile error: {e}"));
    Instance::new(&module, &[]).unwrap_or_else(|e| panic!("instantiation: {e}"));
}

#[test]
fn active_segments_beyond_the_limit_are_bounds_checked_at_instantiation() {
    // An empty segment at the table's size is in bounds; one past it is not.
    let wat = "(module (table 1 funcref) (func) (elem (i32.const 1) func) (elem (i32.const 0) func 0))";
    let module = Module::new(&with_segments(wat, VALIDATOR_LIMIT, &[])).unwrap();
    Instance::new(&module, &[]).unwrap();
    let wat = "(module (table 1 funcref) (func) (elem (i32.const 1) func 0))";
    let module = Module::new(&with_segments(wat, VALIDATOR_LIMIT, &[])).unwrap();
    let Err(err) = Instance::new(&module, &[]) else { panic!("instantiation succeeded") };
    assert!(err.to_string().contains("out of bounds"), "{err}");
}

#[test]
fn globals_in_segments_beyond_the_limit_are_read_at_instantiation() {
    let wat = r#"(module (import "m" "g" (global i32)) (table 3 funcref) (func (export "f"))
        (elem (global.get 0) func 0))"#;
    let module = Module::new(&with_segments(wat, VALIDATOR_LIMIT, &[])).unwrap();
    let g = Global::new(GlobalType { content: ValType::I32, mutable: false }, Val::I32(2)).unwrap();
    Instance::new(&module, &[Extern::Global(g)]).unwrap();
}
