//! The wasm-smith configuration of the `node26` profile with WasmGC (issue #13): GC, typed
//! function references, reference types, tail calls, exception handling with `exnref`,
//! extended constants, multi-memory and memory64 (64-bit memories and tables), threads and
//! SIMD: what Node 26's V8 (14.6) validates by default and our `node26` profile enables
//! (crates/core/src/module/profile.rs). Relaxed SIMD is in both, but its results are
//! implementation-defined (V8 picks per CPU), so it is left out; wide arithmetic, custom page
//! sizes, shared-everything threads, custom descriptors and compact imports are in neither.

use crate::rng::Rng;
use wasm_smith::Config;

/// The configuration of one GC module, chosen by `rng`.
pub fn node26_gc_config(rng: &mut Rng) -> Config {
    let mut c = Config {
        gc_enabled: true,
        reference_types_enabled: true,
        relaxed_simd_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        shared_everything_threads_enabled: false,
        compact_imports_enabled: false,
        custom_descriptors_enabled: false,
        ..Config::default()
    };
    // Swarm: the features around GC are each on in most modules.
    c.exceptions_enabled = !rng.one_in(3);
    c.tail_call_enabled = !rng.one_in(3);
    c.extended_const_enabled = !rng.one_in(3);
    c.memory64_enabled = rng.one_in(4);
    c.max_memories = if rng.one_in(4) { 2 } else { 1 };
    c.simd_enabled = rng.one_in(3);
    c.threads_enabled = rng.one_in(4);
    c.bulk_memory_enabled = true;
    c.multi_value_enabled = !rng.one_in(4);
    c.saturating_float_to_int_enabled = true;
    c.sign_extension_ops_enabled = true;
    c.allow_floats = !rng.one_in(4);
    c.canonicalize_nans = rng.one_in(2);
    c.disallow_traps = rng.one_in(2);
    c.max_tables = 1 + rng.below(3) as usize;
    c.max_memory32_bytes = 4 * 65536;
    c.max_memory64_bytes = 4 * 65536;
    c.max_table_elements = 200;
    // Imports of concrete GC types cannot be made in JS: fewer imports than in node20.
    c.max_imports = if rng.one_in(2) { 0 } else { 6 };
    crate::config::module_size(&mut c, rng);
    c.max_data_segments = 6;
    c.max_element_segments = 6;
    c.max_elements = 30;
    c.max_type_size = 200;
    c
}
