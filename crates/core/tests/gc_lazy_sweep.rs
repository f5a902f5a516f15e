//! The GC heap's lazy sweep (issue #13: shorter pauses): `collect_marking` only marks, and the
//! allocations that follow sweep a step at a time. Objects allocated while the sweep is under way
//! (in swept free cells, or appended ahead of it) must survive it, no live object may change,
//! the heap must reuse the dead objects' words, and a conservative root that names a dead object
//! must not bring it back.

mod gc_util;

use gc_util::{anyref, field, Rng};
use jitless_wasm_core::runtime::gc::{ArrayLayout, GcRef, Heap, Shape, ShapeId, StructLayout};
use jitless_wasm_core::{ArrayType, StorageType, StructType, ValType};

/// A heap with `node` = struct { next: anyref, id: i64 } and `array` = array of anyref.
fn heap() -> (Heap, ShapeId, ShapeId) {
    let any = anyref();
    let mut h = Heap::new(1 << 32);
    let node = h.add_shape(Shape::Struct(StructLayout::of(&StructType {
        fields: vec![field(any), field(StorageType::Val(ValType::I64))].into(),
    })));
    let array = h.add_shape(Shape::Array(ArrayLayout::of(&ArrayType { element: field(any) })));
    (h, node, array)
}

/// A node with id `id` pointing at `next`.
fn node(h: &mut Heap, shape: ShapeId, id: u64, next: GcRef) -> GcRef {
    let r = h.alloc_struct(shape).expect("room");
    h.struct_set(r, 0, u128::from(next.0));
    h.struct_set(r, 1, u128::from(id));
    r
}

/// The ids along the list from `head`.
fn ids(h: &Heap, head: GcRef) -> Vec<u64> {
    let mut out = Vec::new();
    let mut at = head;
    while !at.is_null() {
        assert!(out.len() < 100_000, "a cycle in a list: the heap is corrupt");
        out.push(h.struct_get(at, 1) as u64);
        at = GcRef(h.struct_get(at, 0) as u64);
    }
    out
}

#[test]
fn objects_allocated_during_the_sweep_survive_it_and_the_next_collection() {
    let (mut h, shape, _) = heap();
    // A live list: 10,000 nodes (more words than a sweep step, so the first allocations after
    // the collection find no free cell and are appended ahead of the sweep), then 2,000 more
    // interleaved with 2,000 dead ones.
    let mut head = GcRef::NULL;
    for i in 0..12_000 {
        head = node(&mut h, shape, i, head);
        if i >= 10_000 {
            node(&mut h, shape, 1_000_000 + i, GcRef::NULL);
        }
    }
    let stats = h.collect_marking([head]);
    assert_eq!((stats.live, stats.freed), (12_000, 2000));
    assert_eq!(h.used_bytes(), 12_000 * 3 * 8, "used is the live words (header, next, id) at once");
    // New nodes while the sweep is under way: appended ahead of it first, then in swept cells.
    let before = h.heap_bytes();
    let mut fresh = GcRef::NULL;
    for i in 0..3000 {
        fresh = node(&mut h, shape, 5_000_000 + i, fresh);
    }
    assert!(h.heap_bytes() > before, "some nodes were appended while the sweep was under way");
    let expect_old: Vec<u64> = (0..12_000).rev().collect();
    let expect_new: Vec<u64> = (5_000_000..5_003_000).rev().collect();
    assert_eq!(ids(&h, head), expect_old);
    assert_eq!(ids(&h, fresh), expect_new);
    let stats = h.collect([head, fresh]);
    assert_eq!((stats.live, stats.freed), (15_000, 0), "nothing allocated during the sweep was lost");
    assert_eq!(ids(&h, head), expect_old);
    assert_eq!(ids(&h, fresh), expect_new);
}

#[test]
fn the_heap_reuses_dead_words_across_lazy_collections() {
    let (mut h, shape, array) = heap();
    let mut live = GcRef::NULL;
    for i in 0..1000 {
        live = node(&mut h, shape, i, live);
    }
    let mut peak = 0;
    for round in 0..200u64 {
        for i in 0..5000 {
            node(&mut h, shape, round * 10_000 + i, GcRef::NULL);
            if i % 100 == 0 {
                h.alloc_array(array, (i % 7) as u32).expect("room");
            }
        }
        h.collect_marking([live]);
        peak = peak.max(h.heap_bytes());
    }
    // One round's garbage is about 5,000 × 32 bytes; without reuse the heap would be 200 times that.
    assert!(peak < 3 * 5000 * 32 + 1000 * 32 * 2, "peak heap {peak} bytes");
    assert_eq!(ids(&h, live), (0..1000).rev().collect::<Vec<_>>());
}

#[test]
fn a_conservative_root_naming_a_dead_object_does_not_bring_it_back() {
    let (mut h, shape, _) = heap();
    let keep = node(&mut h, shape, 1, GcRef::NULL);
    let dead = node(&mut h, shape, 2, keep);
    let dead_child_of_dead = node(&mut h, shape, 3, GcRef::NULL);
    h.struct_set(dead, 0, u128::from(dead_child_of_dead.0));
    h.collect_marking([keep]);
    // Allocations may reuse the dead words before the next collection.
    for i in 0..10 {
        node(&mut h, shape, 100 + i, GcRef::NULL);
    }
    // A stale address among the roots (a frame's old cell, scanned conservatively).
    let stats = h.collect([keep, dead, dead_child_of_dead]);
    let reused = stats.live - 1;
    assert!(reused <= 2, "at most the objects now at those addresses: {} live", stats.live);
    assert_eq!(ids(&h, keep), vec![1]);
}

/// Random graphs of nodes and arrays, mutated between lazy and eager collections, checked
/// against a model: every root's reachable structure (ids and edges) is what the model says.
#[test]
fn random_mutations_between_lazy_collections_match_a_model() {
    for seed in 1..=8u64 {
        let (mut h, shape, array) = heap();
        let mut rng = Rng(seed * 0x9e37_79b9_7f4a_7c15);
        // Model: per root slot, (object, its id); ids are unique per node.
        let mut roots: Vec<GcRef> = Vec::new();
        let mut next_id = 1u64;
        for step in 0..4000 {
            match rng.below(10) {
                0..=4 => {
                    // A node pointing at a random root's object (or null).
                    let next = if roots.is_empty() || rng.below(3) == 0 {
                        GcRef::NULL
                    } else {
                        roots[rng.below(roots.len() as u64) as usize]
                    };
                    let r = node(&mut h, shape, next_id, next);
                    next_id += 1;
                    if rng.below(2) == 0 {
                        roots.push(r);
                    }
                }
                5 => {
                    // An array holding some roots' objects.
                    let n = rng.below(20) as u32;
                    let a = h.alloc_array(array, n).expect("room");
                    for i in 0..n {
                        if !roots.is_empty() {
                            let v = roots[rng.below(roots.len() as u64) as usize];
                            h.array_set(a, i, u128::from(v.0));
                        }
                    }
                    roots.push(a);
                }
                6 | 7 => {
                    if !roots.is_empty() {
                        let i = rng.below(roots.len() as u64) as usize;
                        roots.swap_remove(i);
                    }
                }
                8 => {
                    let _ = h.collect_marking(roots.clone());
                }
                _ => {
                    if step % 7 == 0 {
                        let _ = h.collect(roots.clone());
                    }
                }
            }
            if step % 500 == 499 {
                // Snapshot what every root reaches, collect lazily, churn, and compare.
                let before: Vec<String> = roots.iter().map(|&r| describe(&h, shape, r, 4)).collect();
                let stats = h.collect_marking(roots.clone());
                for i in 0..2000 {
                    node(&mut h, shape, 900_000_000 + i, GcRef::NULL);
                }
                let after: Vec<String> = roots.iter().map(|&r| describe(&h, shape, r, 4)).collect();
                assert_eq!(before, after, "seed {seed} step {step}");
                let again = h.collect(roots.clone());
                assert_eq!(again.live, stats.live, "seed {seed} step {step}: the churn was all garbage");
            }
        }
    }
}

/// What `r` reaches, to `depth` levels: node ids and array contents.
fn describe(h: &Heap, node_shape: ShapeId, r: GcRef, depth: u32) -> String {
    if r.is_null() {
        return "null".into();
    }
    if depth == 0 {
        return "…".into();
    }
    if h.shape_of(r) == node_shape {
        let next = GcRef(h.struct_get(r, 0) as u64);
        format!("n{}({})", h.struct_get(r, 1) as u64, describe(h, node_shape, next, depth - 1))
    } else {
        let items: Vec<String> = (0..h.array_len(r))
            .map(|i| describe(h, node_shape, GcRef(h.array_get(r, i).expect("in bounds") as u64), depth - 1))
            .collect();
        format!("[{}]", items.join(","))
    }
}
