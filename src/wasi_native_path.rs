//! `path_filestat_get` as a native WASI host function (#14, `src/wasi_native.rs`): the fast
//! path of `lib/wasi/path.js`'s `resolve` for plain relative paths, decided exactly as there.
//!
//! A path is taken here only when it is plain: not absolute, not empty, no NUL (but a final
//! one, which Node drops), no trailing slash, no empty, `.` or `..` component. Its host path is
//! the directory's real path, `/`, the path. The directory holding the last component must be
//! its own realpath (remembered per bindings object until a WASI call in any thread changes
//! paths, as the JS side does), unless the path has one component; a followed last component
//! that is a symbolic link is left to the JS function (which resolves it inside the sandbox).

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::atomic::Ordering;

use crate::wasi_host::{is_real_path, lstat, neg_errno, write_filestat, FILESTAT_SIZE, PATH_GENERATION};

/// How many directories [`RealDirs`] remembers at most (as `lib/wasi/path.js`).
const REAL_DIRS_MAX: usize = 4096;

/// Directories (NUL-terminated host paths) found to be their own realpath, with the path
/// generation they were found in.
#[derive(Default)]
pub(crate) struct RealDirs(RefCell<(u32, HashSet<Vec<u8>>)>);

impl RealDirs {
    /// Whether `dir` (NUL-terminated) is its own realpath: remembered, or checked now.
    fn check(&self, dir: &[u8]) -> bool {
        let generation = PATH_GENERATION.load(Ordering::Acquire);
        let mut known = self.0.borrow_mut();
        if known.0 != generation || known.1.len() >= REAL_DIRS_MAX {
            known.1.clear();
            known.0 = generation;
        }
        if known.1.contains(dir) {
            return true;
        }
        if let Some(real) = real_below_known(&mut known.1, dir) {
            return real;
        }
        if !is_real_path(dir) {
            return false;
        }
        known.1.insert(dir.to_vec());
        true
    }
}

/// Whether `dir` (NUL-terminated) is its own realpath because an ancestor is known to be one
/// and every component below it is a plain name that is no symbolic link: one `lstat` per
/// component below the nearest known ancestor in place of `realpath(3)`'s walk of every
/// component (those found are remembered too). `None` when no ancestor is known.
fn real_below_known(known: &mut HashSet<Vec<u8>>, dir: &[u8]) -> Option<bool> {
    let path = &dir[..dir.len() - 1];
    // The ends of the ancestors, nearest first, down to the nearest known one.
    let mut cuts = Vec::new();
    let mut end = path.len();
    loop {
        let cut = path[..end].iter().rposition(|b| *b == b'/')?;
        let name = &path[cut + 1..end];
        if cut == 0 || name.is_empty() || name == b"." || name == b".." {
            return None;
        }
        cuts.push(end);
        let mut parent = path[..cut].to_vec();
        parent.push(0);
        if known.contains(&parent) {
            break;
        }
        end = cut;
    }
    for &end in cuts.iter().rev() {
        let mut below = path[..end].to_vec();
        below.push(0);
        // SAFETY: `libc::stat` is plain data; all zero is a valid value.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if lstat(&below, &mut st) != 0 || st.st_mode & libc::S_IFMT == libc::S_IFLNK {
            return Some(false);
        }
        known.insert(below);
    }
    Some(true)
}

/// The arguments of one `path_filestat_get` on a directory descriptor.
pub(crate) struct FilestatCall<'a> {
    /// The directory's real host path (bytes, no NUL).
    pub(crate) dir: &'a [u8],
    /// `LOOKUP_SYMLINK_FOLLOW` was given.
    pub(crate) follow: bool,
    /// The path's offset and length in memory.
    pub(crate) path: u32,
    /// The path's length.
    pub(crate) len: u32,
    /// Where the filestat goes.
    pub(crate) buf: u32,
}

/// The path argument `p` as `lib/wasi` takes it: Node drops one final NUL when it is the only one.
pub(crate) fn path_arg(p: &[u8]) -> &[u8] {
    if let [head @ .., 0] = p {
        if p.len() > 1 && !head.contains(&0) {
            return head;
        }
    }
    p
}

/// The NUL-terminated host path of `p` under the directory `dir` (its real path, no NUL) when
/// `lib/wasi/path.js`'s fast path takes it as it is: `p` is plain (relative, not empty, no NUL,
/// no trailing slash, no empty, `.` or `..` component) and the directory holding its last
/// component is its own realpath (when that component is followed, or the path has more than
/// one). `None`: the JS function decides. (A followed last component may still be a link: the
/// caller checks.)
pub(crate) fn plain_host_path(p: &[u8], dir: &[u8], follow: bool, real_dirs: &RealDirs) -> Option<Vec<u8>> {
    if p.is_empty() || p[0] == b'/' || p.ends_with(b"/") || p.contains(&0) {
        return None;
    }
    let mut components = 0;
    for c in p.split(|b| *b == b'/') {
        if c.is_empty() || c == b"." || c == b".." {
            return None;
        }
        components += 1;
    }
    let mut host = Vec::with_capacity(dir.len() + p.len() + 2);
    host.extend_from_slice(dir);
    host.push(b'/');
    host.extend_from_slice(p);
    let checked = if follow { components } else { components - 1 };
    if checked != 0 && components > 1 {
        let cut = host.iter().rposition(|b| *b == b'/')?;
        let mut parent = host[..cut].to_vec();
        parent.push(0);
        if !real_dirs.check(&parent) {
            return None;
        }
    }
    host.push(0);
    Some(host)
}

/// A WASI errno of a range outside the memory.
const E_OVERFLOW: i32 = 61;

/// Runs `call` against the memory `mem`: `Some(errno)` (0 with the filestat written, or the
/// host error mapped by `errno`), or `None` when the JS function must decide.
pub(crate) fn path_filestat_get(
    mem: &mut [u8],
    call: &FilestatCall<'_>,
    real_dirs: &RealDirs,
    errno: impl Fn(i64) -> i32,
) -> Option<i32> {
    let size = mem.len() as u64;
    let (path, len, buf) = (u64::from(call.path), u64::from(call.len), u64::from(call.buf));
    // Node's bounds checks come first (an offset at or past the end is outside).
    if path >= size || path + len > size || buf >= size || buf + FILESTAT_SIZE as u64 > size {
        return Some(E_OVERFLOW);
    }
    let p = path_arg(&mem[path as usize..(path + len) as usize]);
    let host = plain_host_path(p, call.dir, call.follow, real_dirs)?;
    // SAFETY: `libc::stat` is plain data; all zero is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if lstat(&host, &mut st) != 0 {
        return Some(errno(i64::from(neg_errno())));
    }
    if call.follow && st.st_mode & libc::S_IFMT == libc::S_IFLNK {
        return None;
    }
    let at = buf as usize;
    write_filestat(&mut mem[at..at + FILESTAT_SIZE], &st);
    Some(0)
}
