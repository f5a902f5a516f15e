//! Test-only: prints the translated code of a module, for inspecting translation quality.
//!
//! `JITLESS_DUMP=benchmark/kernels/sieve.wat cargo test -p jitless-wasm-core --lib dump -- --nocapture`
//! (a binary `.wasm` works too, e.g. `benchmark/coremark/coremark.wasm`; an absolute path is
//! taken as it is).

#[test]
fn dump() {
    let Ok(path) = std::env::var("JITLESS_DUMP") else { return };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    let raw = std::fs::read(path).unwrap();
    let bytes = if raw.starts_with(b"\0asm") {
        raw
    } else {
        crate::text::wat_to_wasm(std::str::from_utf8(&raw).unwrap()).unwrap()
    };
    let module = crate::Module::new(&bytes).unwrap();
    let m = &*module.0;
    for (i, f) in m.code.funcs.iter().enumerate() {
        println!("func {i}: {f:?}");
        m.code.translated(m, i as u32).unwrap();
    }
    for (i, code) in m.code.translated_code().enumerate() {
        println!("func {i}:");
        for (pc, instr) in code.unwrap().iter().enumerate() {
            println!("  {pc:4}: {instr:?}");
        }
    }
}
