//! Link errors (an import does not match its declaration) and resource errors (an object could
//! not be allocated, or is over a limit), each variant carrying its data: the embedder chooses
//! the wording (the JS binding prints V8's texts) from these, never from a message.

use std::fmt;

use crate::types::{ExternType, FuncType, GlobalType, Limits, MemoryType, TableType};

/// The import a [`LinkError`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRef {
    /// Its index in the module's import list.
    pub index: u32,
    /// Its module name.
    pub module: String,
    /// Its field name.
    pub name: String,
}

/// Instantiation failed because the import values do not match what the module declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The embedder passed `actual` import values for `expected` declared imports.
    ImportCount {
        /// Declared imports.
        expected: usize,
        /// Values given.
        actual: usize,
    },
    /// Import `import` does not match its declaration, for `reason`.
    Import {
        /// The import.
        import: ImportRef,
        /// What does not match.
        reason: ImportMismatch,
    },
}

impl LinkError {
    /// The index of the import this error is about, if any.
    pub fn import_index(&self) -> Option<u32> {
        match self {
            LinkError::ImportCount { .. } => None,
            LinkError::Import { import, .. } => Some(import.index),
        }
    }
}

/// How an import value fails to match its declared type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportMismatch {
    /// The value is not of the declared kind (a memory where a table is declared, …).
    Kind {
        /// The declared type.
        expected: ExternType,
    },
    /// A function whose type is not a subtype of the declared one.
    FuncType {
        /// Declared.
        expected: FuncType,
        /// The value's.
        actual: FuncType,
    },
    /// A table whose element type or address type differs from the declared one.
    TableType {
        /// Declared.
        expected: TableType,
        /// The value's.
        actual: TableType,
    },
    /// A memory whose address type differs from the declared one.
    MemoryType {
        /// Declared.
        expected: MemoryType,
        /// The value's.
        actual: MemoryType,
    },
    /// A memory that is shared where an unshared one is declared, or the reverse.
    MemoryShared {
        /// Declared.
        expected: bool,
        /// The value's.
        actual: bool,
    },
    /// A global whose type does not match the declared one.
    GlobalType {
        /// Declared.
        expected: GlobalType,
        /// The value's.
        actual: GlobalType,
    },
    /// A tag whose type differs from the declared one.
    TagType {
        /// Declared.
        expected: FuncType,
        /// The value's.
        actual: FuncType,
    },
    /// A table or memory whose limits do not match the declared ones.
    Limits {
        /// Whether it is a table or a memory.
        of: LimitsOf,
        /// Declared.
        expected: Limits,
        /// The value's (its current size as the minimum).
        actual: Limits,
    },
}

/// Which kind of object a limits mismatch is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitsOf {
    /// A table (limits in elements).
    Table,
    /// A memory (limits in pages).
    Memory,
}

/// Which rule of limits matching fails (the first, in the spec's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitsRule {
    /// The actual minimum is below the declared one.
    Smaller,
    /// A maximum is declared and the value has none.
    NoMaximum,
    /// The actual maximum is above the declared one.
    LargerMaximum,
}

impl ImportMismatch {
    /// For [`ImportMismatch::Limits`], the rule that fails.
    pub fn limits_rule(expected: &Limits, actual: &Limits) -> LimitsRule {
        if actual.min < expected.min {
            LimitsRule::Smaller
        } else if actual.max.is_none() {
            LimitsRule::NoMaximum
        } else {
            LimitsRule::LargerMaximum
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::ImportCount { expected, actual } => write!(f, "{expected} imports declared, {actual} given"),
            LinkError::Import { import, reason } => {
                write!(f, "import #{} \"{}\" \"{}\": {reason:?}", import.index, import.module, import.name)
            }
        }
    }
}

/// An object could not be created: over a limit, or out of memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    /// A table's initial size is over the JS API's limit.
    TableSize {
        /// The requested size, in elements.
        size: u64,
        /// The limit ([`crate::runtime::MAX_TABLE_SIZE`]).
        limit: u64,
    },
    /// A memory's initial size is over its maximum (declared, or the engine's).
    MemorySize {
        /// The requested size, in pages.
        pages: u64,
        /// The maximum, in pages.
        max: u64,
    },
    /// The address space for a memory's maximum could not be reserved.
    MemoryReserve {
        /// The bytes asked for.
        bytes: usize,
    },
    /// A memory's initial pages could not be committed.
    MemoryCommit {
        /// The bytes asked for.
        bytes: usize,
    },
    /// The embedder's allocator of shared memories failed at `step`.
    SharedMemory {
        /// What failed.
        step: &'static str,
    },
    /// A limited namespace's cap (`jitless-wasm/limits`) would be exceeded.
    Limit {
        /// The option that sets the cap (`maxMemoryBytes`, `maxTableElements`, `maxInstances`).
        option: &'static str,
        /// What the new object asked for.
        requested: u64,
        /// What the namespace already uses.
        used: u64,
        /// The cap.
        limit: u64,
    },
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceError::TableSize { size, limit } => write!(f, "table size {size} is over the limit of {limit}"),
            ResourceError::MemorySize { pages, max } => write!(f, "memory of {pages} pages is over its maximum {max}"),
            ResourceError::MemoryReserve { bytes } => write!(f, "could not reserve {bytes} bytes for a memory"),
            ResourceError::MemoryCommit { bytes } => write!(f, "could not commit {bytes} bytes of a memory"),
            ResourceError::SharedMemory { step } => write!(f, "could not allocate a shared memory ({step})"),
            ResourceError::Limit { option, requested, used, limit } => write!(
                f,
                "{option} exceeded: {requested} more would make {} (the namespace uses {used} of {limit})",
                used.saturating_add(*requested)
            ),
        }
    }
}

/// A value whose type is not the one required (a table's initial value, a global's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueTypeError {
    /// The required type.
    pub expected: crate::types::ValType,
    /// The value's type.
    pub actual: crate::types::ValType,
}

impl fmt::Display for ValueTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value of type {} where {} is required", self.actual, self.expected)
    }
}
