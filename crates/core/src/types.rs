//! Types of the WebAssembly core spec as the runtime sees them.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::error::CompileError;

mod gc;
pub use gc::{ArrayType, CompositeType, FieldType, GcTypes, StorageType, StructType, SubType, TypeKind};

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

/// A heap type: the abstract heap types of the four hierarchies (`any`, `func`, `extern`, `exn`)
/// and concrete (defined) types. The GC ones (`any`, `eq`, `i31`, `struct`, `array`, `none`,
/// struct and array types) are only read with [`GcTypes::Decode`]; the engine rejects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeapType {
    /// `any`: the top of the internal (GC) hierarchy.
    Any,
    /// `eq`: the values `ref.eq` compares (i31, structs, arrays).
    Eq,
    /// `i31`: unboxed 31-bit integers.
    I31,
    /// `struct`: any struct.
    Struct,
    /// `array`: any array.
    Array,
    /// `none`: the bottom of the internal hierarchy (only null).
    None,
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
    /// A defined type (module-independent: equivalent types have the same id); its kind (function,
    /// struct or array) is in the id.
    Concrete(FuncTypeId),
}

/// A canonical defined type (a function type, or with GC a struct or array type): two equivalent
/// types get the same id, in every module. (The name predates GC: every concrete heap type is one.)
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
/// The ids are interned process-wide and never released: one entry per distinct function type
/// that appears in a concrete reference type and per member of a distinct recursion group. The
/// bound is that of the id: 2^30 entries (the two top bits hold the [`TypeKind`]), far beyond
/// what the JS API's limit of 1,000,000 types per module lets a process reach in practice.
///
/// Subtyping ([`FuncTypeId::is_subtype_of`]) is O(1): each entry keeps its *display*, its
/// supertype chain from the root, indexed by depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncTypeId(u32);

/// The bit of a [`FuncTypeId`] from which its [`TypeKind`] is stored.
const KIND_SHIFT: u32 = 30;

/// One canonical type of the registry.
struct Canonical {
    /// The module-level entry: the function type, or a handle for a struct or array type.
    handle: FuncType,
    /// The sub type, for a member of a recursion group (`None`: a plain final function type
    /// without a supertype).
    sub: Option<SubType>,
    /// The supertype chain from the root to this type (`display[depth] == id`).
    display: Arc<[FuncTypeId]>,
}

/// The interned types, by index, and the interned recursion groups (by their first member's
/// index; the members have consecutive indices).
struct TypeRegistry {
    ids: std::collections::HashMap<FuncType, FuncTypeId>,
    entries: Vec<Canonical>,
    groups: std::collections::HashMap<gc::RecGroupKey, u32>,
}

static REGISTRY: std::sync::Mutex<Option<TypeRegistry>> = std::sync::Mutex::new(None);

/// Runs `f` on the registry, locked.
fn with_registry<R>(f: impl FnOnce(&mut TypeRegistry) -> R) -> R {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(|| TypeRegistry {
        ids: Default::default(),
        entries: Vec::new(),
        groups: Default::default(),
    }))
}

impl FuncTypeId {
    /// The id of function type `t`.
    /// Once known, the id is kept in the type itself, so later calls take no lock.
    #[inline]
    pub fn of(t: &FuncType) -> FuncTypeId {
        t.canonical().0
    }

    /// The id of `t` in registry `r`, remembered in `t` with its display.
    fn of_in(r: &mut TypeRegistry, t: &FuncType) -> FuncTypeId {
        if let Some(&(id, _)) = t.0.canonical.get() {
            return id;
        }
        let id = match r.ids.get(t) {
            Some(&id) => id,
            None => {
                let id = FuncTypeId::new(r.entries.len() as u32, TypeKind::Func);
                r.entries.push(Canonical { handle: t.clone(), sub: None, display: Arc::new([id]) });
                r.ids.insert(t.clone(), id);
                id
            }
        };
        // Another thread may have set the same answer meanwhile (the registry never changes
        // an id), so a failed `set` loses nothing.
        let _ = t.0.canonical.set((id, r.entries[id.index()].display.clone()));
        id
    }

    /// The id of the registry entry at `index`, of kind `kind`.
    fn new(index: u32, kind: TypeKind) -> FuncTypeId {
        assert!(index < 1 << KIND_SHIFT, "more than 2^30 canonical types");
        FuncTypeId(index | (kind as u32) << KIND_SHIFT)
    }

    /// The raw bits (for instruction immediates; [`FuncTypeId::from_bits`] reverses it).
    pub(crate) fn to_bits(self) -> u32 {
        self.0
    }

    /// The id with bits `bits` from [`FuncTypeId::to_bits`].
    pub(crate) fn from_bits(bits: u32) -> FuncTypeId {
        FuncTypeId(bits)
    }

    /// The index of this type's registry entry (dense: engines may index tables by it).
    pub(crate) fn index(self) -> usize {
        (self.0 & ((1 << KIND_SHIFT) - 1)) as usize
    }

    /// The kind of the type (function, struct or array), without a registry look-up.
    pub fn kind(self) -> TypeKind {
        match self.0 >> KIND_SHIFT {
            0 => TypeKind::Func,
            1 => TypeKind::Struct,
            _ => TypeKind::Array,
        }
    }

    /// The function type with this id (for a struct or array type: its handle, with no
    /// parameters or results).
    pub fn func_type(self) -> FuncType {
        with_registry(|r| r[self].clone())
    }

    /// The canonical sub type: finality, declared supertype and composite type.
    pub fn sub_type(self) -> SubType {
        with_registry(|r| {
            let e = &r.entries[self.index()];
            e.sub.clone().unwrap_or_else(|| SubType {
                is_final: true,
                supertype: None,
                composite: CompositeType::Func(e.handle.clone()),
            })
        })
    }

    /// The supertype chain from the root of this type's declared hierarchy to the type itself:
    /// entry `d` is its supertype at depth `d` (an engine can keep these per module for O(1)
    /// casts without the registry's lock).
    pub fn display(self) -> Arc<[FuncTypeId]> {
        with_registry(|r| r.entries[self.index()].display.clone())
    }

    /// Whether `self` is `expected` or declares it, directly or through its supertypes (the
    /// subtyping of defined types: O(1) through the display).
    pub fn is_subtype_of(self, expected: FuncTypeId) -> bool {
        if self == expected {
            return true;
        }
        if self.kind() != expected.kind() {
            return false;
        }
        with_registry(|r| {
            let depth = r.entries[expected.index()].display.len() - 1;
            r.entries[self.index()].display.get(depth) == Some(&expected)
        })
    }
}

impl std::ops::Index<FuncTypeId> for TypeRegistry {
    type Output = FuncType;
    fn index(&self, id: FuncTypeId) -> &FuncType {
        &self.entries[id.index()].handle
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
        ValType::from_wasmparser_with(t, types, GcTypes::Reject)
    }

    /// Converts a wasmparser value type of a module whose types (so far) are `types`, reading
    /// or rejecting GC reference types as `gc` says.
    pub fn from_wasmparser_with(
        t: wasmparser::ValType,
        types: &[FuncType],
        gc: GcTypes,
    ) -> Result<ValType, CompileError> {
        Ok(match t {
            wasmparser::ValType::Ref(r) => ValType::Ref(RefType::from_wasmparser_with(r, types, gc)?),
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
        RefType::from_wasmparser_with(r, types, GcTypes::Reject)
    }

    /// Converts a wasmparser reference type of a module whose types (so far) are `types`,
    /// reading or rejecting GC heap types (abstract ones, struct and array types) as `gc` says.
    pub fn from_wasmparser_with(
        r: wasmparser::RefType,
        types: &[FuncType],
        gc: GcTypes,
    ) -> Result<RefType, CompileError> {
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
                A::Any => HeapType::Any,
                A::Eq => HeapType::Eq,
                A::I31 => HeapType::I31,
                A::Struct => HeapType::Struct,
                A::Array => HeapType::Array,
                A::None => HeapType::None,
                _ => return Err(unsupported()),
            },
            wasmparser::HeapType::Concrete(i) => {
                let t = i.as_module_index().and_then(|i| types.get(i as usize)).ok_or_else(unsupported)?;
                HeapType::Concrete(FuncTypeId::of(t))
            }
            _ => return Err(unsupported()),
        };
        if gc == GcTypes::Reject && heap.is_gc() {
            return Err(unsupported());
        }
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

    /// The nullable top type of this type's hierarchy (`funcref`, `externref`, `exnref` or
    /// `(ref null any)`), which decides how its values are represented.
    pub fn top(&self) -> RefType {
        match self.heap_type().top() {
            HeapType::Extern => RefType::ExternRef,
            HeapType::Exn => RefType::ExnRef,
            HeapType::Func => RefType::FuncRef,
            top => RefType::Typed { nullable: true, heap: top },
        }
    }

    /// Whether a value of type `self` is a value of type `expected` (reference subtyping: every
    /// rule, in one place).
    pub fn matches(&self, expected: &RefType) -> bool {
        (expected.is_nullable() || !self.is_nullable()) && self.heap_type().matches(&expected.heap_type())
    }
}

impl HeapType {
    /// Heap subtyping. Function hierarchy: `nofunc` <: function types <: `func`. Internal
    /// hierarchy: `none` <: struct types <: `struct` <: `eq` <: `any`, `none` <: array types <:
    /// `array` <: `eq`, `none` <: `i31` <: `eq`. `noextern` <: `extern`; `noexn` <: `exn`.
    /// Between defined types: the declared supertype chains ([`FuncTypeId::is_subtype_of`]).
    pub fn matches(&self, expected: &HeapType) -> bool {
        use HeapType as H;
        match (*self, *expected) {
            (a, b) if a == b => true,
            (H::Concrete(a), H::Concrete(b)) => a.is_subtype_of(b),
            (H::Concrete(a), b) => H::abstract_of(a.kind()).matches(&b),
            (H::NoFunc, H::Concrete(b)) => b.kind() == TypeKind::Func,
            (H::None, H::Concrete(b)) => b.kind() != TypeKind::Func,
            (H::NoFunc, H::Func) | (H::NoExtern, H::Extern) | (H::NoExn, H::Exn) => true,
            (H::None, H::I31 | H::Struct | H::Array | H::Eq | H::Any) => true,
            (H::I31 | H::Struct | H::Array, H::Eq | H::Any) | (H::Eq, H::Any) => true,
            _ => false,
        }
    }

    /// The abstract heap type directly above the defined types of kind `kind`.
    fn abstract_of(kind: TypeKind) -> HeapType {
        match kind {
            TypeKind::Func => HeapType::Func,
            TypeKind::Struct => HeapType::Struct,
            TypeKind::Array => HeapType::Array,
        }
    }

    /// The top of this heap type's hierarchy: `any`, `func`, `extern` or `exn`.
    pub fn top(&self) -> HeapType {
        use HeapType as H;
        match *self {
            H::Any | H::Eq | H::I31 | H::Struct | H::Array | H::None => H::Any,
            H::Func | H::NoFunc => H::Func,
            H::Extern | H::NoExtern => H::Extern,
            H::Exn | H::NoExn => H::Exn,
            H::Concrete(id) => match id.kind() {
                TypeKind::Func => H::Func,
                _ => H::Any,
            },
        }
    }

    /// The bottom of this heap type's hierarchy: `none`, `nofunc`, `noextern` or `noexn`.
    pub fn bottom(&self) -> HeapType {
        match self.top() {
            HeapType::Any => HeapType::None,
            HeapType::Extern => HeapType::NoExtern,
            HeapType::Exn => HeapType::NoExn,
            _ => HeapType::NoFunc,
        }
    }

    /// Whether this heap type needs GC: the internal hierarchy, struct and array types.
    pub fn is_gc(&self) -> bool {
        self.top() == HeapType::Any
    }

    /// The name of an abstract heap type (`None` for a defined type).
    pub fn abstract_name(&self) -> Option<&'static str> {
        use HeapType as H;
        Some(match self {
            H::Any => "any",
            H::Eq => "eq",
            H::I31 => "i31",
            H::Struct => "struct",
            H::Array => "array",
            H::None => "none",
            H::Func => "func",
            H::Extern => "extern",
            H::NoFunc => "nofunc",
            H::NoExtern => "noextern",
            H::Exn => "exn",
            H::NoExn => "noexn",
            H::Concrete(_) => return None,
        })
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
                    HeapType::Concrete(id) => match id.func_type() {
                        // A member of a recursion group may refer to itself: named by position.
                        t if t.rec_position().is_some() => {
                            let (group, index) = t.rec_position().unwrap_or_default();
                            write!(f, "(rec {group} {index})")?
                        }
                        t => write!(f, "{t}")?,
                    },
                    abstract_type => f.write_str(abstract_type.abstract_name().unwrap_or_default())?,
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

struct FuncTypeInner {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
    /// For a member of a recursion group other than a single non-recursive type: the id of
    /// the group's first member and this type's index in the group (part of its identity).
    rec: Option<(u32, u32)>,
    /// The canonical id and display, filled from the registry on first use
    /// ([`FuncType::canonical`]); a cache, not part of the type's identity.
    canonical: OnceLock<(FuncTypeId, Arc<[FuncTypeId]>)>,
}

impl FuncTypeInner {
    /// A type with its canonical id not looked up yet.
    fn new(params: Box<[ValType]>, results: Box<[ValType]>, rec: Option<(u32, u32)>) -> Self {
        FuncTypeInner { params, results, rec, canonical: OnceLock::new() }
    }
}

impl PartialEq for FuncTypeInner {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params && self.results == other.results && self.rec == other.rec
    }
}

impl Eq for FuncTypeInner {}

impl std::hash::Hash for FuncTypeInner {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.params.hash(state);
        self.results.hash(state);
        self.rec.hash(state);
    }
}

impl fmt::Debug for FuncTypeInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FuncTypeInner")
            .field("params", &self.params)
            .field("results", &self.results)
            .field("rec", &self.rec)
            .finish()
    }
}

impl FuncType {
    /// A function type from parameter and result types.
    pub fn new(params: impl Into<Box<[ValType]>>, results: impl Into<Box<[ValType]>>) -> Self {
        FuncType(Arc::new(FuncTypeInner::new(params.into(), results.into(), None)))
    }

    /// The canonical id of this type and its display (the supertype chain from the root to
    /// the type): looked up in the registry once, then read without its lock.
    #[inline]
    fn canonical(&self) -> &(FuncTypeId, Arc<[FuncTypeId]>) {
        match self.0.canonical.get() {
            Some(c) => c,
            None => self.canonical_from_registry(),
        }
    }

    /// [`FuncType::canonical`] the first time: looked up (or interned) under the lock.
    #[cold]
    #[inline(never)]
    fn canonical_from_registry(&self) -> &(FuncTypeId, Arc<[FuncTypeId]>) {
        with_registry(|r| FuncTypeId::of_in(r, self));
        self.0.canonical.get().expect("set by `of_in`")
    }

    /// Whether this type is the canonical type `expected` or declares it as a (transitive)
    /// supertype: [`FuncTypeId::is_subtype_of`] without the registry's lock once this type's
    /// id is known (`expected` is in the display exactly when it is the entry at its depth).
    #[inline]
    pub fn is_subtype_of_id(&self, expected: FuncTypeId) -> bool {
        self.canonical().1.contains(&expected)
    }

    /// For a member of a recursion group other than a single non-recursive type: the group
    /// (the id of its first member) and the index of this type in it.
    pub fn rec_position(&self) -> Option<(u32, u32)> {
        self.0.rec
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

    /// Whether a function of type `self` may be used where type `expected` is required: the
    /// types are equivalent, or `self` declares `expected` as a (transitive) supertype. A plain
    /// function type (not in an explicit recursion group) is final without a supertype, so it
    /// matches only itself.
    pub fn matches(&self, expected: &FuncType) -> bool {
        self == expected
            || (self.rec_position().is_some()
                && expected.rec_position().is_some()
                && self.is_subtype_of_id(FuncTypeId::of(expected)))
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
        TableType::from_wasmparser_with(t, types, GcTypes::Reject)
    }

    /// Converts a wasmparser table type of a module whose types are `types`, reading or
    /// rejecting GC element types as `gc` says.
    pub fn from_wasmparser_with(
        t: &wasmparser::TableType,
        types: &[FuncType],
        gc: GcTypes,
    ) -> Result<TableType, CompileError> {
        Ok(TableType {
            element: RefType::from_wasmparser_with(t.element_type, types, gc)?,
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
        GlobalType::from_wasmparser_with(t, types, GcTypes::Reject)
    }

    /// Converts a wasmparser global type of a module whose types are `types`, reading or
    /// rejecting GC content types as `gc` says.
    pub fn from_wasmparser_with(
        t: &wasmparser::GlobalType,
        types: &[FuncType],
        gc: GcTypes,
    ) -> Result<GlobalType, CompileError> {
        if t.shared {
            let message = "shared globals are not supported";
            return Err(CompileError::disabled(crate::error::Feature::SharedGlobals, message, None));
        }
        Ok(GlobalType { content: ValType::from_wasmparser_with(t.content_type, types, gc)?, mutable: t.mutable })
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
