//! Dev-only GC pause timing (issue #13): collection pauses of the GC heap with a big live heap.
//!
//! ```text
//! gc_pause [live MB] [collections] [lazy|eager|incremental]
//!     builds a linked list of `live MB` of 32-byte structs (default 200), then `collections`
//!     times (default 20) allocates as many bytes of garbage as a quarter of the live heap and
//!     collects, with a lazy sweep (the default) or an eager one; prints one JSON line: the
//!     pauses' max, p99 (nearest rank), median and min in ms, and the total time of the garbage
//!     allocations (which do the lazy sweep's steps)
//!
//!     incremental: as the store collects. Each cycle finishes the lazy sweep a step at a time
//!     (a step that took more than 20 µs is a pause), starts marking (a pause: the roots), then allocates garbage (at
//!     least a quarter of the live heap) until the marking, paid by allocation, has nothing
//!     left, and finishes it (a pause); every allocation that took more than 20 µs (it did a
//!     marking step) is a pause too, except those that grew the heap's vector (a copy of the
//!     whole heap, in every mode: reported apart as the growth pause). Prints the same line
//!     plus the number of pauses, the largest start, finish and growth pauses.
//! ```
//! Build with `cargo build --release -p jitless-wasm-core --examples`.

use std::time::Instant;

use jitless_wasm_core::runtime::gc::{GcRef, Heap, Shape, ShapeId, StructLayout};
use jitless_wasm_core::types::{FieldType, HeapType, RefType, StorageType, StructType, ValType};

fn main() {
    let lazy = !std::env::args().any(|a| a == "eager");
    let incremental = std::env::args().any(|a| a == "incremental");
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter(|a| a != "eager" && a != "lazy" && a != "incremental")
        .map(|a| a.parse().expect("a number"))
        .collect();
    let live_mb = args.first().copied().unwrap_or(200);
    let collections = args.get(1).copied().unwrap_or(20) as usize;

    // struct { next: (ref null any), a: i64, b: i64 }: 3 payload words + a header = 32 bytes.
    let any = StorageType::Val(ValType::Ref(RefType::new(true, HeapType::Any)));
    let i64 = StorageType::Val(ValType::I64);
    let fields = [any, i64, i64].map(|storage| FieldType { storage, mutable: true });
    let mut heap = Heap::new(4 << 30);
    let node = heap.add_shape(Shape::Struct(StructLayout::of(&StructType { fields: fields.to_vec().into() })));

    let objects = live_mb * (1 << 20) / 32;
    let mut head = GcRef::NULL;
    for i in 0..objects {
        let r = heap.alloc_struct(node).expect("room for the live heap");
        heap.struct_set(r, 0, u128::from(head.0));
        heap.struct_set(r, 1, u128::from(i));
        head = r;
    }
    if incremental {
        return incremental_pauses(&mut heap, node, head, objects, collections, live_mb);
    }
    let mut pauses = Vec::with_capacity(collections);
    let mut alloc_ms = 0.0;
    for _ in 0..collections {
        let start = Instant::now();
        for _ in 0..objects / 4 {
            heap.alloc_struct(node).expect("room for the garbage");
        }
        alloc_ms += start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        let stats = if lazy { heap.collect_marking([head]) } else { heap.collect([head]) };
        pauses.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(stats.live, objects, "the list stays alive");
    }
    pauses.sort_by(f64::total_cmp);
    let rank = |p: f64| pauses[((p * pauses.len() as f64).ceil() as usize).clamp(1, pauses.len()) - 1];
    println!(
        "{{\"live_mb\":{live_mb},\"objects\":{objects},\"collections\":{collections},\"sweep\":\"{}\",\"max_ms\":{:.1},\"p99_ms\":{:.1},\"median_ms\":{:.1},\"min_ms\":{:.1},\"alloc_ms\":{alloc_ms:.0}}}",
        if lazy { "lazy" } else { "eager" },
        pauses[pauses.len() - 1],
        rank(0.99),
        rank(0.5),
        pauses[0]
    );
}

/// The milliseconds since `start`.
fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The `incremental` mode (see the module's documentation).
fn incremental_pauses(heap: &mut Heap, node: ShapeId, head: GcRef, objects: u64, collections: usize, live_mb: u64) {
    let mut pauses = Vec::new();
    let (mut start_max, mut finish_max, mut growth_max, mut alloc_ms) = (0f64, 0f64, 0f64, 0.0);
    for _ in 0..collections {
        loop {
            let t = Instant::now();
            let sweeping = heap.advance_sweep();
            if ms(t) > 0.02 {
                pauses.push(ms(t));
            }
            if !sweeping {
                break;
            }
        }
        let t = Instant::now();
        heap.start_marking([head]);
        start_max = start_max.max(ms(t));
        pauses.push(ms(t));
        let mut allocated = 0;
        let all = Instant::now();
        while allocated < objects / 4 || !heap.marking_drained() {
            let reserved = heap.reserved_bytes();
            let t = Instant::now();
            heap.alloc_struct(node).expect("room for the garbage");
            let took = ms(t);
            if heap.reserved_bytes() != reserved {
                growth_max = growth_max.max(took);
            } else if took > 0.02 {
                pauses.push(took);
            }
            allocated += 1;
        }
        alloc_ms += ms(all);
        let t = Instant::now();
        let stats = heap.finish_marking([head]);
        finish_max = finish_max.max(ms(t));
        pauses.push(ms(t));
        assert!(stats.live >= objects, "the list stays alive");
    }
    pauses.sort_by(f64::total_cmp);
    let rank = |p: f64| pauses[((p * pauses.len() as f64).ceil() as usize).clamp(1, pauses.len()) - 1];
    println!(
        "{{\"live_mb\":{live_mb},\"objects\":{objects},\"collections\":{collections},\"marking\":\"incremental\",\"max_ms\":{:.2},\"p99_ms\":{:.2},\"median_ms\":{:.3},\"min_ms\":{:.3},\"pauses\":{},\"start_max_ms\":{start_max:.2},\"finish_max_ms\":{finish_max:.2},\"growth_max_ms\":{growth_max:.1},\"alloc_ms\":{alloc_ms:.0}}}",
        pauses[pauses.len() - 1],
        rank(0.99),
        rank(0.5),
        pauses[0],
        pauses.len()
    );
}
