//! The process-wide budget of address space and mappings that linear memories reserve.
//!
//! Each memory reserves address space for its maximum (4 GiB for a 32-bit memory without a
//! smaller maximum) and uses up to two kernel mappings (the committed part and the rest). The
//! 47-bit user address space holds about 32,000 such reservations and the kernel allows
//! `vm.max_map_count` (65,530 by default) mappings per process; when either runs out, V8's own
//! `mmap`s fail and V8 aborts the process. So memories draw from a budget kept well below both
//! limits: half the address space the process may use (at most 64 TiB) and half the mapping
//! limit. A reservation the budget cannot hold first asks the embedder to reclaim what is
//! unreachable ([`set_reclaim_hook`]: the binding runs a full V8 GC and drops the objects of
//! collected wrappers), then runs the cycle collector, and only then fails (V8 does the same:
//! it keeps a reservation budget and runs a GC before it gives up with a `RangeError`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The most address space the budget ever grants (64 TiB: half of x86-64's 47-bit user space).
const MAX_ADDRESS_SPACE: usize = 64 << 40;
/// `vm.max_map_count` when it cannot be read (Linux's default).
const DEFAULT_MAX_MAP_COUNT: usize = 65_530;
/// Mappings that one memory's reservation may use (committed part + reserved rest).
pub(crate) const MAPPINGS_PER_MEMORY: usize = 2;

/// Bytes of address space reserved by live memories, in every thread.
static RESERVED: AtomicUsize = AtomicUsize::new(0);
/// Mappings used by live memories, in every thread.
static MAPPINGS: AtomicUsize = AtomicUsize::new(0);
/// The limits: (bytes, mappings); 0 means "not set, use the system's".
static LIMIT_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIMIT_MAPPINGS: AtomicUsize = AtomicUsize::new(0);

/// The budget derived from the system: half the usable address space (bounded by
/// `RLIMIT_AS`) and half of `vm.max_map_count`.
fn system_limits() -> (usize, usize) {
    static LIMITS: OnceLock<(usize, usize)> = OnceLock::new();
    *LIMITS.get_or_init(|| {
        let mut bytes = MAX_ADDRESS_SPACE;
        if let Some(limit) = crate::sys::address_space_limit() {
            bytes = bytes.min((limit / 2) as usize);
        }
        let maps = std::fs::read_to_string("/proc/sys/vm/max_map_count")
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or(DEFAULT_MAX_MAP_COUNT);
        (bytes, maps / 2)
    })
}

/// The current limits (bytes, mappings).
pub fn reservation_limits() -> (usize, usize) {
    let (sys_bytes, sys_maps) = system_limits();
    let b = LIMIT_BYTES.load(Ordering::Relaxed);
    let m = LIMIT_MAPPINGS.load(Ordering::Relaxed);
    (if b == 0 { sys_bytes } else { b }, if m == 0 { sys_maps } else { m })
}

/// Overrides the budget (bytes of address space, mappings) for the whole process; `None`
/// restores the limit derived from the system. Meant for tests and for embedders that share
/// the address space with other large reservations.
pub fn set_reservation_limits(bytes: Option<usize>, mappings: Option<usize>) {
    LIMIT_BYTES.store(bytes.unwrap_or(0), Ordering::Relaxed);
    LIMIT_MAPPINGS.store(mappings.unwrap_or(0), Ordering::Relaxed);
}

/// What live memories hold now: (bytes of address space, mappings).
pub fn reservation_usage() -> (usize, usize) {
    (RESERVED.load(Ordering::Relaxed), MAPPINGS.load(Ordering::Relaxed))
}

/// Adds `amount` to `counter` if the result stays within `limit`.
fn take(counter: &AtomicUsize, amount: usize, limit: usize) -> bool {
    counter
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |cur| cur.checked_add(amount).filter(|&n| n <= limit))
        .is_ok()
}

/// A share of the budget, given back on drop.
#[derive(Debug)]
pub(crate) struct Reservation {
    bytes: usize,
    mappings: usize,
}

impl Reservation {
    /// Takes `bytes` of address space and `mappings` mappings from the budget, if it holds them.
    fn try_take(bytes: usize, mappings: usize) -> Option<Reservation> {
        let (limit_bytes, limit_maps) = reservation_limits();
        if !take(&RESERVED, bytes, limit_bytes) {
            return None;
        }
        if !take(&MAPPINGS, mappings, limit_maps) {
            RESERVED.fetch_sub(bytes, Ordering::AcqRel);
            return None;
        }
        Some(Reservation { bytes, mappings })
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        RESERVED.fetch_sub(self.bytes, Ordering::AcqRel);
        MAPPINGS.fetch_sub(self.mappings, Ordering::AcqRel);
    }
}

/// What the embedder runs to free unreachable objects when a reservation fails (see
/// [`set_reclaim_hook`]).
pub type ReclaimHook = Rc<dyn Fn()>;

thread_local! {
    static RECLAIM: RefCell<Option<ReclaimHook>> = const { RefCell::new(None) };
    /// Whether a reclaim is running on this thread (no nested reclaims).
    static RECLAIMING: Cell<bool> = const { Cell::new(false) };
    /// Reclaims run on this thread (for tests and probes).
    static RECLAIMS: Cell<u64> = const { Cell::new(0) };
}

/// Installs (or removes) this thread's reclaim hook: called when a memory cannot get its
/// address space or mappings, before the allocation is retried once. It should free whatever
/// the embedder holds only for objects that are already unreachable (the binding: a full GC,
/// then dropping the native data of collected wrappers). It may run in the middle of an
/// instantiation, so it must not run wasm or JS code that could observe one.
pub fn set_reclaim_hook(hook: Option<ReclaimHook>) {
    RECLAIM.with(|r| *r.borrow_mut() = hook);
}

/// How many reclaims ran on this thread.
pub fn reclaim_count() -> u64 {
    RECLAIMS.with(Cell::get)
}

/// Frees what this thread can: the embedder's hook, then the cycle collector. Nested calls
/// (from inside the hook) do nothing.
fn reclaim() {
    if RECLAIMING.with(|r| r.replace(true)) {
        return;
    }
    RECLAIMS.with(|n| n.set(n.get() + 1));
    let hook = RECLAIM.with(|r| r.borrow().clone());
    if let Some(hook) = hook {
        hook();
    }
    super::collect_cycles();
    RECLAIMING.with(|r| r.set(false));
}

/// Runs `attempt` with a share of the budget (`bytes`, [`MAPPINGS_PER_MEMORY`]); when the
/// budget is exhausted or `attempt` fails (the system refused), reclaims once and retries.
/// `None` when the second try fails too.
pub(crate) fn with_reservation<T>(bytes: usize, mut attempt: impl FnMut(Reservation) -> Option<T>) -> Option<T> {
    let mappings = if bytes == 0 { 0 } else { MAPPINGS_PER_MEMORY };
    for round in 0..2 {
        if round == 1 {
            reclaim();
        }
        if let Some(r) = Reservation::try_take(bytes, mappings) {
            if let Some(v) = attempt(r) {
                return Some(v);
            }
        }
    }
    None
}
