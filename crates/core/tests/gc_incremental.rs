//! Incremental marking of the GC heap (issue #13: bounded pauses): a cycle greys the roots,
//! marks in steps between which the program runs, and finishes with the roots greyed again.
//! The write barrier must keep an object stored into an already scanned one during the cycle,
//! objects allocated during it must survive it, objects dropped during it must die in the next
//! one, and a random mutator interleaved with marking steps must never see a reachable object
//! change or vanish.

mod engine_util;
mod gc_util;

use std::cell::Cell;
use std::rc::Rc;

use engine_util::{call_i32, call_ok, host, instance_with};
use gc_util::{anyref, field, Rng};
use jitless_wasm_core::runtime::collect_cycles;
use jitless_wasm_core::runtime::gc::{self, ArrayLayout, GcRef, Heap, Shape, ShapeId, SlotKind, StructLayout};
use jitless_wasm_core::{ArrayType, StorageType, StructType, Val, ValType};

/// A heap with `node` = struct { a: anyref, b: anyref, id: i64 } and `array` = array of anyref.
fn heap() -> (Heap, ShapeId, ShapeId) {
    let any = anyref();
    let mut h = Heap::new(1 << 32);
    let node = h.add_shape(Shape::Struct(StructLayout::of(&StructType {
        fields: vec![field(any), field(any), field(StorageType::Val(ValType::I64))].into(),
    })));
    let array = h.add_shape(Shape::Array(ArrayLayout::of(&ArrayType { element: field(any) })));
    (h, node, array)
}

/// A node with id `id` whose field `a` is `next`.
fn node(h: &mut Heap, shape: ShapeId, id: u64, next: GcRef) -> GcRef {
    let r = h.alloc_struct(shape).expect("room");
    h.struct_set(r, 0, u128::from(next.0));
    h.struct_set(r, 2, u128::from(id));
    r
}

/// A list of `n` nodes with ids `n - 1` (its head) down to 0.
fn list(h: &mut Heap, shape: ShapeId, n: u64) -> GcRef {
    (0..n).fold(GcRef::NULL, |next, i| node(h, shape, i, next))
}

/// Field `a` of node `r`.
fn next(h: &Heap, r: GcRef) -> GcRef {
    GcRef(h.struct_get(r, 0) as u64)
}

/// Runs the lazy sweep under way to its end.
fn sweep_all(h: &mut Heap) {
    while h.advance_sweep() {}
}

/// Allocates `n` garbage nodes with id `u64::MAX` (reusing any freed words).
fn churn(h: &mut Heap, shape: ShapeId, n: usize) {
    for _ in 0..n {
        node(h, shape, u64::MAX, GcRef::NULL);
    }
}

#[test]
fn an_object_stored_into_a_scanned_one_during_marking_survives() {
    let (mut h, shape, _) = heap();
    let y = node(&mut h, shape, 7, GcRef::NULL);
    let w = node(&mut h, shape, 2, y);
    let a = node(&mut h, shape, 1, GcRef::NULL);
    // Grey `w`, then `a`: the stack is last in, first out, so one step scans `a` alone.
    h.start_marking([w]);
    h.start_marking([a]);
    assert!(!h.mark_step(1), "`w` is still grey");
    // The program moves `y` from the grey `w` into the black `a`.
    h.struct_set(a, 0, u128::from(y.0));
    h.struct_set(w, 0, 0);
    let stats = h.finish_marking([a]);
    sweep_all(&mut h);
    churn(&mut h, shape, 100);
    assert!(h.is_object(y), "the object stored during marking was freed");
    assert_eq!(h.struct_get(next(&h, a), 2), 7, "the object stored during marking changed");
    assert_eq!(stats.live, 3, "a, y and w (grey when it lost y: kept until the next cycle)");
}

#[test]
fn objects_dropped_during_marking_are_freed_by_the_next_cycle() {
    let (mut h, shape, _) = heap();
    let list = list(&mut h, shape, 1000);
    let a = node(&mut h, shape, 1_000_000, list);
    h.start_marking([a]);
    h.mark_step(50);
    h.struct_set(a, 0, 0);
    let first = h.finish_marking([a]);
    sweep_all(&mut h);
    let second = h.collect([a]);
    assert!(first.live >= 1 && first.live <= 1001, "{first:?}");
    assert_eq!(second.live, 1, "only `a` is reachable: {second:?}");
    assert_eq!(first.live - second.live, second.freed, "the dropped list died in the second cycle");
    assert!(!h.is_object(list));
}

#[test]
fn objects_allocated_during_marking_survive_it() {
    let (mut h, shape, array) = heap();
    let old = list(&mut h, shape, 20_000);
    let a = node(&mut h, shape, 1_000_000, old);
    h.start_marking([a]);
    // New nodes linked into a list held by `a`, interleaved with garbage and marking steps;
    // one more only in a root given at the finish; an array filled with a new node.
    let mut fresh = GcRef::NULL;
    for i in 0..30_000 {
        fresh = node(&mut h, shape, 2_000_000 + i, fresh);
        node(&mut h, shape, u64::MAX, GcRef::NULL);
        if i % 100 == 0 {
            h.mark_step(64);
        }
    }
    h.struct_set(a, 1, u128::from(fresh.0));
    let only_root = node(&mut h, shape, 3_000_000, GcRef::NULL);
    let arr = h.alloc_array(array, 16).expect("room");
    let filler = node(&mut h, shape, 4_000_000, GcRef::NULL);
    h.array_fill(arr, 0, 16, 8, SlotKind::GcRef, u128::from(filler.0));
    h.struct_set(only_root, 0, u128::from(arr.0));
    assert!(h.is_marking());
    let stats = h.finish_marking([a, only_root]);
    assert!(!h.is_marking());
    assert!(stats.live >= 20_000 + 1 + 30_000 + 3, "{stats:?}");
    sweep_all(&mut h);
    churn(&mut h, shape, 50_000);
    let mut at = GcRef(h.struct_get(a, 1) as u64);
    for i in (0..30_000).rev() {
        assert_eq!(h.struct_get(at, 2) as u64, 2_000_000 + i);
        at = next(&h, at);
    }
    let mut at = next(&h, a);
    for i in (0..20_000).rev() {
        assert_eq!(h.struct_get(at, 2) as u64, i);
        at = next(&h, at);
    }
    assert_eq!(h.struct_get(only_root, 2), 3_000_000);
    for i in 0..16 {
        let e = GcRef(h.array_get(arr, i).expect("in bounds") as u64);
        assert_eq!(h.struct_get(e, 2), 4_000_000);
    }
}

/// Objects allocated during a cycle are allocated marked: they survive it even when nothing
/// refers to them at its finish, and die in the next one.
#[test]
fn objects_allocated_during_marking_are_allocated_marked() {
    let (mut h, shape, _) = heap();
    h.start_marking([]);
    let new: Vec<GcRef> = (0..10).map(|i| node(&mut h, shape, i, GcRef::NULL)).collect();
    let first = h.finish_marking([]);
    sweep_all(&mut h);
    assert!(new.iter().all(|&r| h.is_object(r)), "swept by the cycle they were allocated in");
    let second = h.collect([]);
    assert_eq!((first.live, first.freed), (10, 0));
    assert_eq!((second.live, second.freed), (0, 10));
    assert!(!new.iter().any(|&r| h.is_object(r)));
}

#[test]
fn array_copy_during_marking_keeps_what_it_copies() {
    let (mut h, shape, array) = heap();
    let src = h.alloc_array(array, 64).expect("room");
    let dst = h.alloc_array(array, 64).expect("room");
    for i in 0..64 {
        let n = node(&mut h, shape, i, GcRef::NULL);
        h.array_set(src, i as u32, u128::from(n.0));
    }
    // `src` grey, `dst` scanned; the program copies into `dst` and empties `src`.
    h.start_marking([src]);
    h.start_marking([dst]);
    h.mark_step(1);
    h.array_copy(dst, 0, src, 0, 64, 8);
    h.array_fill(src, 0, 64, 8, SlotKind::GcRef, 0);
    h.finish_marking([dst]);
    sweep_all(&mut h);
    churn(&mut h, shape, 200);
    for i in 0..64 {
        let e = GcRef(h.array_get(dst, i).expect("in bounds") as u64);
        assert!(h.is_object(e), "element {i} was freed");
        assert_eq!(h.struct_get(e, 2), u128::from(i));
    }
}

#[test]
fn a_collection_during_marking_finishes_it() {
    let (mut h, shape, _) = heap();
    let list = list(&mut h, shape, 5000);
    churn(&mut h, shape, 5000);
    h.start_marking([list]);
    h.mark_step(10);
    let stats = h.collect([list]);
    assert!(!h.is_marking());
    assert_eq!((stats.live, stats.freed), (5000, 5000));
}

/// An object of the model: its reference, whether it is an array (of [`ARRAY_LEN`]
/// elements; else a node), and its slots (model ids).
struct Model {
    r: GcRef,
    array: bool,
    slots: Vec<Option<usize>>,
}

/// The length of the model's arrays.
const ARRAY_LEN: u32 = 6;

/// Checks every object reachable in the model from `roots` against the heap.
fn check(h: &Heap, objs: &[Model], roots: &[usize], node: ShapeId, array: ShapeId) {
    let mut seen = vec![false; objs.len()];
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        let o = &objs[id];
        assert!(h.is_object(o.r), "object {id} was freed while reachable");
        let slot = |i: usize| -> GcRef {
            if o.array {
                GcRef(h.array_get(o.r, i as u32).expect("in bounds") as u64)
            } else {
                GcRef(h.struct_get(o.r, i as u32) as u64)
            }
        };
        if o.array {
            assert_eq!(h.shape_of(o.r), array, "array {id} became something else");
        } else {
            assert_eq!(h.shape_of(o.r), node, "node {id} became something else");
            assert_eq!(h.struct_get(o.r, 2), id as u128, "node {id}'s id changed");
        }
        for (i, s) in o.slots.iter().enumerate() {
            let want = s.map_or(GcRef::NULL, |t| objs[t].r);
            assert_eq!(slot(i), want, "slot {i} of object {id}");
            if let Some(t) = s {
                stack.push(*t);
            }
        }
    }
}

#[test]
fn a_random_mutator_interleaved_with_marking_steps_matches_a_model() {
    for seed in [1u64, 0x9e37_79b9_7f4a_7c15, 42, 7777] {
        let (mut h, node, array) = heap();
        let mut rng = Rng(seed);
        let mut objs: Vec<Model> = Vec::new();
        let mut roots: Vec<usize> = Vec::new();
        let mut cycles = 0;
        for step in 0..60_000 {
            match rng.below(100) {
                // Allocate a node or an array into a root.
                0..=19 => {
                    let id = objs.len();
                    let m = if rng.below(4) == 0 {
                        let r = h.alloc_array(array, ARRAY_LEN).expect("room");
                        Model { r, array: true, slots: vec![None; ARRAY_LEN as usize] }
                    } else {
                        let r = h.alloc_struct(node).expect("room");
                        h.struct_set(r, 2, id as u128);
                        Model { r, array: false, slots: vec![None; 2] }
                    };
                    objs.push(m);
                    roots.push(id);
                }
                // Store a root (or null) into a slot of a root.
                20..=44 if !roots.is_empty() => {
                    let to = roots[rng.below(roots.len() as u64) as usize];
                    let v = if rng.below(5) == 0 { None } else { Some(roots[rng.below(roots.len() as u64) as usize]) };
                    let cell = u128::from(v.map_or(0, |t| objs[t].r.0));
                    let i = rng.below(objs[to].slots.len() as u64) as usize;
                    if objs[to].array {
                        h.array_set(objs[to].r, i as u32, cell).expect("in bounds");
                    } else {
                        h.struct_set(objs[to].r, i as u32, cell);
                    }
                    objs[to].slots[i] = v;
                }
                // Load a slot of a root into a root.
                45..=64 if !roots.is_empty() => {
                    let from = roots[rng.below(roots.len() as u64) as usize];
                    let i = rng.below(objs[from].slots.len() as u64) as usize;
                    if let Some(t) = objs[from].slots[i] {
                        roots.push(t);
                    }
                }
                // Drop a root.
                65..=79 if !roots.is_empty() => {
                    let i = rng.below(roots.len() as u64) as usize;
                    roots.swap_remove(i);
                }
                // Fill or copy within arrays.
                80..=84 if !roots.is_empty() => {
                    let arrays: Vec<usize> = roots.iter().copied().filter(|&r| objs[r].array).collect();
                    if arrays.len() >= 2 {
                        let d = arrays[rng.below(arrays.len() as u64) as usize];
                        let s = arrays[rng.below(arrays.len() as u64) as usize];
                        let n = rng.below(u64::from(ARRAY_LEN)) as u32;
                        let (dat, sat) = (
                            rng.below(u64::from(ARRAY_LEN - n + 1)) as u32,
                            rng.below(u64::from(ARRAY_LEN - n + 1)) as u32,
                        );
                        if rng.below(2) == 0 {
                            let v = Some(roots[rng.below(roots.len() as u64) as usize]);
                            let cell = u128::from(v.map_or(0, |t| objs[t].r.0));
                            h.array_fill(objs[d].r, dat, n, 8, SlotKind::GcRef, cell).expect("in bounds");
                            for i in dat..dat + n {
                                objs[d].slots[i as usize] = v;
                            }
                        } else {
                            h.array_copy(objs[d].r, dat, objs[s].r, sat, n, 8).expect("in bounds");
                            let copied: Vec<Option<usize>> = objs[s].slots[sat as usize..(sat + n) as usize].to_vec();
                            objs[d].slots[dat as usize..(dat + n) as usize].copy_from_slice(&copied);
                        }
                    }
                }
                // The collector: start a cycle, a marking step, finish a cycle, a sweep step.
                85..=89 if !h.is_marking() => {
                    let rs: Vec<GcRef> = roots.iter().map(|&i| objs[i].r).collect();
                    h.start_marking(rs);
                }
                85..=95 => {
                    h.mark_step(1 + rng.below(40));
                }
                96..=97 if h.is_marking() => {
                    let rs: Vec<GcRef> = roots.iter().map(|&i| objs[i].r).collect();
                    h.finish_marking(rs);
                    cycles += 1;
                }
                _ => {
                    h.advance_sweep();
                }
            }
            if roots.len() > 40 {
                let i = rng.below(roots.len() as u64) as usize;
                roots.swap_remove(i);
            }
            if step % 500 == 0 {
                check(&h, &objs, &roots, node, array);
            }
        }
        let rs: Vec<GcRef> = roots.iter().map(|&i| objs[i].r).collect();
        h.collect(rs);
        check(&h, &objs, &roots, node, array);
        assert!(cycles > 100, "seed {seed}: only {cycles} cycles");
    }
}

/// A table of nodes in a global, each node `{v, c}` with a child `{2v, null}`, mutated by
/// `churn` (new nodes stored in the table through `array.set`, moved between slots through
/// locals, garbage arrays) while keeping the sum of the table's values in a global; `check`
/// returns 1 when every node is intact (children included) and the sum matches, else 0.
const TABLE_CHURN: &str = r#"
(module
  (import "env" "probe" (func $probe))
  (type $node (struct (field $v (mut i32)) (field $c (mut (ref null $node)))))
  (type $arr (array (mut (ref null $node))))
  (type $junk (array (mut i64)))
  (global $a (mut (ref null $arr)) (ref.null $arr))
  (global $sum (mut i32) (i32.const 0))
  (func (export "init") (param $n i32)
    (global.set $a (array.new_default $arr (local.get $n))))
  (func (export "churn") (param $iters i32) (result i32)
    (local $i i32) (local $k i32) (local $j i32) (local $old (ref null $node))
    (local $x (ref null $node)) (local $t (ref null $node)) (local $n i32)
    (local.set $n (array.len (global.get $a)))
    (loop $l
      (local.set $k (i32.rem_u (i32.mul (local.get $i) (i32.const 7919)) (local.get $n)))
      (local.set $j (i32.rem_u (i32.mul (local.get $i) (i32.const 104729)) (local.get $n)))
      (local.set $old (array.get $arr (global.get $a) (local.get $k)))
      (if (ref.is_null (local.get $old)) (then) (else
        (global.set $sum (i32.sub (global.get $sum) (struct.get $node $v (local.get $old))))))
      (local.set $x (struct.new $node (local.get $i)
        (struct.new $node (i32.shl (local.get $i) (i32.const 1)) (ref.null $node))))
      (array.set $arr (global.get $a) (local.get $k) (local.get $x))
      (global.set $sum (i32.add (global.get $sum) (local.get $i)))
      ;; Swap slots j and k through locals, and move a child into a fresh node's slot.
      (local.set $t (array.get $arr (global.get $a) (local.get $j)))
      (array.set $arr (global.get $a) (local.get $j) (array.get $arr (global.get $a) (local.get $k)))
      (array.set $arr (global.get $a) (local.get $k) (local.get $t))
      (drop (array.new_default $junk (i32.const 12)))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 997))) (then (call $probe)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iters))))
    (global.get $sum))
  (func (export "check") (result i32)
    (local $i i32) (local $s i32) (local $x (ref null $node))
    (loop $l
      (local.set $x (array.get $arr (global.get $a) (local.get $i)))
      (if (ref.is_null (local.get $x)) (then) (else
        (if (i32.ne (struct.get $node $v (struct.get $node $c (local.get $x)))
                    (i32.shl (struct.get $node $v (local.get $x)) (i32.const 1)))
          (then (return (i32.const 0))))
        (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $x))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                          (array.len (global.get $a)))))
    (i32.eq (local.get $s) (global.get $sum))))
"#;

/// The module's `env.probe` import: counts the calls made while a marking cycle is under way.
fn marking_probe() -> (jitless_wasm_core::Extern, Rc<Cell<u32>>) {
    let seen = Rc::new(Cell::new(0u32));
    let s = seen.clone();
    let probe = host(&[], &[], move |_, _| {
        s.set(s.get() + u32::from(gc::marking()));
        Ok(())
    });
    (probe, seen)
}

/// Runs [`TABLE_CHURN`] with incremental marking `on`, with the cycle collector run between
/// calls that left a marking cycle under way: (check's result, collections run, probes that
/// saw a marking cycle under way, cycle collections run mid-cycle).
fn table_churn(on: bool) -> (i32, u64, u32, u32) {
    let before = gc::set_incremental_marking(on);
    let (probe, seen) = marking_probe();
    let i = instance_with(TABLE_CHURN, &[probe]);
    let start = gc::collections();
    call_ok(&i, "init", &[Val::I32(20_000)]);
    let mut cycle_walks = 0;
    for _ in 0..100 {
        call_i32(&i, "churn", &[Val::I32(4000)]);
        // The cycle collector walks the heap between calls, mid-cycle when one is under way.
        if gc::marking() {
            collect_cycles();
            cycle_walks += 1;
        }
    }
    let ok = call_i32(&i, "check", &[]);
    gc::set_incremental_marking(before);
    (ok, gc::collections() - start, seen.get(), cycle_walks)
}

#[test]
fn the_interpreter_mutating_during_incremental_cycles_keeps_every_reachable_object() {
    let (ok, cycles, seen, walks) = table_churn(true);
    assert_eq!(ok, 1, "a node or a child was lost or changed");
    assert!(cycles >= 3, "only {cycles} collections");
    assert!(seen > 0, "no probe saw a marking cycle under way");
    assert!(walks > 0, "no call ended mid-cycle");
    let (ok, cycles, seen, walks) = table_churn(false);
    assert_eq!((ok, seen, walks), (1, 0, 0), "eager marking");
    assert!(cycles >= 3, "only {cycles} eager collections");
}

/// With the heap limit close above the trigger, allocations reach the limit while a cycle is
/// marking: the collection then finishes it at once, and nothing reachable is lost.
#[test]
fn reaching_the_heap_limit_during_marking_finishes_the_cycle() {
    gc::set_incremental_marking(true);
    // About 5.6 MB live (100,000 slots, each a node and its child): the trigger is near
    // 11 MB, marking would need about 1.4 MB more of allocation, the limit allows 1 MB.
    gc::set_heap_limit(12 << 20);
    let (probe, seen) = marking_probe();
    let i = instance_with(TABLE_CHURN, &[probe]);
    let start = gc::collections();
    call_ok(&i, "init", &[Val::I32(100_000)]);
    call_i32(&i, "churn", &[Val::I32(600_000)]);
    let ok = call_i32(&i, "check", &[]);
    gc::set_heap_limit(1 << 30);
    assert_eq!(ok, 1, "a node or a child was lost or changed");
    assert!(gc::collections() - start >= 3, "{} collections", gc::collections() - start);
    assert!(seen.get() > 0, "no probe saw a marking cycle under way");
}
