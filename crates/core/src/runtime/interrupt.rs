//! Interrupting running wasm: each thread has an interrupt word that any thread may set
//! through an [`InterruptHandle`]. The interpreter reads the word at every taken branch, every
//! call and between the chunks of bulk operations, and while `memory.atomic.wait` sleeps; when
//! it is set, a cold path decides:
//!
//! * [`INTERRUPT_STOP`]: the running invocation traps with [`TrapCode::Interrupted`] (which
//!   unwinds every wasm frame, like any trap);
//! * [`INTERRUPT_POLL`]: the thread's *interrupt hook* ([`set_interrupt_hook`]) is asked
//!   whether to stop, and execution traps or continues accordingly.
//!
//! The bits are cleared when read, so after a trap the thread runs normally again (after a stop
//! decided by the hook, the hook is asked once more at the next check).
//!
//! The hook is how an embedder stops wasm on conditions only it can see (the binding: Node is
//! terminating the Worker). A [`watchdog`](super::watchdog) sets `INTERRUPT_POLL` periodically
//! on every thread that has a hook and is running wasm.
//!
//! [`TrapCode::Interrupted`]: crate::TrapCode::Interrupted

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// Interrupt bit: stop the running wasm with a `TrapCode::Interrupted` trap.
pub const INTERRUPT_STOP: u32 = 1;
/// Interrupt bit: ask the thread's interrupt hook whether to stop.
pub const INTERRUPT_POLL: u32 = 2;

/// An embedder's interrupt hook: called on the interrupted thread when [`INTERRUPT_POLL`] was
/// set (and when a wait was cut short); returns whether to stop the running wasm. It runs in
/// the middle of wasm execution: it must not call into wasm.
pub type InterruptHook = Rc<dyn Fn() -> bool>;

/// The interrupt state of one thread.
pub(crate) struct ThreadInterrupt {
    /// The interrupt bits (`INTERRUPT_*`); the interpreter reads this word.
    pub(crate) word: AtomicU32,
    /// Whether the thread is running wasm (an outermost invocation is active).
    running: AtomicBool,
    /// While the thread sleeps in `memory.atomic.wait`: how to wake it.
    parked: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
    /// Why the limits watcher stopped the thread's limited call (see [`super::limiter`]).
    pub(crate) stop_reason: AtomicU32,
}

impl ThreadInterrupt {
    /// Marks the start (`true`) or end of the thread's outermost invocation.
    #[inline]
    pub(crate) fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Relaxed);
        if running {
            super::watchdog::note_running();
        }
    }

    /// Whether the thread is running wasm.
    pub(crate) fn is_running(&self) -> bool {
        self.running.load(Ordering::Relaxed)
    }

    /// Sets `bits` and wakes the thread if it is parked in a wait.
    pub(crate) fn request(&self, bits: u32) {
        self.word.fetch_or(bits, Ordering::SeqCst);
        let wake = self.parked.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(wake) = wake {
            wake();
        }
    }

    /// Registers (`Some`) or removes the wake-up of a parked wait (see [`super::parking`]).
    pub(crate) fn set_parked(&self, wake: Option<Arc<dyn Fn() + Send + Sync>>) {
        *self.parked.lock().unwrap_or_else(|e| e.into_inner()) = wake;
    }

    /// Whether any interrupt bit is set.
    #[inline]
    pub(crate) fn pending(&self) -> bool {
        self.word.load(Ordering::Relaxed) != 0
    }

    /// Takes the interrupt bits and decides whether the running wasm stops (asking the
    /// thread's hook for [`INTERRUPT_POLL`]). Runs on the thread itself.
    #[cold]
    #[inline(never)]
    pub(crate) fn take_stop(&self) -> bool {
        let bits = self.word.swap(0, Ordering::AcqRel);
        if bits & INTERRUPT_STOP != 0 {
            return true;
        }
        if bits & INTERRUPT_POLL != 0 && ask_hook() {
            // The hook's reason to stop usually persists (Node stopping the thread): ask again
            // at the very next check, so that wasm resumed above the unwound frames (after a
            // host call returns) stops at once too, not one watchdog period later.
            self.word.fetch_or(INTERRUPT_POLL, Ordering::Relaxed);
            return true;
        }
        false
    }
}

thread_local! {
    /// This thread's interrupt state.
    static CURRENT: Arc<ThreadInterrupt> = Arc::new(ThreadInterrupt {
        word: AtomicU32::new(0),
        running: AtomicBool::new(false),
        parked: Mutex::new(None),
        stop_reason: AtomicU32::new(0),
    });
    /// This thread's interrupt hook.
    static HOOK: RefCell<Option<InterruptHook>> = const { RefCell::new(None) };
}

/// This thread's interrupt state.
pub(crate) fn current() -> Arc<ThreadInterrupt> {
    CURRENT.with(Arc::clone)
}

/// Asks this thread's interrupt hook whether to stop (`false` without a hook).
pub(crate) fn ask_hook() -> bool {
    let hook = HOOK.with(|h| h.borrow().clone());
    hook.is_some_and(|h| h())
}

/// A handle to one thread's interrupt word: `Send + Sync`, so another thread (a watchdog, a
/// timer, the embedder's controller) can interrupt the wasm that thread runs.
#[derive(Clone)]
pub struct InterruptHandle(Arc<ThreadInterrupt>);

impl InterruptHandle {
    /// The handle of the calling thread.
    pub fn current() -> InterruptHandle {
        InterruptHandle(current())
    }

    /// Sets interrupt bits (`INTERRUPT_STOP`, `INTERRUPT_POLL`) for the thread; it sees them
    /// at its next check (immediately if it is waiting in `memory.atomic.wait`). Bits set
    /// while the thread runs no wasm stay set until it does.
    pub fn request(&self, bits: u32) {
        self.0.request(bits);
    }

    /// Stops the wasm the thread runs (or will run next) with a `TrapCode::Interrupted` trap.
    pub fn interrupt(&self) {
        self.request(INTERRUPT_STOP);
    }

    /// Whether the thread is running wasm now.
    pub fn is_running(&self) -> bool {
        self.0.is_running()
    }

    /// Whether two handles are of the same thread.
    pub fn ptr_eq(a: &InterruptHandle, b: &InterruptHandle) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

/// The threads that have an interrupt hook (polled by the watchdog), weakly.
pub(crate) fn hooked() -> &'static Mutex<Vec<Weak<ThreadInterrupt>>> {
    static HOOKED: Mutex<Vec<Weak<ThreadInterrupt>>> = Mutex::new(Vec::new());
    &HOOKED
}

/// Installs (or with `None` removes) this thread's interrupt hook. While a thread has one, the
/// [watchdog](super::watchdog), once started, sets [`INTERRUPT_POLL`] on it periodically while it
/// runs wasm.
pub fn set_interrupt_hook(hook: Option<InterruptHook>) {
    let on = hook.is_some();
    HOOK.with(|h| *h.borrow_mut() = hook);
    let me = current();
    let mut list = hooked().lock().unwrap_or_else(|e| e.into_inner());
    list.retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), Arc::as_ptr(&me)));
    if on {
        list.push(Arc::downgrade(&me));
    }
}
