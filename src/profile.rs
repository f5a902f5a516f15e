//! The feature profile modules are validated with: process-wide, so that every thread (and
//! Worker) compiles the same WebAssembly. It starts as Node 20's feature set (`node20`), so that
//! `WebAssembly.validate` answers as Node 20's built-in engine does; `lib/profile.js` switches
//! it (the `JITLESS_WASM_FEATURES` environment variable, `require('jitless-wasm/latest')`).

use std::sync::atomic::{AtomicU8, Ordering};

use jitless_wasm_core::Profile;

use crate::raw::{native_fn, JsResult};

/// The current profile: 0 = node20, 1 = latest.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The profile new compiles use.
pub(crate) fn current() -> Profile {
    match CURRENT.load(Ordering::Relaxed) {
        0 => Profile::Node20,
        _ => Profile::Latest,
    }
}

native_fn!(
    /// `setFeatureProfile(name) → name`: switches the process-wide profile to `name`
    /// (`"node20"` or `"latest"`); a TypeError for any other name. Modules compiled before keep
    /// the profile they were compiled with.
    set_feature_profile, 1, |cx| {
        let env = cx.env;
        let name = env.get_string(cx.args[0]).unwrap_or_default();
        let Some(profile) = Profile::from_name(&name) else {
            return Err(env.throw_type_error(&format!(
                "jitless-wasm: unknown feature profile {name:?} (expected \"node20\" or \"latest\")"
            )));
        };
        CURRENT.store(if profile == Profile::Node20 { 0 } else { 1 }, Ordering::Relaxed);
        env.string(profile.name())
    }
);

native_fn!(
    /// `featureProfile() → name`: the current profile's name.
    feature_profile, 0, |cx| {
        cx.env.string(current().name())
    }
);

/// Registers the profile functions.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("setFeatureProfile", set_feature_profile)?;
    r.add("featureProfile", feature_profile)
}
