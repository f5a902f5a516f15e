//! Host calls of `jitless-wasm/wasi` (`lib/wasi/`) done here instead of through Node's `fs`.
//!
//! Under `node --jitless` every line of Node's `fs` JavaScript runs in the bytecode interpreter,
//! so a `fs.writeSync` costs several microseconds before the system call. The WASI functions
//! that programs call in loops (`fd_read`/`fd_write`, `path_filestat_get`, `fd_filestat_get`,
//! `fd_fdstat_get`, `fd_readdir`, the sandbox's realpath check) call these instead: each is one raw Node-API
//! call that makes the system call and moves the bytes between it and the linear memory.
//!
//! The memory is passed as a `Uint8Array` over its whole buffer (Node-API cannot read a bare
//! SharedArrayBuffer). A result below zero is a negated host `errno` (the JS side maps it as it
//! maps Node's `fs` errors), or [`OUT_OF_BOUNDS`] for a range outside the memory. Linux only
//! (positional vectored I/O, `struct stat` fields); elsewhere nothing is registered and
//! `lib/wasi` keeps using `fs`.

use std::ffi::{c_char, CStr};
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::raw::{native_fn, Env, JsResult, TypedarrayKind, TypedarrayType, Value};
use crate::wasi_io::vectored_io;

/// The result for an iovec, path or result pointer outside the memory (`EOVERFLOW` in WASI).
pub(crate) const OUT_OF_BOUNDS: i32 = -65536;

/// `wasiLstat`'s result for a symbolic link it was asked not to report (nothing written).
const IS_LINK: i32 = -65537;

/// Size of a WASI `filestat`.
pub(crate) const FILESTAT_SIZE: usize = 64;

/// The elements of a typed array of type `want` (`T` its element type) as a mutable slice, or
/// `None` when `view` is no such typed array.
///
/// The slice is valid only until JS runs again (a grow can detach or replace the buffer); the
/// callers use it within the one native call.
pub(crate) fn typed_slice<'a, T>(env: Env, view: Value, want: TypedarrayKind) -> Option<&'a mut [T]> {
    let (ty, n, data) = env.typedarray_info(view)?;
    if ty != want {
        return None;
    }
    if data.is_null() || n == 0 {
        return Some(&mut []);
    }
    // SAFETY: Node-API reported `n` elements of `T` at `data` (aligned: V8 checks a typed
    // array's offset); the slice does not outlive the native call, during which no JS runs.
    Some(unsafe { std::slice::from_raw_parts_mut(data as *mut T, n) })
}

/// The bytes of the memory, viewed by the Uint8Array `view` (see [`typed_slice`]).
fn memory<'a>(env: Env, view: Value) -> Option<&'a mut [u8]> {
    typed_slice(env, view, TypedarrayType::uint8_array)
}

/// A JS Number argument as `u32` (the JS side passes checked uint32 values).
fn arg_u32(env: Env, v: Value) -> u32 {
    env.get_f64(v).map_or(0, |x| x as u32)
}

/// A string argument's latin1 code units (the byte form of paths in `lib/wasi`), NUL-terminated;
/// `None` when it is no string or holds a NUL.
fn latin1_path(env: Env, v: Value) -> Option<Vec<u8>> {
    env.latin1_cstring(v)
}

/// The calling thread's `errno`, negated.
pub(crate) fn neg_errno() -> i32 {
    -std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

/// Reads the `count` iovecs at `iovs` from memory as `libc::iovec`s over it, or `None` when one
/// (or the array) lies outside.
pub(crate) fn iovecs(mem: &mut [u8], iovs: u32, count: u32) -> Option<Vec<libc::iovec>> {
    let mut out = Vec::new();
    iovecs_into(mem, iovs, count, &mut out)?;
    Some(out)
}

/// [`iovecs`] into `out` (cleared first; the native functions reuse one vector from call to
/// call, with no allocation).
pub(crate) fn iovecs_into(mem: &mut [u8], iovs: u32, count: u32, out: &mut Vec<libc::iovec>) -> Option<()> {
    out.clear();
    if u64::from(iovs) + u64::from(count) * 8 > mem.len() as u64 {
        return None; // (checked before allocating room for `count` iovecs)
    }
    out.reserve(count as usize);
    for i in 0..u64::from(count) {
        out.push(iovec_at(mem, u64::from(iovs) + i * 8)?);
    }
    Some(())
}

/// The iovec whose WASI form (base and length, u32 each) is at `at` of the memory, as a
/// `libc::iovec` over it, or `None` when it or the bytes it names lie outside.
#[inline]
pub(crate) fn iovec_at(mem: &mut [u8], at: u64) -> Option<libc::iovec> {
    let size = mem.len() as u64;
    if at + 8 > size {
        return None;
    }
    let at = at as usize;
    let base = u32::from_le_bytes(mem[at..at + 4].try_into().ok()?);
    let len = u32::from_le_bytes(mem[at + 4..at + 8].try_into().ok()?);
    // Node's rule: an offset at or past the end is outside even for a length of 0.
    if u64::from(base) >= size || u64::from(base) + u64::from(len) > size {
        return None;
    }
    // SAFETY: `base + len <= mem.len()` was checked above.
    let iov_base = unsafe { mem.as_mut_ptr().add(base as usize) }.cast::<libc::c_void>();
    Some(libc::iovec { iov_base, iov_len: len as usize })
}

native_fn!(
    /// `wasiFdIo(write, hostFd, u8, iovs, iovsLen, position, resultPtr) → n | -errno |
    /// OUT_OF_BOUNDS`: reads or writes `hostFd` (at `position`, or the host's position when it
    /// is negative) with the iovecs of the memory viewed by `u8`, and stores the byte count
    /// (u32) at `resultPtr` when it succeeds.
    wasi_fd_io, 7, |cx| {
        let env = cx.env;
        let [write, fd, view, iovs, count, position, result_ptr] = cx.args;
        let write = env.get_bool(write).unwrap_or(false);
        let fd = env.get_i32(fd).unwrap_or(-1);
        let position = env.get_f64(position).unwrap_or(-1.0);
        let result_ptr = arg_u32(env, result_ptr) as usize;
        let Some(mem) = memory(env, view) else { return env.int32(OUT_OF_BOUNDS) };
        if result_ptr >= mem.len() || result_ptr + 4 > mem.len() {
            return env.int32(OUT_OF_BOUNDS);
        }
        let Some(vecs) = iovecs(mem, arg_u32(env, iovs), arg_u32(env, count)) else {
            return env.int32(OUT_OF_BOUNDS);
        };
        let n = vectored_io(write, fd, &vecs, if position >= 0.0 { position as i64 } else { -1 });
        if n >= 0 {
            mem[result_ptr..result_ptr + 4].copy_from_slice(&(n as u32).to_le_bytes());
        }
        env.double(n as f64)
    }
);

/// Writes a WASI `filestat` for `st` into `out` (64 bytes).
// The `stat` field types differ between Linux targets (st_nlink is u32 on aarch64): the casts
// are needed there.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn write_filestat(out: &mut [u8], st: &libc::stat) {
    let filetype = filetype_of_mode(st.st_mode);
    let ns = |sec: i64, nsec: i64| (i128::from(sec) * 1_000_000_000 + i128::from(nsec)) as u64;
    out.fill(0);
    out[0..8].copy_from_slice(&(st.st_dev as u64).to_le_bytes());
    out[8..16].copy_from_slice(&(st.st_ino as u64).to_le_bytes());
    out[16] = filetype;
    out[24..32].copy_from_slice(&(st.st_nlink as u64).to_le_bytes());
    out[32..40].copy_from_slice(&(st.st_size as u64).to_le_bytes());
    out[40..48].copy_from_slice(&ns(st.st_atime as i64, st.st_atime_nsec as i64).to_le_bytes());
    out[48..56].copy_from_slice(&ns(st.st_mtime as i64, st.st_mtime_nsec as i64).to_le_bytes());
    out[56..64].copy_from_slice(&ns(st.st_ctime as i64, st.st_ctime_nsec as i64).to_le_bytes());
}

/// `lstat` of a NUL-terminated path.
pub(crate) fn lstat(path: &[u8], st: *mut libc::stat) -> libc::c_int {
    // SAFETY: `path` is NUL-terminated (`latin1_path`); `st` points at a `libc::stat`.
    unsafe { libc::lstat(path.as_ptr() as *const c_char, st) }
}

/// `fstat` of a host descriptor (a bad one is EBADF).
pub(crate) fn fstat(fd: i32, st: *mut libc::stat) -> libc::c_int {
    // SAFETY: `st` points at a `libc::stat`.
    unsafe { libc::fstat(fd, st) }
}

/// Runs `stat_call` and writes its result as a filestat at `buf` of the memory viewed by `view`.
fn stat_into(
    env: Env,
    view: Value,
    buf: Value,
    not_link: bool,
    stat_call: impl FnOnce(*mut libc::stat) -> libc::c_int,
) -> JsResult<Value> {
    let Some(mem) = memory(env, view) else { return env.int32(OUT_OF_BOUNDS) };
    let at = arg_u32(env, buf) as usize;
    if at >= mem.len() || at + FILESTAT_SIZE > mem.len() {
        return env.int32(OUT_OF_BOUNDS);
    }
    // SAFETY: `libc::stat` is plain data; all zero is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if stat_call(&mut st) != 0 {
        return env.int32(neg_errno());
    }
    if not_link && st.st_mode & libc::S_IFMT == libc::S_IFLNK {
        return env.int32(IS_LINK);
    }
    write_filestat(&mut mem[at..at + FILESTAT_SIZE], &st);
    env.int32(0)
}

native_fn!(
    /// `wasiLstat(path, u8, buf, notLink) → 0 | -errno | OUT_OF_BOUNDS | IS_LINK`: `lstat(path)`
    /// (a latin1 byte string) as a filestat at `buf`; with `notLink`, a symbolic link is not
    /// written but reported as IS_LINK (the caller resolves it first).
    wasi_lstat, 4, |cx| {
        let env = cx.env;
        let [path, view, buf, not_link] = cx.args;
        let not_link = env.get_bool(not_link).unwrap_or(false);
        let Some(path) = latin1_path(env, path) else { return env.int32(-libc::EINVAL) };
        stat_into(env, view, buf, not_link, |st| lstat(&path, st))
    }
);

native_fn!(
    /// `wasiFstat(hostFd, u8, buf) → 0 | -errno | OUT_OF_BOUNDS`: `fstat(hostFd)` as a filestat
    /// at `buf`.
    wasi_fstat, 3, |cx| {
        let env = cx.env;
        let [fd, view, buf] = cx.args;
        let fd = env.get_i32(fd).unwrap_or(-1);
        stat_into(env, view, buf, false, |st| fstat(fd, st))
    }
);

/// The WASI file type of a `st_mode` (uvwasi's mapping: FIFOs and sockets are stream sockets).
fn filetype_of_mode(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFBLK => 1,
        libc::S_IFCHR => 2,
        libc::S_IFDIR => 3,
        libc::S_IFREG => 4,
        libc::S_IFSOCK | libc::S_IFIFO => 6,
        libc::S_IFLNK => 7,
        _ => 0,
    }
}

/// `open(path, flags | O_CLOEXEC, 0o666)` (NUL-terminated `path`) and the WASI file type of
/// the new descriptor: `fstat`'s, or a character device when only `isatty` knows it (as
/// `lib/wasi/fd-table.js`'s `filetypeOfFd`); if both fail the descriptor is closed again.
/// A negated errno on failure.
pub(crate) fn open_typed(path: &[u8], flags: i32) -> Result<(i32, u8), i32> {
    // SAFETY: `path` is NUL-terminated; the mode is passed as open(2)'s variadic argument.
    let fd = unsafe { libc::open(path.as_ptr() as *const c_char, flags | libc::O_CLOEXEC, 0o666 as libc::c_uint) };
    if fd < 0 {
        return Err(neg_errno());
    }
    // SAFETY: `libc::stat` is plain data; all zero is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if fstat(fd, &mut st) == 0 {
        return Ok((fd, filetype_of_mode(st.st_mode)));
    }
    let e = neg_errno();
    // SAFETY: `fd` is the descriptor just opened.
    if unsafe { libc::isatty(fd) } == 1 {
        return Ok((fd, 2));
    }
    // SAFETY: `fd` is ours and not used after this.
    unsafe { libc::close(fd) };
    Err(e)
}

native_fn!(
    /// `wasiOpen(path, flags) → hostFd * 16 + type | -errno`: [`open_typed`] of a latin1 byte
    /// string, as Node's `fs.openSync(path, flags, 0o666)` then `filetypeOfFd` do it.
    wasi_open, 2, |cx| {
        let env = cx.env;
        let [path, flags] = cx.args;
        let Some(path) = latin1_path(env, path) else { return env.int32(-libc::EINVAL) };
        match open_typed(&path, env.get_i32(flags).unwrap_or(0)) {
            Ok((fd, ty)) => env.double(f64::from(fd) * 16.0 + f64::from(ty)),
            Err(e) => env.int32(e),
        }
    }
);

/// Whether `realpath(path)` (a NUL-terminated path) is `path` itself.
pub(crate) fn is_real_path(path: &[u8]) -> bool {
    // SAFETY: `path` is NUL-terminated; a null buffer makes realpath allocate the result.
    let real = unsafe { libc::realpath(path.as_ptr() as *const c_char, ptr::null_mut()) };
    if real.is_null() {
        return false;
    }
    // SAFETY: realpath returned a NUL-terminated string it allocated with malloc.
    let same = unsafe { CStr::from_ptr(real) }.to_bytes() == &path[..path.len() - 1];
    // SAFETY: `real` came from malloc (realpath) and is not used after this.
    unsafe { libc::free(real as *mut libc::c_void) };
    same
}

native_fn!(
    /// `wasiIsRealPath(path) → boolean`: whether `realpath(path)` is `path` itself (a latin1
    /// byte string): it exists, and no symbolic link, `.` or `..` is on the way.
    wasi_is_real_path, 1, |cx| {
        let env = cx.env;
        Ok(env.boolean(latin1_path(env, cx.args[0]).is_some_and(|p| is_real_path(&p))))
    }
);

/// Whether `lstat(path)` (a NUL-terminated path) finds a symbolic link.
fn is_symlink(path: &[u8]) -> bool {
    // SAFETY: `libc::stat` is plain data; all zero is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    lstat(path, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFLNK
}

native_fn!(
    /// `wasiIsSymlink(path) → boolean`: whether `lstat(path)` finds a symbolic link.
    wasi_is_symlink, 1, |cx| {
        let env = cx.env;
        Ok(env.boolean(latin1_path(env, cx.args[0]).is_some_and(|p| is_symlink(&p))))
    }
);

/// The WASI file type of a `dirent`'s `d_type` (uvwasi's fd_readdir mapping).
fn filetype_of_dtype(t: u8) -> u8 {
    match t {
        libc::DT_BLK => 1,
        libc::DT_CHR => 2,
        libc::DT_DIR => 3,
        libc::DT_REG => 4,
        libc::DT_SOCK => 6, // a FIFO stays unknown, as in uvwasi's fd_readdir
        libc::DT_LNK => 7,
        _ => 0,
    }
}

/// The entries of the directory at `path` (NUL-terminated) packed as `wasiListDirectory`
/// returns them, or a negated errno.
pub(crate) fn list_directory(path: &[u8]) -> Result<Vec<u8>, i32> {
    // SAFETY: `path` is NUL-terminated.
    let dir = unsafe { libc::opendir(path.as_ptr() as *const c_char) };
    if dir.is_null() {
        return Err(neg_errno());
    }
    let mut out = Vec::new();
    let result = loop {
        // SAFETY: errno is thread-local; cleared to tell the end of the stream from an error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `dir` is the open stream from opendir.
        let ent = unsafe { libc::readdir(dir) };
        if ent.is_null() {
            let e = neg_errno();
            break if e == 0 { Ok(()) } else { Err(e) };
        }
        // SAFETY: readdir returned a valid entry, live until the next readdir on `dir`.
        let (name, dtype) = unsafe { (CStr::from_ptr((*ent).d_name.as_ptr()).to_bytes(), (*ent).d_type) };
        if name == b"." || name == b".." {
            continue;
        }
        out.push(filetype_of_dtype(dtype));
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name);
    };
    // SAFETY: `dir` is open and not used after this.
    unsafe { libc::closedir(dir) };
    result.map(|()| out)
}

native_fn!(
    /// `wasiListDirectory(path) → Uint8Array | -errno`: the entries of a directory in the
    /// host's order without `.` and `..` (as libuv's readdir), packed as records of
    /// `[type: u8][name length: u32 le][name bytes]`.
    wasi_list_directory, 1, |cx| {
        let env = cx.env;
        let Some(path) = latin1_path(env, cx.args[0]) else { return env.int32(-libc::EINVAL) };
        match list_directory(&path) {
            Ok(packed) => {
                let ab = env.arraybuffer_copy(&packed)?;
                let ctor = env.get_named(env.global()?, c"Uint8Array")?;
                env.construct(ctor, &[ab])
            }
            Err(e) => env.int32(e),
        }
    }
);

native_fn!(
    /// `wasiStatusFlags(hostFd) → flags | -errno`: `fcntl(F_GETFL)`, which uvwasi's
    /// fd_fdstat_get stores in `fs_flags`.
    wasi_status_flags, 1, |cx| {
        let env = cx.env;
        let fd = env.get_i32(cx.args[0]).unwrap_or(-1);
        env.int32(status_flags(fd))
    }
);

/// `fcntl(fd, F_GETFL)`, or a negated errno.
fn status_flags(fd: i32) -> i32 {
    // SAFETY: F_GETFL reads the descriptor's flags; a bad `fd` is EBADF.
    let r = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if r < 0 {
        neg_errno()
    } else {
        r
    }
}

/// Bits of a `wasiPoll` result per descriptor (libuv's `uv_poll` events as uvwasi reads them).
const POLL_READABLE: i32 = 1;
const POLL_WRITABLE: i32 = 2;
const POLL_DISCONNECT: i32 = 4;
const POLL_ERROR: i32 = 8;

/// What libuv's epoll backend reports for `revents` of a descriptor polled for `wanted`
/// (`POLL_READABLE`/`POLL_WRITABLE`): an error or a hang-up alone counts as every event asked
/// for, disconnect included (so a pipe whose writer is gone with no data left is readable and
/// hung up; with data left it is only readable).
fn uv_poll_events(revents: libc::c_short, wanted: i32) -> i32 {
    let mut ev = revents;
    if ev & (libc::POLLERR | libc::POLLNVAL) != 0 && ev != libc::POLLERR {
        return POLL_ERROR;
    }
    if ev == libc::POLLERR || ev == libc::POLLHUP {
        ev |= poll_mask(wanted);
    }
    if ev & libc::POLLERR != 0 {
        return POLL_ERROR; // uv_poll's callback gets UV_EBADF: uvwasi reports EIO
    }
    let mut out = 0;
    if ev & libc::POLLIN != 0 && wanted & POLL_READABLE != 0 {
        out |= POLL_READABLE;
    }
    if ev & libc::POLLOUT != 0 && wanted & POLL_WRITABLE != 0 {
        out |= POLL_WRITABLE;
    }
    if ev & libc::POLLRDHUP != 0 {
        out |= POLL_DISCONNECT;
    }
    out
}

/// The `poll(2)` events for `wanted` (uvwasi always asks for UV_DISCONNECT too).
fn poll_mask(wanted: i32) -> libc::c_short {
    let mut m = libc::POLLRDHUP;
    if wanted & POLL_READABLE != 0 {
        m |= libc::POLLIN;
    }
    if wanted & POLL_WRITABLE != 0 {
        m |= libc::POLLOUT;
    }
    m
}

/// Waits, as uvwasi's poll_oneoff loop does, until every descriptor of `pairs` (`[fd, wanted]`
/// pairs) has had an event or `timeout_ms` (< 0: none) has passed; each `wanted` is replaced by
/// the events seen (0 for none). Returns how many had one, or a negated errno.
fn poll_until_all(pairs: &mut [i32], timeout_ms: f64) -> i32 {
    let deadline = (timeout_ms >= 0.0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
    let wanted: Vec<i32> = pairs.chunks(2).map(|p| p[1]).collect();
    let mut done = vec![false; wanted.len()];
    for p in pairs.chunks_mut(2) {
        p[1] = 0;
    }
    let mut fired = 0;
    while fired < wanted.len() as i32 {
        let waiting: Vec<usize> = (0..wanted.len()).filter(|&i| !done[i]).collect();
        let mut fds: Vec<libc::pollfd> = waiting
            .iter()
            .map(|&i| libc::pollfd { fd: pairs[2 * i], events: poll_mask(wanted[i]), revents: 0 })
            .collect();
        let wait = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                left.as_millis().min(i32::MAX as u128) as i32 + i32::from(left.subsec_nanos() % 1_000_000 != 0)
            }
        };
        // SAFETY: `fds` is a live array of `fds.len()` pollfd records.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, wait) };
        if r < 0 {
            let e = neg_errno();
            if e == -libc::EINTR {
                continue;
            }
            return e;
        }
        if r == 0 {
            break; // the timeout
        }
        for (k, pfd) in fds.iter().enumerate() {
            if pfd.revents == 0 {
                continue;
            }
            let i = waiting[k];
            done[i] = true;
            pairs[2 * i + 1] = uv_poll_events(pfd.revents, wanted[i]);
            fired += 1;
        }
    }
    fired
}

native_fn!(
    /// `wasiPoll(pairs, timeoutMs) → count | -errno`: `pairs` is an Int32Array of
    /// `[hostFd, wanted]` (1 readable, 2 writable); waits until each had an event or the
    /// timeout (ms, < 0: none) passed, then holds the events seen in place of `wanted`
    /// (1 readable, 2 writable, 4 disconnect, 8 error; 0 none).
    wasi_poll, 2, |cx| {
        let env = cx.env;
        let [pairs, timeout] = cx.args;
        let Some(pairs) = typed_slice::<i32>(env, pairs, TypedarrayType::int32_array) else {
            return env.int32(-libc::EINVAL);
        };
        if pairs.len() % 2 != 0 {
            return env.int32(-libc::EINVAL);
        }
        env.int32(poll_until_all(pairs, env.get_f64(timeout).unwrap_or(-1.0)))
    }
);

/// Counts the WASI calls, in any thread of the process, that may have replaced a directory
/// (rename, remove, unlink, symlink, link): `lib/wasi/path.js` keeps the directories it found
/// free of symbolic links only while this count stays the same.
pub(crate) static PATH_GENERATION: AtomicU32 = AtomicU32::new(0);

native_fn!(
    /// `wasiPathGeneration() → number`: the current count of path changes.
    wasi_path_generation, 0, |cx| {
        cx.env.uint32(PATH_GENERATION.load(Ordering::Acquire))
    }
);

native_fn!(
    /// `wasiPathsChanged()`: a WASI call may have replaced a directory (counts one change).
    wasi_paths_changed, 0, |cx| {
        PATH_GENERATION.fetch_add(1, Ordering::AcqRel);
        Ok(cx.env.undefined())
    }
);

/// Registers the WASI host calls (Linux only; `lib/wasi` uses `fs` where they are absent).
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("wasiFdIo", wasi_fd_io)?;
    r.add("wasiLstat", wasi_lstat)?;
    r.add("wasiFstat", wasi_fstat)?;
    r.add("wasiOpen", wasi_open)?;
    r.add("wasiIsRealPath", wasi_is_real_path)?;
    r.add("wasiIsSymlink", wasi_is_symlink)?;
    r.add("wasiListDirectory", wasi_list_directory)?;
    r.add("wasiPoll", wasi_poll)?;
    r.add("wasiStatusFlags", wasi_status_flags)?;
    r.add("wasiPathGeneration", wasi_path_generation)?;
    r.add("wasiPathsChanged", wasi_paths_changed)
}
