//! Native WASI host functions (#14): the hot preview1 calls `fd_read`, `fd_write`, `fd_pread`,
//! `fd_pwrite`, `fd_seek`, `fd_tell`, `path_filestat_get` (`src/wasi_native_path.rs`),
//! `fd_readdir` (`src/wasi_native_readdir.rs`), `path_open`, `fd_close` and `fd_fdstat_get`
//! (`src/wasi_native_open.rs`) done here, called by the interpreter without entering JS.
//!
//! `lib/wasi/native-table.js` keeps a copy of the descriptor table in a `Float64Array` shared
//! with this file: per descriptor a record of [`STRIDE`] numbers (mode bits, host fd, position,
//! base and inheriting rights, file type), then one more record whose first number counts the
//! descriptors opened here that JS has not adopted yet. The JS table (`lib/wasi/fd-table.js`) stays the source of truth and rewrites a
//! record on every change of its entry; only the position of a mirrored descriptor lives in the
//! record (the JS entry reads it from there), since these calls move it.
//!
//! Each JS function of `wasi.wasiImport` that has a native form is wrapped with its
//! [`WasiFuncData`] and tagged [`WASI_TAG`]; it stays the same JS function for JS callers.
//! Linking such a function into an instance (`src/instance.rs`) makes a [`WasiHostFunc`]: it does
//! what the JS function does when it can decide the call exactly as the JS one would (memory
//! set, a mirrored descriptor with the rights, no append mode, the iovec array in bounds), and
//! calls the JS function otherwise (every other error, unusual cases), so the semantics are the
//! JS function's. Linux only, like `src/wasi_host.rs`, whose system calls it shares.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use jitless_wasm_core::{Error, FuncRef, FuncType, HostFunc, Memory, Val, ValType};

use crate::convert::raw_of;
use crate::handle::{get_handle, Handle};
use crate::host_func::{self, JsHostFunc};
use crate::raw::{native_fn, Env, JsResult, JsType, Ref, TypeTag, TypedarrayType, Value};
use crate::reclaim::attach;
use crate::state::State;
use crate::wasi_host::{fstat, iovec_at, iovecs_into, neg_errno, typed_slice, OUT_OF_BOUNDS};
use crate::wasi_io::vectored_io;
use crate::wasi_native_open::{fd_close, fd_fdstat_get, path_open, MaxRights, OpenCall, Opened, Pending};
use crate::wasi_native_path::{path_filestat_get, FilestatCall, RealDirs};
use crate::wasi_native_readdir::Listing;

/// The type tag of the JS functions that have a native form.
const WASI_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x7761_7369_6e61_0001 };

/// The most parameters of a native WASI function (`path_open`: 9).
const MAX_ARGS: usize = 9;

/// The most iovecs whose room is kept from one read or write to the next.
const KEPT_IOVECS: usize = 64;

/// Numbers per descriptor record in the shared table.
const STRIDE: usize = 6;
/// Record field: the mode bits ([`MIRRORED`], [`WRITES_AT_POSITION`]); 0 for no entry.
const MODE: usize = 0;
/// Record field: the host fd.
const HOST_FD: usize = 1;
/// Record field: our position in a regular file, or -1 (the host's position is used).
const POSITION: usize = 2;
/// Record field: the base rights.
const RIGHTS: usize = 3;
/// Record field: the inheriting rights.
const INHERITING: usize = 4;
/// Record field: the WASI file type.
const FILETYPE: usize = 5;

/// Mode bit: the descriptor is open and its record current.
const MIRRORED: u32 = 1;
/// Mode bit: a write goes where the position says (no append mode).
const WRITES_AT_POSITION: u32 = 2;
/// Mode bit: `fd_fdstat_set_flags` overrode the flags the host reports (JS answers fdstat).
const FLAGS_OVERRIDDEN: u32 = 4;

/// Rights (WASI `rights` bits).
pub(crate) const RIGHT_FD_READ: u64 = 1 << 1;
/// The right to seek (needed by `fd_pread`/`fd_pwrite`).
pub(crate) const RIGHT_FD_SEEK: u64 = 1 << 2;
/// The right to ask for the position.
const RIGHT_FD_TELL: u64 = 1 << 5;
/// The right to write.
pub(crate) const RIGHT_FD_WRITE: u64 = 1 << 6;
/// The right to list a directory.
pub(crate) const RIGHT_FD_READDIR: u64 = 1 << 14;
/// The right to read a path's filestat.
const RIGHT_PATH_FILESTAT_GET: u64 = 1 << 18;

/// WASI errno of an invalid argument.
const E_INVAL: i32 = 28;
/// `whence` values.
const WHENCE_SET: u32 = 0;
/// From the position.
const WHENCE_CUR: u32 = 1;
/// From the end.
const WHENCE_END: u32 = 2;
/// The largest position (JS's `Number.MAX_SAFE_INTEGER`, as the JS function keeps it).
const MAX_SAFE_INTEGER: i128 = (1 << 53) - 1;
/// A host errno with no WASI errno (uvwasi's translation).
const E_NOSYS: u8 = 52;
/// WASI errno of a range outside the memory.
const E_OVERFLOW: i32 = 61;

/// Which preview1 function a native host function is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `fd_read(fd, iovs, iovs_len, nread_ptr)`.
    Read,
    /// `fd_write(fd, iovs, iovs_len, nwritten_ptr)`.
    Write,
    /// `fd_pread(fd, iovs, iovs_len, offset, nread_ptr)`.
    Pread,
    /// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten_ptr)`.
    Pwrite,
    /// `path_filestat_get(fd, flags, path, path_len, buf)`.
    PathFilestatGet,
    /// `fd_readdir(fd, buf, buf_len, cookie, bufused_ptr)`.
    Readdir,
    /// `fd_seek(fd, offset, whence, newoffset_ptr)`.
    Seek,
    /// `fd_tell(fd, offset_ptr)`.
    Tell,
    /// `fd_close(fd)`.
    Close,
    /// `fd_fdstat_get(fd, buf)`.
    FdstatGet,
    /// `path_open(dirfd, dirflags, path, path_len, oflags, base, inheriting, fdflags, fd_ptr)`.
    PathOpen,
}

impl Kind {
    /// The kind numbered `n` by `lib/wasi/native-table.js`.
    fn from_index(n: i32) -> Option<Kind> {
        Some(match n {
            0 => Kind::Read,
            1 => Kind::Write,
            2 => Kind::Pread,
            3 => Kind::Pwrite,
            4 => Kind::PathFilestatGet,
            5 => Kind::Readdir,
            6 => Kind::Seek,
            7 => Kind::Tell,
            8 => Kind::Close,
            9 => Kind::FdstatGet,
            10 => Kind::PathOpen,
            _ => return None,
        })
    }

    /// Whether `ty` is the function's preview1 type (otherwise the JS function is linked).
    fn has_type(self, ty: &FuncType) -> bool {
        use ValType::{I32, I64};
        let params: &[ValType] = match self {
            Kind::Read | Kind::Write => &[I32, I32, I32, I32],
            Kind::Pread | Kind::Pwrite | Kind::Readdir => &[I32, I32, I32, I64, I32],
            Kind::PathFilestatGet => &[I32, I32, I32, I32, I32],
            Kind::Seek => &[I32, I64, I32, I32],
            Kind::Tell | Kind::FdstatGet => &[I32, I32],
            Kind::Close => &[I32],
            Kind::PathOpen => &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
        };
        ty.params() == params && ty.results() == [I32]
    }
}

/// The native side of one `WASI` bindings object: the shared descriptor records, the host
/// errno translation and the memory once `_setMemory` gave ours.
pub(crate) struct WasiCtx {
    state: Rc<State>,
    /// A strong reference to the `Float64Array` of records (its bytes never move: it is
    /// neither resizable nor transferred).
    table: Ref,
    records: *mut f64,
    /// The numbers of the descriptor records (the count of changes for JS follows them).
    count: usize,
    /// Host errno → WASI errno (as `lib/wasi/host-calls.js` maps them).
    errnos: Box<[u8]>,
    memory: RefCell<Option<Memory>>,
    /// Each directory descriptor (by fd; `None` for other descriptors).
    pub(crate) dirs: RefCell<Vec<Option<Directory>>>,
    /// Directories known to be their own realpath.
    pub(crate) real_dirs: RealDirs,
    /// The descriptors `path_open` made here that JS has not adopted yet.
    pub(crate) pending: RefCell<Pending>,
    /// The descriptors of the JS table that `fd_close` closed here (JS drops their entries).
    closed: RefCell<Vec<u32>>,
    /// uvwasi's maximum rights per file type (from `lib/wasi/fd-table.js`).
    pub(crate) max_rights: MaxRights,
    /// The iovecs of the current read or write (reused: no allocation per call; the pointers
    /// of a finished call are never read again).
    vecs: RefCell<Vec<libc::iovec>>,
}

/// What the native functions know of a directory descriptor.
pub(crate) struct Directory {
    /// Its real host path (bytes, NUL-terminated).
    pub(crate) path: Box<[u8]>,
    /// `fd_readdir`'s listing read at cookie 0.
    pub(crate) listing: Option<Listing>,
}

impl Drop for WasiCtx {
    fn drop(&mut self) {
        self.state.delete_ref(self.table);
    }
}

impl WasiCtx {
    /// Field `field` of the record of `fd`, or `None` past the table's end.
    #[inline]
    fn field(&self, fd: u32, field: usize) -> Option<f64> {
        let at = (fd as usize).checked_mul(STRIDE)? + field;
        // SAFETY: `records` holds `count` numbers, kept alive by `table`; single-threaded.
        (at < self.count).then(|| unsafe { *self.records.add(at) })
    }

    /// Sets field `field` of the record of `fd` (known to exist).
    #[inline]
    fn set_field(&self, fd: u32, field: usize, value: f64) {
        let at = fd as usize * STRIDE + field;
        if at < self.count {
            // SAFETY: as in `field`.
            unsafe { *self.records.add(at) = value };
        }
    }

    /// `io` over the `count` iovecs at `iovs` (in the reused vector), or `None` when one lies
    /// outside the memory.
    fn with_iovecs(
        &self,
        mem: &mut [u8],
        iovs: u32,
        count: u32,
        io: impl FnOnce(&[libc::iovec]) -> i64,
    ) -> Option<i64> {
        if count == 1 {
            // (The usual call: one buffer, no vector.)
            let one = iovec_at(mem, u64::from(iovs))?;
            return Some(io(std::slice::from_ref(&one)));
        }
        let mut vecs = self.vecs.borrow_mut();
        let n = iovecs_into(mem, iovs, count, &mut vecs).map(|()| io(&vecs));
        if vecs.capacity() > KEPT_IOVECS {
            *vecs = Vec::new(); // (a long iovec array is not kept for the next calls)
        }
        n
    }

    /// The base and inheriting rights of the mirrored descriptor `fd`.
    pub(crate) fn rights(&self, fd: u32) -> Option<(u64, u64)> {
        if self.field(fd, MODE)? as u32 & MIRRORED == 0 {
            return None;
        }
        Some((self.field(fd, RIGHTS)? as u64, self.field(fd, INHERITING)? as u64))
    }

    /// The file type of the mirrored descriptor `fd`, and whether its flags were overridden.
    pub(crate) fn type_of(&self, fd: u32) -> Option<(u8, bool)> {
        let mode = self.field(fd, MODE)? as u32;
        if mode & MIRRORED == 0 {
            return None;
        }
        Some((self.field(fd, FILETYPE)? as u8, mode & FLAGS_OVERRIDDEN != 0))
    }

    /// The host fd of descriptor `fd`'s record.
    pub(crate) fn host_fd(&self, fd: u32) -> Option<f64> {
        self.field(fd, HOST_FD)
    }

    /// The lowest descriptor number with no entry (as the JS table's `insert` picks), if it is
    /// below the records' capacity.
    pub(crate) fn free_fd(&self) -> Option<u32> {
        (0..(self.count / STRIDE) as u32).find(|&fd| self.field(fd, MODE) == Some(0.0))
    }

    /// Fills the record of the new descriptor `fd` (opened here, position -1 for none).
    pub(crate) fn place_pending(
        &self,
        fd: u32,
        host_fd: i32,
        ty: u8,
        rights: (u64, u64),
        position: f64,
        opened: Opened,
    ) {
        self.set_field(fd, HOST_FD, f64::from(host_fd));
        self.set_field(fd, POSITION, position);
        self.set_field(fd, RIGHTS, rights.0 as f64);
        self.set_field(fd, INHERITING, rights.1 as f64);
        self.set_field(fd, FILETYPE, f64::from(ty));
        // (Opened without O_APPEND: writes go where the position says.)
        self.set_field(fd, MODE, f64::from(MIRRORED | WRITES_AT_POSITION));
        self.pending.borrow_mut().insert(fd, opened);
        self.count_changes();
    }

    /// Forgets the descriptor `fd`, closed here: its record is cleared; a pending one is
    /// dropped, one of the JS table is listed for JS to remove.
    pub(crate) fn forget(&self, fd: u32) {
        if self.pending.borrow_mut().remove(&fd).is_none() {
            self.closed.borrow_mut().push(fd);
        }
        self.count_changes();
        for field in 0..STRIDE {
            self.set_field(fd, field, 0.0);
        }
    }

    /// Hands the changes over to JS: the descriptors of its table closed here (in order), then
    /// every pending descriptor by increasing id (their records stay).
    pub(crate) fn take_changes(&self) -> (Vec<u32>, Vec<(u32, Opened)>) {
        let closed = std::mem::take(&mut *self.closed.borrow_mut());
        let mut taken: Vec<(u32, Opened)> = self.pending.borrow_mut().drain().collect();
        taken.sort_unstable_by_key(|(id, _)| *id);
        self.count_changes();
        (closed, taken)
    }

    /// Stores how many changes JS has to take where it looks (the record after the last).
    fn count_changes(&self) {
        let n = self.pending.borrow().len() + self.closed.borrow().len();
        // SAFETY: the array holds `count + STRIDE` numbers (`wasi_native_context`), kept alive
        // by `table`; single-threaded.
        unsafe { *self.records.add(self.count) = n as f64 };
    }

    /// Sets (or clears) what the native functions know of directory descriptor `fd`.
    pub(crate) fn set_directory(&self, fd: u32, dir: Option<Directory>) {
        let fd = fd as usize;
        let mut dirs = self.dirs.borrow_mut();
        if dirs.len() <= fd {
            if dir.is_none() {
                return;
            }
            dirs.resize_with(fd + 1, || None);
        }
        dirs[fd] = dir;
    }

    /// The WASI errno of a negated host errno (or [`OUT_OF_BOUNDS`]).
    pub(crate) fn errno(&self, negated: i64) -> i32 {
        if negated == i64::from(OUT_OF_BOUNDS) {
            return E_OVERFLOW;
        }
        let host = negated.unsigned_abs() as usize;
        i32::from(self.errnos.get(host).copied().unwrap_or(E_NOSYS))
    }

    /// Runs `kind` natively with its arguments as raw cells (an `i32` in the low 32 bits, an
    /// `i64` in all 64; the types were checked at linking): `Some(errno)`, or `None` when the JS
    /// function must decide.
    fn call(&self, kind: Kind, args: &[u64]) -> Option<i32> {
        let memory = self.memory.borrow();
        let memory = memory.as_ref()?;
        let u32_at = |i: usize| args.get(i).map(|&c| c as u32);
        let i64_at = |i: usize| args.get(i).map(|&c| c as i64);
        let fd = u32_at(0)?;
        let mode = self.field(fd, MODE)? as u32;
        if mode & MIRRORED == 0 {
            return None;
        }
        let rights = self.field(fd, RIGHTS)? as u64;
        let host_fd = self.field(fd, HOST_FD)? as i32;
        // SAFETY: the memory's bytes, `data_len` long, stay mapped while `memory` is held; no
        // JS or wasm runs during this call (a shared memory's other threads may write to it,
        // as they may during any system call on it).
        let mem = unsafe { std::slice::from_raw_parts_mut(memory.data_ptr(), memory.data_len()) };
        let size = mem.len() as u64;
        match kind {
            Kind::Close => fd_close(self, fd, host_fd),
            Kind::FdstatGet => fd_fdstat_get(self, mem, fd, host_fd, u32_at(1)?),
            Kind::PathOpen => {
                let mut call = OpenCall { args: [0; 9] };
                call.args.copy_from_slice(args.get(..9)?);
                path_open(self, mem, &call)
            }
            Kind::PathFilestatGet => {
                let dirs = self.dirs.borrow();
                let dir = dirs.get(fd as usize)?.as_ref()?;
                if rights & RIGHT_PATH_FILESTAT_GET == 0 {
                    return None;
                }
                let dir = &dir.path[..dir.path.len() - 1];
                let call = FilestatCall {
                    dir,
                    follow: u32_at(1)? & 1 != 0,
                    path: u32_at(2)?,
                    len: u32_at(3)?,
                    buf: u32_at(4)?,
                };
                path_filestat_get(mem, &call, &self.real_dirs, |e| self.errno(e))
            }
            Kind::Readdir => {
                let mut dirs = self.dirs.borrow_mut();
                let dir = dirs.get_mut(fd as usize)?.as_mut()?;
                let (buf, len, used_ptr) = (u64::from(u32_at(1)?), u64::from(u32_at(2)?), u64::from(u32_at(4)?));
                let cookie = i64_at(3)? as u64;
                if rights & RIGHT_FD_READDIR == 0 || (cookie != 0 && dir.listing.is_none()) {
                    return None;
                }
                // (Node's bounds checks come before the descriptor's, as here: the same errno.)
                if buf >= size || buf + len > size || used_ptr >= size || used_ptr + 4 > size {
                    return Some(E_OVERFLOW);
                }
                if cookie == 0 {
                    match Listing::read(&dir.path) {
                        Ok(listing) => dir.listing = Some(listing),
                        Err(e) => {
                            dir.listing = None;
                            return Some(self.errno(i64::from(e)));
                        }
                    }
                }
                let listing = dir.listing.as_ref()?;
                let used = listing.fill(&mut mem[buf as usize..(buf + len) as usize], cookie);
                store(mem, used_ptr, &(used as u32).to_le_bytes());
                Some(0)
            }
            Kind::Read | Kind::Write => {
                let (iovs, count) = (u32_at(1)?, u32_at(2)?);
                let write = kind == Kind::Write;
                let right = if write { RIGHT_FD_WRITE } else { RIGHT_FD_READ };
                if rights & right == 0 || count == 0 || u64::from(iovs) + u64::from(count) * 8 > size {
                    return None;
                }
                let position = self.field(fd, POSITION)?;
                if write && position >= 0.0 && mode & WRITES_AT_POSITION == 0 {
                    return None;
                }
                let result_ptr = u64::from(u32_at(3)?);
                if result_ptr >= size || result_ptr + 4 > size {
                    return Some(E_OVERFLOW);
                }
                let at = if position >= 0.0 { position as i64 } else { -1 };
                let Some(n) = self.with_iovecs(mem, iovs, count, |vecs| vectored_io(write, host_fd, vecs, at)) else {
                    return Some(E_OVERFLOW);
                };
                if n < 0 {
                    return Some(self.errno(n));
                }
                store(mem, result_ptr, &(n as u32).to_le_bytes());
                if position >= 0.0 {
                    self.set_field(fd, POSITION, position + n as f64);
                }
                Some(0)
            }
            Kind::Seek | Kind::Tell => {
                // Only our own position in a regular file (streams, devices and stdio files not
                // yet seeked are the JS function's).
                let position = self.field(fd, POSITION)?;
                let (offset, whence, ptr, right) = match (kind, args) {
                    (Kind::Seek, &[_, offset, whence, ptr]) => {
                        (offset as i64, whence as u32 & 0xff, ptr as u32, RIGHT_FD_SEEK)
                    }
                    (Kind::Tell, &[_, ptr]) => (0, WHENCE_CUR, ptr as u32, RIGHT_FD_TELL),
                    _ => return None,
                };
                if rights & right == 0 || position < 0.0 || whence > WHENCE_END {
                    return None;
                }
                let ptr = u64::from(ptr);
                if ptr >= size || ptr + 8 > size {
                    return Some(E_OVERFLOW);
                }
                let base = match whence {
                    WHENCE_SET => 0,
                    WHENCE_CUR => position as i128,
                    _ => {
                        // SAFETY: `libc::stat` is plain data; all zero is a valid value.
                        let mut st: libc::stat = unsafe { std::mem::zeroed() };
                        if fstat(host_fd, &mut st) != 0 {
                            return Some(self.errno(i64::from(neg_errno())));
                        }
                        i128::from(st.st_size)
                    }
                };
                let next = base + i128::from(offset);
                if next < 0 {
                    return Some(E_INVAL);
                }
                if next > MAX_SAFE_INTEGER {
                    // Past what the descriptor records can hold: EINVAL, as uvwasi's lseek gets
                    // from the kernel beyond a filesystem's largest file (ext4: 2^44 bytes).
                    return Some(E_INVAL);
                }
                self.set_field(fd, POSITION, next as f64);
                store(mem, ptr, &(next as u64).to_le_bytes());
                Some(0)
            }
            Kind::Pread | Kind::Pwrite => {
                let (iovs, count) = (u32_at(1)?, u32_at(2)?);
                let write = kind == Kind::Pwrite;
                let need = RIGHT_FD_SEEK | if write { RIGHT_FD_WRITE } else { RIGHT_FD_READ };
                let offset = i64_at(3)?;
                // (A negative offset is the JS function's EINVAL; any other is exact here.)
                if rights & need != need || offset < 0 {
                    return None;
                }
                let result_ptr = u64::from(u32_at(4)?);
                // Node's order: the iovec array and the result first (an offset at or past the
                // end is outside even for a length of 0), then each iovec.
                let array_end = u64::from(iovs) + u64::from(count) * 8;
                if u64::from(iovs) >= size || array_end > size || result_ptr >= size || result_ptr + 4 > size {
                    return Some(E_OVERFLOW);
                }
                let io = |vecs: &[libc::iovec]| if count == 0 { 0 } else { vectored_io(write, host_fd, vecs, offset) };
                let Some(n) = self.with_iovecs(mem, iovs, count, io) else { return Some(E_OVERFLOW) };
                if n < 0 {
                    return Some(self.errno(n));
                }
                store(mem, result_ptr, &(n as u32).to_le_bytes());
                Some(0)
            }
        }
    }
}

/// Writes `bytes` at `at` of the memory (bounds checked by the caller).
fn store(mem: &mut [u8], at: u64, bytes: &[u8]) {
    let at = at as usize;
    mem[at..at + bytes.len()].copy_from_slice(bytes);
}

/// The data attached to a JS function that has a native form.
struct WasiFuncData {
    ctx: Rc<WasiCtx>,
    kind: Kind,
    /// The wrap's reference (deleted with the data).
    wrap_ref: Cell<Ref>,
}

impl Drop for WasiFuncData {
    fn drop(&mut self) {
        self.ctx.state.delete_ref(self.wrap_ref.get());
    }
}

/// A native WASI function as a core host function, falling back to its JS function.
struct WasiHostFunc {
    js: JsHostFunc,
    ctx: Rc<WasiCtx>,
    kind: Kind,
}

impl HostFunc for WasiHostFunc {
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        // (The binding sees the JS host function: its Exported Function, its name.)
        self.js.as_any()
    }

    /// The general path (a JSPI segment's host calls take it): the arguments as raw cells.
    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        let mut raw = [0u64; MAX_ARGS];
        let n = args.len().min(MAX_ARGS);
        for (cell, v) in raw.iter_mut().zip(&args[..n]) {
            *cell = raw_of(v);
        }
        match self.ctx.call(self.kind, &raw[..n]) {
            Some(errno) => {
                results.push(Val::I32(errno));
                Ok(())
            }
            None => self.js.call(args, results),
        }
    }

    fn has_numeric_call(&self) -> bool {
        // (The fallback is the JS function's numeric call; WASI's types are all numeric.)
        self.js.has_numeric_call()
    }

    /// The interpreter's path: arguments and the errno as raw cells, no `Val`s.
    fn call_numeric(&self, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
        match self.ctx.call(self.kind, args) {
            Some(errno) => {
                results[0] = errno as u32 as u64;
                Ok(())
            }
            None => self.js.call_numeric(args, results),
        }
    }
}

/// The host function to link for the function import `callable` of type `ty`: a
/// [`WasiHostFunc`] when `callable` is a tagged WASI function of that type, else `None`.
pub(crate) fn link(env: Env, st: &Rc<State>, callable: Value, ty: &FuncType, index: u32) -> JsResult<Option<FuncRef>> {
    if !env.has_type_tag(callable, &WASI_TAG) {
        return Ok(None);
    }
    let Some(p) = env.unwrap(callable) else { return Ok(None) };
    // SAFETY: functions tagged WASI_TAG are wrapped with a `WasiFuncData` that lives as long
    // as the function (`attach`), and `callable` is a live handle.
    let data = unsafe { &*(p as *const WasiFuncData) };
    if !data.kind.has_type(ty) {
        return Ok(None);
    }
    let js = host_func::new(env, st, callable, ty.clone(), index, false)?;
    let host = WasiHostFunc { js, ctx: data.ctx.clone(), kind: data.kind };
    Ok(Some(FuncRef::host(ty.clone(), host)))
}

/// The context of a `wasiNativeContext` External.
pub(crate) fn ctx_of<'a>(env: Env, v: Value) -> JsResult<&'a Rc<WasiCtx>> {
    if env.type_of(v) != JsType::External || !env.has_type_tag(v, &WASI_TAG) {
        return Err(env.throw_type_error("jitless-wasm: not a WASI context"));
    }
    // SAFETY: Externals tagged WASI_TAG are made by `wasi_native_context` over an
    // `Rc<WasiCtx>` owned by the External (`attach`); `v` is a live handle.
    unsafe { env.external_data::<Rc<WasiCtx>>(v) }
        .ok_or_else(|| env.throw_type_error("jitless-wasm: not a WASI context"))
}

native_fn!(
    /// `wasiNativeContext(records, errnos, maxRights) → context`: the native side of one
    /// bindings object over the `Float64Array` of descriptor records (and the pending count
    /// after them), the `Uint8Array` host errno → WASI errno and the `Float64Array` of uvwasi's
    /// maximum rights (base, inheriting) per file type 0..=7, then for a terminal.
    wasi_native_context, 3, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [records, errnos, max] = cx.args;
        let Some(slots) = typed_slice::<f64>(env, records, TypedarrayType::float64_array) else {
            return Err(env.throw_type_error("jitless-wasm: records must be a Float64Array"));
        };
        if slots.len() < STRIDE || slots.len() % STRIDE != 0 {
            return Err(env.throw_type_error("jitless-wasm: records must hold whole records"));
        }
        let mut max_rights: MaxRights = [(0, 0); 9];
        match typed_slice::<f64>(env, max, TypedarrayType::float64_array) {
            Some(m) if m.len() == 2 * max_rights.len() => {
                for (i, r) in max_rights.iter_mut().enumerate() {
                    *r = (m[2 * i] as u64, m[2 * i + 1] as u64);
                }
            }
            _ => return Err(env.throw_type_error("jitless-wasm: maxRights must be a Float64Array of 18")),
        }
        let Some(errnos) = typed_slice::<u8>(env, errnos, TypedarrayType::uint8_array) else {
            return Err(env.throw_type_error("jitless-wasm: errnos must be a Uint8Array"));
        };
        let errnos: Box<[u8]> = errnos.into();
        let (ptr, count) = (slots.as_mut_ptr(), slots.len() - STRIDE);
        let table = env.reference(records, 1)?;
        let ctx = WasiCtx { state: st.clone(), table, records: ptr, count, errnos, memory: RefCell::new(None),
            dirs: RefCell::new(Vec::new()),
            real_dirs: RealDirs::default(),
            pending: RefCell::new(Pending::new()),
            closed: RefCell::new(Vec::new()),
            max_rights,
            vecs: RefCell::new(Vec::new()),
        };
        let owned: Box<Rc<WasiCtx>> = Box::new(Rc::new(ctx));
        let v = env.external_unowned(&*owned as *const Rc<WasiCtx> as *mut c_void)?;
        env.type_tag(v, &WASI_TAG)?;
        attach(env, st, v, owned)?;
        Ok(v)
    }
);

native_fn!(
    /// `wasiNativeBind(fn, context, kind)`: gives the JS function `fn` its native form `kind`
    /// (the numbers of `Kind::from_index`), used when an instance links it.
    wasi_native_bind, 3, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [f, ctx, kind] = cx.args;
        let ctx = ctx_of(env, ctx)?.clone();
        let Some(kind) = env.get_i32(kind).and_then(Kind::from_index) else {
            return Err(env.throw_type_error("jitless-wasm: unknown WASI function kind"));
        };
        if env.type_of(f) != JsType::Function || env.has_type_tag(f, &WASI_TAG) {
            return Err(env.throw_type_error("jitless-wasm: not a fresh WASI function"));
        }
        bind(env, st, f, WasiFuncData { ctx, kind, wrap_ref: Cell::new(ptr::null_mut()) })?;
        Ok(env.undefined())
    }
);

/// Attaches `data` to the JS function `f` (owned by it, found by `link`) and tags it.
fn bind(env: Env, st: &Rc<State>, f: Value, data: WasiFuncData) -> JsResult<()> {
    let data = Box::new(data);
    let p = &*data as *const WasiFuncData;
    // SAFETY: `data` lives as long as `f` (attached below; `f` is in scope until then).
    let wrap_ref = unsafe { env.wrap_unowned(f, p as *mut c_void)? };
    data.wrap_ref.set(wrap_ref);
    env.type_tag(f, &WASI_TAG)?;
    attach(env, st, f, data)
}

native_fn!(
    /// `wasiNativeMemory(context, memoryHandle)`: the memory the native functions use (our
    /// Memory's handle), or none (`undefined`, e.g. V8's Memory: the JS functions then run).
    wasi_native_memory, 2, |cx| {
        let env = cx.env;
        let [ctx, handle] = cx.args;
        let ctx = ctx_of(env, ctx)?;
        let memory = match get_handle(env, handle) {
            Some(Handle::Memory(m, _)) => Some(m.clone()),
            _ => None,
        };
        *ctx.memory.borrow_mut() = memory;
        Ok(env.undefined())
    }
);

native_fn!(
    /// `wasiNativeDirectory(context, fd, realPath)`: the real host path (a latin1 byte string)
    /// of directory descriptor `fd`, or none (`null`: closed, moved or no directory).
    wasi_native_directory, 3, |cx| {
        let env = cx.env;
        let [ctx, fd, path] = cx.args;
        let ctx = ctx_of(env, ctx)?;
        let fd = env.get_f64(fd).unwrap_or(-1.0);
        if !(0.0..65536.0).contains(&fd) {
            return Ok(env.undefined());
        }
        let dir = env.latin1_cstring(path).map(|p| Directory { path: p.into_boxed_slice(), listing: None });
        ctx.set_directory(fd as u32, dir);
        Ok(env.undefined())
    }
);

/// Registers the native functions of this file.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("wasiNativeContext", wasi_native_context)?;
    r.add("wasiNativeBind", wasi_native_bind)?;
    r.add("wasiNativeMemory", wasi_native_memory)?;
    r.add("wasiNativeDirectory", wasi_native_directory)?;
    crate::wasi_native_open::register(r)
}
