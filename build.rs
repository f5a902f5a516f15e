//! Build script: Node-API linking (napi-build), and the V8 shim (`src/v8_shim.cc`) when the
//! V8 headers that ship with Node can be found. With the shim, the `jitless_v8_shim` cfg is set and
//! a shared memory's `buffer` is a fixed-length SharedArrayBuffer over the core's bytes, as in
//! V8; without it the binding falls back to a growable SharedArrayBuffer that V8 allocates.
//! The shim also sets the main thread's JS stack limit (`src/v8_stack.cc`, see
//! `src/stack_limit.rs`); without it wasm → JS → wasm re-entry stays within V8's default limit.
//! The shim's V8 symbols are weak references checked at run time (`src/v8_weak.h`,
//! `src/v8_probe.cc`, `src/v8_api.rs`): the addon also loads where they are missing (Deno, Bun)
//! and takes the fallbacks there.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Overrides the directory searched for `v8-array-buffer.h` (e.g. `<prefix>/include/node`);
/// an empty value disables the shim.
const INCLUDE_ENV: &str = "JITLESS_WASM_NODE_INCLUDE";

fn main() {
    napi_build::setup();
    println!("cargo::rustc-check-cfg=cfg(jitless_v8_shim)");
    println!("cargo:rerun-if-changed=src/v8_shim.cc");
    println!("cargo:rerun-if-changed=src/v8_stack.cc");
    println!("cargo:rerun-if-changed=src/v8_terminate.cc");
    println!("cargo:rerun-if-changed=src/v8_probe.cc");
    println!("cargo:rerun-if-changed=src/v8_weak.h");
    println!("cargo:rerun-if-env-changed={INCLUDE_ENV}");
    println!("cargo:rerun-if-env-changed=NODE");
    // (The shim's buffers map the memory's pages at a second address: `mremap`, Linux only.)
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    match node_include_dir().filter(|_| linux) {
        Some(dir) => {
            cc::Build::new()
                .cpp(true)
                .std("c++17")
                .file("src/v8_shim.cc")
                .file("src/v8_stack.cc")
                .file("src/v8_terminate.cc")
                .file("src/v8_probe.cc")
                // `-isystem`: the V8 headers' own warnings are not ours.
                .flag("-isystem")
                .flag(dir.to_str().expect("a UTF-8 include path"))
                .compile("jitless_wasm_v8_shim");
            println!("cargo:rustc-cfg=jitless_v8_shim");
        }
        None => println!(
            "cargo:warning=no V8 shim (target not Linux, V8 headers not found, or {INCLUDE_ENV} empty): shared memories use growable SharedArrayBuffers"
        ),
    }
}

/// The first directory holding Node's V8 and Node-API headers: the override, then
/// `include/node` under the prefix of the `node` on PATH (or `$NODE`), then the system ones.
fn node_include_dir() -> Option<PathBuf> {
    let usable = |d: &Path| d.join("v8-array-buffer.h").is_file() && d.join("js_native_api_types.h").is_file();
    if let Some(dir) = std::env::var_os(INCLUDE_ENV) {
        let dir = PathBuf::from(dir);
        return (!dir.as_os_str().is_empty() && usable(&dir)).then_some(dir);
    }
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let exec_path = Command::new(node)
        .args(["-p", "process.execPath"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| PathBuf::from(s.trim()));
    // <prefix>/bin/node → <prefix>/include/node
    let from_node = exec_path.and_then(|p| Some(p.parent()?.parent()?.join("include/node")));
    from_node.into_iter().chain(["/usr/include/node", "/usr/local/include/node"].map(PathBuf::from)).find(|d| usable(d))
}
