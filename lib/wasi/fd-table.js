'use strict';
// The WASI file-descriptor table: stdio and preopened directories at start, then what path_open
// adds. Each entry holds the host fd, its WASI file type and rights (uvwasi's rules: the maximum
// rights per file type, narrowed by the access mode), and the paths used to resolve relative
// paths against it. Regular files keep their own position: Node's fs has no lseek, so reads and
// writes are positional.

const fs = require('node:fs');
const { isatty } = require('./lazy-modules.js');
const { E, errnoOf } = require('./errno.js');
const { R, RIGHTS_ALL, FILETYPE } = require('./constants.js');
const { normalize } = require('./path.js');

const REGULAR_FILE_BASE =
  R.FD_DATASYNC | R.FD_READ | R.FD_SEEK | R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_TELL | R.FD_WRITE |
  R.FD_ADVISE | R.FD_ALLOCATE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES |
  R.POLL_FD_READWRITE;
const DIRECTORY_BASE =
  R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_ADVISE | R.PATH_CREATE_DIRECTORY | R.PATH_CREATE_FILE |
  R.PATH_LINK_SOURCE | R.PATH_LINK_TARGET | R.PATH_OPEN | R.FD_READDIR | R.PATH_READLINK |
  R.PATH_RENAME_SOURCE | R.PATH_RENAME_TARGET | R.PATH_FILESTAT_GET | R.PATH_FILESTAT_SET_SIZE |
  R.PATH_FILESTAT_SET_TIMES | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_TIMES | R.PATH_SYMLINK |
  R.PATH_UNLINK_FILE | R.PATH_REMOVE_DIRECTORY | R.POLL_FD_READWRITE;
const DIRECTORY_INHERITING = DIRECTORY_BASE | REGULAR_FILE_BASE;
const SOCKET_BASE =
  R.FD_READ | R.FD_FDSTAT_SET_FLAGS | R.FD_WRITE | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE |
  R.SOCK_SHUTDOWN | R.SOCK_ACCEPT;
const TTY_BASE = R.FD_READ | R.FD_FDSTAT_SET_FLAGS | R.FD_WRITE | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE;

/** Access modes, as `fs.constants` O_RDONLY/O_WRONLY/O_RDWR. */
const { O_RDONLY, O_WRONLY, O_RDWR } = fs.constants;

/** The WASI file type of `fs.Stats` (sockets and FIFOs are stream sockets, as in uvwasi). */
function filetypeOfStats(st) {
  if (st.isFile()) return FILETYPE.REGULAR_FILE;
  if (st.isDirectory()) return FILETYPE.DIRECTORY;
  if (st.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
  if (st.isSymbolicLink()) return FILETYPE.SYMBOLIC_LINK;
  if (st.isSocket() || st.isFIFO()) return FILETYPE.SOCKET_STREAM;
  if (st.isBlockDevice()) return FILETYPE.BLOCK_DEVICE;
  return FILETYPE.UNKNOWN;
}

/** The WASI file type of a host fd, or throws the fs error. */
function filetypeOfFd(hostFd) {
  try {
    return filetypeOfStats(fs.fstatSync(hostFd));
  } catch (error) {
    if (isatty(hostFd)) return FILETYPE.CHARACTER_DEVICE;
    throw error;
  }
}

/** uvwasi's maximum rights for a file of `type` opened with access mode `access`. */
function maxRights(hostFd, access, type) {
  let { base, inheriting } = typeRights(type, type === FILETYPE.CHARACTER_DEVICE && isatty(hostFd));
  if (access === O_RDONLY) base &= ~R.FD_WRITE;
  else if (access === O_WRONLY) base &= ~R.FD_READ;
  return { base, inheriting };
}

/**
 * uvwasi's maximum rights for a file of `type` (`tty`: a character device that is a terminal),
 * before the access mode narrows them.
 */
function typeRights(type, tty) {
  let base;
  let inheriting;
  switch (type) {
    case FILETYPE.REGULAR_FILE:
      base = REGULAR_FILE_BASE;
      inheriting = 0;
      break;
    case FILETYPE.DIRECTORY:
      base = DIRECTORY_BASE;
      inheriting = DIRECTORY_INHERITING;
      break;
    case FILETYPE.SOCKET_STREAM:
    case FILETYPE.SOCKET_DGRAM:
      base = SOCKET_BASE;
      inheriting = RIGHTS_ALL;
      break;
    case FILETYPE.CHARACTER_DEVICE:
      if (tty) {
        base = TTY_BASE;
        inheriting = 0;
      } else {
        base = RIGHTS_ALL;
        inheriting = RIGHTS_ALL;
      }
      break;
    case FILETYPE.BLOCK_DEVICE:
      base = RIGHTS_ALL;
      inheriting = RIGHTS_ALL;
      break;
    default:
      base = 0;
      inheriting = 0;
  }
  return { base, inheriting };
}

/**
 * `typeRights` as the native `path_open` takes them (src/wasi_native_open.rs): base and
 * inheriting per file type 0..7 (no terminal), then for a terminal.
 */
function typeRightsTable() {
  const table = new Float64Array(18);
  for (let type = 0; type <= 8; type++) {
    const { base, inheriting } = type === 8 ? typeRights(FILETYPE.CHARACTER_DEVICE, true) : typeRights(type, false);
    table[2 * type] = base;
    table[2 * type + 1] = inheriting;
  }
  return table;
}

/** The `pos:` field of /proc/self/fdinfo/<fd> (the host file position), or 0. */
function hostPosition(hostFd) {
  try {
    const m = /^pos:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** One open WASI descriptor. */
class FdEntry {
  constructor(id, hostFd, type, rightsBase, rightsInheriting, mappedPath, realPath, preopen) {
    /** The native table mirroring this entry (lib/wasi/native-table.js), or null. */
    this.mirror = null;
    /** The position while not mirrored (see `position`). */
    this.ownPosition = null;
    this.id = id;
    this.hostFd = hostFd;
    this.type = type;
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
    /** The path as the program names it (prestat) and its normalised form (for resolution). */
    this.path = mappedPath;
    this.normalized = mappedPath === null ? null : normalize(mappedPath);
    /** The host path (latin1 string of its bytes). */
    this.realPath = realPath;
    this.preopen = preopen;
    /** Our file position for regular files; null for streams (the host position is used). */
    this.position = type === FILETYPE.REGULAR_FILE ? 0 : null;
    /** A regular file whose host offset is used (stdio) until a seek: see insertStdio. */
    this.hostOffset = false;
    /** fdflags set by fd_fdstat_set_flags that Node cannot set on the host fd (APPEND, NONBLOCK). */
    this.append = false;
    this.flagsOverride = null;
    /** The host open flags when path_open opened it (undefined for stdio and preopens). */
    this.openFlags = undefined;
    /** fd_readdir: the listing read at cookie 0, reused for the following cookies. */
    this.dirListing = null;
  }

  /** Our file position (null: the host's); a mirrored entry's is in the native table. */
  get position() {
    return this.mirror === null ? this.ownPosition : this.mirror.position(this.id);
  }

  set position(position) {
    this.ownPosition = position;
    if (this.mirror !== null) this.mirror.setPosition(this, position);
  }
}

class FdTable {
  #fds = [];

  /** @param {import('./native-table.js').NativeTable | null} mirror the native copy, if any */
  constructor(mirror = null) {
    this.mirror = mirror;
  }

  /**
   * The entries by WASI fd (undefined: free), brought up to date first with what the native
   * functions did since the last look (src/wasi_native_open.rs).
   */
  get fds() {
    if (this.mirror !== null && this.mirror.pending()) this.#adopt();
    return this.#fds;
  }

  /**
   * Removes the entries the native `fd_close` closed, then makes entries of the descriptors the
   * native `path_open` made (their records kept as they are).
   */
  #adopt() {
    const list = this.mirror.take();
    const closed = list[0];
    for (let i = 1; i <= closed; i++) {
      const entry = this.#fds[list[i]];
      if (entry !== undefined) entry.mirror = null;
      this.#fds[list[i]] = undefined;
    }
    while (this.#fds.length > 0 && this.#fds[this.#fds.length - 1] === undefined) this.#fds.length--;
    for (let i = closed + 1; i < list.length; i += 7) {
      const [id, hostFd, type, base, inheriting, openFlags, host] = list.slice(i, i + 7);
      const entry = new FdEntry(id, hostFd, type, base, inheriting, host, host, false);
      entry.openFlags = openFlags;
      entry.mirror = this.mirror; // (its position lives in the record from now on)
      while (this.#fds.length < id) this.#fds.push(undefined);
      this.#fds[id] = entry;
    }
  }

  /** Brings the native copy of `entry` up to date after a change of its host fd, rights or flags. */
  changed(entry) {
    if (this.mirror !== null) this.mirror.refresh(entry);
  }

  /** Inserts at the lowest free slot (as uvwasi does) and returns the entry. */
  insert(hostFd, type, rightsBase, rightsInheriting, mappedPath, realPath, preopen) {
    let id = this.fds.indexOf(undefined);
    if (id === -1) id = this.fds.length;
    const entry = new FdEntry(id, hostFd, type, rightsBase, rightsInheriting, mappedPath, realPath, preopen);
    this.fds[id] = entry;
    if (this.mirror !== null) this.mirror.attach(entry);
    return entry;
  }

  /** Adds a stdio descriptor over host fd `hostFd`; throws the fs error if it is not open. */
  insertStdio(hostFd, name) {
    const type = filetypeOfFd(hostFd);
    const { base, inheriting } = maxRights(hostFd, O_RDWR, type);
    const entry = this.insert(hostFd, type, base, inheriting, name, name, false);
    // A stdio file may share its open file description (its offset) with the other stdio
    // descriptors (`> out 2>&1`) and with other processes: reads and writes use the host's
    // offset until the program seeks (then our own position takes over).
    if (type === FILETYPE.REGULAR_FILE) {
      entry.position = null;
      entry.hostOffset = true;
    }
    return entry;
  }

  /**
   * The entry for `id` with at least the given rights, or a WASI errno (EBADF when closed,
   * ENOTCAPABLE when a right is missing).
   */
  get(id, base, inheriting) {
    const entry = this.fds[id];
    if (entry === undefined) return E.BADF;
    if ((~entry.rightsBase & base) !== 0 || (~entry.rightsInheriting & inheriting) !== 0) {
      return E.NOTCAPABLE;
    }
    return entry;
  }

  /** Closes and removes `id`; returns an errno. */
  close(id) {
    const entry = this.fds[id];
    if (entry === undefined) return E.BADF;
    try {
      fs.closeSync(entry.hostFd);
    } catch (error) {
      return errnoOf(error);
    }
    this.remove(id);
    return E.SUCCESS;
  }

  remove(id) {
    const entry = this.fds[id];
    if (entry !== undefined && this.mirror !== null) this.mirror.detach(entry);
    this.fds[id] = undefined;
    while (this.fds.length > 0 && this.fds[this.fds.length - 1] === undefined) this.fds.length--;
  }

  /** fd_renumber: closes `to` and moves `from` there. */
  renumber(from, to) {
    if (from === to) return E.SUCCESS; // before any check, as uvwasi
    const src = this.fds[from];
    const dst = this.fds[to];
    if (src === undefined || dst === undefined) return E.BADF;
    try {
      fs.closeSync(dst.hostFd);
    } catch (error) {
      return errnoOf(error);
    }
    if (this.mirror !== null) {
      this.mirror.detach(dst);
      this.mirror.detach(src);
    }
    src.id = to;
    this.fds[to] = src;
    this.remove(from);
    if (this.mirror !== null) this.mirror.attach(src);
    return E.SUCCESS;
  }
}

module.exports = {
  FdTable,
  hostPosition,
  filetypeOfStats,
  filetypeOfFd,
  maxRights,
  typeRightsTable,
  access: (flags) => flags & (O_RDONLY | O_WRONLY | O_RDWR),
  DIRECTORY_BASE,
  DIRECTORY_INHERITING,
  SOCKET_BASE,
};
