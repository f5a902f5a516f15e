//! Arbitrary bytes → `Module::new` under both profiles: an error or a module, never a panic,
//! and a module that compiles under node20 compiles under latest.
#![no_main]

use jitless_wasm_core::{Module, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let latest = Module::new(data);
    let node20 = Module::with_profile(data, Profile::Node20);
    if node20.is_ok() {
        assert!(latest.is_ok(), "accepted by node20 but not by latest: {:?}", latest.err());
    }
});
