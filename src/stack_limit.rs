//! The JS stack limit of the main thread, extended so that wasm → JS → wasm re-entry reaches
//! the depths V8's own WebAssembly reaches (issue #11).
//!
//! Under `--jitless` every level of such a recursion runs V8's API-call machinery on the native
//! stack: the callback of the Exported Function (`HandleApiCall`), `napi_call_function` into the
//! import (`Execution::Call`, `JSEntry`) and the import's interpreter frame, about 1.7 KiB per
//! level before any of ours, where V8's compiled wrappers need about 250 bytes. Within V8's
//! default JS stack (`--stack-size`, 984 KiB) that is fewer than 600 levels whatever we do, so on
//! the main thread, whose native stack is mostly unused by V8, the JS limit is moved down to
//! [`SLACK`] above the stack's real end. With our frames (~1.9 KiB per level) that is about
//! 2,200 levels in the default 8 MiB, so the main thread's stack may first grow to
//! [`MAIN_STACK`]: the soft `RLIMIT_STACK` is raised within the hard limit (the kernel grows the
//! main thread's stack on demand up to the current soft limit; child processes inherit it). Workers are left alone: Node already gives
//! V8 all of a Worker's stack (`resourceLimits.stackSizeMb`) but 192 KiB. A `--stack-size` on the
//! command line is respected, and the limit only ever moves down (more stack for JS), so plain JS
//! recursion still ends in a `RangeError`, just deeper.
//! The core keeps its own guard ([`jitless_wasm_core::native_stack`]), below this one.
//!
//! This is a deliberate difference from V8 (documented in the README): plain JS recursion on the
//! main thread also goes deeper before its `RangeError`, and child processes inherit the raised
//! soft limit. `JITLESS_WASM_JS_STACK=default` in the environment leaves both untouched.

use jitless_wasm_core::native_stack;

/// Native stack left below the JS stack limit for C++ code (V8's runtime, Node, ours) that runs
/// between V8's stack checks. Node leaves 192 KiB in Workers; the core's own reserve is less.
const SLACK: usize = 256 << 10;
/// V8's default `--stack-size` (KiB).
const V8_DEFAULT_STACK_KIB: usize = 984;
/// The main thread's stack this asks for (raising the soft `RLIMIT_STACK`, 8 MiB by default).
const MAIN_STACK: usize = 16 << 20;
/// The most JS stack this sets (when the main thread's stack is unlimited, say).
const MAX_JS_STACK: usize = 64 << 20;

#[cfg(jitless_v8_shim)]
extern "C" {
    /// See `src/v8_stack.cc`.
    fn jitless_wasm_set_stack_limit(limit: usize) -> std::ffi::c_int;
}

/// Extends the JS stack of the calling thread if it is the process's main thread and V8's
/// limit is the default one (see the module docs). Idempotent; nothing without the V8 shim.
pub(crate) fn extend_main_thread_js_stack() {
    if !crate::v8_api::features().stack_limit {
        return;
    }
    let Some(limit) = main_thread_limit() else { return };
    #[cfg(jitless_v8_shim)]
    // SAFETY: called on the thread that runs the isolate, inside a Node-API call; `limit` is
    // an address inside this thread's stack, below the current frame.
    unsafe {
        jitless_wasm_set_stack_limit(limit);
    }
    #[cfg(not(jitless_v8_shim))]
    let _ = limit;
}

/// The JS stack limit to set on this thread, if any: the main thread only, with V8's default
/// `--stack-size`, and only when it gives JS more stack than V8's default would.
fn main_thread_limit() -> Option<usize> {
    if native_stack::is_main_thread() != Some(true)
        || std::env::var_os("JITLESS_WASM_JS_STACK").is_some_and(|v| v == "default")
        || std::env::args().any(|a| a.starts_with("--stack-size") || a.starts_with("--stack_size"))
    {
        return None;
    }
    // Room to grow first (8 MiB by default, the soft RLIMIT_STACK, is not enough: see above).
    native_stack::grow_main_thread_stack(MAIN_STACK);
    let low = native_stack::low()?;
    let here = native_stack::current();
    let limit = (low + SLACK).max(here.saturating_sub(MAX_JS_STACK));
    // V8's default limit is 984 KiB below where its isolate started (above this frame).
    (limit + (V8_DEFAULT_STACK_KIB << 10) < here).then_some(limit)
}
