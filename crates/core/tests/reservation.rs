//! The process-wide address-space and mapping budget of linear memories: a memory that does not
//! fit fails with `ResourceError::MemoryReserve` (the binding's `RangeError`) instead of exhausting the
//! address space; before failing, the embedder's reclaim hook and the cycle collector get a
//! chance to free unreachable memories.
//!
//! The budget is process-wide, so the tests here take a lock and restore the limits.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Mutex;

use jitless_wasm_core::runtime::{
    reclaim_count, reservation_usage, set_reclaim_hook, set_reservation_limits, PAGE_SIZE,
};
use jitless_wasm_core::types::{Limits, MemoryType};
use jitless_wasm_core::{Error, Instance, Memory, Module, ResourceError};

static LOCK: Mutex<()> = Mutex::new(());

/// 4 GiB: the reservation of a 32-bit memory with maximum 65,536 pages.
const FOUR_GIB: usize = 65_536 * PAGE_SIZE;

fn ty(min: u64, max: Option<u64>) -> MemoryType {
    MemoryType { limits: Limits { min, max }, memory64: false, shared: false }
}

/// Runs `f` with the budget set to `bytes` / `maps` beyond what is reserved now, then restores it.
fn with_budget(bytes: usize, maps: usize, f: impl FnOnce()) {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let (used_bytes, used_maps) = reservation_usage();
    set_reservation_limits(Some(used_bytes + bytes), Some(used_maps + maps));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    set_reservation_limits(None, None);
    set_reclaim_hook(None);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

fn is_allocation_failure(r: &Result<Memory, Error>) -> bool {
    matches!(r, Err(Error::Resource(ResourceError::MemoryReserve { .. })))
}

#[test]
fn memories_beyond_the_address_space_budget_fail_cleanly() {
    with_budget(3 * FOUR_GIB, 1000, || {
        let kept: Vec<Memory> = (0..3).map(|_| Memory::new(ty(1, Some(65_536))).unwrap()).collect();
        assert!(is_allocation_failure(&Memory::new(ty(1, Some(65_536)))));
        // A smaller reservation still fits nowhere: the budget is full.
        assert!(is_allocation_failure(&Memory::new(ty(1, Some(2)))));
        // Freeing one gives its share back.
        drop(kept);
        let again: Vec<Memory> = (0..3).map(|_| Memory::new(ty(1, Some(65_536))).unwrap()).collect();
        assert_eq!(again.len(), 3);
    });
}

#[test]
fn memories_beyond_the_mapping_budget_fail_cleanly() {
    // Two mappings per memory.
    with_budget(usize::MAX / 4, 4, || {
        let a = Memory::new(ty(1, Some(4))).unwrap();
        let b = Memory::new(ty(1, Some(4))).unwrap();
        assert!(is_allocation_failure(&Memory::new(ty(1, Some(4)))));
        drop((a, b));
        assert!(Memory::new(ty(1, Some(4))).is_ok());
    });
}

#[test]
fn the_reclaim_hook_runs_before_an_allocation_fails() {
    with_budget(2 * FOUR_GIB, 1000, || {
        // The "embedder" holds memories that it can let go of when asked.
        let droppable: Rc<RefCell<Vec<Memory>>> = Rc::new(RefCell::new(Vec::new()));
        droppable.borrow_mut().push(Memory::new(ty(1, None)).unwrap());
        droppable.borrow_mut().push(Memory::new(ty(1, None)).unwrap());
        let hook_holds = droppable.clone();
        set_reclaim_hook(Some(Rc::new(move || hook_holds.borrow_mut().clear())));
        let before = reclaim_count();
        let m = Memory::new(ty(1, None));
        assert!(m.is_ok(), "the hook freed two memories, so the third fits");
        assert_eq!(reclaim_count(), before + 1);
        assert!(droppable.borrow().is_empty());
        // Nothing left to reclaim: the next failure is a clean error, after one more reclaim.
        let _second = Memory::new(ty(1, None)).unwrap();
        assert!(is_allocation_failure(&Memory::new(ty(1, None))));
        assert_eq!(reclaim_count(), before + 2);
    });
}

#[test]
fn memories_of_cyclic_garbage_are_reclaimed_by_the_collector() {
    // Each instance's table holds its own function: reference counting never frees it; the
    // cycle collector, run by the reclaim step, does.
    let module = Module::new(
        &wat::parse_str(r#"(module (memory (export "m") 1) (table 1 funcref) (func $f) (elem (i32.const 0) $f))"#)
            .unwrap(),
    )
    .unwrap();
    with_budget(2 * FOUR_GIB, 1000, || {
        for _ in 0..20 {
            let instance = Instance::new(&module, &[]).expect("the previous instances' memories are reclaimed");
            drop(instance);
        }
    });
}
