//! Feature profiles: the named sets of WebAssembly features a module is validated against.
//!
//! [`Profile::Latest`] is everything the engine executes (WebAssembly 3.0 without GC, plus
//! threads and the legacy exception instructions). [`Profile::Node20`] is what Node 20's V8
//! (11.3) validates, so that `WebAssembly.validate` answers as the built-in engine does:
//! WebAssembly 2.0 (SIMD included), threads, tail calls and the legacy exception handling
//! (`try`/`catch`/`catch_all`/`delegate`/`rethrow`, tags and `throw`), without `try_table`,
//! `throw_ref` and `exnref`.
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
    /// Everything the engine executes: WebAssembly 3.0 without GC, threads, legacy exceptions.
    #[default]
    Latest,
    /// What Node 20's built-in engine (V8 11.3) validates.
    Node20,
}

impl Profile {
    /// The profile called `name` (`"latest"` or `"node20"`).
    pub fn from_name(name: &str) -> Option<Profile> {
        match name {
            "latest" => Some(Profile::Latest),
            "node20" => Some(Profile::Node20),
            _ => None,
        }
    }

    /// The profile's name, as [`Profile::from_name`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Latest => "latest",
            Profile::Node20 => "node20",
        }
    }

    /// The wasmparser features of this profile.
    pub(crate) fn features(self) -> WasmFeatures {
        match self {
            Profile::Latest => latest_features(),
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

    // GC for validation only (WebAssembly 3.0's `global.get` of defined globals in constant
    // expressions, recursion groups of function types): what needs GC objects or GC types is
    // rejected by `reject_gc`.
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
