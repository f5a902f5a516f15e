//! `fd_readdir` as a native WASI host function (#14, `src/wasi_native.rs`), as
//! `lib/wasi/readdir.js` does it (uvwasi's layout): the directory's entries in the host's order
//! without `.` and `..`, cookie n the position after entry n, `d_ino` 0, an entry that does not
//! fit ends the buffer (bufused = buf_len). The listing read at cookie 0 is kept for the
//! following cookies of the same descriptor; a later cookie with no listing kept here (the
//! descriptor was renumbered, or its first call went through JS) is left to the JS function.

use crate::wasi_host::list_directory;

/// Size of a WASI `dirent` header.
const DIRENT_SIZE: usize = 24;

/// A directory listing: the packed records of `list_directory` and where each one is.
pub(crate) struct Listing {
    packed: Vec<u8>,
    /// Per entry: WASI file type, offset and length of the name in `packed`.
    entries: Vec<(u8, usize, usize)>,
}

impl Listing {
    /// The listing of the directory at `path` (NUL-terminated), or a negated host errno.
    pub(crate) fn read(path: &[u8]) -> Result<Listing, i32> {
        let packed = list_directory(path)?;
        let mut entries = Vec::new();
        let mut at = 0;
        while at + 5 <= packed.len() {
            let len = u32::from_le_bytes([packed[at + 1], packed[at + 2], packed[at + 3], packed[at + 4]]) as usize;
            entries.push((packed[at], at + 5, len));
            at += 5 + len;
        }
        Ok(Listing { packed, entries })
    }

    /// Writes the entries from `cookie` on into `out` as uvwasi lays them out; returns bufused.
    pub(crate) fn fill(&self, out: &mut [u8], cookie: u64) -> usize {
        let len = out.len();
        let mut used = 0;
        let first = cookie.min(self.entries.len() as u64) as usize;
        for (i, &(ty, name_at, name_len)) in self.entries.iter().enumerate().skip(first) {
            if used + DIRENT_SIZE > len {
                used = len;
                break;
            }
            let header = &mut out[used..used + DIRENT_SIZE];
            header[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes()); // d_next
            header[8..16].fill(0); // d_ino: uvwasi leaves it 0
            header[16..20].copy_from_slice(&(name_len as u32).to_le_bytes());
            header[20] = ty; // (the 3 padding bytes are left as they are, as Node does)
            used += DIRENT_SIZE;
            let n = name_len.min(len - used);
            out[used..used + n].copy_from_slice(&self.packed[name_at..name_at + n]);
            used += n;
            if used == len {
                break;
            }
        }
        used
    }
}
