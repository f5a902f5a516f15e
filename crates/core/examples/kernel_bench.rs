//! Dev-only kernel timing: loads a benchmark kernel (`.wat` or `.wasm`) and calls its `run(n)`
//! export.
//!
//! ```text
//! kernel_bench <file> <n> <repeats>   calls run(n) `repeats` times; prints the checksum, the
//!                                     median and all times in milliseconds (JSON)
//! kernel_bench serve <file>           prints {"ready":true}, then for every stdin line `n`
//!                                     calls run(n) once and prints {"checksum":..,"ms":..}
//!                                     (the protocol of `bench-wasmi serve`, for interleaving)
//! ```
//! Build with `cargo build --release -p jitless-wasm-core --examples`.

use std::io::{BufRead, Write};
use std::time::Instant;

use jitless_wasm_core::{Extern, FuncRef, Instance, Module, Val};

/// Loads the kernel and returns its instance (kept alive by the caller) and `run` export.
fn load(path: &str) -> (Instance, FuncRef) {
    let raw = std::fs::read(path).expect("readable kernel");
    let bytes = if raw.starts_with(b"\0asm") { raw } else { wat::parse_bytes(&raw).expect("valid text").into_owned() };
    // `JITLESS_LIMITS=none|fuel|deadline|interrupt|deterministic`: run in a limited namespace
    // (issue #15; the cost of each limit, e.g. under `valgrind --tool=cachegrind`).
    let (module, instance) = match std::env::var("JITLESS_LIMITS") {
        Ok(mode) => {
            let mut config = jitless_wasm_core::LimitsConfig::default();
            match mode.as_str() {
                "fuel" => config.fuel = Some(u64::MAX / 2),
                "deadline" => config.deadline = Some(std::time::Duration::from_secs(1_000_000)),
                "interrupt" => config.interrupt = Some(std::sync::Arc::new(|| false)),
                "deterministic" => config.deterministic = true,
                _ => {}
            }
            let limits = jitless_wasm_core::NamespaceLimits::new(config);
            let module = Module::with_options(&bytes, jitless_wasm_core::Profile::Latest, limits.compile_options())
                .expect("valid module");
            let instance = Instance::new_limited(&module, &[], &limits).expect("instantiable module");
            (module, instance)
        }
        Err(_) => {
            let module = Module::new(&bytes).expect("valid module");
            let instance = Instance::new(&module, &[]).expect("instantiable module");
            (module, instance)
        }
    };
    drop(module);
    let Some(Extern::Func(run)) = instance.export("run") else { panic!("no `run` export") };
    (instance, run)
}

/// Calls `run(n)`: the checksum and the time in milliseconds.
fn call(run: &FuncRef, n: i32) -> (i64, f64) {
    let mut out = Vec::new();
    let t = Instant::now();
    run.call(&[Val::I32(n)], &mut out).expect("no trap");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    match out[0] {
        Val::I32(v) => (v as i64, ms),
        Val::I64(v) => (v, ms),
        ref other => panic!("unexpected result {other:?}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, path] if cmd == "serve" => {
            let (_instance, run) = load(path);
            let mut out = std::io::stdout().lock();
            writeln!(out, "{{\"ready\":true}}").and_then(|()| out.flush()).expect("stdout");
            for line in std::io::stdin().lock().lines() {
                let n: i32 = line.expect("stdin").trim().parse().expect("n is an i32");
                let (checksum, ms) = call(&run, n);
                writeln!(out, "{{\"checksum\":\"{checksum}\",\"ms\":{ms:.4}}}")
                    .and_then(|()| out.flush())
                    .expect("stdout");
            }
        }
        [path, n, repeats] => {
            let n: i32 = n.parse().expect("n is an i32");
            let repeats: usize = repeats.parse().expect("repeats is a count");
            let (_instance, run) = load(path);
            let mut times = Vec::with_capacity(repeats);
            let mut checksum = None;
            for _ in 0..repeats.max(1) {
                let (v, ms) = call(&run, n);
                assert!(checksum.is_none_or(|c| c == v), "checksum changed between runs");
                checksum = Some(v);
                times.push(ms);
            }
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            let list: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
            println!(
                "{{\"checksum\":\"{}\",\"median_ms\":{median:.3},\"times_ms\":[{}]}}",
                checksum.unwrap(),
                list.join(",")
            );
        }
        _ => {
            eprintln!("usage: kernel_bench <file.wat|file.wasm> <n> <repeats> | kernel_bench serve <file>");
            std::process::exit(2);
        }
    }
}
