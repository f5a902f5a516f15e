//! Emits `cfg(jitless_tail_calls)` when the build optimises enough for LLVM to turn the
//! interpreter's handler-to-handler calls into jumps (sibling-call optimisation happens at
//! opt-level 2, 3, "s" and "z"). Without it the interpreter dispatches through a trampoline
//! loop instead, so that a long run never grows the native stack.
//!
//! `JITLESS_WASM_NO_INTERRUPT_CHECKS=1` at build time emits `cfg(jitless_no_interrupt_checks)`:
//! the interpreter then never reads its interrupt word (nothing can interrupt wasm). Only for
//! measuring what the checks cost (`scripts/probes/ab-kernels.mjs`); never set it for a release.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(jitless_tail_calls)");
    println!("cargo::rustc-check-cfg=cfg(jitless_no_interrupt_checks)");
    println!("cargo::rerun-if-env-changed=JITLESS_WASM_NO_INTERRUPT_CHECKS");
    if std::env::var("JITLESS_WASM_NO_INTERRUPT_CHECKS").is_ok_and(|v| v == "1") {
        println!("cargo::rustc-cfg=jitless_no_interrupt_checks");
    }
    println!("cargo::rerun-if-env-changed=OPT_LEVEL");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    if matches!(opt.as_str(), "2" | "3" | "s" | "z") {
        println!("cargo::rustc-cfg=jitless_tail_calls");
    }
}
