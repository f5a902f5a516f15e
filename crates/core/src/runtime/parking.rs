//! `memory.atomic.wait` / `memory.atomic.notify`: a process-wide parking lot keyed by the
//! absolute address of the waited-on cell, so that waiters and notifiers on different threads
//! (and different handles of one shared memory) meet.
//!
//! Waiters of one address are woken in the order they started waiting (FIFO), as the threads
//! proposal requires. The value check and the enqueueing happen under the lot's lock, and
//! notifiers take the same lock, so a notify cannot slip between a waiter's check and its sleep.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::error::TrapCode;

/// One sleeping thread.
struct Waiter {
    woken: Mutex<bool>,
    cond: Condvar,
}

/// The queues of waiters, by address.
fn lock_lot() -> MutexGuard<'static, HashMap<usize, Vec<Arc<Waiter>>>> {
    static LOT: OnceLock<Mutex<HashMap<usize, Vec<Arc<Waiter>>>>> = OnceLock::new();
    LOT.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The result of a wait, as `memory.atomic.wait` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitResult {
    /// Woken by a notify (0).
    Ok = 0,
    /// The value was not the expected one (1).
    NotEqual = 1,
    /// The timeout passed (2).
    TimedOut = 2,
}

/// Waits at `addr` while `still_expected()` (evaluated under the lot's lock) holds, for at most
/// `timeout_ns` nanoseconds (negative: forever). An interrupt of this thread
/// ([`super::interrupt`]) wakes the wait; if it stops execution the wait ends with
/// `Err(TrapCode::Interrupted)`, else it goes on.
pub(crate) fn wait(
    addr: usize,
    still_expected: impl FnOnce() -> bool,
    timeout_ns: i64,
) -> Result<WaitResult, TrapCode> {
    let mut lot = lock_lot();
    if !still_expected() {
        return Ok(WaitResult::NotEqual);
    }
    if timeout_ns == 0 {
        return Ok(WaitResult::TimedOut);
    }
    let me = Arc::new(Waiter { woken: Mutex::new(false), cond: Condvar::new() });
    lot.entry(addr).or_default().push(me.clone());
    drop(lot);
    let deadline = (timeout_ns > 0).then(|| Instant::now().checked_add(Duration::from_nanos(timeout_ns as u64)));
    let thread = super::interrupt::current();
    let waker = me.clone();
    thread.set_parked(Some(Arc::new(move || {
        // Under the waiter's lock, so the wake-up cannot slip between its check and its sleep.
        let _woken = waker.woken.lock().unwrap_or_else(|e| e.into_inner());
        waker.cond.notify_all();
    })));
    let mut woken = me.woken.lock().unwrap_or_else(|e| e.into_inner());
    // `None`: interrupted.
    let outcome = loop {
        if *woken {
            break Some(WaitResult::Ok);
        }
        if thread.pending() {
            // The decision may run the embedder's hook: not under the lock.
            drop(woken);
            let stop = thread.take_stop();
            woken = me.woken.lock().unwrap_or_else(|e| e.into_inner());
            if stop && !*woken {
                break None;
            }
            continue;
        }
        match deadline {
            // No deadline, or one too far away to represent: wait until notified.
            None | Some(None) => woken = me.cond.wait(woken).unwrap_or_else(|e| e.into_inner()),
            Some(Some(deadline)) => {
                let now = Instant::now();
                if now >= deadline {
                    break Some(WaitResult::TimedOut);
                }
                woken = me.cond.wait_timeout(woken, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
            }
        }
    };
    thread.set_parked(None);
    drop(woken);
    if outcome == Some(WaitResult::Ok) {
        return Ok(WaitResult::Ok);
    }
    // Timed out or interrupted: leave the queue, unless a notifier took us out meanwhile (then
    // we count as woken).
    let mut lot = lock_lot();
    let Some(queue) = lot.get_mut(&addr) else { return Ok(WaitResult::Ok) };
    let Some(pos) = queue.iter().position(|w| Arc::ptr_eq(w, &me)) else { return Ok(WaitResult::Ok) };
    queue.remove(pos);
    if queue.is_empty() {
        lot.remove(&addr);
    }
    outcome.ok_or(TrapCode::Interrupted)
}

/// Wakes up to `count` waiters at `addr` (oldest first); returns how many were woken.
pub(crate) fn notify(addr: usize, count: u32) -> u32 {
    let mut lot = lock_lot();
    let Some(queue) = lot.get_mut(&addr) else { return 0 };
    let n = (count as usize).min(queue.len());
    for w in queue.drain(..n) {
        *w.woken.lock().unwrap_or_else(|e| e.into_inner()) = true;
        w.cond.notify_one();
    }
    if queue.is_empty() {
        lot.remove(&addr);
    }
    n as u32
}
