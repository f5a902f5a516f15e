//! The limits of a *limited namespace* (`jitless-wasm/limits`): a fuel budget shared by everything
//! the namespace runs, a wall-clock deadline per outermost call, an embedder's interrupt flag,
//! caps on memory bytes, table elements and instances summed over the namespace, a call-depth
//! cap, and deterministic execution.
//!
//! A [`NamespaceLimits`] belongs to one thread (it is `Rc`-shared by the namespace's instances,
//! memories and tables). Modules compiled for it record its [`CompileOptions`] (fuel
//! instructions, NaN canonicalisation) and its id, so a module is instantiated only by the
//! namespace that compiled it. Nothing here is consulted by objects without limits: the plain
//! path is unchanged.
//!
//! Deadlines and the interrupt flag reuse the interrupt word (see [`super::interrupt`]): while
//! an outermost call with either runs, it is registered with the *limits watcher*, a
//! process-wide thread that ticks every [`WATCH_PERIOD`] and, when the deadline has passed or
//! the flag is non-zero, records the reason on the thread and sets [`INTERRUPT_STOP`]. The
//! trap that follows is reported as [`TrapCode::DeadlineExceeded`] or
//! [`TrapCode::InterruptRequested`].

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Once};
use std::time::{Duration, Instant};

use super::interrupt::{ThreadInterrupt, INTERRUPT_STOP};
use crate::error::{ResourceError, TrapCode};
pub use crate::module::CompileOptions;
use crate::runtime::Error;

/// How often the limits watcher looks at the registered calls.
pub const WATCH_PERIOD: Duration = Duration::from_micros(250);

/// An embedder's interrupt flag: returns whether running wasm should stop. Called on the
/// watcher thread, so it must be cheap and thread-safe (the binding reads an `Int32Array`
/// over a `SharedArrayBuffer`).
pub type InterruptFlag = Arc<dyn Fn() -> bool + Send + Sync>;

/// The settings of a limited namespace (`None`: no limit).
#[derive(Clone, Default)]
pub struct LimitsConfig {
    /// The initial fuel budget; `Some` turns fuel metering on.
    pub fuel: Option<u64>,
    /// Wall-clock budget of each outermost call into wasm.
    pub deadline: Option<Duration>,
    /// The embedder's interrupt flag.
    pub interrupt: Option<InterruptFlag>,
    /// Cap on the bytes of all memories of the namespace.
    pub max_memory_bytes: Option<u64>,
    /// Cap on the elements of all tables of the namespace.
    pub max_table_elements: Option<u64>,
    /// Cap on the live instances of the namespace.
    pub max_instances: Option<u64>,
    /// Cap on the wasm call depth (frames on the thread's stack).
    pub max_stack_depth: Option<u32>,
    /// Deterministic mode (canonical NaNs, no shared memories).
    pub deterministic: bool,
}

/// The limits of one namespace and its running totals.
pub struct NamespaceLimits {
    id: u64,
    config: LimitsConfig,
    /// Fuel left (shared by every instance of the namespace).
    pub(crate) fuel: Cell<u64>,
    memory_bytes: Cell<u64>,
    table_elements: Cell<u64>,
    instances: Cell<u64>,
}

impl NamespaceLimits {
    /// A namespace with `config`.
    pub fn new(config: LimitsConfig) -> Rc<NamespaceLimits> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Rc::new(NamespaceLimits {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            fuel: Cell::new(config.fuel.unwrap_or(0)),
            config,
            memory_bytes: Cell::new(0),
            table_elements: Cell::new(0),
            instances: Cell::new(0),
        })
    }

    /// The namespace's process-unique id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The settings.
    pub fn config(&self) -> &LimitsConfig {
        &self.config
    }

    /// What modules compiled for this namespace carry.
    pub fn compile_options(&self) -> CompileOptions {
        CompileOptions {
            namespace: self.id,
            fuel: self.config.fuel.is_some(),
            deterministic: self.config.deterministic,
        }
    }

    /// The fuel left.
    pub fn fuel(&self) -> u64 {
        self.fuel.get()
    }

    /// Adds `n` units of fuel (saturating).
    pub fn add_fuel(&self, n: u64) {
        self.fuel.set(self.fuel.get().saturating_add(n));
    }

    /// The bytes of the namespace's live memories.
    pub fn memory_bytes(&self) -> u64 {
        self.memory_bytes.get()
    }

    /// The elements of the namespace's live tables.
    pub fn table_elements(&self) -> u64 {
        self.table_elements.get()
    }

    /// The namespace's live instances.
    pub fn instances(&self) -> u64 {
        self.instances.get()
    }

    fn counter(&self, kind: LimitKind) -> (&Cell<u64>, Option<u64>) {
        match kind {
            LimitKind::MemoryBytes => (&self.memory_bytes, self.config.max_memory_bytes),
            LimitKind::TableElements => (&self.table_elements, self.config.max_table_elements),
            LimitKind::Instances => (&self.instances, self.config.max_instances),
        }
    }

    /// Takes `amount` from the budget of `kind`; false (and nothing taken) over the cap.
    pub(crate) fn try_take(&self, kind: LimitKind, amount: u64) -> bool {
        let (used, cap) = self.counter(kind);
        let new = used.get().saturating_add(amount);
        if cap.is_some_and(|c| new > c) {
            return false;
        }
        used.set(new);
        true
    }

    /// Gives `amount` back to the budget of `kind`.
    pub(crate) fn give_back(&self, kind: LimitKind, amount: u64) {
        let (used, _) = self.counter(kind);
        used.set(used.get().saturating_sub(amount));
    }
}

/// What a cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Bytes of memories.
    MemoryBytes,
    /// Elements of tables.
    TableElements,
    /// Instances.
    Instances,
}

impl LimitKind {
    /// The option's name in the JS API.
    pub fn option_name(self) -> &'static str {
        match self {
            LimitKind::MemoryBytes => "maxMemoryBytes",
            LimitKind::TableElements => "maxTableElements",
            LimitKind::Instances => "maxInstances",
        }
    }
}

/// An amount taken from a namespace's budget, given back when the object that holds it (a
/// memory, a table, an instance) is dropped.
pub(crate) struct Charge {
    limits: Rc<NamespaceLimits>,
    kind: LimitKind,
    amount: Cell<u64>,
}

impl Charge {
    /// Takes `amount` of `kind` from `limits`, or the RangeError-class error naming the cap.
    pub(crate) fn take(limits: &Rc<NamespaceLimits>, kind: LimitKind, amount: u64) -> Result<Charge, Error> {
        if !limits.try_take(kind, amount) {
            return Err(over_limit(limits, kind, amount));
        }
        Ok(Charge { limits: limits.clone(), kind, amount: Cell::new(amount) })
    }

    /// Takes `more` on top (a grow); false over the cap.
    pub(crate) fn grow(&self, more: u64) -> bool {
        if !self.limits.try_take(self.kind, more) {
            return false;
        }
        self.amount.set(self.amount.get() + more);
        true
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.limits.give_back(self.kind, self.amount.get());
    }
}

/// The error for creating an object over a cap.
pub(crate) fn over_limit(limits: &NamespaceLimits, kind: LimitKind, amount: u64) -> Error {
    let (used, cap) = limits.counter(kind);
    ResourceError::Limit {
        option: kind.option_name(),
        requested: amount,
        used: used.get(),
        limit: cap.unwrap_or(u64::MAX),
    }
    .into()
}

// ----- deadlines and the interrupt flag ----------------------------------------------------

/// The thread stopped because its deadline passed.
pub(crate) const REASON_DEADLINE: u32 = 1;
/// The thread stopped because the embedder's interrupt flag was set.
pub(crate) const REASON_INTERRUPT: u32 = 2;

/// A running outermost call the watcher looks at.
struct Watch {
    id: u64,
    thread: Arc<ThreadInterrupt>,
    deadline: Option<Instant>,
    flag: Option<InterruptFlag>,
}

/// The registered calls, and the watcher's wake-up.
static WATCHES: Mutex<Vec<Watch>> = Mutex::new(Vec::new());
static WAKE: Condvar = Condvar::new();

/// Why the thread's current limited call was stopped (`REASON_*`), by thread.
fn reason_of(t: &ThreadInterrupt) -> &AtomicU32 {
    &t.stop_reason
}

/// An outermost limited call's registration; ends it on drop.
pub(crate) struct WatchGuard {
    id: u64,
    thread: Arc<ThreadInterrupt>,
}

/// Registers an outermost call of `limits` on this thread (if it has a deadline or an
/// interrupt flag). Fails at once with `InterruptRequested` when the flag is already set.
pub(crate) fn watch(limits: &NamespaceLimits) -> Result<Option<WatchGuard>, TrapCode> {
    let c = &limits.config;
    if let Some(flag) = &c.interrupt {
        if flag() {
            return Err(TrapCode::InterruptRequested);
        }
    }
    if c.deadline.is_none() && c.interrupt.is_none() {
        return Ok(None);
    }
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static START: Once = Once::new();
    START.call_once(|| {
        let _ = std::thread::Builder::new().name("jitless-wasm limits".into()).spawn(watcher);
    });
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    let thread = super::interrupt::current();
    let deadline = c.deadline.map(|d| Instant::now() + d);
    let mut list = WATCHES.lock().unwrap_or_else(|e| e.into_inner());
    list.push(Watch { id, thread: thread.clone(), deadline, flag: c.interrupt.clone() });
    WAKE.notify_one();
    Ok(Some(WatchGuard { id, thread }))
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        let mut list = WATCHES.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|w| w.id != self.id);
        // A stop the watcher requested for this call must not reach the next one.
        if reason_of(&self.thread).swap(0, Ordering::AcqRel) != 0 {
            self.thread.word.fetch_and(!INTERRUPT_STOP, Ordering::AcqRel);
        }
    }
}

/// An `Interrupted` trap the limits watcher caused, with its reason (deadline or interrupt
/// flag) as the code; any other error unchanged.
pub(crate) fn map_interrupted(e: Error) -> Error {
    match e {
        Error::Trap(mut t) if t.code == TrapCode::Interrupted => {
            t.code = match reason_of(&super::interrupt::current()).load(Ordering::Acquire) {
                REASON_DEADLINE => TrapCode::DeadlineExceeded,
                REASON_INTERRUPT => TrapCode::InterruptRequested,
                _ => TrapCode::Interrupted,
            };
            Error::Trap(t)
        }
        e => e,
    }
}

/// The watcher thread.
fn watcher() {
    let mut list = WATCHES.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if list.is_empty() {
            list = WAKE.wait(list).unwrap_or_else(|e| e.into_inner());
            continue;
        }
        let now = Instant::now();
        for w in list.iter() {
            let reason = if w.deadline.is_some_and(|d| now >= d) {
                REASON_DEADLINE
            } else if w.flag.as_ref().is_some_and(|f| f()) {
                REASON_INTERRUPT
            } else {
                continue;
            };
            let r = reason_of(&w.thread);
            if r.load(Ordering::Relaxed) == 0 {
                r.store(reason, Ordering::Release);
            }
            w.thread.request(INTERRUPT_STOP);
        }
        list = WAKE.wait_timeout(list, WATCH_PERIOD).unwrap_or_else(|e| e.into_inner()).0;
    }
}
