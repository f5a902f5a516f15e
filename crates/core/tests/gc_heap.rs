//! The GC heap (issue #13): struct and array layouts
//! (offsets, packed fields, traced slots), allocation and the free lists, and the mark-sweep
//! collector (reachable objects kept, unreachable ones and cycles reclaimed, the heap limit a
//! typed error).

use jitless_wasm_core::runtime::gc::heap::sign_extend;
use jitless_wasm_core::runtime::gc::{AllocError, ArrayLayout, GcRef, Heap, Shape, ShapeId, SlotKind, StructLayout};
use jitless_wasm_core::types::GcTypes;
use jitless_wasm_core::{
    ArrayType, FieldType, FuncType, FuncTypeId, HeapType, RefType, StorageType, StructType, ValType,
};

/// A field of storage `storage`, mutable.
fn field(storage: StorageType) -> FieldType {
    FieldType { storage, mutable: true }
}

/// `(ref null any)` as a storage type.
fn anyref() -> StorageType {
    StorageType::Val(ValType::Ref(RefType::new(true, HeapType::Any)))
}

/// A struct shape of `fields`.
fn struct_shape(fields: Vec<StorageType>) -> Shape {
    Shape::Struct(StructLayout::of(&StructType { fields: fields.into_iter().map(field).collect() }))
}

/// A heap of `limit` bytes with a pair struct `(anyref, anyref)` and an array of anyref.
fn heap(limit: u64) -> (Heap, ShapeId, ShapeId) {
    let mut h = Heap::new(limit);
    let pair = h.add_shape(struct_shape(vec![anyref(), anyref()]));
    let array = h.add_shape(Shape::Array(ArrayLayout::of(&ArrayType { element: field(anyref()) })));
    (h, pair, array)
}

#[test]
fn struct_layout_places_fields_in_order_at_natural_alignment() {
    let s = StructType {
        fields: [
            StorageType::I8,
            StorageType::Val(ValType::I64),
            StorageType::I16,
            anyref(),
            StorageType::Val(ValType::V128),
            StorageType::Val(ValType::FUNCREF),
        ]
        .into_iter()
        .map(field)
        .collect(),
    };
    let l = StructLayout::of(&s);
    let at: Vec<(u32, u32)> = l.fields.iter().map(|f| (f.offset, f.size)).collect();
    // i8 @0, i64 @8, i16 @16, anyref @24, v128 @32, funcref @48: 56 bytes → 7 words.
    assert_eq!(at, [(0, 1), (8, 8), (16, 2), (24, 8), (32, 16), (48, 8)]);
    assert_eq!(l.words, 7);
    assert_eq!(l.fields[3].kind, SlotKind::GcRef);
    assert_eq!(l.fields[5].kind, SlotKind::HostRef);
    // Every reference slot is traced (an externref may hold an externalized object).
    assert_eq!(&*l.refs, [24, 48]);
    assert_eq!(StructLayout::of(&StructType { fields: [].into() }).words, 0);
    let packed = ArrayLayout::of(&ArrayType { element: field(StorageType::I16) });
    assert_eq!((packed.element_size, packed.words(5)), (2, Some(2)));
}

#[test]
fn fields_and_packed_values_round_trip() {
    let mut h = Heap::new(1 << 20);
    let s = h.add_shape(struct_shape(vec![
        StorageType::I8,
        StorageType::I16,
        StorageType::Val(ValType::I32),
        StorageType::Val(ValType::F64),
        StorageType::Val(ValType::V128),
    ]));
    let r = h.alloc_struct(s).unwrap();
    for f in 0..5 {
        assert_eq!(h.struct_get(r, f), 0, "fields start zero");
    }
    h.struct_set(r, 0, 0x1ff); // wraps to 8 bits
    h.struct_set(r, 1, 0x8001);
    h.struct_set(r, 2, 0xdead_beef);
    h.struct_set(r, 3, 1.5f64.to_bits().into());
    h.struct_set(r, 4, u128::MAX - 1);
    assert_eq!(h.struct_get(r, 0), 0xff);
    assert_eq!(sign_extend(h.struct_get(r, 0), 1), -1);
    assert_eq!(h.struct_get(r, 1), 0x8001);
    assert_eq!(sign_extend(h.struct_get(r, 1), 2), -32767);
    assert_eq!(h.struct_get(r, 2), 0xdead_beef);
    assert_eq!(f64::from_bits(h.struct_get(r, 3) as u64), 1.5);
    assert_eq!(h.struct_get(r, 4), u128::MAX - 1);

    let a = h.add_shape(Shape::Array(ArrayLayout::of(&ArrayType { element: field(StorageType::I8) })));
    let arr = h.alloc_array(a, 11).unwrap();
    assert_eq!(h.array_len(arr), 11);
    for i in 0..11 {
        h.array_set(arr, i, u128::from(i) * 30).unwrap();
    }
    assert_eq!(
        (0..11).map(|i| h.array_get(arr, i).unwrap()).collect::<Vec<_>>(),
        (0..11).map(|i| (i * 30) % 256).collect::<Vec<_>>()
    );
    assert_eq!(h.array_get(arr, 11), None);
    assert_eq!(h.array_set(arr, 11, 0), None);
    assert_eq!(h.alloc_struct(a), Err(AllocError::ShapeKind));
    assert_eq!(h.alloc_array(s, 1), Err(AllocError::ShapeKind));
    assert_eq!(h.alloc_array(a, u32::MAX), Err(AllocError::TooLarge));
}

#[test]
fn i31_references() {
    for v in [0, 1, -1, (1 << 30) - 1, -(1 << 30)] {
        let r = GcRef::i31(v);
        assert_eq!(r.i31_get_s(), Some(v));
        assert_eq!(r.i31_get_u(), Some(v & 0x7fff_ffff));
        assert_eq!(r.addr(), None);
    }
    assert_eq!(GcRef::i31(1 << 30).i31_get_s(), Some(-(1 << 30)), "the top bit is dropped");
    assert!(GcRef::NULL.is_null() && GcRef::NULL.i31_get_s().is_none());
}

#[test]
fn reachable_objects_are_kept_and_the_rest_reclaimed() {
    let (mut h, pair, array) = heap(1 << 20);
    // Garbage first, so that its cells are not the heap's tail.
    let garbage: Vec<GcRef> = (0..10).map(|_| h.alloc_struct(pair).unwrap()).collect();
    let leaf = h.alloc_struct(pair).unwrap();
    let root = h.alloc_struct(pair).unwrap();
    h.struct_set(root, 1, leaf.0.into());
    h.struct_set(root, 0, GcRef::i31(7).0.into());
    let arr = h.alloc_array(array, 3).unwrap();
    let in_array = h.alloc_struct(pair).unwrap();
    h.array_set(arr, 2, in_array.0.into()).unwrap();
    h.struct_set(leaf, 0, arr.0.into());
    h.struct_set(garbage[0], 0, leaf.0.into()); // garbage pointing at live objects
    let stats = h.collect([root, GcRef::NULL, GcRef::i31(3)]);
    assert_eq!((stats.live, stats.freed), (4, 10));
    assert_eq!(stats.freed_bytes, 10 * 3 * 8, "a header and two payload words (two 8-byte references) each");
    // The live graph is intact.
    assert_eq!(GcRef(h.struct_get(root, 1) as u64), leaf);
    assert_eq!(GcRef(h.struct_get(root, 0) as u64).i31_get_s(), Some(7));
    assert_eq!(GcRef(h.array_get(arr, 2).unwrap() as u64), in_array);
    // Freed cells (coalesced into one, then split) are reused before the heap grows.
    let before = h.heap_bytes();
    for _ in 0..10 {
        h.alloc_struct(pair).unwrap();
    }
    assert_eq!(h.heap_bytes(), before);
    // A second collection with the same root keeps the same objects.
    assert_eq!(h.collect([root]).live, 4);
}

#[test]
fn cycles_are_reclaimed() {
    let (mut h, pair, array) = heap(1 << 20);
    let a = h.alloc_struct(pair).unwrap();
    let b = h.alloc_struct(pair).unwrap();
    h.struct_set(a, 0, b.0.into());
    h.struct_set(b, 0, a.0.into());
    let arr = h.alloc_array(array, 1).unwrap();
    h.array_set(arr, 0, arr.0.into()).unwrap(); // a self-cycle
    let kept = h.alloc_struct(pair).unwrap();
    h.struct_set(kept, 1, kept.0.into());
    let stats = h.collect([kept]);
    assert_eq!((stats.live, stats.freed), (1, 3));
    assert_eq!(h.used_bytes(), 3 * 8);
    // The cycle of the root survives as long as it is rooted.
    assert_eq!(h.collect([kept]).live, 1);
    assert_eq!(h.collect([]).freed, 1);
    assert_eq!((h.used_bytes(), h.heap_bytes()), (0, 8), "an empty heap gives its tail back");
}

#[test]
fn a_deep_chain_is_marked_without_recursion() {
    let (mut h, pair, _) = heap(64 << 20);
    let mut head = GcRef::NULL;
    for _ in 0..200_000 {
        let node = h.alloc_struct(pair).unwrap();
        h.struct_set(node, 0, head.0.into());
        head = node;
    }
    assert_eq!(h.collect([head]).live, 200_000);
    assert_eq!(h.collect([]).freed, 200_000);
}

#[test]
fn the_heap_limit_is_a_typed_error_until_a_collection_frees_room() {
    let (mut h, pair, array) = heap(1024);
    let mut kept = Vec::new();
    let err = loop {
        match h.alloc_struct(pair) {
            Ok(r) => kept.push(r),
            Err(e) => break e,
        }
    };
    assert_eq!(err, AllocError::HeapLimit { requested: 24, limit: 1024 });
    assert_eq!(kept.len(), 1024 / 24);
    assert!(matches!(h.alloc_array(array, 1000), Err(AllocError::HeapLimit { .. })));
    // Keeping half: the other half's room comes back.
    let roots: Vec<GcRef> = kept.iter().copied().step_by(2).collect();
    h.collect(roots.iter().copied());
    let mut again = 0;
    while h.alloc_struct(pair).is_ok() {
        again += 1;
    }
    assert_eq!(again, kept.len() - roots.len());
    // Once everything is freed, the whole limit is available again.
    h.collect([]);
    assert!(h.alloc_array(array, 100).is_ok(), "800 bytes of references and a header");
}

/// The canonical types of the type section of `wat`, read with GC types decoded (the switch no
/// profile turns on; the module itself is never compiled).
fn canonical_types(wat: &str) -> Vec<FuncTypeId> {
    let bytes = wat::parse_str(wat).expect("test WAT parses");
    let mut types: Vec<FuncType> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
        if let wasmparser::Payload::TypeSection(reader) = payload.unwrap() {
            for group in reader {
                let group = group.unwrap();
                let subs: Vec<&wasmparser::SubType> = group.types().collect();
                types.extend(FuncType::rec_group_from_wasmparser(&subs, &types, GcTypes::Decode).unwrap());
            }
        }
    }
    types.iter().map(FuncTypeId::of).collect()
}

#[test]
fn shapes_of_canonical_types() {
    let ids = canonical_types(
        "(module (type $s (struct (field i8) (field (mut (ref null $s))) (field i64)))
                 (type (array (mut i16)))
                 (type (func)))",
    );
    let mut h = Heap::new(1 << 20);
    let s = h.shape_for(ids[0]).expect("a struct's shape");
    assert_eq!(h.shape_for(ids[0]), Some(s), "registered once");
    let a = h.shape_for(ids[1]).expect("an array's shape");
    assert_eq!(h.shape_for(ids[2]), None, "a function type has no shape");
    let Shape::Struct(layout) = Shape::of(ids[0]).unwrap() else { panic!("not a struct") };
    // i8 @0, the reference @8, i64 @16: three payload words; the reference is traced.
    assert_eq!(layout.fields.iter().map(|f| f.offset).collect::<Vec<_>>(), [0, 8, 16]);
    assert_eq!((layout.words, &*layout.refs), (3, &[8][..]));
    // A self-referencing struct is traced through its field.
    let x = h.alloc_struct(s).unwrap();
    let y = h.alloc_struct(s).unwrap();
    h.struct_set(x, 1, y.0.into());
    h.struct_set(y, 1, x.0.into());
    let arr = h.alloc_array(a, 3).unwrap();
    h.array_set(arr, 1, 0xffff).unwrap();
    assert_eq!(sign_extend(h.array_get(arr, 1).unwrap(), 2), -1);
    assert_eq!(h.collect([x]).live, 2);
    assert_eq!(h.collect([]).freed, 2);
}
