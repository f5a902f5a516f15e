//! Tests of GC type decoding behind the core-internal switch (`GcTypes::Decode`): recursion
//! groups canonicalised across modules, declared subtype chains, struct and array types with
//! packed fields, GC reference types in imports, tables and globals; and the switch following
//! the profiles (on from node22, off in node20).

use super::decode::{decode, decode_with};
use super::{ImportDesc, ModuleInfo, Profile, PROFILES};
use crate::error::{CompileErrorKind, Feature};
use crate::types::{
    CompositeType, ExternType, FieldType, FuncType, FuncTypeId, GcTypes, HeapType, RefType, StorageType, TypeKind,
    ValType,
};

/// Decodes `wat` with GC types read.
fn gc_module(wat: &str) -> ModuleInfo {
    let bytes = wat::parse_str(wat).expect("test WAT parses");
    decode_with(&bytes, Profile::Latest, GcTypes::Decode).unwrap_or_else(|e| panic!("{e:?} for {wat}")).0
}

/// The canonical id of type `index` of `m`.
fn id(m: &ModuleInfo, index: usize) -> FuncTypeId {
    FuncTypeId::of(&m.types[index])
}

/// `(ref null? $t)` of a canonical id.
fn concrete(nullable: bool, t: FuncTypeId) -> RefType {
    RefType::new(nullable, HeapType::Concrete(t))
}

#[test]
fn the_switch_follows_the_profiles() {
    for wat in [
        "(module (type (struct (field i8))))",
        "(module (type (array (mut i16))))",
        "(module (type $f (sub (func))) (type (sub $f (func))))",
        "(module (global (ref null any) (ref.null none)))",
        "(module (import \"m\" \"t\" (table 1 eqref)))",
    ] {
        let bytes = wat::parse_str(wat).expect("test WAT parses");
        for profile in PROFILES {
            let decoded = decode(&bytes, profile).map(|_| ());
            // Node 20's V8 has no final GC: rejected there (wasmparser's own error).
            assert_eq!(decoded.is_ok(), profile != Profile::Node20, "{profile:?}: {decoded:?} for {wat}");
        }
        // The switch itself still rejects GC types, naming GC.
        let err = decode_with(&bytes, Profile::Latest, GcTypes::Reject).map(|_| ()).expect_err(wat);
        assert!(matches!(err.kind, CompileErrorKind::Disabled { feature: Feature::Gc }), "{err:?} for {wat}");
    }
}

#[test]
fn struct_and_array_types_with_packed_fields() {
    let m = gc_module(
        "(module (type (struct (field i8) (field (mut i16)) (field (mut f64)) (field (ref null 0))))
                 (type (array (mut i8))))",
    );
    let s = id(&m, 0);
    assert_eq!(s.kind(), TypeKind::Struct);
    let sub = s.sub_type();
    assert!(sub.is_final && sub.supertype.is_none());
    let CompositeType::Struct(st) = sub.composite else { panic!("not a struct: {sub:?}") };
    let fields: Vec<FieldType> = st.fields.to_vec();
    assert_eq!(
        fields,
        [
            FieldType { storage: StorageType::I8, mutable: false },
            FieldType { storage: StorageType::I16, mutable: true },
            FieldType { storage: StorageType::Val(ValType::F64), mutable: true },
            FieldType { storage: StorageType::Val(ValType::Ref(concrete(true, s))), mutable: false },
        ]
    );
    assert!(fields[0].storage.is_packed() && fields[1].storage.is_packed() && !fields[2].storage.is_packed());
    assert_eq!(fields[0].storage.unpacked(), ValType::I32);
    let a = id(&m, 1);
    assert_eq!(a.kind(), TypeKind::Array);
    let CompositeType::Array(at) = a.sub_type().composite else { panic!("not an array") };
    assert_eq!(at.element, FieldType { storage: StorageType::I8, mutable: true });
    // Their module entries are handles, never function types that match a function.
    assert!(m.types[0].params().is_empty() && m.types[0].results().is_empty());
    assert!(!m.types[0].matches(&FuncType::new([], [])));
}

#[test]
fn equal_rec_groups_of_two_modules_get_the_same_ids() {
    let group = "(rec (type $node (struct (field (ref null $node)) (field (ref null $leaf))))
                      (type $leaf (array (mut i32))))";
    let a = gc_module(&format!("(module (type (func)) {group})"));
    let b = gc_module(&format!("(module (type (struct)) (type (struct (field i32))) {group})"));
    assert_eq!(id(&a, 1), id(&b, 2));
    assert_eq!(id(&a, 2), id(&b, 3));
    assert_eq!(a.types[1], b.types[2]);
    // The same types in another order, or alone, are other types (iso-recursive equivalence).
    let swapped = gc_module(
        "(module (rec (type $leaf (array (mut i32)))
                      (type $node (struct (field (ref null $node)) (field (ref null $leaf))))))",
    );
    assert_ne!(id(&swapped, 1), id(&a, 1));
    assert_ne!(id(&swapped, 0), id(&a, 2));
    let alone = gc_module("(module (type (array (mut i32))))");
    assert_ne!(id(&alone, 0), id(&a, 2));
    // Two equal groups in one module are one type.
    let twice = gc_module("(module (rec (type (struct (field i64)))) (rec (type (struct (field i64)))))");
    assert_eq!(id(&twice, 0), id(&twice, 1));
    // Finality is part of the identity.
    let open = gc_module("(module (type (sub (struct (field i64)))))");
    assert_ne!(id(&open, 0), id(&twice, 0));
}

#[test]
fn function_types_without_gc_keep_their_plain_ids() {
    let plain = gc_module("(module (type (func (param i32))))");
    assert_eq!(id(&plain, 0), FuncTypeId::of(&FuncType::new([ValType::I32], [])));
    assert_eq!(id(&plain, 0).kind(), TypeKind::Func);
    // A non-final function type is not the plain (final) one.
    let open = gc_module("(module (type (sub (func (param i32)))))");
    assert_ne!(id(&open, 0), id(&plain, 0));
    assert!(!open.types[0].matches(&plain.types[0]) && !plain.types[0].matches(&open.types[0]));
}

#[test]
fn declared_subtype_chains() {
    let m = gc_module(
        "(module (type $a (sub (struct)))
                 (type $b (sub $a (struct (field i32))))
                 (type $c (sub final $b (struct (field i32) (field (mut i64)))))
                 (type $d (sub $a (struct (field f32))))
                 (type $f (sub (func (param i32))))
                 (type $g (sub $f (func (param i32)))))",
    );
    let [a, b, c, d, f, g] = [0, 1, 2, 3, 4, 5].map(|i| id(&m, i));
    assert_eq!(c.display().to_vec(), [a, b, c]);
    assert_eq!(c.sub_type().supertype, Some(b));
    assert!(c.sub_type().is_final && !b.sub_type().is_final);
    for (sub, sup) in [(a, a), (b, a), (c, b), (c, a), (d, a), (g, f)] {
        assert!(sub.is_subtype_of(sup), "{sub:?} <: {sup:?}");
        assert!(HeapType::Concrete(sub).matches(&HeapType::Concrete(sup)));
    }
    for (sub, sup) in [(a, b), (b, c), (c, d), (d, b), (a, f), (f, g)] {
        assert!(!sub.is_subtype_of(sup), "not {sub:?} <: {sup:?}");
    }
    // Function subtyping through declared supertypes (import matching uses `FuncType::matches`).
    assert!(m.types[5].matches(&m.types[4]) && !m.types[4].matches(&m.types[5]));
    // Nullability and the abstract types above.
    assert!(concrete(false, c).matches(&concrete(true, a)));
    assert!(!concrete(true, c).matches(&concrete(false, a)));
    assert!(concrete(false, c).matches(&RefType::new(true, HeapType::Eq)));
    assert!(concrete(false, g).matches(&RefType::FuncRef));
    assert!(!concrete(false, g).matches(&RefType::new(true, HeapType::Any)));
    // Equal chains in another module give the same ids.
    let n = gc_module("(module (type $a (sub (struct))) (type $b (sub $a (struct (field i32)))))");
    assert_eq!((id(&n, 0), id(&n, 1)), (a, b));
}

#[test]
fn the_ids_cached_in_types_agree_with_the_registry() {
    let m = gc_module(
        "(module (type $f (sub (func (param i32) (result i32))))
                 (type $g (sub $f (func (param i32) (result i32))))
                 (type $h (sub final $g (func (param i32) (result i32))))
                 (type $p (func (param i32) (result i32)))
                 (type $q (func (param i32 i32) (result i32)))
                 (type $s (sub (struct)))
                 (type $t (sub $s (struct (field i32)))))",
    );
    let ids: Vec<FuncTypeId> = (0..m.types.len()).map(|i| id(&m, i)).collect();
    // `is_subtype_of_id` (the cached display, no lock) answers as the registry does, for
    // every pair: declared chains of functions and structs, plain final types, other kinds.
    for (i, t) in m.types.iter().enumerate() {
        for (j, &expected) in ids.iter().enumerate() {
            assert_eq!(t.is_subtype_of_id(expected), ids[i].is_subtype_of(expected), "{i} <: {j}");
        }
    }
    assert!(m.types[2].is_subtype_of_id(ids[0]) && !m.types[0].is_subtype_of_id(ids[2]));
    assert!(m.types[3].is_subtype_of_id(ids[3]) && !m.types[3].is_subtype_of_id(ids[0]));
    // A type built again, whose cache is empty, is the same type: equal, equal hashes, the
    // same id; the cache is not part of its identity or of its `Debug` form.
    let fresh = FuncType::new([ValType::I32], [ValType::I32]);
    assert_eq!(fresh, m.types[3]);
    let state = std::collections::hash_map::RandomState::new();
    let hash = |t: &FuncType| std::hash::BuildHasher::hash_one(&state, t);
    assert_eq!(hash(&fresh), hash(&m.types[3]));
    assert_eq!(format!("{fresh:?}"), format!("{:?}", m.types[3]));
    assert_eq!(FuncTypeId::of(&fresh), ids[3]);
    assert!(fresh.is_subtype_of_id(ids[3]) && !fresh.is_subtype_of_id(ids[4]));
}

#[test]
fn supertypes_inside_a_rec_group() {
    let m = gc_module(
        "(module (rec (type $a (sub (struct (field (ref null $b)))))
                      (type $b (sub $a (struct (field (ref null $b)) (field i32))))))",
    );
    let (a, b) = (id(&m, 0), id(&m, 1));
    assert!(b.is_subtype_of(a) && !a.is_subtype_of(b));
    assert_eq!(b.display().to_vec(), [a, b]);
}

#[test]
fn gc_reference_types_in_imports_tables_and_globals() {
    let m = gc_module(
        "(module (type $s (struct (field i32)))
                 (import \"m\" \"g\" (global (ref null $s)))
                 (import \"m\" \"t\" (table 1 eqref))
                 (table 2 (ref null i31))
                 (global (mut anyref) (ref.null none))
                 (global (ref null array) (ref.null none))
                 (elem (ref null struct) (ref.null none)))",
    );
    let s = id(&m, 0);
    let ty = |i: &ImportDesc| i.ty.clone();
    assert_eq!(
        ty(&m.imports[0]),
        ExternType::Global(crate::types::GlobalType { content: ValType::Ref(concrete(true, s)), mutable: false })
    );
    assert_eq!(m.tables[0].element, RefType::new(true, HeapType::Eq));
    assert_eq!(m.tables[1].element, RefType::new(true, HeapType::I31));
    assert_eq!(m.globals[1].content, ValType::Ref(RefType::new(true, HeapType::Any)));
    assert_eq!(m.globals[2].content, ValType::Ref(RefType::new(true, HeapType::Array)));
    assert_eq!(m.globals[1].content.to_string(), "(ref null any)");
    assert_eq!(RefType::new(true, HeapType::Any).top(), RefType::new(true, HeapType::Any));
}
