//! The GC type system's rules that need no module (issue #13): the abstract heap hierarchies
//! (`any`/`eq`/`i31`/`struct`/`array`/`none`, `func`/`nofunc`, `extern`/`noextern`,
//! `exn`/`noexn`) with their bottoms, nullability, and packed storage and field subtyping.
//! Defined types (recursion groups, declared supertypes) are tested in the core's
//! `module::gc_types_tests`, which decode GC modules behind the core-internal switch.

use jitless_wasm_core::{FieldType, HeapType, RefType, StorageType, ValType};

use HeapType as H;

/// Every abstract heap type.
const ABSTRACT: [HeapType; 12] =
    [H::Any, H::Eq, H::I31, H::Struct, H::Array, H::None, H::Func, H::NoFunc, H::Extern, H::NoExtern, H::Exn, H::NoExn];

/// The subtyping pairs (sub, super) between distinct abstract heap types: every other pair
/// does not match.
const SUBTYPES: [(HeapType, HeapType); 13] = [
    (H::Eq, H::Any),
    (H::I31, H::Eq),
    (H::I31, H::Any),
    (H::Struct, H::Eq),
    (H::Struct, H::Any),
    (H::Array, H::Eq),
    (H::Array, H::Any),
    (H::None, H::I31),
    (H::None, H::Struct),
    (H::None, H::Array),
    (H::NoFunc, H::Func),
    (H::NoExtern, H::Extern),
    (H::NoExn, H::Exn),
];

#[test]
fn abstract_heap_hierarchies() {
    for a in ABSTRACT {
        for b in ABSTRACT {
            let expected = a == b || SUBTYPES.contains(&(a, b)) || (a == H::None && matches!(b, H::Eq | H::Any));
            assert_eq!(a.matches(&b), expected, "{a:?} <: {b:?}");
        }
    }
}

#[test]
fn tops_and_bottoms() {
    for a in ABSTRACT {
        assert!(a.matches(&a.top()), "{a:?} <: its top");
        assert!(a.bottom().matches(&a), "its bottom <: {a:?}");
        assert_eq!(a.is_gc(), a.top() == H::Any);
    }
    assert_eq!(H::NoFunc.top(), H::Func);
    assert_eq!(H::Eq.bottom(), H::None);
    assert_eq!(H::Extern.bottom(), H::NoExtern);
    assert_eq!(H::Exn.bottom(), H::NoExn);
    // The nullable tops keep their own variants; the internal hierarchy's is `(ref null any)`.
    assert_eq!(RefType::new(false, H::NoFunc).top(), RefType::FuncRef);
    assert_eq!(RefType::new(false, H::NoExtern).top(), RefType::ExternRef);
    assert_eq!(RefType::new(false, H::I31).top(), RefType::new(true, H::Any));
}

#[test]
fn nullability_and_names() {
    let any = RefType::new(true, H::Any);
    let i31 = RefType::new(false, H::I31);
    assert!(i31.matches(&any) && !any.matches(&i31));
    assert!(RefType::new(true, H::None).matches(&any));
    assert!(!RefType::new(true, H::None).matches(&RefType::new(false, H::Any)));
    assert!(!RefType::new(true, H::None).matches(&RefType::FuncRef));
    assert!(!RefType::new(true, H::NoFunc).matches(&any));
    assert!(!RefType::ExternRef.matches(&any) && !any.matches(&RefType::ExternRef));
    for (t, name) in [(i31, "(ref i31)"), (any, "(ref null any)"), (RefType::new(true, H::None), "(ref null none)")] {
        assert_eq!(t.to_string(), name);
    }
    assert!(!ValType::Ref(i31).is_defaultable() && ValType::Ref(any).is_defaultable());
}

#[test]
fn packed_storage_and_field_subtyping() {
    let val = |t| StorageType::Val(ValType::Ref(t));
    let (eq, any) = (RefType::new(true, H::Eq), RefType::new(true, H::Any));
    assert!(StorageType::I8.matches(&StorageType::I8));
    assert!(!StorageType::I8.matches(&StorageType::I16) && !StorageType::I8.matches(&StorageType::Val(ValType::I32)));
    assert!(!StorageType::Val(ValType::I32).matches(&StorageType::I8));
    assert_eq!(StorageType::I16.unpacked(), ValType::I32);
    assert!(val(eq).matches(&val(any)) && !val(any).matches(&val(eq)));
    let field = |storage, mutable| FieldType { storage, mutable };
    // Immutable fields are covariant; mutable ones invariant; mutability must agree.
    assert!(field(val(eq), false).matches(&field(val(any), false)));
    assert!(!field(val(eq), true).matches(&field(val(any), true)));
    assert!(field(val(eq), true).matches(&field(val(eq), true)));
    assert!(!field(val(eq), true).matches(&field(val(eq), false)));
    assert!(!field(val(eq), false).matches(&field(val(eq), true)));
    assert!(field(StorageType::I8, true).matches(&field(StorageType::I8, true)));
}
