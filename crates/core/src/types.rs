//! Types of the WebAssembly core spec as the runtime sees them.

use std::fmt;
use std::sync::Arc;

use crate::error::CompileError;

/// A reference type. The nullable abstract types `funcref`, `externref` and `exnref` have
/// variants of their own (never `Typed`); every other reference type of typed function
/// references is [`RefType::Typed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    /// `funcref` (`(ref null func)`): a (nullable) reference to a function.
    FuncRef,
    /// `externref` (`(ref null extern)`): a (nullable) reference to a host value.
    ExternRef,
    /// `exnref` (`(ref null exn)`): a (nullable) reference to an exception (exception handling).
    ExnRef,
    /// Any other reference type (typed function references): `(ref null? <heap type>)`.
    Typed {
        /// Whether null is a value of the type.
        nullable: bool,
        /// The heap type.
        heap: HeapType,
    },
}

/// A heap type of typed function references (WebAssembly 3.0 without GC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// `func`: any function.
    Func,
    /// `extern`: any host value.
    Extern,
    /// `nofunc`: the bottom of the function types (only null).
    NoFunc,
    /// `noextern`: the bottom of the host types (only null).
    NoExtern,
    /// `exn`: any exception.
    Exn,
    /// `noexn`: the bottom of the exception types (only null).
    NoExn,
    /// A function type (module-independent: equal function types have the same id).
    Concrete(FuncTypeId),
}

/// A canonical function type: two equivalent function types get the same id, in every module.
///
/// Type equivalence is iso-recursive (WebAssembly 3.0): two types are equivalent when their
/// recursion groups are structurally identical (references to types of the same group compared
/// by their position in it, other references by these ids) and they have the same index in the
/// group. A group of one type that does not refer to itself is the plain function type: a type
/// can then only refer to types defined before it, so structural equality of the
/// already-canonical parts is equivalence. Members of other groups carry their group's identity
/// ([`FuncType::rec_position`]), interned once per distinct group by
/// [`FuncType::rec_group_from_wasmparser`].
///
/// The ids are interned process-wide and never released (one entry per distinct function type
/// that appears in a concrete reference type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncTypeId(u32);

/// A value type of a recursion group's canonical form: a reference to a member of the same
/// group is by its index in the group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RecValType {
    /// A type not referring to the group.
    Val(ValType),
    /// `(ref null? <index>)` of the member at `index` of the group.
    Rec { nullable: bool, index: u32 },
}

/// The canonical form of a recursion group: each member's parameters and results.
type RecGroupKey = Vec<(Box<[RecValType]>, Box<[RecValType]>)>;

/// The interned function types, by id, and the interned recursion groups (by their first
/// member's id; the members have consecutive ids).
struct TypeRegistry {
    ids: std::collections::HashMap<FuncType, FuncTypeId>,
    types: Vec<FuncType>,
    groups: std::collections::HashMap<RecGroupKey, u32>,
}

static REGISTRY: std::sync::Mutex<Option<TypeRegistry>> = std::sync::Mutex::new(None);

/// Runs `f` on the registry, locked.
fn with_registry<R>(f: impl FnOnce(&mut TypeRegistry) -> R) -> R {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(|| TypeRegistry {
        ids: Default::default(),
        types: Vec::new(),
        groups: Default::default(),
    }))
}

impl FuncTypeId {
    /// The id of function type `t`.
    pub fn of(t: &FuncType) -> FuncTypeId {
        with_registry(|r| Self::of_in(r, t))
    }

    /// The id of `t` in registry `r`.
    fn of_in(r: &mut TypeRegistry, t: &FuncType) -> FuncTypeId {
        if let Some(&id) = r.ids.get(t) {
            return id;
        }
        let id = FuncTypeId(r.types.len() as u32);
        r.types.push(t.clone());
        r.ids.insert(t.clone(), id);
        id
    }

    /// The function type with this id.
    pub fn func_type(self) -> FuncType {
        with_registry(|r| r[self].clone())
    }
}

impl std::ops::Index<FuncTypeId> for TypeRegistry {
    type Output = FuncType;
    fn index(&self, id: FuncTypeId) -> &FuncType {
        &self.types[id.0 as usize]
    }
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

impl ValType {
    /// Converts a wasmparser value type of a module whose types (so far) are `types`.
    pub fn from_wasmparser_in(t: wasmparser::ValType, types: &[FuncType]) -> Result<ValType, CompileError> {
        Ok(match t {
            wasmparser::ValType::Ref(r) => ValType::Ref(RefType::from_wasmparser_in(r, types)?),
            other => ValType::from_wasmparser(other)?,
        })
    }

    /// Whether a value of type `self` is a value of type `expected` (subtyping; equal types
    /// match).
    pub fn matches(&self, expected: &ValType) -> bool {
        match (self, expected) {
            (ValType::Ref(a), ValType::Ref(b)) => a.matches(b),
            (a, b) => a == b,
        }
    }

    /// Whether the type has a default value (non-nullable references do not).
    pub fn is_defaultable(&self) -> bool {
        !matches!(self, ValType::Ref(r) if !r.is_nullable())
    }
}

impl RefType {
    /// Converts a wasmparser reference type without module types (concrete heap types are
    /// rejected; see [`RefType::from_wasmparser_in`]).
    pub fn from_wasmparser(r: wasmparser::RefType) -> Result<RefType, CompileError> {
        RefType::from_wasmparser_in(r, &[])
    }

    /// Converts a wasmparser reference type of a module whose types (so far) are `types`;
    /// GC heap types are rejected.
    pub fn from_wasmparser_in(r: wasmparser::RefType, types: &[FuncType]) -> Result<RefType, CompileError> {
        use wasmparser::AbstractHeapType as A;
        let unsupported = || {
            let message = format!("reference type {r} is not supported (GC is not supported by jitless-wasm yet)");
            CompileError::disabled(crate::error::Feature::Gc, message, None)
        };
        let heap = match r.heap_type() {
            wasmparser::HeapType::Abstract { shared: false, ty } => match ty {
                A::Func => HeapType::Func,
                A::Extern => HeapType::Extern,
                A::NoFunc => HeapType::NoFunc,
                A::NoExtern => HeapType::NoExtern,
                A::Exn => HeapType::Exn,
                A::NoExn => HeapType::NoExn,
                _ => return Err(unsupported()),
            },
            wasmparser::HeapType::Concrete(i) => {
                let t = i.as_module_index().and_then(|i| types.get(i as usize)).ok_or_else(unsupported)?;
                HeapType::Concrete(FuncTypeId::of(t))
            }
            _ => return Err(unsupported()),
        };
        Ok(RefType::new(r.is_nullable(), heap))
    }

    /// The reference type `(ref null? heap)`, normalised (`funcref` and `externref` are their
    /// own variants).
    pub fn new(nullable: bool, heap: HeapType) -> RefType {
        match (nullable, heap) {
            (true, HeapType::Func) => RefType::FuncRef,
            (true, HeapType::Extern) => RefType::ExternRef,
            (true, HeapType::Exn) => RefType::ExnRef,
            _ => RefType::Typed { nullable, heap },
        }
    }

    /// Whether null is a value of this type.
    pub fn is_nullable(&self) -> bool {
        match self {
            RefType::FuncRef | RefType::ExternRef | RefType::ExnRef => true,
            RefType::Typed { nullable, .. } => *nullable,
        }
    }

    /// The heap type.
    pub fn heap_type(&self) -> HeapType {
        match self {
            RefType::FuncRef => HeapType::Func,
            RefType::ExternRef => HeapType::Extern,
            RefType::ExnRef => HeapType::Exn,
            RefType::Typed { heap, .. } => *heap,
        }
    }

    /// The nullable top type of this type's hierarchy (`funcref`, `externref` or `exnref`), which
    /// decides how its values are represented.
    pub fn top(&self) -> RefType {
        match self.heap_type() {
            HeapType::Extern | HeapType::NoExtern => RefType::ExternRef,
            HeapType::Exn | HeapType::NoExn => RefType::ExnRef,
            HeapType::Func | HeapType::NoFunc | HeapType::Concrete(_) => RefType::FuncRef,
        }
    }

    /// Whether a value of type `self` is a value of type `expected` (reference subtyping: the
    /// only rules of WebAssembly 3.0 without GC, in one place).
    pub fn matches(&self, expected: &RefType) -> bool {
        (expected.is_nullable() || !self.is_nullable()) && self.heap_type().matches(&expected.heap_type())
    }
}

impl HeapType {
    /// Heap subtyping: `nofunc` <: concrete function types <: `func`; `noextern` <: `extern`;
    /// `noexn` <: `exn`.
    pub fn matches(&self, expected: &HeapType) -> bool {
        use HeapType as H;
        match (self, expected) {
            (a, b) if a == b => true,
            (H::NoFunc, H::Func | H::Concrete(_))
            | (H::Concrete(_), H::Func)
            | (H::NoExtern, H::Extern)
            | (H::NoExn, H::Exn) => true,
            _ => false,
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefType::FuncRef => f.write_str("funcref"),
            RefType::ExternRef => f.write_str("externref"),
            RefType::ExnRef => f.write_str("exnref"),
            RefType::Typed { nullable, heap } => {
                f.write_str(if *nullable { "(ref null " } else { "(ref " })?;
                match heap {
                    HeapType::Func => f.write_str("func")?,
                    HeapType::Extern => f.write_str("extern")?,
                    HeapType::NoFunc => f.write_str("nofunc")?,
                    HeapType::NoExtern => f.write_str("noextern")?,
                    HeapType::Exn => f.write_str("exn")?,
                    HeapType::NoExn => f.write_str("noexn")?,
                    HeapType::Concrete(id) => match id.func_type() {
                        // A member of a recursion group may refer to itself: named by position.
                        t if t.rec_position().is_some() => {
                            let (group, index) = t.rec_position().unwrap_or_default();
                            write!(f, "(rec {group} {index})")?
                        }
                        t => write!(f, "{t}")?,
                    },
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        for p in self.params() {
            write!(f, " (param {p})")?;
        }
        for r in self.results() {
            write!(f, " (result {r})")?;
        }
        f.write_str(")")
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
            ValType::Ref(r) => return r.fmt(f),
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
    /// For a member of a recursion group other than a single non-recursive type: the id of
    /// the group's first member and this type's index in the group (part of its identity).
    rec: Option<(u32, u32)>,
}

impl FuncType {
    /// A function type from parameter and result types.
    pub fn new(params: impl Into<Box<[ValType]>>, results: impl Into<Box<[ValType]>>) -> Self {
        FuncType(Arc::new(FuncTypeInner { params: params.into(), results: results.into(), rec: None }))
    }

    /// For a member of a recursion group other than a single non-recursive type: the group
    /// (the id of its first member) and the index of this type in it.
    pub fn rec_position(&self) -> Option<(u32, u32)> {
        self.0.rec
    }

    /// Converts the function types of one recursion group (whose first type has module index
    /// `types.len()`) of a module whose earlier types are `types`: the group is canonicalised
    /// (interned) so that equivalent groups of any module give equal types.
    pub fn rec_group_from_wasmparser(
        group: &[&wasmparser::FuncType],
        types: &[FuncType],
    ) -> Result<Vec<FuncType>, CompileError> {
        let base = types.len() as u32;
        let internal = |v: &wasmparser::ValType| match v {
            wasmparser::ValType::Ref(r) => match r.heap_type() {
                wasmparser::HeapType::Concrete(i) => {
                    i.as_module_index().filter(|&i| i >= base).map(|i| (r.is_nullable(), i - base))
                }
                _ => None,
            },
            _ => None,
        };
        let refers_to_group = group.iter().any(|f| f.params().iter().chain(f.results()).any(|v| internal(v).is_some()));
        if group.len() == 1 && !refers_to_group {
            return Ok(vec![FuncType::from_wasmparser_in(group[0], types)?]);
        }
        let conv = |v: &[wasmparser::ValType]| {
            v.iter()
                .map(|v| match internal(v) {
                    Some((nullable, index)) if (index as usize) < group.len() => {
                        Ok(RecValType::Rec { nullable, index })
                    }
                    Some(_) => Err(CompileError::new("type index out of the recursion group", None)),
                    None => ValType::from_wasmparser_in(*v, types).map(RecValType::Val),
                })
                .collect::<Result<Box<[_]>, CompileError>>()
        };
        let key: RecGroupKey =
            group.iter().map(|f| Ok((conv(f.params())?, conv(f.results())?))).collect::<Result<_, CompileError>>()?;
        Ok(with_registry(|r| {
            let first = match r.groups.get(&key) {
                Some(&first) => first,
                None => {
                    let first = r.types.len() as u32;
                    let val = |v: &RecValType| match *v {
                        RecValType::Val(v) => v,
                        RecValType::Rec { nullable, index } => {
                            ValType::Ref(RefType::new(nullable, HeapType::Concrete(FuncTypeId(first + index))))
                        }
                    };
                    for (k, (params, results)) in key.iter().enumerate() {
                        let t = FuncType(Arc::new(FuncTypeInner {
                            params: params.iter().map(val).collect(),
                            results: results.iter().map(val).collect(),
                            rec: Some((first, k as u32)),
                        }));
                        r.ids.insert(t.clone(), FuncTypeId(first + k as u32));
                        r.types.push(t);
                    }
                    r.groups.insert(key.clone(), first);
                    first
                }
            };
            (0..key.len() as u32).map(|k| r[FuncTypeId(first + k)].clone()).collect()
        }))
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
        FuncType::from_wasmparser_in(t, &[])
    }

    /// Converts a wasmparser function type of a module whose earlier types are `types`.
    pub fn from_wasmparser_in(t: &wasmparser::FuncType, types: &[FuncType]) -> Result<FuncType, CompileError> {
        let conv = |v: &[wasmparser::ValType]| {
            v.iter().map(|&v| ValType::from_wasmparser_in(v, types)).collect::<Result<Vec<_>, _>>()
        };
        Ok(FuncType::new(conv(t.params())?, conv(t.results())?))
    }

    /// Whether a function of type `self` may be used where type `expected` is required (without
    /// GC's declared subtypes: the types are equivalent).
    pub fn matches(&self, expected: &FuncType) -> bool {
        self == expected
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
    /// Whether the table's address type is i64 (`table64`, from the memory64 proposal).
    pub table64: bool,
}

impl TableType {
    /// Converts a wasmparser table type.
    pub fn from_wasmparser(t: &wasmparser::TableType) -> Result<TableType, CompileError> {
        TableType::from_wasmparser_in(t, &[])
    }

    /// Converts a wasmparser table type of a module whose types are `types`.
    pub fn from_wasmparser_in(t: &wasmparser::TableType, types: &[FuncType]) -> Result<TableType, CompileError> {
        Ok(TableType {
            element: RefType::from_wasmparser_in(t.element_type, types)?,
            limits: Limits { min: t.initial, max: t.maximum },
            table64: t.table64,
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
        GlobalType::from_wasmparser_in(t, &[])
    }

    /// Converts a wasmparser global type of a module whose types are `types`.
    pub fn from_wasmparser_in(t: &wasmparser::GlobalType, types: &[FuncType]) -> Result<GlobalType, CompileError> {
        if t.shared {
            let message = "shared globals are not supported";
            return Err(CompileError::disabled(crate::error::Feature::SharedGlobals, message, None));
        }
        Ok(GlobalType { content: ValType::from_wasmparser_in(t.content_type, types)?, mutable: t.mutable })
    }
}

impl GlobalType {
    /// Whether a global of type `self` may be imported as `expected`: the same mutability, and
    /// an equal content type when mutable or a subtype when immutable.
    pub fn matches(&self, expected: &GlobalType) -> bool {
        self.mutable == expected.mutable
            && if self.mutable { self.content == expected.content } else { self.content.matches(&expected.content) }
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
