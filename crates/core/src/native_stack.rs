//! The native stack of the current thread: where it ends, and how much of it is left.
//!
//! The interpreter never recurses on the native stack for wasm calls, but every host → wasm
//! re-entry does (the embedder's callback, the engine's entry, the host call's frames). So
//! [`crate::engine`] refuses to start an invocation with less than [`RESERVE`] bytes of stack
//! left: a `StackOverflow` trap (a `RangeError` in JS) instead of a crash, whatever the
//! thread's stack size (Node's Workers have smaller stacks than the main thread). The bounds
//! are read once per thread (`crate::sys::stack_low`: Linux, macOS, Windows); elsewhere they
//! are unknown and only the count of nested invocations limits re-entry.

use std::cell::Cell;

/// Native stack an invocation must have left when it starts: room for its own entry, a host
/// call, and the embedder's work (building an error, say) after a nested invocation failed.
pub const RESERVE: usize = 128 << 10;

thread_local! {
    /// The lowest usable address of this thread's stack: `usize::MAX` until read, 0 if unknown.
    static LOW: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// The approximate current stack pointer (the address of a local of this call).
#[inline(always)]
pub fn current() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The lowest usable address of the current thread's stack (above its guard page), or `None`
/// where that is unknown. Read once per thread.
pub fn low() -> Option<usize> {
    let low = LOW.with(|l| {
        if l.get() == usize::MAX {
            l.set(read_low().unwrap_or(0));
        }
        l.get()
    });
    (low != 0).then_some(low)
}

/// Bytes of native stack left below the caller, or `None` where the bounds are unknown.
#[inline]
pub fn remaining() -> Option<usize> {
    low().map(|low| current().saturating_sub(low))
}

/// Whether at least [`RESERVE`] bytes of native stack are left (true where unknown).
#[inline]
pub fn has_room() -> bool {
    remaining().is_none_or(|r| r >= RESERVE)
}

/// Lets the main thread's stack grow to `bytes` (Linux: raises the soft `RLIMIT_STACK`, within
/// the hard limit, if it is lower), and forgets the bounds read so far. The kernel grows the
/// main thread's stack on demand up to the soft limit current at the time, into the gap of at
/// least 128 MiB it leaves below it for that. Child processes inherit the raised soft limit.
/// Returns whether the limit is now at least `bytes`. Only for the main thread.
pub fn grow_main_thread_stack(bytes: usize) -> bool {
    if is_main_thread() != Some(true) {
        return false;
    }
    LOW.with(|l| l.set(usize::MAX));
    raise_stack_rlimit(bytes as u64)
}

#[cfg(target_os = "linux")]
fn raise_stack_rlimit(bytes: u64) -> bool {
    // SAFETY: `getrlimit`/`setrlimit` with a local struct.
    unsafe {
        let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_STACK, &mut r) != 0 {
            return false;
        }
        if r.rlim_cur == libc::RLIM_INFINITY || r.rlim_cur >= bytes {
            return true;
        }
        let want = if r.rlim_max == libc::RLIM_INFINITY { bytes } else { bytes.min(r.rlim_max) };
        if want > r.rlim_cur {
            r.rlim_cur = want;
            if libc::setrlimit(libc::RLIMIT_STACK, &r) != 0 {
                return false;
            }
        }
        want >= bytes
    }
}

#[cfg(not(target_os = "linux"))]
fn raise_stack_rlimit(_bytes: u64) -> bool {
    false
}

/// Whether the calling thread is the process's main thread (`None` where unknown).
pub fn is_main_thread() -> Option<bool> {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls without arguments.
    return Some(unsafe { libc::getpid() == libc::gettid() });
    #[cfg(not(target_os = "linux"))]
    None
}

/// See [`crate::sys::stack_low`].
fn read_low() -> Option<usize> {
    crate::sys::stack_low()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_frame_is_above_the_low_end() {
        let low = low().expect("bounds known on Linux");
        let here = current();
        assert!(here > low, "{here:#x} vs {low:#x}");
        // A test thread's stack is a few MiB at most.
        assert!(here - low < 1 << 30);
        assert!(has_room());
    }

    #[test]
    fn a_thread_reads_its_own_bounds() {
        let main = low();
        let other = std::thread::Builder::new().stack_size(512 << 10).spawn(|| (low(), remaining())).unwrap();
        let (low2, left) = other.join().unwrap();
        assert_ne!(main, low2);
        let left = left.unwrap();
        assert!(left > 256 << 10 && left < 512 << 10, "{left}");
    }
}
