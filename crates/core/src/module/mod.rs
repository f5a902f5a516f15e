//! Modules: decoding and validating a binary, and the metadata the runtime needs.

mod atomic_align;
mod const_expr;
mod decode;
mod elements;
pub(crate) mod gc_free;
pub(crate) mod limits;
pub(crate) mod profile;
mod resources;

use std::sync::Arc;

pub use profile::{Profile, PROFILES};

pub(crate) use const_expr::{ConstExpr, ConstOp};
pub(crate) use elements::ElementInfo;
pub(crate) use resources::Resources;

use crate::engine::Code;
use crate::error::CompileError;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};

/// A validated module (function bodies are translated on first call). Cheap to clone (shared); `Send + Sync`.
#[derive(Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

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
    Active { memory: u32, offset: ConstExpr },
    Passive,
}

/// A data segment.
#[derive(Debug, Clone)]
pub(crate) struct DataSegment {
    pub(crate) mode: DataMode,
    pub(crate) bytes: Box<[u8]>,
}

/// Everything known about a module. Index spaces list imports first.
pub(crate) struct ModuleInner {
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
    pub(crate) customs: Vec<(String, Box<[u8]>)>,
    /// The function names from the "name" custom section, by function index (may be sparse).
    pub(crate) func_names: Vec<(u32, String)>,
    /// The defined functions (index = function index − imported count): validated, translated
    /// on first call.
    pub(crate) code: Code,
    /// The module's name from the "name" section, if it has one.
    pub(crate) module_name: Option<String>,
    /// A 32-bit hash of the module's bytes (see [`Module::hash`]).
    pub(crate) hash: u32,
    /// The feature profile the module was validated with (its bodies are translated with it).
    pub(crate) profile: Profile,
    /// A limited namespace's options (fuel, determinism; all off for plain modules).
    pub(crate) options: crate::runtime::CompileOptions,
}

impl Module {
    /// Decodes and validates a binary module with every feature the engine executes
    /// ([`Profile::Latest`]); functions are translated on their first call.
    pub fn new(bytes: &[u8]) -> Result<Module, CompileError> {
        Module::with_profile(bytes, Profile::Latest)
    }

    /// Decodes and validates a binary module with the features of `profile`, for the limited
    /// namespace `options` names (fuel metering and deterministic NaNs are translated in; in
    /// deterministic mode a shared memory is a CompileError).
    pub fn with_options(
        bytes: &[u8],
        profile: Profile,
        options: crate::runtime::CompileOptions,
    ) -> Result<Module, CompileError> {
        let mut m = Module::with_profile(bytes, profile)?;
        if options.deterministic {
            if let Some(i) = m.0.memories.iter().position(|t| t.shared) {
                return Err(CompileError::new(
                    format!(
                        "memory {i} is shared: shared memories and threads are not allowed in deterministic mode \
                         (their results depend on the scheduling of threads)"
                    ),
                    None,
                ));
            }
        }
        Arc::get_mut(&mut m.0).expect("a new module is not shared yet").options = options;
        Ok(m)
    }

    /// The limited-namespace options the module was compiled with.
    pub fn options(&self) -> crate::runtime::CompileOptions {
        self.0.options
    }

    /// Decodes and validates a binary module with the features of `profile`.
    pub fn with_profile(bytes: &[u8], profile: Profile) -> Result<Module, CompileError> {
        limits::check_size(bytes)?;
        let decoded = match decode::decode(bytes, profile) {
            // Node 20's V8 accepts under-aligned atomic accesses (see `atomic_align`).
            Err(e) if profile.lenient_atomic_alignment() && e.message.contains(atomic_align::UNDER_ALIGNED_ATOMIC) => {
                match atomic_align::raise_atomic_alignments(bytes) {
                    Some(raised) => decode::decode(&raised, profile),
                    None => Err(e),
                }
            }
            other => other,
        };
        decoded.map(|mut inner| {
            inner.hash = hash_bytes(bytes);
            Module(Arc::new(inner))
        })
    }

    /// Whether `bytes` is a valid module this engine can run.
    pub fn validate(bytes: &[u8]) -> Result<(), CompileError> {
        Module::new(bytes).map(|_| ())
    }

    /// Whether `bytes` is a valid module under `profile`.
    pub fn validate_with_profile(bytes: &[u8], profile: Profile) -> Result<(), CompileError> {
        Module::with_profile(bytes, profile).map(|_| ())
    }

    /// Translates every defined function now instead of on its first call, and returns the
    /// first translation error (only an internal error can make a validated body fail). For
    /// fuzzing and tests, which want translation bugs without having to reach each function.
    pub fn translate_all(&self) -> Result<(), CompileError> {
        (0..self.0.code.funcs.len() as u32).try_for_each(|def| self.0.code.translated(&self.0, def).map(|_| ()))
    }

    /// The feature profile the module was validated with.
    pub fn profile(&self) -> Profile {
        self.0.profile
    }

    /// The imports, in declaration order.
    pub fn imports(&self) -> &[ImportDesc] {
        &self.0.imports
    }

    /// The exports, in declaration order.
    pub fn exports(&self) -> &[ExportDesc] {
        &self.0.exports
    }

    /// The type of an export.
    pub fn export_type(&self, export: &ExportDesc) -> ExternType {
        let m = &self.0;
        match export.index {
            ExportIndex::Func(i) => ExternType::Func(m.func_type(i).clone()),
            ExportIndex::Table(i) => ExternType::Table(m.tables[i as usize]),
            ExportIndex::Memory(i) => ExternType::Memory(m.memories[i as usize]),
            ExportIndex::Global(i) => ExternType::Global(m.globals[i as usize]),
            ExportIndex::Tag(i) => ExternType::Tag(m.tag_type(i).clone()),
        }
    }

    /// The index of the start function, if the module has one.
    pub fn start(&self) -> Option<u32> {
        self.0.start
    }

    /// The contents of every custom section called `name`, in order.
    pub fn custom_sections<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.0.customs.iter().filter(move |(n, _)| n == name).map(|(_, b)| &b[..])
    }

    /// The name of function `index` from the module's "name" section, if it has one.
    pub fn func_name(&self, index: u32) -> Option<&str> {
        self.0.func_names.binary_search_by_key(&index, |(i, _)| *i).ok().map(|p| self.0.func_names[p].1.as_str())
    }

    /// The module's name from its "name" section, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.0.module_name.as_deref()
    }

    /// A 32-bit hash of the module's bytes, for naming the module in stack traces (as V8's
    /// `wasm://wasm/<hash>` script URLs; the value differs from V8's).
    pub fn hash(&self) -> u32 {
        self.0.hash
    }

    /// Whether two handles denote the same module.
    pub fn ptr_eq(a: &Module, b: &Module) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
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

impl ModuleInner {
    /// The type of function `index` (imports first).
    pub(crate) fn func_type(&self, index: u32) -> &FuncType {
        &self.types[self.funcs[index as usize] as usize]
    }

    /// The type of tag `index` (imports first).
    pub(crate) fn tag_type(&self, index: u32) -> &FuncType {
        &self.types[self.tags[index as usize] as usize]
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Module({} imports, {} exports)", self.0.imports.len(), self.0.exports.len())
    }
}
