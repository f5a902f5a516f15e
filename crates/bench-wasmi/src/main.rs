//! Reference-engine runner for `benchmark/bench.mjs`: runs a benchmark kernel with wasmi 2.x.
//!
//! ```text
//! bench-wasmi run <file.wat|file.wasm> <n> <repeats> [--export=<name>]
//!     compiles and instantiates the module once, then calls `<name>(n)` (default `run`)
//!     `repeats` times, timing each call; prints
//!     {"engine":"wasmi","checksum":"<signed decimal>","times_ms":[...],"compile_ms":..,"instantiate_ms":..}
//!
//! bench-wasmi serve <file.wat|file.wasm> [--export=<name>]
//!     compiles and instantiates once, prints {"ready":true,...}, then for every line `n` read
//!     from stdin calls `<name>(n)` once and prints {"checksum":"...","ms":...} (or {"error":...});
//!     used by bench.mjs to interleave the engines' runs on a noisy machine
//!
//! bench-wasmi wat2wasm <in.wat> <out.wasm>
//!     converts the text format with the `wat` crate (lets bench.mjs work without our binding)
//!
//! bench-wasmi compile <file.wat|file.wasm> <repeats>
//!     times `Module::new` (default config = lazy translation, which still validates eagerly),
//!     `Module::new` with `CompilationMode::Eager`, and one instantiation; prints
//!     {"engine":"wasmi","bytes":..,"times_ms":[...],"eager_times_ms":[...],"instantiate_ms":..,"rss_delta_kb":..}
//! ```
//!
//! The kernel's export must take one `i32` and return one `i32` or `i64`; the checksum is
//! printed as a signed decimal string (like `String(result)` in JavaScript).
//! The only imports supplied are `env.clock_ms` and `env.write` (see `host.rs`). When the module
//! also exports `score() -> f64` (the CoreMark port's own iterations per second), `run` and
//! `serve` report its value after every call as `"score"` (a list in `run`).

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use wasmi::{CompilationMode, Config, Engine, Func, Linker, Module, Store, Val};

mod host;
mod json;
use host::{define_imports, Host};
use json::json_string;

fn usage() -> ExitCode {
    eprintln!(
        "usage:\n  bench-wasmi run <file.wat|file.wasm> <n> <repeats> [--export=<name>]\n  \
         bench-wasmi serve <file.wat|file.wasm> [--export=<name>]\n  \
         bench-wasmi wat2wasm <in.wat> <out.wasm>\n  \
         bench-wasmi compile <file.wat|file.wasm> <repeats>"
    );
    ExitCode::from(2)
}

fn load(path: &str) -> Result<Vec<u8>, String> {
    let raw = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    if raw.starts_with(b"\0asm") {
        return Ok(raw);
    }
    wat::parse_bytes(&raw).map(|b| b.into_owned()).map_err(|e| format!("{path}: {e}"))
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn json_list(xs: &[f64]) -> String {
    let parts: Vec<String> = xs.iter().map(|x| format!("{x:.4}")).collect();
    format!("[{}]", parts.join(","))
}

/// Resident set size of this process in KiB (Linux; 0 elsewhere).
fn rss_kb() -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A kernel compiled and instantiated once, ready to be called repeatedly.
struct Kernel {
    store: Store<Host>,
    func: Func,
    /// The module's `score` export, when it has one.
    score: Option<Func>,
    compile_ms: f64,
    instantiate_ms: f64,
}

impl Kernel {
    fn new(path: &str, export: &str) -> Result<Self, String> {
        let wasm = load(path)?;
        let engine = Engine::default();
        let t = Instant::now();
        let module = Module::new(&engine, &wasm[..]).map_err(|e| format!("compile: {e}"))?;
        let compile_ms = ms(t);
        let mut store = Store::new(&engine, Host::new());
        let mut linker = Linker::<Host>::new(&engine);
        define_imports(&mut linker)?;
        let t = Instant::now();
        let instance = linker.instantiate_and_start(&mut store, &module).map_err(|e| format!("instantiate: {e}"))?;
        let instantiate_ms = ms(t);
        let func = instance.get_func(&store, export).ok_or_else(|| format!("no exported function `{export}`"))?;
        let score = instance.get_func(&store, "score");
        Ok(Self { store, func, score, compile_ms, instantiate_ms })
    }

    /// The module's `score()` after the last call (None without a `score` export).
    fn score(&mut self) -> Result<Option<f64>, String> {
        let Some(score) = self.score else {
            return Ok(None);
        };
        let mut out = [Val::F64(0.0.into())];
        score.call(&mut self.store, &[], &mut out).map_err(|e| format!("score: {e}"))?;
        match out[0] {
            Val::F64(v) => Ok(Some(v.into())),
            ref other => Err(format!("score returned {:?}, expected f64", other.ty())),
        }
    }

    /// Calls the export with `n`; returns the result as a signed decimal string and the time.
    fn call(&mut self, n: i32) -> Result<(String, f64), String> {
        let mut out = [Val::I32(0)];
        let t = Instant::now();
        self.func.call(&mut self.store, &[Val::I32(n)], &mut out).map_err(|e| format!("trap: {e}"))?;
        let elapsed = ms(t);
        let value = match out[0] {
            Val::I32(v) => v.to_string(),
            Val::I64(v) => v.to_string(),
            ref other => return Err(format!("unsupported result type {:?}", other.ty())),
        };
        Ok((value, elapsed))
    }
}

fn cmd_run(path: &str, n: i32, repeats: usize, export: &str) -> Result<String, String> {
    let mut kernel = Kernel::new(path, export)?;
    let mut times = Vec::with_capacity(repeats);
    let mut scores = Vec::new();
    let mut checksum: Option<String> = None;
    for _ in 0..repeats {
        let (value, elapsed) = kernel.call(n)?;
        times.push(elapsed);
        scores.extend(kernel.score()?);
        match &checksum {
            Some(prev) if *prev != value => {
                return Err(format!(
                    "checksum differs between repeated runs: {prev} vs {value} (kernel is not deterministic)"
                ));
            }
            Some(_) => {}
            None => checksum = Some(value),
        }
    }
    let score = if scores.is_empty() { String::new() } else { format!(",\"score\":{}", json_list(&scores)) };
    Ok(format!(
        "{{\"engine\":\"wasmi\",\"checksum\":\"{}\",\"times_ms\":{},\"compile_ms\":{:.4},\"instantiate_ms\":{:.4}{score}}}",
        checksum.unwrap_or_default(),
        json_list(&times),
        kernel.compile_ms,
        kernel.instantiate_ms
    ))
}

/// Line protocol for interleaved runs: prints a `ready` line, then answers every stdin line
/// holding an `n` with one timed call, until end of input.
fn cmd_serve(path: &str, export: &str) -> Result<String, String> {
    let mut kernel = Kernel::new(path, export)?;
    let mut stdout = std::io::stdout().lock();
    let say = |out: &mut std::io::StdoutLock, line: String| -> Result<(), String> {
        writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| format!("stdout: {e}"))
    };
    say(
        &mut stdout,
        format!(
            "{{\"ready\":true,\"compile_ms\":{:.4},\"instantiate_ms\":{:.4}}}",
            kernel.compile_ms, kernel.instantiate_ms
        ),
    )?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let reply = match line.parse::<i32>() {
            Ok(n) => match kernel.call(n).and_then(|(value, elapsed)| Ok((value, elapsed, kernel.score()?))) {
                Ok((value, elapsed, score)) => {
                    let score = score.map(|s| format!(",\"score\":{s:.4}")).unwrap_or_default();
                    format!("{{\"checksum\":\"{value}\",\"ms\":{elapsed:.4}{score}}}")
                }
                Err(e) => format!("{{\"error\":{}}}", json_string(&e)),
            },
            Err(_) => format!("{{\"error\":{}}}", json_string(&format!("bad request {line:?}"))),
        };
        say(&mut stdout, reply)?;
    }
    Ok(String::new())
}

fn cmd_compile(path: &str, repeats: usize) -> Result<String, String> {
    let wasm = load(path)?;
    let lazy = Engine::default();
    let mut eager_config = Config::default();
    eager_config.compilation_mode(CompilationMode::Eager);
    let eager = Engine::new(&eager_config);

    let mut times = Vec::with_capacity(repeats);
    let mut eager_times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let t = Instant::now();
        let m = Module::new(&lazy, &wasm[..]).map_err(|e| format!("compile: {e}"))?;
        times.push(ms(t));
        drop(m);
        let t = Instant::now();
        let m = Module::new(&eager, &wasm[..]).map_err(|e| format!("compile (eager): {e}"))?;
        eager_times.push(ms(t));
        drop(m);
    }

    // One more default compile + instantiation, measuring the RSS it adds.
    let rss_before = rss_kb();
    let module = Module::new(&lazy, &wasm[..]).map_err(|e| format!("compile: {e}"))?;
    let mut store = Store::new(&lazy, Host::new());
    let mut linker = Linker::<Host>::new(&lazy);
    define_imports(&mut linker)?;
    let t = Instant::now();
    // The store keeps the instance alive until the end of this function.
    let _instance = linker.instantiate_and_start(&mut store, &module).map_err(|e| format!("instantiate: {e}"))?;
    let instantiate_ms = ms(t);
    let rss_delta = rss_kb().saturating_sub(rss_before);

    Ok(format!(
        "{{\"engine\":\"wasmi\",\"bytes\":{},\"times_ms\":{},\"eager_times_ms\":{},\"instantiate_ms\":{instantiate_ms:.4},\"rss_delta_kb\":{rss_delta}}}",
        wasm.len(),
        json_list(&times),
        json_list(&eager_times)
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut export = String::from("run");
    let mut positional = Vec::new();
    for a in &args {
        if let Some(name) = a.strip_prefix("--export=") {
            export = name.to_string();
        } else {
            positional.push(a.as_str());
        }
    }
    let result = match positional.as_slice() {
        ["run", path, n, repeats] => {
            let (Ok(n), Ok(repeats)) = (n.parse::<i32>(), repeats.parse::<usize>()) else {
                return usage();
            };
            cmd_run(path, n, repeats.max(1), &export)
        }
        ["serve", path] => cmd_serve(path, &export),
        ["wat2wasm", input, output] => load(input).and_then(|wasm| {
            std::fs::write(output, wasm).map(|()| String::new()).map_err(|e| format!("cannot write {output}: {e}"))
        }),
        ["compile", path, repeats] => {
            let Ok(repeats) = repeats.parse::<usize>() else {
                return usage();
            };
            cmd_compile(path, repeats.max(1))
        }
        _ => return usage(),
    };
    match result {
        Ok(json) => {
            if !json.is_empty() {
                println!("{json}");
            }
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("bench-wasmi: {msg}");
            ExitCode::FAILURE
        }
    }
}
