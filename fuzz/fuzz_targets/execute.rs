//! A fuel-bounded wasm-smith module → instantiate with dummy imports → call every export:
//! traps and errors are fine, panics and hangs are not.
#![no_main]

use arbitrary::Unstructured;
use jitless_wasm_core::{Error, Instance, Module};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some(bytes) = jitless_wasm_fuzz::smith(&mut u, Some(1000)) else { return };
    if jitless_wasm_fuzz::may_wait(&bytes) {
        return;
    }
    let Ok(module) = Module::new(&bytes) else { return };
    let Some(imports) = jitless_wasm_fuzz::dummy_imports(&module) else { return };
    match Instance::new(&module, &imports) {
        Ok(instance) => jitless_wasm_fuzz::call_exports(&instance),
        Err(Error::Compile(e)) => jitless_wasm_fuzz::check_internal(&e),
        Err(_) => {}
    }
});
