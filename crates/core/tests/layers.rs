//! The core's layers (issue #17): every `crate::…` and `super::…` path in `src/` is read and
//! checked against the layer order
//!
//! ```text
//! ground   types, value, error, native_stack, text   import nothing above them
//! module   module/    decode, validate, metadata     imports ground only
//! engine   engine/    code, IR, translation, exec    imports module and ground; the store only
//!                                                     through its one door, engine/store.rs
//! runtime  runtime/   the store: instances, …        imports anything below
//! lib.rs   the public API
//! ```
//!
//! A path from a lower layer to a higher one fails the test, naming the file and the line.

use std::fs;
use std::path::{Path, PathBuf};

/// The one file of `engine/` that may name `runtime/` (see its module documentation).
const ENGINE_STORE_DOOR: &str = "engine/store.rs";

/// The layer of a top-level module of the crate (`None`: not a module of the crate, e.g. a
/// local name after `super::`).
fn layer_of_module(name: &str) -> Option<u32> {
    Some(match name {
        "types" | "value" | "error" | "native_stack" | "sys" | "text" => 0,
        "module" => 1,
        "engine" => 2,
        "runtime" => 3,
        "lib" => 4,
        _ => return None,
    })
}

/// Every `.rs` file under `dir`, as paths relative to `root`.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

/// The module path of a source file (`engine/exec/mod.rs` → `["engine", "exec"]`).
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) {
        parts.pop();
    }
    parts
}

/// A line without its `//` comment (doc links name other layers freely).
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(at) => &line[..at],
        None => line,
    }
}

/// The identifier starting at `s`.
fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a line of `file` (module path `here`) names through `crate::` and
/// `super::` paths, including each name of a `crate::{a, b::c}` group.
fn referenced_modules(line: &str, here: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        // Not `jitless_wasm_crate::`-like identifiers.
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                found.push(ident(item.trim()).to_string());
            }
        } else {
            found.push(ident(rest).to_string());
        }
    }
    let mut rest = line;
    while let Some(at) = rest.find("super::") {
        let before = rest[..at].chars().last();
        let mut tail = &rest[at..];
        let mut ups = 0;
        while let Some(t) = tail.strip_prefix("super::") {
            ups += 1;
            tail = t;
        }
        rest = tail;
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // `super` of a module is its parent; at the top level the name is a crate module.
        if ups >= here.len() {
            found.push(ident(tail).to_string());
        }
    }
    found
}

#[test]
fn core_layers_import_nothing_above_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &root, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} source files under {}", files.len(), root.display());
    let mut violations = Vec::new();
    for file in &files {
        let name = file.to_str().unwrap().replace('\\', "/");
        let here = module_path(&name);
        let own = layer_of_module(&here[0]).unwrap_or_else(|| panic!("{name}: not in any layer"));
        let text = fs::read_to_string(root.join(file)).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in referenced_modules(code_of(line), &here) {
                let Some(layer) = layer_of_module(&target) else { continue };
                let door = name == ENGINE_STORE_DOOR && target == "runtime";
                if layer > own && !door {
                    violations.push(format!(
                        "{name}:{}: {} (layer {own}) imports {target} (layer {layer})",
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "imports from a lower layer to a higher one:\n{}", violations.join("\n"));
}

/// The checker itself: it sees grouped, nested and relative paths.
#[test]
fn the_checker_reads_grouped_and_relative_paths() {
    let here: Vec<String> = vec!["engine".into(), "exec".into(), "ctx".into()];
    assert_eq!(referenced_modules("use crate::{runtime::Instance, types::ValType};", &here), ["runtime", "types"]);
    assert_eq!(referenced_modules("let x = crate::runtime::interrupt::current();", &here), ["runtime"]);
    assert_eq!(referenced_modules("use super::super::super::module::Module;", &here), ["module"]);
    assert!(referenced_modules("use super::super::store::Val;", &here).is_empty());
    assert!(referenced_modules(code_of("let a = 1; // see crate::runtime"), &here).is_empty());
}
