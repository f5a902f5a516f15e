//! The GC part of the type system (WebAssembly 3.0, issue #13): storage and field types, struct
//! and array composite types, sub types (finality and a declared supertype), and the canonical
//! form of a recursion group of any of them, from which [`FuncType::rec_group_from_wasmparser`]
//! interns canonical ids ([`FuncTypeId`]) in the process-wide registry of `types.rs`.
//!
//! The decoder's switch ([`GcTypes`]) is `Decode` in the `latest` profile (which executes GC)
//! and `Reject` in the Node profiles, where every GC type is a `CompileError` naming GC.

use std::sync::Arc;

use super::{with_registry, Canonical, FuncType, FuncTypeId, FuncTypeInner, HeapType, RefType, ValType};
use crate::error::CompileError;

/// Whether the conversions from wasmparser accept GC types (`Decode`: the `latest` profile,
/// [`crate::Profile::gc`]) or reject them with a `CompileError` naming GC (the Node profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GcTypes {
    /// GC types are a `CompileError` (the Node profiles).
    #[default]
    Reject,
    /// GC types are read (and executed).
    Decode,
}

/// A storage type: what a struct field or an array element holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageType {
    /// A packed 8-bit integer (read as `i32` with sign or zero extension).
    I8,
    /// A packed 16-bit integer (read as `i32` with sign or zero extension).
    I16,
    /// A value of a value type.
    Val(ValType),
}

impl StorageType {
    /// Whether this is a packed type (`i8` or `i16`).
    pub fn is_packed(&self) -> bool {
        matches!(self, StorageType::I8 | StorageType::I16)
    }

    /// The value type of a value read from storage of this type (`unpack`: `i32` for packed).
    pub fn unpacked(&self) -> ValType {
        match self {
            StorageType::I8 | StorageType::I16 => ValType::I32,
            StorageType::Val(v) => *v,
        }
    }

    /// Storage subtyping: packed types match only themselves, value types by value subtyping.
    pub fn matches(&self, expected: &StorageType) -> bool {
        match (self, expected) {
            (StorageType::Val(a), StorageType::Val(b)) => a.matches(b),
            (a, b) => a == b,
        }
    }
}

/// A field type: a storage type and its mutability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldType {
    /// What the field holds.
    pub storage: StorageType,
    /// Whether `struct.set`/`array.set` may write it.
    pub mutable: bool,
}

impl FieldType {
    /// Field subtyping: an immutable field is covariant; a mutable field is invariant (both
    /// mutable, equal storage types).
    pub fn matches(&self, expected: &FieldType) -> bool {
        match (self.mutable, expected.mutable) {
            (false, false) => self.storage.matches(&expected.storage),
            (true, true) => self.storage == expected.storage,
            _ => false,
        }
    }
}

/// A struct type: its fields, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructType {
    /// The fields.
    pub fields: Arc<[FieldType]>,
}

/// An array type: the type of its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArrayType {
    /// The element type.
    pub element: FieldType,
}

/// A composite type: the structure a defined type describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CompositeType {
    /// A function type.
    Func(FuncType),
    /// A struct type.
    Struct(StructType),
    /// An array type.
    Array(ArrayType),
}

/// The kind of a defined type's composite type, kept in its canonical id ([`FuncTypeId::kind`]) so
/// the abstract heap hierarchies are matched without a registry look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A function type (below `func`).
    Func = 0,
    /// A struct type (below `struct`, `eq` and `any`).
    Struct = 1,
    /// An array type (below `array`, `eq` and `any`).
    Array = 2,
}

impl CompositeType {
    /// The kind of this composite type.
    pub fn kind(&self) -> TypeKind {
        match self {
            CompositeType::Func(_) => TypeKind::Func,
            CompositeType::Struct(_) => TypeKind::Struct,
            CompositeType::Array(_) => TypeKind::Array,
        }
    }
}

/// A canonical sub type: a composite type with its finality and declared supertype.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubType {
    /// Whether no type may declare this one as its supertype.
    pub is_final: bool,
    /// The declared supertype, if any (canonical).
    pub supertype: Option<FuncTypeId>,
    /// The composite type.
    pub composite: CompositeType,
}

/// A value type of a recursion group's canonical form: a reference to a member of the same
/// group is by its index in the group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum RecValType {
    /// A type not referring to the group.
    Val(ValType),
    /// `(ref null? <index>)` of the member at `index` of the group.
    Rec { nullable: bool, index: u32 },
}

/// A storage type of a recursion group's canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum RecStorage {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// A value type.
    Val(RecValType),
}

/// A composite type of a recursion group's canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum RecComposite {
    /// Parameters and results.
    Func(Box<[RecValType]>, Box<[RecValType]>),
    /// Fields (storage, mutable).
    Struct(Box<[(RecStorage, bool)]>),
    /// The element (storage, mutable).
    Array(RecStorage, bool),
}

/// A supertype in a recursion group's canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum RecSuper {
    /// A type of an earlier group (canonical).
    Outer(FuncTypeId),
    /// An earlier member of the same group, by index.
    Inner(u32),
}

/// One member of a recursion group's canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct RecSub {
    /// Finality.
    pub(super) is_final: bool,
    /// The declared supertype.
    pub(super) supertype: Option<RecSuper>,
    /// The composite type.
    pub(super) composite: RecComposite,
}

impl RecSub {
    /// The kind of the member.
    fn kind(&self) -> TypeKind {
        match self.composite {
            RecComposite::Func(..) => TypeKind::Func,
            RecComposite::Struct(_) => TypeKind::Struct,
            RecComposite::Array(..) => TypeKind::Array,
        }
    }
}

/// The canonical form of a recursion group: two groups are equivalent (iso-recursive type
/// equivalence) exactly when their keys are equal.
pub(super) type RecGroupKey = Vec<RecSub>;

/// The error for a GC construct `what`.
fn unsupported(what: impl std::fmt::Display) -> CompileError {
    let message = format!("{what} is not supported (GC is not supported by jitless-wasm yet)");
    CompileError::disabled(crate::error::Feature::Gc, message, None)
}

/// Reads one recursion group of a module: the group's first type has module index `types.len()`,
/// the earlier types are `types`.
struct GroupReader<'a> {
    types: &'a [FuncType],
    len: u32,
    gc: GcTypes,
}

impl GroupReader<'_> {
    /// The index in the group of a module type index (`None`: a group-relative index, which
    /// the binary format does not have), if it refers to the group.
    fn inner(&self, i: Option<u32>) -> Result<Option<u32>, CompileError> {
        let base = self.types.len() as u32;
        match i {
            Some(i) if i >= base && i - base < self.len => Ok(Some(i - base)),
            Some(i) if i >= base => Err(CompileError::new("type index out of the recursion group", None)),
            Some(_) => Ok(None),
            None => Err(unsupported("a recursion-group-relative type index")),
        }
    }

    /// A value type.
    fn val(&self, v: &wasmparser::ValType) -> Result<RecValType, CompileError> {
        if let wasmparser::ValType::Ref(r) = v {
            if let wasmparser::HeapType::Concrete(i) = r.heap_type() {
                if let Some(index) = self.inner(i.as_module_index())? {
                    return Ok(RecValType::Rec { nullable: r.is_nullable(), index });
                }
            }
        }
        ValType::from_wasmparser_with(*v, self.types, self.gc).map(RecValType::Val)
    }

    /// A field type.
    fn field(&self, f: &wasmparser::FieldType) -> Result<(RecStorage, bool), CompileError> {
        let storage = match &f.element_type {
            wasmparser::StorageType::I8 => RecStorage::I8,
            wasmparser::StorageType::I16 => RecStorage::I16,
            wasmparser::StorageType::Val(v) => RecStorage::Val(self.val(v)?),
        };
        Ok((storage, f.mutable))
    }

    /// One member.
    fn sub(&self, sub: &wasmparser::SubType) -> Result<RecSub, CompileError> {
        let vals = |v: &[wasmparser::ValType]| v.iter().map(|v| self.val(v)).collect::<Result<Box<[_]>, _>>();
        let c = &sub.composite_type;
        if c.shared || c.descriptor_idx.is_some() || c.describes_idx.is_some() {
            return Err(unsupported("a shared or described type"));
        }
        let composite = match &c.inner {
            wasmparser::CompositeInnerType::Func(f) => RecComposite::Func(vals(f.params())?, vals(f.results())?),
            wasmparser::CompositeInnerType::Struct(s) => {
                RecComposite::Struct(s.fields.iter().map(|f| self.field(f)).collect::<Result<_, _>>()?)
            }
            wasmparser::CompositeInnerType::Array(a) => {
                let (storage, mutable) = self.field(&a.0)?;
                RecComposite::Array(storage, mutable)
            }
            wasmparser::CompositeInnerType::Cont(_) => return Err(unsupported("a continuation type")),
        };
        let supertype = match sub.supertype_idxs.first() {
            None => None,
            Some(&i) => Some(match self.inner(i.as_module_index())? {
                Some(index) => RecSuper::Inner(index),
                None => {
                    let i = i.as_module_index().unwrap_or(u32::MAX) as usize;
                    let t = self.types.get(i).ok_or_else(|| CompileError::new("unknown supertype", None))?;
                    RecSuper::Outer(FuncTypeId::of(t))
                }
            }),
        };
        if self.gc == GcTypes::Reject && (!sub.is_final || supertype.is_some() || composite_is_gc(&composite)) {
            return Err(unsupported("a struct or array type, a non-final type or a declared subtype (`sub`)"));
        }
        Ok(RecSub { is_final: sub.is_final, supertype, composite })
    }
}

/// Whether a canonical composite type is a struct or an array type.
fn composite_is_gc(c: &RecComposite) -> bool {
    !matches!(c, RecComposite::Func(..))
}

impl FuncType {
    /// Converts the types of one recursion group (whose first type has module index
    /// `types.len()`) of a module whose earlier types are `types`: the group is canonicalised
    /// (interned) so that equivalent groups of any module give equal types. Each result is the
    /// module's entry for one type: for a function type the type itself; for a struct or array
    /// type (only with [`GcTypes::Decode`]) a handle with no parameters or results whose
    /// canonical id ([`FuncTypeId::of`]) names the type.
    pub fn rec_group_from_wasmparser(
        group: &[&wasmparser::SubType],
        types: &[FuncType],
        gc: GcTypes,
    ) -> Result<Vec<FuncType>, CompileError> {
        let reader = GroupReader { types, len: group.len() as u32, gc };
        let key: RecGroupKey = group.iter().map(|s| reader.sub(s)).collect::<Result<_, _>>()?;
        // A supertype in the group must come before its subtype (wasmparser validates this).
        if key.iter().enumerate().any(|(k, s)| matches!(s.supertype, Some(RecSuper::Inner(i)) if i as usize >= k)) {
            return Err(CompileError::new("a supertype must be defined before its subtype", None));
        }
        let plain = match key.as_slice() {
            [RecSub { is_final: true, supertype: None, composite: RecComposite::Func(p, r) }] => {
                p.iter().chain(r.iter()).all(|v| matches!(v, RecValType::Val(_)))
            }
            _ => false,
        };
        if plain {
            // A single final function type that does not refer to itself: the plain function
            // type, interned by structure.
            let RecComposite::Func(p, r) = &key[0].composite else { unreachable!("checked above") };
            let val = |v: &RecValType| match v {
                RecValType::Val(v) => *v,
                RecValType::Rec { .. } => unreachable!("checked above"),
            };
            return Ok(vec![FuncType::new(
                p.iter().map(val).collect::<Vec<_>>(),
                r.iter().map(val).collect::<Vec<_>>(),
            )]);
        }
        Ok(with_registry(|r| {
            let first = match r.groups.get(&key) {
                Some(&first) => first,
                None => intern_group(r, &key),
            };
            (0..key.len() as u32).map(|k| r.entries[(first + k) as usize].handle.clone()).collect()
        }))
    }
}

impl FuncTypeId {
    /// The canonical id of the final array type `(array (mut i16))` alone in its recursion
    /// group, as a module declares it with `(type (array (mut i16)))`: the array of the JS String
    /// Builtins' `fromCharCodeArray` and `intoCharCodeArray`.
    pub fn mut_i16_array() -> FuncTypeId {
        let key: RecGroupKey =
            vec![RecSub { is_final: true, supertype: None, composite: RecComposite::Array(RecStorage::I16, true) }];
        with_registry(|r| {
            let first = match r.groups.get(&key) {
                Some(&first) => first,
                None => intern_group(r, &key),
            };
            FuncTypeId::new(first, TypeKind::Array)
        })
    }
}

/// Interns a new recursion group: its members get consecutive registry indices from the
/// returned one.
fn intern_group(r: &mut super::TypeRegistry, key: &RecGroupKey) -> u32 {
    let first = r.entries.len() as u32;
    let ids: Vec<FuncTypeId> =
        key.iter().enumerate().map(|(k, s)| FuncTypeId::new(first + k as u32, s.kind())).collect();
    let val = |v: &RecValType| match *v {
        RecValType::Val(v) => v,
        RecValType::Rec { nullable, index } => {
            ValType::Ref(RefType::new(nullable, HeapType::Concrete(ids[index as usize])))
        }
    };
    let field = |(s, mutable): &(RecStorage, bool)| FieldType {
        storage: match s {
            RecStorage::I8 => StorageType::I8,
            RecStorage::I16 => StorageType::I16,
            RecStorage::Val(v) => StorageType::Val(val(v)),
        },
        mutable: *mutable,
    };
    for (k, sub) in key.iter().enumerate() {
        let rec = Some((first, k as u32));
        let handle = |params: Box<[ValType]>, results: Box<[ValType]>| {
            FuncType(Arc::new(FuncTypeInner::new(params, results, rec)))
        };
        let (handle, composite) = match &sub.composite {
            RecComposite::Func(p, res) => {
                let f = handle(p.iter().map(val).collect(), res.iter().map(val).collect());
                (f.clone(), CompositeType::Func(f))
            }
            RecComposite::Struct(fields) => (
                handle(Box::new([]), Box::new([])),
                CompositeType::Struct(StructType { fields: fields.iter().map(field).collect() }),
            ),
            RecComposite::Array(s, m) => (
                handle(Box::new([]), Box::new([])),
                CompositeType::Array(ArrayType { element: field(&(s.clone(), *m)) }),
            ),
        };
        let supertype = sub.supertype.map(|s| match s {
            RecSuper::Outer(id) => id,
            RecSuper::Inner(index) => ids[index as usize],
        });
        // The display: the supertype chain from the root to this type (index = depth).
        let display: Arc<[FuncTypeId]> = match supertype {
            Some(s) => r.entries[s.index()].display.iter().copied().chain([ids[k]]).collect(),
            None => Arc::new([ids[k]]),
        };
        let sub = SubType { is_final: sub.is_final, supertype, composite };
        r.ids.insert(handle.clone(), ids[k]);
        // The handle is new: its cache is empty.
        let _ = handle.0.canonical.set((ids[k], display.clone()));
        r.entries.push(Canonical { handle, sub: Some(sub), display });
    }
    r.groups.insert(key.clone(), first);
    first
}
