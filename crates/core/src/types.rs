//! Types of the WebAssembly core spec as the runtime sees them.

use std::fmt;
use std::sync::Arc;

use crate::error::CompileError;

/// A reference type: the two abstract reference types of WebAssembly 2.0 and `exnref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    /// `funcref`: a (nullable) reference to a function.
    FuncRef,
    /// `externref`: a (nullable) reference to a host value.
    ExternRef,
    /// `exnref`: a (nullable) reference to an exception (exception handling).
    ExnRef,
}

/// A value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
    /// 128-bit vector.
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref` as a value type.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FuncRef);
    /// `externref` as a value type.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::ExternRef);
    /// `exnref` as a value type.
    pub const EXNREF: ValType = ValType::Ref(RefType::ExnRef);

    /// Converts a wasmparser value type, rejecting what this engine does not support.
    pub fn from_wasmparser(t: wasmparser::ValType) -> Result<ValType, CompileError> {
        Ok(match t {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            wasmparser::ValType::V128 => ValType::V128,
            wasmparser::ValType::Ref(r) => ValType::Ref(RefType::from_wasmparser(r)?),
        })
    }
}

impl RefType {
    /// Converts a wasmparser reference type; only nullable `funcref`/`externref`/`exnref` are
    /// supported.
    pub fn from_wasmparser(r: wasmparser::RefType) -> Result<RefType, CompileError> {
        if r == wasmparser::RefType::FUNCREF {
            Ok(RefType::FuncRef)
        } else if r == wasmparser::RefType::EXTERNREF {
            Ok(RefType::ExternRef)
        } else if r == wasmparser::RefType::EXNREF {
            Ok(RefType::ExnRef)
        } else {
            Err(CompileError::new(
                format!("reference type {r} is not supported (typed function references / GC)"),
                None,
            ))
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(RefType::FuncRef) => "funcref",
            ValType::Ref(RefType::ExternRef) => "externref",
            ValType::Ref(RefType::ExnRef) => "exnref",
        })
    }
}

/// A function type: parameters and results. Cheap to clone (shared).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType(Arc<FuncTypeInner>);

#[derive(Debug, PartialEq, Eq, Hash)]
struct FuncTypeInner {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A function type from parameter and result types.
    pub fn new(params: impl Into<Box<[ValType]>>, results: impl Into<Box<[ValType]>>) -> Self {
        FuncType(Arc::new(FuncTypeInner { params: params.into(), results: results.into() }))
    }

    /// The parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.0.params
    }

    /// The result types.
    pub fn results(&self) -> &[ValType] {
        &self.0.results
    }

    /// Converts a wasmparser function type.
    pub fn from_wasmparser(t: &wasmparser::FuncType) -> Result<FuncType, CompileError> {
        let params = t.params().iter().map(|&v| ValType::from_wasmparser(v)).collect::<Result<Vec<_>, _>>()?;
        let results = t.results().iter().map(|&v| ValType::from_wasmparser(v)).collect::<Result<Vec<_>, _>>()?;
        Ok(FuncType::new(params, results))
    }
}

/// Size limits of a memory (in pages) or a table (in elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Minimum (initial) size.
    pub min: u64,
    /// Maximum size, if declared.
    pub max: Option<u64>,
}

impl Limits {
    /// Whether `self` (the actual limits of an import) matches `expected` (the declared ones),
    /// per the spec's limits subtyping rule.
    pub fn matches(&self, expected: &Limits) -> bool {
        self.min >= expected.min
            && match (self.max, expected.max) {
                (_, None) => true,
                (Some(a), Some(b)) => a <= b,
                (None, Some(_)) => false,
            }
    }
}

/// A memory type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Limits in 64 KiB pages.
    pub limits: Limits,
    /// Whether the memory is shared (threads proposal).
    pub shared: bool,
    /// Whether the memory is indexed by i64 (memory64 proposal).
    pub memory64: bool,
}

impl MemoryType {
    /// Converts a wasmparser memory type.
    pub fn from_wasmparser(t: &wasmparser::MemoryType) -> MemoryType {
        MemoryType { limits: Limits { min: t.initial, max: t.maximum }, shared: t.shared, memory64: t.memory64 }
    }
}

/// A table type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// The element type.
    pub element: RefType,
    /// Limits in elements.
    pub limits: Limits,
}

impl TableType {
    /// Converts a wasmparser table type.
    pub fn from_wasmparser(t: &wasmparser::TableType) -> Result<TableType, CompileError> {
        if t.table64 {
            return Err(CompileError::new("memory64 tables are not supported", None));
        }
        Ok(TableType {
            element: RefType::from_wasmparser(t.element_type)?,
            limits: Limits { min: t.initial, max: t.maximum },
        })
    }
}

/// A global type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// The value type.
    pub content: ValType,
    /// Whether the global is mutable.
    pub mutable: bool,
}

impl GlobalType {
    /// Converts a wasmparser global type.
    pub fn from_wasmparser(t: &wasmparser::GlobalType) -> Result<GlobalType, CompileError> {
        if t.shared {
            return Err(CompileError::new("shared globals are not supported", None));
        }
        Ok(GlobalType { content: ValType::from_wasmparser(t.content_type)?, mutable: t.mutable })
    }
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExternType {
    /// A function of this type.
    Func(FuncType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
    /// A tag of this function type (its parameters are the exception payload).
    Tag(FuncType),
}

impl ExternType {
    /// The JS-API "kind" string: "function", "table", "memory", "global" or "tag".
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Table(_) => "table",
            ExternType::Memory(_) => "memory",
            ExternType::Global(_) => "global",
            ExternType::Tag(_) => "tag",
        }
    }
}
