//! Feature profiles: the named sets of WebAssembly features a module is validated against.
//!
//! [`Profile::Latest`] is everything the engine executes (WebAssembly 3.0, GC included, plus
//! threads and the legacy exception instructions). The `NodeNN` profiles are what each Node
//! line's V8 validates by default, so that `WebAssembly.validate` answers as the built-in engine
//! of the Node that runs us does. The facts, re-checked by `scripts/profiles/derive.mjs` (flag
//! defaults from `node --v8-options`, and `WebAssembly.validate` probes on each binary); "flag
//! gone" means V8 removed the flag because the feature shipped, and the probe confirms it:
//!
//! | feature | node20 (V8 11.3, v20.20.2) | node22 (V8 12.4, v22.23.5) | node24 (V8 13.6, v24.22.3) | node26 (V8 14.6, v26.12.1) |
//! |---|---|---|---|---|
//! | WebAssembly 2.0 (SIMD included) | ✓ probe | ✓ probe | ✓ probe | ✓ probe |
//! | threads | ✓ probe | ✓ probe | ✓ probe | ✓ probe |
//! | tail calls | ✓ `--experimental-wasm-return-call` on | ✓ flag gone | ✓ flag gone | ✓ flag gone |
//! | legacy exceptions (`try`) | ✓ probe | ✓ `--experimental-wasm-legacy-eh` on | ✓ same | ✓ same |
//! | under-aligned atomics accepted | ✓ probe | – probe | – probe | – probe |
//! | exnref (`try_table`, `throw_ref`, `exnref`) | – no flag | ✓ `--experimental-wasm-exnref` on | ✓ same | ✓ same |
//! | extended-const | – `--experimental-wasm-extended-const` off | ✓ flag gone | ✓ | ✓ |
//! | typed function references | – `--experimental-wasm-typed-funcref` off | ✓ flag gone | ✓ | ✓ |
//! | GC | – `--experimental-wasm-gc` off | ✓ flag gone | ✓ | ✓ |
//! | relaxed SIMD | – `--experimental-wasm-relaxed-simd` off | ✓ flag gone | ✓ | ✓ |
//! | multi-memory | – no flag | ✓ `--experimental-wasm-multi-memory` on | ✓ flag gone | ✓ flag gone |
//! | memory64: 64-bit memories | – `--experimental-wasm-memory64` off | ✓ `--experimental-wasm-memory64` on | ✓ flag gone | ✓ flag gone |
//! | memory64: 64-bit tables | – | – probe (V8 12.4: "invalid table elements limits flags") | ✓ probe | ✓ probe |
//! | JS string builtins (`builtins: ['js-string']`, `importedStringConstants`) | – options ignored | ✓ `--experimental-wasm-imported-strings` on  | ✓ same | ✓ flag gone |
//! | JSPI (`Suspending`, `promising`) | – | – `--experimental-wasm-jspi` off | ✓ `--experimental-wasm-jspi` on | ✓ flag gone |
//! | resizable buffers (`toResizableBuffer`) | – | – | – `--experimental-wasm-rab-integration` off | ✓ `--experimental-wasm-rab-integration` on |
//! | stringref, fp16, wide arithmetic, custom page sizes, shared-everything, stack switching | – | – | – | – (flags off or absent) |
//!
//! GC is read and executed in `latest` and the node22+ profiles; in node20 a module that uses
//! it fails validation (wasmparser's GC feature is off), as V8 11.3's does.
//!
//! wasmparser gates tags and `throw` behind the same feature as `try_table`, `throw_ref` and
//! `exnref`, so the Node 20 profile enables it and rejects those three here, after validation.

use wasmparser::{BlockType, Operator, WasmFeatures};

use super::ModuleInfo;
use crate::error::CompileError;
use crate::types::{HeapType, RefType, ValType};

/// A named set of WebAssembly features a module is validated against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Everything the engine executes: WebAssembly 3.0 (GC included), threads, legacy exceptions.
    #[default]
    Latest,
    /// What Node 20's built-in engine (V8 11.3) validates.
    Node20,
    /// What Node 22's built-in engine (V8 12.4) validates (GC included).
    Node22,
    /// What Node 24's built-in engine (V8 13.6) validates (GC included).
    Node24,
    /// What Node 26's built-in engine (V8 14.6) validates (GC included).
    Node26,
}

/// Every profile, oldest Node line first, `latest` last.
pub const PROFILES: [Profile; 5] =
    [Profile::Node20, Profile::Node22, Profile::Node24, Profile::Node26, Profile::Latest];

impl Profile {
    /// The profile called `name` (`"latest"`, `"node20"`, `"node22"`, `"node24"`, `"node26"`).
    pub fn from_name(name: &str) -> Option<Profile> {
        PROFILES.into_iter().find(|p| p.name() == name)
    }

    /// The profile's name, as [`Profile::from_name`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Latest => "latest",
            Profile::Node20 => "node20",
            Profile::Node22 => "node22",
            Profile::Node24 => "node24",
            Profile::Node26 => "node26",
        }
    }

    /// Whether the profile has WebAssembly 3.0's exception handling (`try_table`, `throw_ref`,
    /// `exnref`); without it, [`check_operator`] and [`check_module_types`] reject them.
    pub fn exnref(self) -> bool {
        self != Profile::Node20
    }

    /// Whether GC types and instructions are read and executed: in `latest` and every Node
    /// line whose V8 ships WasmGC by default (node22, node24, node26); node20's V8 11.3 has no
    /// final GC (its wasmparser features leave GC out, so validation rejects it).
    pub fn gc(self) -> crate::types::GcTypes {
        if self != Profile::Node20 {
            crate::types::GcTypes::Decode
        } else {
            crate::types::GcTypes::Reject
        }
    }

    /// Whether the profile has 64-bit tables (V8 12.4 has 64-bit memories only).
    pub fn table64(self) -> bool {
        !matches!(self, Profile::Node20 | Profile::Node22)
    }

    /// Whether the profile has the JS String Builtins (`builtins: ['js-string']`,
    /// `importedStringConstants`): Node 22 and 24 (`--experimental-wasm-imported-strings` on
    /// by default), Node 26 (shipped) and `latest`; Node 20's V8 ignores the options.
    pub fn js_string_builtins(self) -> bool {
        self != Profile::Node20
    }

    /// Whether the profile has imported string constants (`importedStringConstants`): from
    /// Node 24 (V8 12.4 has the builtins only).
    pub fn imported_string_constants(self) -> bool {
        !matches!(self, Profile::Node20 | Profile::Node22)
    }

    /// Whether under-aligned atomic accesses are accepted (V8 11.3 does not check their alignment).
    pub fn lenient_atomic_alignment(self) -> bool {
        self == Profile::Node20
    }

    /// The most elements V8 lets an array of `element_size`-byte elements have (references are
    /// 8 bytes: Node's V8 has no pointer compression); `array.new` of more traps "requested new
    /// array is too large" whatever the heap. An object of at most 2^30 - 1 bytes with its 24-byte
    /// header; V8 14.6 (Node 26) also rounds the length down to a multiple of 8. Probed on each
    /// line's binary (the differential fuzzer's GC run found it: seed 1, module 4).
    pub fn max_array_len(self, element_size: u32) -> u32 {
        let n = ((1u32 << 30) - 1 - 24) / element_size;
        match self {
            Profile::Node26 | Profile::Latest => n & !7,
            _ => n,
        }
    }

    /// Whether an atomic access that is both out of bounds and not naturally aligned traps as
    /// unaligned ("operation does not support unaligned accesses"): V8 12.4 and later check
    /// the alignment first; V8 11.3 (Node 20) checks the bounds first.
    pub fn atomic_alignment_before_bounds(self) -> bool {
        self != Profile::Node20
    }

    /// The wasmparser features of this profile.
    pub(crate) fn features(self) -> WasmFeatures {
        match self {
            Profile::Latest | Profile::Node22 | Profile::Node24 | Profile::Node26 => latest_features(),
            Profile::Node20 => {
                let mut f = WasmFeatures::WASM2;
                f.insert(WasmFeatures::THREADS | WasmFeatures::TAIL_CALL);
                // Tags and `throw` need EXCEPTIONS; `try_table`, `throw_ref` and `exnref`, which
                // it also enables, are rejected by `check_operator` and `check_module_types`.
                f.insert(WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS);
                f
            }
        }
    }
}

/// The features this engine validates *and executes*. Anything else is rejected by validation
/// with a message naming the feature.
fn latest_features() -> WasmFeatures {
    let mut f = WasmFeatures::WASM2;
    // SIMD (in WASM2) and relaxed SIMD (deterministic profile: engine/simd/relaxed.rs).
    f.insert(WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD);

    // Exception handling: tags, exnref, `throw`/`throw_ref`/`try_table`, and the legacy
    // `try`/`catch`/`catch_all`/`delegate`/`rethrow` (what Node 20's V8 runs).
    f.insert(WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS);

    // Multi-memory, memory64 (64-bit memories and tables), threads, extended constant expressions.
    f.insert(
        WasmFeatures::MULTI_MEMORY | WasmFeatures::MEMORY64 | WasmFeatures::THREADS | WasmFeatures::EXTENDED_CONST,
    );

    // Tail calls, typed function references.
    f.insert(WasmFeatures::TAIL_CALL | WasmFeatures::FUNCTION_REFERENCES);

    // GC (its types and instructions are read with `GcTypes::Decode` and executed; `reject_gc`
    // only serves decoders called with `GcTypes::Reject`).
    f.insert(WasmFeatures::GC);

    f
}

/// The error for `what`, outside the Node 20 profile, at byte `offset`.
fn not_in_node20(what: &str, offset: Option<usize>) -> CompileError {
    CompileError::disabled(
        crate::error::Feature::ExnRef,
        format!("{what} is not in the node20 feature profile (WebAssembly 3.0 exception handling)"),
        offset,
    )
}

/// V8's implementation limit on a 64-bit memory's pages (from 12.4, Node 22, checked at
/// compile time on `initial` and `maximum`).
const V8_MAX_MEMORY64_PAGES: u64 = 262_144;

/// V8's implementation limit on a table's initial size (from 13.6, Node 24, checked at compile
/// time, imported tables too).
const V8_MAX_TABLE_INITIAL: u64 = 10_000_000;

/// Checks the tables and memories of a decoded module against `profile`, with V8's messages:
/// no 64-bit tables before node24; the compile-time implementation limits the Node line's V8
/// applies (64-bit memories from node22, table sizes from node24). `latest` keeps the JS-API's
/// limits (a table over the size limit fails at instantiation).
pub(crate) fn check_tables(m: &ModuleInfo, profile: Profile) -> Result<(), CompileError> {
    if !profile.table64() && m.tables.iter().any(|t| t.table64) {
        return Err(CompileError::disabled(
            crate::error::Feature::Table64,
            format!(
                "invalid table elements limits flags (64-bit tables are not in the {} feature profile)",
                profile.name()
            ),
            None,
        ));
    }
    let node22_on = matches!(profile, Profile::Node22 | Profile::Node24 | Profile::Node26);
    for mem in m.memories.iter().filter(|t| node22_on && t.memory64) {
        for (what, pages) in [("initial", Some(mem.limits.min)), ("maximum", mem.limits.max)] {
            if let Some(pages) = pages.filter(|&p| p > V8_MAX_MEMORY64_PAGES) {
                return Err(CompileError::new(
                    format!(
                        "{what} memory size ({pages} pages) is larger than implementation limit ({V8_MAX_MEMORY64_PAGES} pages)"
                    ),
                    None,
                ));
            }
        }
    }
    if matches!(profile, Profile::Node24 | Profile::Node26) {
        if let Some(t) = m.tables.iter().find(|t| t.limits.min > V8_MAX_TABLE_INITIAL) {
            return Err(CompileError::new(
                format!(
                    "initial table size ({} elements) is larger than implementation limit ({V8_MAX_TABLE_INITIAL} elements)",
                    t.limits.min
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// V8's limit on `array.new_fixed`'s operand count (`kV8MaxWasmArrayNewFixedLength`, node22
/// on: checked at compile time in function bodies and constant expressions).
pub(crate) const V8_MAX_ARRAY_NEW_FIXED_LENGTH: u32 = 10_000;

/// Whether `profile` applies V8's compile-time GC limits (the Node lines with GC; `latest` keeps
/// the spec's, which has no limit on `array.new_fixed`).
fn v8_gc_limits(profile: Profile) -> bool {
    matches!(profile, Profile::Node22 | Profile::Node24 | Profile::Node26)
}

/// V8's error for an `array.new_fixed` of `len` operands, at byte `offset` if known.
fn array_new_fixed_too_large(len: u32, offset: Option<usize>) -> CompileError {
    CompileError::new(
        format!("Requested length {len} for array.new_fixed too large, maximum is {V8_MAX_ARRAY_NEW_FIXED_LENGTH}"),
        offset,
    )
}

/// Checks the `array.new_fixed` of the constant expressions (globals, table initializers,
/// element segments) against V8's limit, in the profiles that apply it.
pub(crate) fn check_const_exprs(m: &ModuleInfo, profile: Profile) -> Result<(), CompileError> {
    if !v8_gc_limits(profile) {
        return Ok(());
    }
    let exprs =
        m.global_inits.iter().chain(m.table_inits.iter().flatten()).chain(m.elems.iter().flat_map(|e| e.items.iter()));
    for op in exprs.flat_map(|e| e.0.iter()) {
        if let super::ConstOp::Alloc(super::GcAlloc::ArrayNewFixed { len, .. }) = *op {
            if len > V8_MAX_ARRAY_NEW_FIXED_LENGTH {
                return Err(array_new_fixed_too_large(len, None));
            }
        }
    }
    Ok(())
}

/// Checks an `array.new_fixed` in a function body against V8's limit, in the profiles that apply
/// it. `reader` is at an operator whose first byte is 0xfb; other operators, and immediates
/// that do not read, are left to validation.
pub(crate) fn check_array_new_fixed(
    reader: &wasmparser::BinaryReader<'_>,
    profile: Profile,
) -> Result<(), CompileError> {
    if !v8_gc_limits(profile) {
        return Ok(());
    }
    let mut r = reader.clone();
    // 0xfb 8 <array type index> <length>.
    let is_array_new_fixed = r.read_u8().is_ok() && r.read_var_u32().ok() == Some(8) && r.read_var_u32().is_ok();
    let at = r.original_position();
    match r.read_var_u32() {
        Ok(len) if is_array_new_fixed && len > V8_MAX_ARRAY_NEW_FIXED_LENGTH => {
            Err(array_new_fixed_too_large(len, Some(at as usize)))
        }
        _ => Ok(()),
    }
}

/// Whether an operator with first byte `opcode` must be looked at by [`check_operator`] in the
/// Node 20 profile: `try_table`, `throw_ref`, and those with a type immediate.
pub(crate) fn needs_check(opcode: u8) -> bool {
    matches!(opcode, 0x1f | 0x0a | 0x02..=0x04 | 0x06 | 0x1c | 0xd0)
}

/// Checks one (already validated) operator at byte `offset` against the Node 20 profile.
pub(crate) fn check_operator(op: &Operator<'_>, offset: usize) -> Result<(), CompileError> {
    use Operator as O;
    let val = |t: wasmparser::ValType| check_val_type(t, offset);
    match op {
        O::TryTable { .. } => Err(not_in_node20("try_table", Some(offset))),
        O::ThrowRef => Err(not_in_node20("throw_ref", Some(offset))),
        O::Block { blockty } | O::Loop { blockty } | O::If { blockty } | O::Try { blockty } => match *blockty {
            BlockType::Type(t) => val(t),
            BlockType::Empty | BlockType::FuncType(_) => Ok(()),
        },
        O::TypedSelect { ty } => val(*ty),
        O::TypedSelectMulti { tys } => tys.iter().try_for_each(|&t| val(t)),
        O::RefNull { hty } => match wasmparser::RefType::new(true, *hty) {
            Some(r) => val(wasmparser::ValType::Ref(r)),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Checks a value type (a local's, or an immediate's) against the Node 20 profile.
pub(crate) fn check_val_type(t: wasmparser::ValType, offset: usize) -> Result<(), CompileError> {
    use wasmparser::{AbstractHeapType, HeapType as H};
    match t {
        wasmparser::ValType::Ref(r)
            if matches!(r.heap_type(), H::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. }) =>
        {
            Err(not_in_node20("exnref", Some(offset)))
        }
        _ => Ok(()),
    }
}

/// Whether `t` is an exception reference type.
fn is_exn(t: &RefType) -> bool {
    matches!(t, RefType::ExnRef | RefType::Typed { heap: HeapType::Exn | HeapType::NoExn, .. })
}

/// Whether value type `t` is an exception reference type.
fn is_exn_val(t: &ValType) -> bool {
    matches!(t, ValType::Ref(r) if is_exn(r))
}

/// Checks the module-level types of a decoded module against the Node 20 profile: no `exnref`
/// in function types (and so tag types and block types), globals or tables.
pub(crate) fn check_module_types(m: &ModuleInfo) -> Result<(), CompileError> {
    let in_types = m.types.iter().any(|t| t.params().iter().chain(t.results()).any(is_exn_val));
    let in_globals = m.globals.iter().any(|g| is_exn_val(&g.content));
    let in_tables = m.tables.iter().any(|t| is_exn(&t.element));
    if in_types || in_globals || in_tables {
        return Err(not_in_node20("exnref", None));
    }
    Ok(())
}
