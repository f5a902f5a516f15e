//! Dev-only compile timing (issue #16): `Module::new` of a binary module, with the heap
//! allocations it makes counted by a wrapping global allocator.
//!
//! ```text
//! compile_bench <file.wasm> [repeats]   compiles `repeats` times (default 5); prints one JSON
//!                                       line: the times in ms, and for the first compile the
//!                                       allocation count, bytes allocated, the peak and the
//!                                       bytes still held by the module (live after it returns)
//! ```
//! Build with `cargo build --release -p jitless-wasm-core --examples`; profile with
//! `perf record -g -e cpu-clock target/release/examples/compile_bench esbuild.wasm 20`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use jitless_wasm_core::Module;

/// The system allocator, counting.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` with the same arguments; the counters do not
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size, Relaxed);
        let live = LIVE.fetch_add(new_size, Relaxed) + new_size;
        PEAK.fetch_max(live, Relaxed);
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: compile_bench <file.wasm> [repeats]");
        std::process::exit(2);
    };
    let repeats: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let bytes = std::fs::read(path).expect("readable module");
    let live0 = LIVE.load(Relaxed);
    let (allocs0, bytes0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    PEAK.store(live0, Relaxed);
    let mut times = Vec::with_capacity(repeats);
    let mut first = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let module = Module::new(&bytes).expect("a valid module");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        if first.is_none() {
            first = Some((
                ALLOCS.load(Relaxed) - allocs0,
                BYTES.load(Relaxed) - bytes0,
                PEAK.load(Relaxed) - live0,
                LIVE.load(Relaxed) - live0,
            ));
        }
        drop(module);
    }
    let (allocs, allocated, peak, held) = first.expect("at least one compile");
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let times: Vec<String> = times.iter().map(|t| format!("{t:.1}")).collect();
    println!(
        "{{\"median_ms\":{:.1},\"ms\":[{}],\"allocs\":{allocs},\"allocated\":{allocated},\"peak\":{peak},\"held\":{held}}}",
        sorted[sorted.len() / 2],
        times.join(",")
    );
}
