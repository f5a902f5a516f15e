//! Modules: decoding and validating a binary, and the metadata the runtime needs.

mod atomic_align;
pub mod builtins;
mod const_expr;
mod decode;
mod elements;
#[cfg(test)]
mod gc_types_tests;
pub(crate) mod limits;
mod names;
pub(crate) mod profile;
pub(crate) mod reject_gc;
mod resources;

pub use builtins::{BuiltinOptions, CompileTimeImports, ImportRole, JsStringBuiltin};
pub use profile::{Profile, PROFILES};

pub(crate) use const_expr::{ConstExpr, ConstOp, GcAlloc};
pub(crate) use decode::PendingBodies;
pub(crate) use elements::ElementInfo;
pub(crate) use resources::Resources;

use crate::error::CompileError;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};

/// What a module compiled for a limited namespace carries (the plain default: all off).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// The id of the namespace (`NamespaceLimits::id` in the runtime) that compiled the module; 0 for none.
    pub namespace: u64,
    /// Charge fuel at the start of every basic block.
    pub fuel: bool,
    /// Canonicalise the NaN results of float operations; reject shared memories.
    pub deterministic: bool,
}

/// One import of a module, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDesc {
    /// The module name.
    pub module: String,
    /// The field name.
    pub name: String,
    /// The expected type.
    pub ty: ExternType,
}

/// The kind and index of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportIndex {
    /// A function index (imports first).
    Func(u32),
    /// A table index.
    Table(u32),
    /// A memory index.
    Memory(u32),
    /// A global index.
    Global(u32),
    /// A tag index.
    Tag(u32),
}

/// One export of a module, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDesc {
    /// The export name.
    pub name: String,
    /// What is exported.
    pub index: ExportIndex,
}

impl ExportDesc {
    /// The JS-API "kind" string: "function", "table", "memory", "global" or "tag".
    pub fn kind_name(&self) -> &'static str {
        match self.index {
            ExportIndex::Func(_) => "function",
            ExportIndex::Table(_) => "table",
            ExportIndex::Memory(_) => "memory",
            ExportIndex::Global(_) => "global",
            ExportIndex::Tag(_) => "tag",
        }
    }
}

/// How an element segment is used.
#[derive(Debug, Clone)]
pub(crate) enum ElemMode {
    /// Active at the offset an `i32.const` gives: the form of almost every active segment, kept
    /// inline (a module may have 10,000,000 segments).
    ActiveAt {
        table: u32,
        offset: i32,
    },
    /// Active at the offset another constant expression gives.
    Active {
        table: u32,
        offset: Box<ConstExpr>,
    },
    Passive,
    Declared,
}

/// An element segment: a list of reference-typed constant expressions.
#[derive(Debug, Clone)]
pub(crate) struct ElemSegment {
    pub(crate) mode: ElemMode,
    pub(crate) items: Box<[ConstExpr]>,
}

// A module may have 10,000,000 segments: an empty one takes 32 bytes and no allocation.
const _: () = assert!(std::mem::size_of::<ElemSegment>() <= 32);

/// How a data segment is used.
#[derive(Debug, Clone)]
pub(crate) enum DataMode {
    /// Active at the offset an `i32.const` gives: the form of almost every active segment, kept
    /// inline (Go's esbuild.wasm has 98,450 segments).
    ActiveAt {
        memory: u32,
        offset: i32,
    },
    /// Active at the offset another constant expression gives.
    Active {
        memory: u32,
        offset: Box<ConstExpr>,
    },
    Passive,
}

/// A data segment: its mode and where its bytes lie in [`ModuleInfo::data_bytes`].
#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    pub(crate) mode: DataMode,
    pub(crate) bytes: std::ops::Range<u32>,
}

// Many small segments are common: one takes 24 bytes and no allocation of its own.
const _: () = assert!(std::mem::size_of::<DataSegment>() <= 24);

/// Everything known about a module but its code (which the engine adds, see
/// `engine::Module`). Index spaces list imports first.
pub(crate) struct ModuleInfo {
    /// The type section (function types).
    pub(crate) types: Vec<FuncType>,
    /// Type index of every function.
    pub(crate) funcs: Vec<u32>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) num_imported_tables: u32,
    /// Init expressions of defined tables that have one (function-references proposal); `None`
    /// means null-filled.
    pub(crate) table_inits: Vec<Option<ConstExpr>>,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) num_imported_memories: u32,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    /// Init expression of every defined global.
    pub(crate) global_inits: Vec<ConstExpr>,
    /// Type index of every tag, imported first.
    pub(crate) tags: Vec<u32>,
    pub(crate) num_imported_tags: u32,
    pub(crate) imports: Vec<ImportDesc>,
    pub(crate) exports: Vec<ExportDesc>,
    pub(crate) start: Option<u32>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    /// The bytes of every data segment, one after the other (one allocation for all).
    pub(crate) data_bytes: Box<[u8]>,
    pub(crate) customs: Vec<(String, Box<[u8]>)>,
    /// The function names from the "name" custom section, by function index (may be sparse).
    pub(crate) func_names: names::FuncNames,
    /// The module's name from the "name" section, if it has one.
    pub(crate) module_name: Option<String>,
    /// A 32-bit hash of the module's bytes (see [`Module::hash`]).
    pub(crate) hash: u32,
    /// The feature profile the module was validated with (its bodies are translated with it).
    pub(crate) profile: Profile,
    /// A limited namespace's options (fuel, determinism; all off for plain modules).
    pub(crate) options: CompileOptions,
}

/// A fast 32-bit hash of `bytes` (eight bytes per step; not cryptographic).
fn hash_bytes(bytes: &[u8]) -> u32 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    (h >> 32) as u32
}

/// Decodes and validates `bytes` with the features of `profile`, then hands the metadata and
/// the function bodies to `finish` (which validates the bodies: the engine). A `Node20` module
/// whose atomic accesses are aligned below natural is decoded again with them raised (see
/// `atomic_align`), as Node 20's V8 accepts it.
pub(crate) fn decode<R>(
    bytes: &[u8],
    profile: Profile,
    finish: impl Fn(ModuleInfo, PendingBodies<'_>) -> Result<R, CompileError>,
) -> Result<R, CompileError> {
    limits::check_size(bytes)?;
    let hash = hash_bytes(bytes);
    let run = |bytes: &[u8]| {
        decode::decode(bytes, profile).and_then(|(mut info, bodies)| {
            info.hash = hash;
            finish(info, bodies)
        })
    };
    match run(bytes) {
        // Decided from the bytes, not from the error: a rejected `Node20` module with
        // under-aligned atomic accesses gets the verdict of its raised copy. The raise only
        // changes immediates V8 accepts, and keeps every offset, so the copy is valid exactly
        // when V8 would accept the original, and any other error is the same error at the
        // same offset.
        Err(e) if profile == Profile::Node20 => match atomic_align::raise_atomic_alignments(bytes) {
            Some(raised) => run(&raised),
            None => Err(e),
        },
        other => other,
    }
}

impl ModuleInfo {
    /// The name of function `index` from the module's "name" section, if it has one.
    pub(crate) fn func_name(&self, index: u32) -> Option<&str> {
        self.func_names.get(&self.customs, index)
    }

    /// The bytes of data segment `k`.
    #[inline(always)]
    pub(crate) fn data_segment(&self, k: usize) -> &[u8] {
        let r = &self.datas[k].bytes;
        &self.data_bytes[r.start as usize..r.end as usize]
    }

    /// The type of function `index` (imports first).
    pub(crate) fn func_type(&self, index: u32) -> &FuncType {
        &self.types[self.funcs[index as usize] as usize]
    }

    /// The type of tag `index` (imports first).
    pub(crate) fn tag_type(&self, index: u32) -> &FuncType {
        &self.types[self.tags[index as usize] as usize]
    }
}
