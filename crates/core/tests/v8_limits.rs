//! V8's implementation limits on function bodies (`src/wasm/wasm-limits.h`): a module over one
//! is a CompileError, as in V8, even where the core spec sets no limit.

use jitless_wasm_core::{Error, Instance, Module, Profile, ResourceError};

/// LEB128 of `n`.
fn leb(mut n: u32) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// A module of one function of type 0 (`types`: the type section's contents) with `body`
/// (local declarations included).
fn module_with(types: &[u8], body: &[u8]) -> Vec<u8> {
    let mut func = leb(body.len() as u32);
    func.extend_from_slice(body);
    let mut code = vec![1];
    code.extend(func);
    let mut m = b"\0asm\x01\0\0\0".to_vec();
    m.push(1);
    m.extend(leb(types.len() as u32));
    m.extend_from_slice(types);
    m.extend([3, 2, 1, 0, 10]);
    m.extend(leb(code.len() as u32));
    m.extend(code);
    m
}

/// A function whose body holds a `br_table` with `n` targets (reachable or after `unreachable`).
fn br_table(n: u32, reachable: bool) -> Vec<u8> {
    let mut body = vec![0, 0x02, 0x40];
    if !reachable {
        body.push(0x00);
    }
    body.extend([0x41, 0x00, 0x0e]);
    body.extend(leb(n));
    body.extend(std::iter::repeat_n(0u8, n as usize + 1));
    body.extend([0x0b, 0x0b]);
    module_with(&[1, 0x60, 0, 0], &body)
}

#[test]
fn br_table_above_v8_limit_is_a_compile_error() {
    for reachable in [true, false] {
        assert!(Module::new(&br_table(65_520, reachable)).is_ok());
        for n in [65_521, 1_000_000] {
            let bytes = br_table(n, reachable);
            let e = Module::new(&bytes).unwrap_err();
            assert_eq!(e.message, format!("invalid table count (> max br_table size): {n}"));
            assert_eq!(e.func_index, Some(0));
            // At the target count, after the opcode (as V8 reports it).
            let at = e.offset.expect("an offset");
            assert_eq!(bytes[at - 1], 0x0e, "{e:?}");
            assert!(Module::validate_with_profile(&bytes, Profile::Node20).is_err());
        }
    }
}

#[test]
fn locals_params_and_results_above_v8_limits_are_compile_errors() {
    // 50,000 locals are allowed, 50,001 are not.
    for (count, ok) in [(50_000, true), (50_001, false)] {
        let mut body = vec![1];
        body.extend(leb(count));
        body.extend([0x7f, 0x0b]);
        assert_eq!(Module::new(&module_with(&[1, 0x60, 0, 0], &body)).is_ok(), ok, "{count} locals");
    }
    // 1,000 parameters or results are allowed, 1,001 are not.
    for (n, ok) in [(1_000, true), (1_001, false)] {
        let mut params = vec![1, 0x60];
        params.extend(leb(n));
        params.extend(std::iter::repeat_n(0x7fu8, n as usize));
        params.push(0);
        assert_eq!(Module::new(&module_with(&params, &[0, 0x0b])).is_ok(), ok, "{n} params");
        let mut results = vec![1, 0x60, 0];
        results.extend(leb(n));
        results.extend(std::iter::repeat_n(0x7fu8, n as usize));
        // (The body traps: `unreachable` satisfies any result type.)
        assert_eq!(Module::new(&module_with(&results, &[0, 0x00, 0x0b])).is_ok(), ok, "{n} results");
    }
}

#[test]
fn memory_that_cannot_be_allocated_is_v8s_out_of_memory_error() {
    // 2^30 pages (64 TiB): a valid memory64 type that no reservation can hold. The binding
    // throws this resource error as V8's RangeError ("Out of memory: Cannot allocate Wasm
    // memory for new instance").
    let module = Module::new(&wat::parse_str("(module (memory i64 1073741824))").unwrap()).unwrap();
    match Instance::new(&module, &[]) {
        Err(Error::Resource(ResourceError::MemorySize { .. } | ResourceError::MemoryReserve { .. })) => {}
        other => panic!("expected the allocation failure, got {:?}", other.map(|_| ())),
    }
}
