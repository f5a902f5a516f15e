//! The feature profile modules are validated with: process-wide, so that every thread (and
//! Worker) compiles the same WebAssembly. `lib/profile.js` sets it at the first load to the
//! running Node line's profile (`node20` … `node26`), so that `WebAssembly.validate` answers as
//! that Node's built-in engine does, and switches it on request (the `JITLESS_WASM_FEATURES`
//! environment variable, `require('jitless-wasm/latest')`).

use std::sync::atomic::{AtomicU8, Ordering};

use jitless_wasm_core::{Profile, PROFILES};

use crate::raw::{native_fn, Env, JsResult, Value};

/// No profile chosen yet (before `lib/profile.js` runs): compiles use node20.
const UNSET: u8 = u8::MAX;

/// The current profile: an index into [`PROFILES`], or [`UNSET`].
static CURRENT: AtomicU8 = AtomicU8::new(UNSET);

/// The profile new compiles use.
pub(crate) fn current() -> Profile {
    PROFILES.get(CURRENT.load(Ordering::Relaxed) as usize).copied().unwrap_or(Profile::Node20)
}

/// The index of the profile named by JS value `name`; a TypeError for an unknown name.
fn index_of(env: Env, name: Value) -> JsResult<u8> {
    let name = env.get_string(name).unwrap_or_default();
    match PROFILES.iter().position(|p| p.name() == name) {
        Some(i) => Ok(i as u8),
        None => Err(env.throw_type_error(&format!(
            "jitless-wasm: unknown feature profile {name:?} (expected one of {})",
            PROFILES.map(|p| format!("\"{}\"", p.name())).join(", ")
        ))),
    }
}

native_fn!(
    /// `setFeatureProfile(name) → name`: switches the process-wide profile to `name`; a
    /// TypeError for an unknown name. Modules compiled before keep the profile they were
    /// compiled with.
    set_feature_profile, 1, |cx| {
        let i = index_of(cx.env, cx.args[0])?;
        CURRENT.store(i, Ordering::Relaxed);
        cx.env.string(current().name())
    }
);

native_fn!(
    /// `initFeatureProfile(name) → name`: sets the process-wide profile to `name` unless one was
    /// chosen already (by this or another thread); returns the current profile's name.
    init_feature_profile, 1, |cx| {
        let i = index_of(cx.env, cx.args[0])?;
        let _ = CURRENT.compare_exchange(UNSET, i, Ordering::Relaxed, Ordering::Relaxed);
        cx.env.string(current().name())
    }
);

native_fn!(
    /// `featureProfile() → name`: the current profile's name.
    feature_profile, 0, |cx| {
        cx.env.string(current().name())
    }
);

native_fn!(
    /// `isGcValueType(name) → boolean`: whether `name` is a WasmGC value type name the current
    /// profile accepts (`anyref`, `eqref`, `i31ref`, `structref`, `arrayref`; only while GC
    /// executes).
    is_gc_value_type, 1, |cx| {
        let name = cx.env.get_string(cx.args[0]).unwrap_or_default();
        Ok(cx.env.boolean(crate::webidl::gc_ref_type(&name).is_some()))
    }
);

/// Registers the profile functions.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("setFeatureProfile", set_feature_profile)?;
    r.add("initFeatureProfile", init_feature_profile)?;
    r.add("featureProfile", feature_profile)?;
    r.add("isGcValueType", is_gc_value_type)
}
