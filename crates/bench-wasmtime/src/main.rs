//! Reference-engine runner for the WasmGC table of `benchmark/bench.mjs` (issue #13 asks for
//! wasmtime's GC as a second reference beside V8): runs a GC kernel with wasmtime.
//!
//! ```text
//! bench-wasmtime gc <file.wat|file.wasm> <n> <runs> <budget_ms> [--pulley]
//!     compiles and instantiates once, then calls `run(n)` up to `runs` times (stopping once
//!     the time spent passes budget_ms), timing each call; prints one JSON line
//!     {"checksum":"<signed decimal>","times_ms":[...],"compile_ms":..,"base_rss_kb":..,"max_rss_kb":..}
//!     or {"error":"..."}. --pulley runs wasmtime's interpreter (Pulley) instead of Cranelift's
//!     native code.
//! ```
//!
//! `run` takes one `i32` and returns an `i32` or `i64`; the checksum is printed as a signed
//! decimal string (like `String(result)` in JavaScript), so bench.mjs compares it with V8's.

use std::process::ExitCode;
use std::time::Instant;

use wasmtime::{Collector, Config, Engine, Instance, Module, Store, Val};

#[path = "../../bench-wasmi/src/json.rs"]
mod json;
use json::json_string as json_str;

/// The peak resident set size of this process in KiB (`VmHWM`; 0 where /proc is missing).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("VmHWM:")).map(str::to_owned))
        .and_then(|rest| rest.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The engine: the GC proposal on, wasmtime's deferred reference-counting collector, Cranelift
/// or (with `pulley`) the Pulley interpreter.
fn engine(pulley: bool) -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config.wasm_gc(true);
    config.wasm_function_references(true);
    config.collector(Collector::DeferredReferenceCounting);
    if pulley {
        config.target(if cfg!(target_pointer_width = "64") { "pulley64" } else { "pulley32" })?;
    }
    Engine::new(&config)
}

/// Runs the `gc` command; returns the JSON line to print.
fn gc(path: &str, n: i32, runs: usize, budget_ms: f64, pulley: bool) -> Result<String, String> {
    let base_rss_kb = peak_rss_kb();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let engine = engine(pulley).map_err(|e| format!("engine: {e}"))?;
    let t = Instant::now();
    let module = Module::new(&engine, &bytes).map_err(|e| format!("compile: {e:#}"))?;
    let compile_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).map_err(|e| format!("instantiate: {e:#}"))?;
    let run = instance.get_func(&mut store, "run").ok_or("the module exports no function `run`")?;
    let mut times = Vec::new();
    let mut checksum: Option<String> = None;
    let mut spent = 0.0;
    for _ in 0..runs {
        let mut results = [Val::I64(0)];
        let t = Instant::now();
        run.call(&mut store, &[Val::I32(n)], &mut results).map_err(|e| format!("run: {e:#}"))?;
        let dt = t.elapsed().as_secs_f64() * 1e3;
        let sum = match results[0] {
            Val::I32(v) => v.to_string(),
            Val::I64(v) => v.to_string(),
            ref v => return Err(format!("run returned {v:?}, not an i32 or i64")),
        };
        times.push(dt);
        spent += dt;
        match &checksum {
            Some(c) if *c != sum => return Err(format!("result changed between runs: {c} then {sum}")),
            Some(_) => {}
            None => checksum = Some(sum),
        }
        if spent > budget_ms {
            break;
        }
    }
    let times: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    Ok(format!(
        "{{\"checksum\":{},\"times_ms\":[{}],\"compile_ms\":{compile_ms:.4},\"base_rss_kb\":{base_rss_kb},\"max_rss_kb\":{}}}",
        json_str(checksum.as_deref().unwrap_or("")),
        times.join(","),
        peak_rss_kb()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pulley = args.iter().any(|a| a == "--pulley");
    let pos: Vec<&str> = args.iter().filter(|a| !a.starts_with("--")).map(String::as_str).collect();
    let [cmd, path, n, runs, budget] = pos[..] else {
        eprintln!("usage: bench-wasmtime gc <file.wat|file.wasm> <n> <runs> <budget_ms> [--pulley]");
        return ExitCode::from(2);
    };
    if cmd != "gc" {
        eprintln!("unknown command {cmd}");
        return ExitCode::from(2);
    }
    let parsed = (n.parse::<i32>(), runs.parse::<usize>(), budget.parse::<f64>());
    let (Ok(n), Ok(runs), Ok(budget)) = parsed else {
        eprintln!("n, runs and budget_ms must be numbers");
        return ExitCode::from(2);
    };
    match gc(path, n, runs.max(1), budget, pulley) {
        Ok(line) => println!("{line}"),
        Err(e) => println!("{{\"error\":{}}}", json_str(&e)),
    }
    ExitCode::SUCCESS
}
