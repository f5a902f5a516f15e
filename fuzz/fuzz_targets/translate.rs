//! A wasm-smith module → compile → translate every function: a module wasm-smith generates is
//! valid for the features the engine executes, so compiling must succeed and translation must
//! not fail (an internal error) or panic.
#![no_main]

use arbitrary::Unstructured;
use jitless_wasm_core::Module;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some(bytes) = jitless_wasm_fuzz::smith(&mut u, None) else { return };
    let module = match Module::new(&bytes) {
        Ok(m) => m,
        Err(e) => {
            // Limits (JS-API sizes) and what the engine leaves out may reject a module; an
            // internal error never.
            jitless_wasm_fuzz::check_internal(&e);
            return;
        }
    };
    if let Err(e) = module.translate_all() {
        jitless_wasm_fuzz::check_internal(&e);
    }
});
