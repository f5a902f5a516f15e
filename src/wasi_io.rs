//! The read and write system calls of the native WASI functions (`src/wasi_native.rs`) and of
//! `wasiFdIo` (`src/wasi_host.rs`): one `read`/`write`/`pread`/`pwrite` for a single buffer,
//! else their vectored forms, retried on `EINTR` as libuv does.
//!
//! The calls are made directly (`syscall(2)`), not through libc's wrappers: in a
//! multi-threaded process (Node) those are thread-cancellation points that switch the
//! cancellation state with two atomic operations around every call, which shows in a program
//! that makes one small write per line. Nothing in Node cancels threads, so results and `errno`
//! are the wrappers'. A single buffer takes the plain call, as libuv does for uvwasi: the kernel
//! then has no iovec array to copy in. Linux only, like the files that use it.

use libc::{c_long, iovec};

use crate::wasi_host::neg_errno;

/// One read or write of the buffers `vecs` on `fd`, at `position` (or the host's position when
/// it is negative): the byte count or a negated errno. A position past what the JS side can
/// count (2^53) is still exact here: the kernel decides it (EFBIG, EINVAL or success) as for
/// uvwasi.
pub(crate) fn vectored_io(write: bool, fd: i32, vecs: &[iovec], position: i64) -> i64 {
    loop {
        let r = match vecs {
            [one] => single(write, fd, one, position),
            _ => vectored(write, fd, vecs, position),
        };
        if r >= 0 {
            return r as i64;
        }
        let e = neg_errno();
        if e != -libc::EINTR {
            return i64::from(e);
        }
    }
}

/// `read`/`write` (position < 0) or `pread64`/`pwrite64` of one buffer: the raw result.
#[cfg(target_pointer_width = "64")]
fn single(write: bool, fd: i32, buf: &iovec, position: i64) -> c_long {
    let (fd, base, len) = (c_long::from(fd), buf.iov_base, buf.iov_len);
    // SAFETY: the buffer lies in the memory (bounds checked by the caller) and stays valid for
    // the call; a bad `fd` is EBADF. On a 64-bit kernel the offset is one argument.
    unsafe {
        match (write, position >= 0) {
            (true, true) => libc::syscall(libc::SYS_pwrite64, fd, base, len, position as c_long),
            (true, false) => libc::syscall(libc::SYS_write, fd, base, len),
            (false, true) => libc::syscall(libc::SYS_pread64, fd, base, len, position as c_long),
            (false, false) => libc::syscall(libc::SYS_read, fd, base, len),
        }
    }
}

/// One buffer on a 32-bit system (whose positional calls split the offset by rules of each
/// architecture): the vectored call.
#[cfg(not(target_pointer_width = "64"))]
fn single(write: bool, fd: i32, buf: &iovec, position: i64) -> c_long {
    vectored(write, fd, std::slice::from_ref(buf), position)
}

/// `readv`/`writev` (position < 0) or `preadv`/`pwritev`: the raw result.
fn vectored(write: bool, fd: i32, vecs: &[iovec], position: i64) -> c_long {
    let n = vecs.len().min(libc::c_int::MAX as usize) as c_long;
    let (fd, iov) = (c_long::from(fd), vecs.as_ptr());
    // The positional calls take the offset as two longs, low then high (the kernel joins them
    // as `high << half << half | low`, so on a 64-bit kernel the low one holds all of it).
    let half = c_long::BITS / 2;
    let (low, high) = (position as c_long, (((position as u64) >> half) >> half) as c_long);
    // SAFETY: the iovecs point into the memory (bounds checked by the caller) and stay valid
    // for the call; a bad `fd` is EBADF.
    unsafe {
        match (write, position >= 0) {
            (true, true) => libc::syscall(libc::SYS_pwritev, fd, iov, n, low, high),
            (true, false) => libc::syscall(libc::SYS_writev, fd, iov, n),
            (false, true) => libc::syscall(libc::SYS_preadv, fd, iov, n, low, high),
            (false, false) => libc::syscall(libc::SYS_readv, fd, iov, n),
        }
    }
}
