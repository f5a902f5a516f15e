//! The wasm-smith configuration: the features of the `node20` profile (WebAssembly 2.0 with
//! SIMD, threads, tail calls; no relaxed SIMD, memory64, multi-memory, GC, extended constants or
//! the new exception handling, which Node 20's V8 does not validate), with some features switched
//! off per module (swarm testing) so that smaller feature sets are explored too, and now and
//! then one feature outside the profile switched on.

use crate::rng::Rng;
use wasm_smith::Config;

/// The configuration of one module, chosen by `rng`.
pub fn node20_config(rng: &mut Rng) -> Config {
    // Outside the node20 profile.
    let mut c = Config {
        relaxed_simd_enabled: false,
        memory64_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        extended_const_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        shared_everything_threads_enabled: false,
        compact_imports_enabled: false,
        max_memories: 1,
        ..Config::default()
    };
    // One module in eight may use one feature outside the profile: Node 20's V8 rejects it
    // then, and ours (node20 profile) must reject it too.
    if rng.one_in(8) {
        match rng.below(7) {
            0 => c.memory64_enabled = true,
            1 => c.max_memories = 2,
            2 => c.extended_const_enabled = true,
            3 => c.relaxed_simd_enabled = true,
            4 => c.exceptions_enabled = true,
            5 => c.gc_enabled = true,
            _ => c.wide_arithmetic_enabled = true,
        }
    }
    c.max_tables = 1 + rng.below(2) as usize;
    // Swarm: each feature of the profile is on in most modules.
    c.simd_enabled = !rng.one_in(4);
    c.threads_enabled = !rng.one_in(3);
    c.tail_call_enabled = !rng.one_in(4);
    c.bulk_memory_enabled = !rng.one_in(5);
    c.reference_types_enabled = c.bulk_memory_enabled && !rng.one_in(5);
    c.multi_value_enabled = !rng.one_in(5);
    c.saturating_float_to_int_enabled = !rng.one_in(5);
    c.sign_extension_ops_enabled = !rng.one_in(5);
    c.allow_floats = !rng.one_in(6);
    c.canonicalize_nans = rng.one_in(2);
    // Most calls of unrestricted modules trap early (`unreachable`, out-of-bounds accesses):
    // half the modules are generated without traps, so their calls run to the end.
    c.disallow_traps = rng.one_in(2);
    // Small enough to hash after every call and to run fast on both engines.
    c.max_memory32_bytes = 16 * 65536;
    c.max_table_elements = 1000;
    c.max_imports = if rng.one_in(3) { 0 } else { 8 };
    module_size(&mut c, rng);
    c.max_data_segments = 10;
    c.max_element_segments = 10;
    c.max_elements = 50;
    c
}

/// The sizes both profiles' modules share (functions, instructions, exports, globals, types):
/// small enough to run fast on both engines.
pub fn module_size(c: &mut Config, rng: &mut Rng) {
    c.memory_max_size_required = true;
    c.min_funcs = 2;
    c.max_funcs = 30;
    c.max_instructions = 400;
    c.max_exports = 40;
    c.min_exports = 1;
    c.export_everything = !rng.one_in(4);
    c.max_globals = 20;
    c.min_types = 2;
    c.max_types = 30;
}
