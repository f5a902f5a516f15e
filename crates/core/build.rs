//! Emits `cfg(jitless_tail_calls)` when the build optimises enough for LLVM to turn the
//! interpreter's handler-to-handler calls into jumps (sibling-call optimisation happens at
//! opt-level 2, 3, "s" and "z"). Without it the interpreter dispatches through a trampoline
//! loop instead, so that a long run never grows the native stack.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(jitless_tail_calls)");
    println!("cargo::rerun-if-env-changed=OPT_LEVEL");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    if matches!(opt.as_str(), "2" | "3" | "s" | "z") {
        println!("cargo::rustc-cfg=jitless_tail_calls");
    }
}
