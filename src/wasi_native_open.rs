//! `path_open`, `fd_close` and `fd_fdstat_get` as native WASI host functions (#14,
//! `src/wasi_native.rs`), so that a directory walk (`opendir`: `fd_fdstat_get` of the directory,
//! `path_open`; `closedir`: `fd_close`) runs without entering JS.
//!
//! `path_open` is taken here only in its plain form: no `O_CREAT`/`O_EXCL`/`O_TRUNC`, no fdflags
//! but `NONBLOCK`, a path that `lib/wasi/path.js`'s fast path resolves as it is
//! ([`plain_host_path`]), a free descriptor number below the table's capacity. It opens as
//! `lib/wasi/syscalls-path.js` does (the same host flags, rights and checks in the same order)
//! and places the new descriptor in the native records as *pending*: the JS table
//! (`lib/wasi/fd-table.js`) adopts it (`wasiNativeTake`) the next time it is used from JS, so it
//! stays the source of truth. `fd_close` closes any mirrored descriptor here (one of the JS table
//! is listed for JS to remove, before it adopts new ones); `fd_fdstat_get` answers for any
//! mirrored descriptor whose flags were not overridden.

use std::collections::HashMap;

use crate::raw::{native_fn, JsResult};
use crate::wasi_host::{lstat, neg_errno, open_typed};
use crate::wasi_native::{ctx_of, Directory, WasiCtx, RIGHT_FD_READ, RIGHT_FD_READDIR, RIGHT_FD_SEEK, RIGHT_FD_WRITE};
use crate::wasi_native_path::{path_arg, plain_host_path};

/// What the JS table needs to adopt a descriptor `path_open` made here.
pub(crate) struct Opened {
    /// The host path it was opened at (bytes, no NUL).
    host_path: Box<[u8]>,
    /// The host open flags (`entry.openFlags`, without `O_CLOEXEC`).
    open_flags: i32,
}

/// The descriptors opened here that JS has not adopted yet, by WASI fd.
pub(crate) type Pending = HashMap<u32, Opened>;

/// uvwasi's maximum rights per WASI file type (base, inheriting), from `lib/wasi/fd-table.js`:
/// entries 0..=7 by type (a character device that is no terminal), 8 a terminal.
pub(crate) type MaxRights = [(u64, u64); 9];

/// The entry of [`MaxRights`] for a terminal.
const TTY: usize = 8;

/// WASI file types.
const FILETYPE_CHARACTER_DEVICE: u8 = 2;
/// A directory.
const FILETYPE_DIRECTORY: u8 = 3;
/// A regular file.
const FILETYPE_REGULAR_FILE: u8 = 4;

/// Rights (WASI `rights` bits) `path_open` looks at, besides those of `src/wasi_native.rs`.
const RIGHT_FD_DATASYNC: u64 = 1;
/// Allocating.
const RIGHT_FD_ALLOCATE: u64 = 1 << 8;
/// Opening a path in a directory.
const RIGHT_PATH_OPEN: u64 = 1 << 13;
/// Changing a file's size.
const RIGHT_FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
/// The rights `lib/wasi` keeps (all below 2^30).
const RIGHTS_MASK: u64 = (1 << 30) - 1;

/// `oflags` this path leaves to JS (they create or truncate files).
const OFLAGS_TO_JS: u32 = 1 | 4 | 8; // CREAT, EXCL, TRUNC
/// `oflags`: the path must be a directory.
const OFLAG_DIRECTORY: u32 = 2;
/// `fdflags`: non-blocking (the only one taken here).
const FDFLAG_NONBLOCK: u32 = 4;
/// `lookupflags`: follow a last component that is a symbolic link.
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// WASI errnos.
const E_NOTDIR: i32 = 54;
/// A range outside the memory.
const E_OVERFLOW: i32 = 61;

/// Size of a WASI `fdstat`.
const FDSTAT_SIZE: u64 = 24;

/// Whether `[at, at + len)` lies outside a memory of `size` bytes (Node's rule: an offset at or
/// past the end is outside even for a length of 0).
fn oob(size: u64, at: u64, len: u64) -> bool {
    at >= size || at + len > size
}

/// The arguments of one `path_open`, as raw cells.
pub(crate) struct OpenCall {
    /// `dirfd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_ptr`.
    pub(crate) args: [u64; 9],
}

/// `path_open` here: `Some(errno)` (0 with the new fd stored), or `None` for the JS function.
pub(crate) fn path_open(ctx: &WasiCtx, mem: &mut [u8], call: &OpenCall) -> Option<i32> {
    let a = &call.args;
    let (dirfd, dirflags, path, len) = (a[0] as u32, a[1] as u32, u64::from(a[2] as u32), u64::from(a[3] as u32));
    let (oflags, base, inheriting, fdflags) = (a[4] as u32 & 0xffff, a[5], a[6], a[7] as u32 & 0xffff);
    let fd_ptr = u64::from(a[8] as u32);
    let size = mem.len() as u64;
    if oob(size, path, len) || oob(size, fd_ptr, 4) {
        return Some(E_OVERFLOW);
    }
    if oflags & OFLAGS_TO_JS != 0 || fdflags & !FDFLAG_NONBLOCK != 0 {
        return None;
    }
    // 1. The access mode from the rights asked for.
    let base_low = base & RIGHTS_MASK;
    let read = base_low & (RIGHT_FD_READ | RIGHT_FD_READDIR) != 0;
    let write = base_low & (RIGHT_FD_DATASYNC | RIGHT_FD_WRITE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE) != 0;
    let mut flags = match (write, read) {
        (true, true) => libc::O_RDWR,
        (true, false) => libc::O_WRONLY,
        _ => libc::O_RDONLY,
    };
    let access = flags;
    // 2. The rights the directory must have (a lack of them is the JS function's error).
    let mut needed_inheriting = base | inheriting;
    if write {
        needed_inheriting |= RIGHT_FD_SEEK;
    }
    let (dir_base, dir_inheriting) = ctx.rights(dirfd)?;
    if dir_base & RIGHT_PATH_OPEN == 0 || needed_inheriting & !dir_inheriting != 0 {
        return None;
    }
    if oflags & OFLAG_DIRECTORY != 0 {
        flags |= libc::O_DIRECTORY;
    }
    if fdflags & FDFLAG_NONBLOCK != 0 {
        flags |= libc::O_NONBLOCK;
    }
    // 3. The path, resolved as it is (else JS resolves it); a followed link is JS's too.
    let follow = dirflags & LOOKUP_SYMLINK_FOLLOW != 0;
    let host = {
        let dirs = ctx.dirs.borrow();
        let dir = dirs.get(dirfd as usize)?.as_ref()?;
        let p = path_arg(&mem[path as usize..(path + len) as usize]);
        plain_host_path(p, &dir.path[..dir.path.len() - 1], follow, &ctx.real_dirs)?
    };
    if follow {
        // SAFETY: `libc::stat` is plain data; all zero is a valid value.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if lstat(&host, &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFLNK {
            return None;
        }
    } else {
        flags |= libc::O_NOFOLLOW;
    }
    let id = ctx.free_fd()?;
    let (host_fd, ty) = match open_typed(&host, flags) {
        Ok(opened) => opened,
        Err(e) => return Some(ctx.errno(i64::from(e))),
    };
    // 4. A directory was asked for but this is none.
    if ty != FILETYPE_DIRECTORY && oflags & OFLAG_DIRECTORY != 0 {
        // SAFETY: `host_fd` was just opened here and is not used after this.
        unsafe { libc::close(host_fd) };
        return Some(E_NOTDIR);
    }
    // 5. The new descriptor's rights: those asked for, within what its type allows.
    // SAFETY: isatty only reads the descriptor's state.
    let tty = ty == FILETYPE_CHARACTER_DEVICE && unsafe { libc::isatty(host_fd) } == 1;
    let (mut max_base, max_inheriting) = ctx.max_rights[if tty { TTY } else { usize::from(ty.min(7)) }];
    if access == libc::O_RDONLY {
        max_base &= !RIGHT_FD_WRITE;
    } else if access == libc::O_WRONLY {
        max_base &= !RIGHT_FD_READ;
    }
    let position = if ty == FILETYPE_REGULAR_FILE { 0.0 } else { -1.0 };
    let rights = (base_low & max_base, inheriting & RIGHTS_MASK & max_inheriting);
    let opened = Opened { host_path: host[..host.len() - 1].into(), open_flags: flags };
    ctx.place_pending(id, host_fd, ty, rights, position, opened);
    if ty == FILETYPE_DIRECTORY {
        ctx.set_directory(id, Some(Directory { path: host.into_boxed_slice(), listing: None }));
    }
    let at = fd_ptr as usize;
    mem[at..at + 4].copy_from_slice(&id.to_le_bytes());
    Some(0)
}

/// `fd_close` of a mirrored descriptor (pending, or one of the JS table, which drops it when
/// it next looks: `wasiNativeTake`).
pub(crate) fn fd_close(ctx: &WasiCtx, fd: u32, host_fd: i32) -> Option<i32> {
    ctx.type_of(fd)?;
    // SAFETY: `host_fd` is the descriptor's own, closed once (its record goes below).
    let r = unsafe { libc::close(host_fd) };
    let e = if r == 0 { 0 } else { neg_errno() };
    // libuv's close takes EINTR and EINPROGRESS as done (so does Node's fs.closeSync).
    if e != 0 && e != -libc::EINTR && e != -libc::EINPROGRESS {
        return Some(ctx.errno(i64::from(e)));
    }
    ctx.forget(fd);
    ctx.set_directory(fd, None);
    Some(0)
}

/// `fd_fdstat_get` of a mirrored descriptor: type, `fcntl(F_GETFL)` flags, rights.
pub(crate) fn fd_fdstat_get(ctx: &WasiCtx, mem: &mut [u8], fd: u32, host_fd: i32, buf: u32) -> Option<i32> {
    let buf = u64::from(buf);
    if oob(mem.len() as u64, buf, FDSTAT_SIZE) {
        return Some(E_OVERFLOW);
    }
    let (ty, flags_overridden) = ctx.type_of(fd)?;
    if flags_overridden {
        return None;
    }
    let (base, inheriting) = ctx.rights(fd)?;
    // SAFETY: F_GETFL reads the descriptor's flags; a bad `host_fd` is EBADF (flags 0, as JS).
    let flags = unsafe { libc::fcntl(host_fd, libc::F_GETFL) }.max(0) as u32 & 0xffff;
    let at = buf as usize;
    // (The padding bytes are left as they are, as JS does.)
    mem[at] = ty;
    mem[at + 2..at + 4].copy_from_slice(&(flags as u16).to_le_bytes());
    mem[at + 8..at + 16].copy_from_slice(&base.to_le_bytes());
    mem[at + 16..at + 24].copy_from_slice(&inheriting.to_le_bytes());
    Some(0)
}

native_fn!(
    /// `wasiNativeTake(context) → [n, closed id × n, then per descriptor made here: id, hostFd,
    /// type, rightsBase, rightsInheriting, openFlags, hostPath]`: the descriptors of the JS table
    /// that `fd_close` closed here (for JS to remove first, in order), then the ones `path_open`
    /// made here by increasing id, handed over to the JS table (their records stay, mirrored).
    wasi_native_take, 1, |cx| {
        let env = cx.env;
        let ctx = ctx_of(env, cx.args[0])?;
        let (closed, taken) = ctx.take_changes();
        let mut values = Vec::with_capacity(1 + closed.len() + taken.len() * 7);
        values.push(env.uint32(closed.len() as u32)?);
        for id in &closed {
            values.push(env.uint32(*id)?);
        }
        for (id, opened) in &taken {
            let (base, inheriting) = ctx.rights(*id).unwrap_or((0, 0));
            let (ty, _) = ctx.type_of(*id).unwrap_or((0, false));
            values.push(env.uint32(*id)?);
            values.push(env.double(ctx.host_fd(*id).unwrap_or(-1.0))?);
            values.push(env.uint32(u32::from(ty))?);
            values.push(env.double(base as f64)?);
            values.push(env.double(inheriting as f64)?);
            values.push(env.int32(opened.open_flags)?);
            values.push(env.string_latin1(&opened.host_path)?);
        }
        env.array_of(&values)
    }
);

/// Registers the native functions of this file.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("wasiNativeTake", wasi_native_take)
}
