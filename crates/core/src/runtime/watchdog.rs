//! The watchdog: one process-wide thread, started by [`start_watchdog`], that sets
//! [`INTERRUPT_POLL`] every [`PERIOD`] on each thread that has an interrupt hook and is running
//! wasm, so that the hook gets to decide whether to stop it (see [`super::interrupt`]).
//!
//! It only ticks while some hooked thread runs wasm. When none does it goes idle, and the next
//! outermost invocation wakes it ([`note_running`]: one relaxed load on that path); should a
//! wake-up race with going idle, it looks again after [`IDLE_RECHECK`] anyway.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, Once};
use std::time::Duration;

use super::interrupt::{hooked, INTERRUPT_POLL};

/// How often a running thread is polled.
pub const PERIOD: Duration = Duration::from_millis(10);
/// How long an idle watchdog sleeps before it looks again without being woken.
const IDLE_RECHECK: Duration = Duration::from_millis(50);

/// Whether the watchdog is idle (waiting for a thread to start running wasm).
static IDLE: AtomicBool = AtomicBool::new(false);
/// The idle watchdog's wake-up flag and condition.
static KICK: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());

/// Starts the watchdog thread (once per process; later calls do nothing).
pub fn start_watchdog() {
    static START: Once = Once::new();
    START.call_once(|| {
        let spawned = std::thread::Builder::new().name("jitless-wasm watchdog".into()).spawn(watchdog_loop);
        // Without the thread, nothing polls: wasm then runs uninterrupted, as before.
        debug_assert!(spawned.is_ok(), "the watchdog thread could not be started");
    });
}

/// Called when a thread starts running wasm: wakes an idle watchdog.
#[inline]
pub(crate) fn note_running() {
    // Only the first thread to see the watchdog idle wakes it.
    if IDLE.load(Ordering::Relaxed) && IDLE.swap(false, Ordering::AcqRel) {
        wake();
    }
}

#[cold]
#[inline(never)]
fn wake() {
    let (flag, cond) = &KICK;
    *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
    cond.notify_one();
}

/// Polls the running hooked threads; returns whether any was running.
fn tick() -> bool {
    let mut list = hooked().lock().unwrap_or_else(|e| e.into_inner());
    list.retain(|w| w.strong_count() > 0);
    let mut any = false;
    for t in list.iter().filter_map(|w| w.upgrade()) {
        if t.is_running() {
            t.request(INTERRUPT_POLL);
            any = true;
        }
    }
    any
}

/// The watchdog thread.
fn watchdog_loop() {
    loop {
        if tick() {
            std::thread::sleep(PERIOD);
            continue;
        }
        IDLE.store(true, Ordering::SeqCst);
        // A thread that started running before it could see `IDLE`.
        if !tick() {
            let (flag, cond) = &KICK;
            let mut kicked = flag.lock().unwrap_or_else(|e| e.into_inner());
            if !*kicked {
                kicked = cond.wait_timeout(kicked, IDLE_RECHECK).unwrap_or_else(|e| e.into_inner()).0;
            }
            *kicked = false;
        }
        IDLE.store(false, Ordering::SeqCst);
        std::thread::sleep(PERIOD);
    }
}
