//! Dev-only kernel timing: loads a benchmark kernel (`.wat` or `.wasm`), calls its `run(n)`
//! export `repeats` times and prints the checksum, the median and all times in milliseconds.
//!
//! ```text
//! cargo run --release -p jitless-wasm-core --example kernel_bench -- <file> <n> <repeats>
//! ```

use std::time::Instant;

use jitless_wasm_core::{Extern, Instance, Module, Val};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, n, repeats] = args.as_slice() else {
        eprintln!("usage: kernel_bench <file.wat|file.wasm> <n> <repeats>");
        std::process::exit(2);
    };
    let n: i32 = n.parse().expect("n is an i32");
    let repeats: usize = repeats.parse().expect("repeats is a count");
    let raw = std::fs::read(path).expect("readable kernel");
    let bytes = if raw.starts_with(b"\0asm") { raw } else { wat::parse_bytes(&raw).expect("valid text").into_owned() };
    let module = Module::new(&bytes).expect("valid module");
    let instance = Instance::new(&module, &[]).expect("instantiable module");
    let Some(Extern::Func(run)) = instance.export("run") else { panic!("no `run` export") };
    let mut times = Vec::with_capacity(repeats);
    let mut checksum = None;
    for _ in 0..repeats.max(1) {
        let mut out = Vec::new();
        let t = Instant::now();
        run.call(&[Val::I32(n)], &mut out).expect("no trap");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        let v = match out[0] {
            Val::I32(v) => v as i64,
            Val::I64(v) => v,
            ref other => panic!("unexpected result {other:?}"),
        };
        assert!(checksum.is_none_or(|c| c == v), "checksum changed between runs");
        checksum = Some(v);
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let list: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
    println!("{{\"checksum\":\"{}\",\"median_ms\":{median:.3},\"times_ms\":[{}]}}", checksum.unwrap(), list.join(","));
}
