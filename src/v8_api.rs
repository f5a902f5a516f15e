//! Which parts of the V8 shim (`src/v8_*.cc`) this process can use, decided once at run time.
//!
//! The shim's V8 symbols are weak references (`src/v8_weak.h`), so the addon loads in any
//! Node-API host; `src/v8_probe.cc` reports a part as usable only when every V8 symbol it calls
//! resolved and the host is Node. Without a part the binding takes its fallback: shared
//! memories over growable SharedArrayBuffers (`src/memory_shared_growable.rs`) and no transfer
//! tokens, V8's default JS stack limit, termination at V8's next interrupt check, no forced GC.
//! `JITLESS_WASM_V8_SHIM=0` turns every part off (to run the fallbacks under Node); the choice
//! is visible from JS through the binding's `hostFeatures()`, and printed to stderr at load
//! with `JITLESS_WASM_DEBUG_HOST=1`.

use std::sync::OnceLock;

use crate::raw::{native_fn, JsResult};

/// The usable parts of the V8 shim.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Features {
    /// The host is Node (it exports `node::Start`).
    pub(crate) node: bool,
    /// SharedArrayBuffers over our own bytes (shared memories, transfer tokens).
    pub(crate) sab: bool,
    /// `Isolate::SetStackLimit`.
    pub(crate) stack_limit: bool,
    /// `Isolate::TerminateExecution` and a script run to reach V8's interrupt check.
    pub(crate) terminate: bool,
    /// `Isolate::LowMemoryNotification`.
    pub(crate) gc: bool,
}

/// The environment variable that turns the shim off when `0` (or `off`).
const SWITCH_ENV: &str = "JITLESS_WASM_V8_SHIM";
/// The environment variable that prints the choice to stderr (once, at load) when `1`.
const DEBUG_ENV: &str = "JITLESS_WASM_DEBUG_HOST";

/// The usable parts of the V8 shim in this process (computed on first use).
pub(crate) fn features() -> Features {
    static FEATURES: OnceLock<Features> = OnceLock::new();
    *FEATURES.get_or_init(|| {
        let off = std::env::var_os(SWITCH_ENV).is_some_and(|v| v == "0" || v == "off");
        let bits = if off { 0 } else { probe() };
        let f = Features {
            node: bits & 1 << 4 != 0,
            sab: bits & 1 != 0,
            stack_limit: bits & 1 << 1 != 0,
            terminate: bits & 1 << 2 != 0,
            gc: bits & 1 << 3 != 0,
        };
        if std::env::var_os(DEBUG_ENV).is_some_and(|v| v == "1") {
            eprintln!("jitless-wasm: V8 shim built: {}, parts used: {f:?}", cfg!(jitless_v8_shim));
        }
        f
    })
}

#[cfg(jitless_v8_shim)]
fn probe() -> u32 {
    extern "C" {
        /// See `src/v8_probe.cc`.
        fn jitless_wasm_v8_features() -> u32;
    }
    // SAFETY: only reads the addresses of weak symbols.
    unsafe { jitless_wasm_v8_features() }
}

/// Without the shim built (no V8 headers, or not Linux) nothing is usable.
#[cfg(not(jitless_v8_shim))]
fn probe() -> u32 {
    0
}

native_fn!(
    /// `hostFeatures() → object`: which parts of the V8 shim this process uses (see the module
    /// documentation); `shimBuilt` says whether the addon was built with it at all.
    host_features, 0, |cx| {
        let env = cx.env;
        let f = features();
        let o = env.object()?;
        env.set_named(o, c"shimBuilt", env.boolean(cfg!(jitless_v8_shim)))?;
        env.set_named(o, c"node", env.boolean(f.node))?;
        env.set_named(o, c"sharedArrayBuffers", env.boolean(f.sab))?;
        env.set_named(o, c"stackLimit", env.boolean(f.stack_limit))?;
        env.set_named(o, c"terminate", env.boolean(f.terminate))?;
        env.set_named(o, c"gc", env.boolean(f.gc))?;
        Ok(o)
    }
);

/// Registers `hostFeatures`.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("hostFeatures", host_features)
}
