'use strict';
// The fd_* functions of wasi_snapshot_preview1, with uvwasi's semantics and Node's argument and
// bounds checks (bad argument: EINVAL; a pointer range outside memory: EOVERFLOW; then uvwasi:
// EBADF for a closed descriptor, ENOTCAPABLE for a missing right, host errors translated).
// `this` is the bindings object (see bindings.js).

const fs = require('node:fs');
const { E, errnoOf } = require('./errno.js');
const { R, FILETYPE, FDFLAG, WHENCE, FSTFLAG, PREOPENTYPE_DIR, SIZE } = require('./constants.js');
const { isU32, isBig, u64, i64, INT64_MAX } = require('./check.js');
const { hostStatusFlags, hostStatusFlagsCached, appends, O_APPEND, O_NONBLOCK } = require('./host-flags.js');
const { filetypeOfStats, hostPosition } = require('./fd-table.js');
const { realtimeNs } = require('./clocks.js');
const { hostCalls, hostErrno } = require('./host-calls.js');

/**
 * The iovec array at `ptr` as views of the memory (no copy), or EOVERFLOW when one lies outside.
 * @returns {Uint8Array[] | number}
 */
function gather(m, ptr, count) {
  const bufs = new Array(count);
  for (let i = 0; i < count; i++, ptr += SIZE.iovec) {
    const base = m.u32(ptr);
    const len = m.u32(ptr + 4);
    if (m.oob(base, len)) return E.OVERFLOW;
    bufs[i] = m.u8.subarray(base, base + len);
  }
  return bufs;
}

/**
 * The part every fd_read/fd_write/fd_pread/fd_pwrite starts with: the bounds of the iovec array
 * and of the result, then the iovecs. Returns the views or an errno.
 */
function vectors(m, iovs, iovsLen, resultPtr) {
  if (m.oob(iovs, iovsLen * SIZE.iovec) || m.oob(resultPtr, 4)) return E.OVERFLOW;
  return gather(m, iovs, iovsLen);
}

/**
 * What ioStart found for fd_read/fd_write (the hot calls): the memory, the entry, one iovec as
 * `base`/`len` (then `bufs` is null: it goes straight between memory and the host) or `bufs`.
 * One per thread is enough: these calls never re-enter wasm.
 */
const io = { m: null, entry: null, base: 0, len: 0, bufs: null, count: 0, resultPtr: 0 };

/** The checks fd_read/fd_write start with, in Node's order; fills `io`, returns an errno. */
function ioStart(self, argc, fd, iovs, iovsLen, resultPtr, right) {
  if (argc !== 4 || !isU32(fd) || !isU32(iovs) || !isU32(iovsLen) || !isU32(resultPtr)) return E.INVAL;
  fd >>>= 0;
  iovs >>>= 0;
  iovsLen >>>= 0;
  resultPtr >>>= 0;
  const m = self.view();
  if (m.oob(iovs, iovsLen * SIZE.iovec) || m.oob(resultPtr, 4)) return E.OVERFLOW;
  io.bufs = null;
  if (iovsLen === 1) {
    const base = m.dv.getUint32(iovs, true);
    const len = m.dv.getUint32(iovs + 4, true);
    if (base >= m.size || base + len > m.size) return E.OVERFLOW;
    io.base = base;
    io.len = len;
  } else {
    const bufs = gather(m, iovs, iovsLen);
    if (typeof bufs === 'number') return bufs;
    io.bufs = bufs;
  }
  const entry = self.table.fds[fd];
  if (entry === undefined) return E.BADF;
  if ((entry.rightsBase & right) === 0) return E.NOTCAPABLE;
  io.m = m;
  io.entry = entry;
  io.count = iovsLen;
  io.resultPtr = resultPtr;
  return E.SUCCESS;
}

/**
 * fd_read/fd_write through the host call (src/wasi_host.rs) when the arguments are plain
 * uint32 Numbers, at least one iovec, an open descriptor with the right and no append mode:
 * the host call checks the bounds of the iovecs and of the result (an error there is EOVERFLOW,
 * as Node's checks before the descriptor's give), moves the bytes and stores the count. Returns
 * the errno, or -1 for the general path (which gives Node's errors in Node's order).
 */
function hostIo(self, write, fd, iovs, iovsLen, resultPtr) {
  if (typeof fd !== 'number' || typeof iovs !== 'number' || typeof iovsLen !== 'number' || typeof resultPtr !== 'number') {
    return -1;
  }
  if (fd >>> 0 !== fd || iovs >>> 0 !== iovs || iovsLen >>> 0 !== iovsLen || resultPtr >>> 0 !== resultPtr || iovsLen === 0) {
    return -1;
  }
  const entry = self.table.fds[fd];
  const mem = self.mem;
  if (entry === undefined || mem === null || (entry.rightsBase & (write ? R.FD_WRITE : R.FD_READ)) === 0) return -1;
  const position = entry.position;
  if (write && position !== null && appends(entry)) return -1;
  const m = mem.refresh();
  if (iovs + iovsLen * SIZE.iovec > m.size) return -1;
  const n = hostCalls.wasiFdIo(write, entry.hostFd, m.u8, iovs, iovsLen, position === null ? -1 : position, resultPtr);
  if (n < 0) return hostErrno(n);
  if (position !== null) entry.position = position + n;
  return E.SUCCESS;
}

/** fd_pread / fd_pwrite: `transfer(hostFd, bufs, position)` at `offset`, needing `rights`. */
function positionalIo(self, fd, iovs, iovsLen, offset, resultPtr, rights, transfer) {
  const m = self.view();
  const bufs = vectors(m, iovs, iovsLen, resultPtr);
  if (typeof bufs === 'number') return bufs;
  const off = u64(offset);
  if (off > INT64_MAX) return E.INVAL;
  const entry = self.table.get(fd, rights, 0);
  if (typeof entry === 'number') return entry;
  let n = 0;
  if (iovsLen !== 0) {
    try {
      // Node's fs takes exact positions up to 2^53 - 1 (and a BigInt only for reads).
      n = off <= BigInt(Number.MAX_SAFE_INTEGER) ? transfer(entry.hostFd, bufs, Number(off)) : transfer(entry.hostFd, bufs, off);
    } catch (error) {
      return errnoOf(error);
    }
  }
  m.refresh().setU32(resultPtr, n);
  return E.SUCCESS;
}

/** Reads into `bufs` at `position` (null: the host's position; a BigInt past 2^53). */
function readInto(hostFd, bufs, position) {
  if (typeof position === 'bigint') {
    // readvSync takes Numbers only: one readSync a buffer, up to a short read.
    let n = 0;
    for (const b of bufs) {
      const got = fs.readSync(hostFd, b, 0, b.length, position + BigInt(n));
      n += got;
      if (got < b.length) break;
    }
    return n;
  }
  if (bufs.length === 1) return fs.readSync(hostFd, bufs[0], 0, bufs[0].length, position);
  return fs.readvSync(hostFd, bufs, position);
}

/**
 * Writes `bufs` at `position` (null: the host's position). Node's fs cannot write past 2^53
 * (it would write at the host's position instead): such a position (a BigInt) is EFBIG, what
 * the kernel answers for it on the common filesystems (the native function on Linux asks the
 * kernel itself).
 */
function writeFrom(hostFd, bufs, position) {
  if (typeof position === 'bigint') throw Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG', syscall: 'write' });
  if (bufs.length === 1) return fs.writeSync(hostFd, bufs[0], 0, bufs[0].length, position);
  return fs.writevSync(hostFd, bufs, position);
}

const REOPEN_DROP = fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_TRUNC | O_APPEND | O_NONBLOCK;

/**
 * Opens the file of `entry` (one path_open made) again with O_APPEND/O_NONBLOCK as asked, in
 * place of its host fd. False when that cannot be done (not ours, gone, or another file now).
 */
function reopen(entry, append, nonblock) {
  if (entry.openFlags === undefined || entry.type !== FILETYPE.REGULAR_FILE) return false;
  const want = (entry.openFlags & ~REOPEN_DROP) | (append ? O_APPEND : 0) | (nonblock ? O_NONBLOCK : 0);
  if (want === entry.openFlags) return true;
  let hostFd;
  try {
    hostFd = fs.openSync(Buffer.from(entry.realPath, 'latin1'), want);
    const a = fs.fstatSync(hostFd, { bigint: true });
    const b = fs.fstatSync(entry.hostFd, { bigint: true });
    if (a.dev !== b.dev || a.ino !== b.ino) {
      fs.closeSync(hostFd);
      return false;
    }
    fs.closeSync(entry.hostFd);
  } catch {
    if (hostFd !== undefined) fs.closeSync(hostFd);
    return false;
  }
  entry.hostFd = hostFd;
  entry.openFlags = want;
  entry.hostFlags = undefined;
  entry.append = false;
  entry.flagsOverride = null;
  return true;
}

/** Writes a filestat (64 bytes) for bigint `fs.Stats` at `ptr`. */
function writeFilestat(m, ptr, st) {
  m.setU64(ptr, u64(st.dev));
  m.setU64(ptr + 8, u64(st.ino));
  m.setU8(ptr + 16, filetypeOfStats(st));
  m.setU64(ptr + 24, u64(st.nlink));
  m.setU64(ptr + 32, u64(st.size));
  m.setU64(ptr + 40, u64(st.atimeNs));
  m.setU64(ptr + 48, u64(st.mtimeNs));
  m.setU64(ptr + 56, u64(st.ctimeNs));
}

/** uvwasi's check of fstflags: unknown bits, or a time both given and "now", are EINVAL. */
function badFstflags(flags) {
  return (
    (flags & ~(FSTFLAG.ATIM | FSTFLAG.ATIM_NOW | FSTFLAG.MTIM | FSTFLAG.MTIM_NOW)) !== 0 ||
    (flags & (FSTFLAG.ATIM | FSTFLAG.ATIM_NOW)) === (FSTFLAG.ATIM | FSTFLAG.ATIM_NOW) ||
    (flags & (FSTFLAG.MTIM | FSTFLAG.MTIM_NOW)) === (FSTFLAG.MTIM | FSTFLAG.MTIM_NOW)
  );
}

/**
 * The [atime, mtime] in whole seconds that uvwasi passes to libuv: given times and "now" are
 * truncated to seconds, an omitted one is the file's current time (from `stat()`).
 */
function timesFor(atim, mtim, flags, stat) {
  const now = (flags & (FSTFLAG.ATIM_NOW | FSTFLAG.MTIM_NOW)) !== 0 ? realtimeNs() : 0n;
  let current;
  if ((flags & (FSTFLAG.ATIM | FSTFLAG.ATIM_NOW)) === 0 || (flags & (FSTFLAG.MTIM | FSTFLAG.MTIM_NOW)) === 0) {
    current = stat();
  }
  const pick = (given, bitNow, bitSet, currentNs) => {
    if ((flags & bitNow) !== 0) return Number(now / 1000000000n);
    if ((flags & bitSet) !== 0) return Number(given / 1000000000n);
    return Number(currentNs / 1000000000n);
  };
  return [
    pick(atim, FSTFLAG.ATIM_NOW, FSTFLAG.ATIM, current && current.atimeNs),
    pick(mtim, FSTFLAG.MTIM_NOW, FSTFLAG.MTIM, current && current.mtimeNs),
  ];
}

const ADVICE_MAX = 5; // normal, sequential, random, willneed, dontneed, noreuse

const fdCalls = {
  fd_advise(fd, offset, len, advice) {
    if (arguments.length !== 4 || !isU32(fd) || !isBig(offset) || !isBig(len) || !isU32(advice)) return E.INVAL;
    fd >>>= 0; advice >>>= 0;
    this.view(); // Node checks that a memory is set first
    if ((advice & 0xff) > ADVICE_MAX) return E.INVAL;
    const entry = this.table.get(fd, R.FD_ADVISE, 0);
    if (typeof entry === 'number') return entry;
    try {
      if (fs.fstatSync(entry.hostFd).isDirectory()) return E.BADF;
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS; // posix_fadvise is advice; Node has no binding for it
  },

  fd_allocate(fd, offset, len) {
    if (arguments.length !== 3 || !isU32(fd) || !isBig(offset) || !isBig(len)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    const entry = this.table.get(fd, R.FD_ALLOCATE, 0);
    if (typeof entry === 'number') return entry;
    // posix_fallocate: EINVAL for a negative offset or a zero length; grows the file, never shrinks.
    const off = i64(u64(offset));
    const length = i64(u64(len));
    if (off < 0n || length <= 0n) return E.INVAL;
    const end = off + length;
    if (end > INT64_MAX) return E.FBIG;
    try {
      const st = fs.fstatSync(entry.hostFd);
      if (!st.isFile()) return st.isDirectory() ? E.BADF : E.NODEV;
      if (BigInt(st.size) < end) {
        if (end > BigInt(Number.MAX_SAFE_INTEGER)) return E.FBIG;
        fs.ftruncateSync(entry.hostFd, Number(end));
      }
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS;
  },

  fd_close(fd) {
    if (arguments.length !== 1 || !isU32(fd)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    return this.table.close(fd);
  },

  fd_datasync(fd) {
    if (arguments.length !== 1 || !isU32(fd)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    const entry = this.table.get(fd, R.FD_DATASYNC, 0);
    if (typeof entry === 'number') return entry;
    try {
      fs.fdatasyncSync(entry.hostFd);
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS;
  },

  fd_fdstat_get(fd, buf) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(buf)) return E.INVAL;
    fd >>>= 0; buf >>>= 0;
    const m = this.view();
    if (m.oob(buf, SIZE.fdstat)) return E.OVERFLOW;
    const entry = this.table.get(fd, 0, 0);
    if (typeof entry === 'number') return entry;
    // A descriptor path_open made is ours alone: its flags change only through
    // fd_fdstat_set_flags (which forgets them), so they are read once.
    let flags = entry.openFlags === undefined ? hostStatusFlags(entry.hostFd) : hostStatusFlagsCached(entry);
    if (entry.flagsOverride !== null) flags = (flags & ~(O_APPEND | O_NONBLOCK)) | entry.flagsOverride;
    m.setU8(buf, entry.type);
    m.setU16(buf + 2, flags & 0xffff);
    m.setU64(buf + 8, entry.rightsBase);
    m.setU64(buf + 16, entry.rightsInheriting);
    return E.SUCCESS;
  },

  fd_fdstat_set_flags(fd, flags) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(flags)) return E.INVAL;
    fd >>>= 0; flags >>>= 0;
    this.view();
    const entry = this.table.get(fd, R.FD_FDSTAT_SET_FLAGS, 0);
    if (typeof entry === 'number') return entry;
    // uvwasi: fcntl(F_SETFL), where Linux takes only O_APPEND and O_NONBLOCK of these flags. Node
    // has no fcntl: a file this WASI opened is opened again with the new flags (the same file;
    // our position carries over); on other descriptors (stdio) our writes apply APPEND.
    const append = (flags & FDFLAG.APPEND) !== 0;
    const nonblock = (flags & FDFLAG.NONBLOCK) !== 0;
    if (!reopen(entry, append, nonblock)) {
      entry.append = append;
      entry.flagsOverride = (append ? O_APPEND : 0) | (nonblock ? O_NONBLOCK : 0);
    }
    this.table.changed(entry);
    return E.SUCCESS;
  },

  fd_fdstat_set_rights(fd, base, inheriting) {
    if (arguments.length !== 3 || !isU32(fd) || !isBig(base) || !isBig(inheriting)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    const entry = this.table.get(fd, 0, 0);
    if (typeof entry === 'number') return entry;
    const b = u64(base);
    const inh = u64(inheriting);
    // Rights can only be dropped.
    if ((b | BigInt(entry.rightsBase)) > BigInt(entry.rightsBase)) return E.NOTCAPABLE;
    if ((inh | BigInt(entry.rightsInheriting)) > BigInt(entry.rightsInheriting)) return E.NOTCAPABLE;
    entry.rightsBase = Number(b);
    entry.rightsInheriting = Number(inh);
    this.table.changed(entry);
    return E.SUCCESS;
  },

  fd_filestat_get(fd, buf) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(buf)) return E.INVAL;
    fd >>>= 0; buf >>>= 0;
    const m = this.view();
    if (m.oob(buf, SIZE.filestat)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.FD_FILESTAT_GET, 0);
    if (typeof entry === 'number') return entry;
    if (hostCalls !== null) {
      const r = hostCalls.wasiFstat(entry.hostFd, m.refresh().u8, buf);
      return r < 0 ? hostErrno(r) : E.SUCCESS;
    }
    let st;
    try {
      st = fs.fstatSync(entry.hostFd, { bigint: true });
    } catch (error) {
      return errnoOf(error);
    }
    writeFilestat(m.refresh(), buf, st);
    return E.SUCCESS;
  },

  fd_filestat_set_size(fd, size) {
    if (arguments.length !== 2 || !isU32(fd) || !isBig(size)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    const entry = this.table.get(fd, R.FD_FILESTAT_SET_SIZE, 0);
    if (typeof entry === 'number') return entry;
    const n = i64(u64(size));
    if (n < 0n) return E.INVAL;
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) return E.FBIG;
    try {
      fs.ftruncateSync(entry.hostFd, Number(n));
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS;
  },

  fd_filestat_set_times(fd, atim, mtim, flags) {
    if (arguments.length !== 4 || !isU32(fd) || !isBig(atim) || !isBig(mtim) || !isU32(flags)) return E.INVAL;
    fd >>>= 0; flags >>>= 0;
    this.view(); // Node checks that a memory is set first
    flags &= 0xffff;
    if (badFstflags(flags)) return E.INVAL;
    const entry = this.table.get(fd, R.FD_FILESTAT_SET_TIMES, 0);
    if (typeof entry === 'number') return entry;
    try {
      const [a, mt] = timesFor(u64(atim), u64(mtim), flags, () => fs.fstatSync(entry.hostFd, { bigint: true }));
      fs.futimesSync(entry.hostFd, a, mt);
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS;
  },

  fd_pread(fd, iovs, iovsLen, offset, nreadPtr) {
    if (arguments.length !== 5 || !isU32(fd) || !isU32(iovs) || !isU32(iovsLen) || !isBig(offset) || !isU32(nreadPtr)) {
      return E.INVAL;
    }
    fd >>>= 0; iovs >>>= 0; iovsLen >>>= 0; nreadPtr >>>= 0;
    return positionalIo(this, fd, iovs, iovsLen, offset, nreadPtr, R.FD_READ | R.FD_SEEK, readInto);
  },

  fd_prestat_get(fd, buf) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(buf)) return E.INVAL;
    fd >>>= 0; buf >>>= 0;
    const m = this.view();
    if (m.oob(buf, SIZE.prestat)) return E.OVERFLOW;
    const entry = this.table.get(fd, 0, 0);
    if (typeof entry === 'number') return entry;
    if (!entry.preopen) return E.INVAL;
    m.setU8(buf, PREOPENTYPE_DIR);
    m.setU32(buf + 4, Buffer.byteLength(entry.path, 'latin1'));
    return E.SUCCESS;
  },

  fd_prestat_dir_name(fd, path, pathLen) {
    if (arguments.length !== 3 || !isU32(fd) || !isU32(path) || !isU32(pathLen)) return E.INVAL;
    fd >>>= 0; path >>>= 0; pathLen >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen)) return E.OVERFLOW;
    const entry = this.table.get(fd, 0, 0);
    if (typeof entry === 'number') return entry;
    if (!entry.preopen) return E.BADF;
    const name = Buffer.from(entry.path, 'latin1');
    if (name.length > pathLen) return E.NOBUFS;
    m.u8.set(name, path);
    return E.SUCCESS;
  },

  fd_pwrite(fd, iovs, iovsLen, offset, nwrittenPtr) {
    if (arguments.length !== 5 || !isU32(fd) || !isU32(iovs) || !isU32(iovsLen) || !isBig(offset) || !isU32(nwrittenPtr)) {
      return E.INVAL;
    }
    fd >>>= 0; iovs >>>= 0; iovsLen >>>= 0; nwrittenPtr >>>= 0;
    return positionalIo(this, fd, iovs, iovsLen, offset, nwrittenPtr, R.FD_WRITE | R.FD_SEEK, writeFrom);
  },

  fd_read(fd, iovs, iovsLen, nreadPtr) {
    if (hostCalls !== null && arguments.length === 4) {
      const errno = hostIo(this, false, fd, iovs, iovsLen, nreadPtr);
      if (errno >= 0) return errno;
    }
    const err = ioStart(this, arguments.length, fd, iovs, iovsLen, nreadPtr, R.FD_READ);
    if (err !== E.SUCCESS) return err;
    const { m, entry, bufs } = io;
    let n = 0;
    if (io.count !== 0) {
      try {
        n = bufs === null ? fs.readSync(entry.hostFd, m.u8, io.base, io.len, entry.position) : readInto(entry.hostFd, bufs, entry.position);
      } catch (error) {
        return errnoOf(error);
      }
      if (entry.position !== null) entry.position += n;
    }
    m.refresh().dv.setUint32(io.resultPtr, n, true);
    return E.SUCCESS;
  },

  fd_renumber(from, to) {
    if (arguments.length !== 2 || !isU32(from) || !isU32(to)) return E.INVAL;
    from >>>= 0; to >>>= 0;
    this.view(); // Node checks that a memory is set first
    return this.table.renumber(from, to);
  },

  fd_seek(fd, offset, whence, newoffsetPtr) {
    if (arguments.length !== 4 || !isU32(fd) || !isBig(offset) || !isU32(whence) || !isU32(newoffsetPtr)) return E.INVAL;
    fd >>>= 0; whence >>>= 0; newoffsetPtr >>>= 0;
    const m = this.view();
    if (m.oob(newoffsetPtr, 8)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.FD_SEEK, 0);
    if (typeof entry === 'number') return entry;
    const result = seek(entry, i64(offset), whence & 0xff);
    if (result < 0) return -result;
    m.refresh().setU64(newoffsetPtr, result);
    return E.SUCCESS;
  },

  fd_sync(fd) {
    if (arguments.length !== 1 || !isU32(fd)) return E.INVAL;
    fd >>>= 0;
    this.view(); // Node checks that a memory is set first
    const entry = this.table.get(fd, R.FD_SYNC, 0);
    if (typeof entry === 'number') return entry;
    try {
      fs.fsyncSync(entry.hostFd);
    } catch (error) {
      return errnoOf(error);
    }
    return E.SUCCESS;
  },

  fd_tell(fd, offsetPtr) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(offsetPtr)) return E.INVAL;
    fd >>>= 0; offsetPtr >>>= 0;
    const m = this.view();
    if (m.oob(offsetPtr, 8)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.FD_TELL, 0);
    if (typeof entry === 'number') return entry;
    const result = seek(entry, 0n, WHENCE.CUR);
    if (result < 0) return -result;
    m.setU64(offsetPtr, result);
    return E.SUCCESS;
  },

  fd_write(fd, iovs, iovsLen, nwrittenPtr) {
    if (hostCalls !== null && arguments.length === 4) {
      const errno = hostIo(this, true, fd, iovs, iovsLen, nwrittenPtr);
      if (errno >= 0) return errno;
    }
    const err = ioStart(this, arguments.length, fd, iovs, iovsLen, nwrittenPtr, R.FD_WRITE);
    if (err !== E.SUCCESS) return err;
    const { m, entry, bufs } = io;
    let n = 0;
    if (io.count !== 0) {
      try {
        let position = entry.position;
        const append = position !== null && appends(entry);
        if (append && entry.append) position = fs.fstatSync(entry.hostFd).size;
        n = bufs === null ? fs.writeSync(entry.hostFd, m.u8, io.base, io.len, position) : writeFrom(entry.hostFd, bufs, position);
        if (append) entry.position = fs.fstatSync(entry.hostFd).size;
        else if (position !== null) entry.position += n;
      } catch (error) {
        return errnoOf(error);
      }
    }
    m.refresh().dv.setUint32(io.resultPtr, n, true);
    return E.SUCCESS;
  },
};

/** lseek on our position: the new offset, or a negated errno. */
function seek(entry, offset, whence) {
  if (entry.hostOffset) {
    // A stdio file: from now on our position, starting at the host's offset.
    entry.hostOffset = false;
    entry.position = hostPosition(entry.hostFd);
  }
  if (entry.position === null) {
    // Character devices (such as /dev/null) seek to 0; streams cannot seek.
    if (entry.type === FILETYPE.CHARACTER_DEVICE || entry.type === FILETYPE.BLOCK_DEVICE) {
      return whence <= WHENCE.END ? 0 : -E.INVAL;
    }
    return -E.SPIPE;
  }
  let base;
  if (whence === WHENCE.SET) base = 0n;
  else if (whence === WHENCE.CUR) base = BigInt(entry.position);
  else if (whence === WHENCE.END) {
    try {
      base = BigInt(fs.fstatSync(entry.hostFd).size);
    } catch (error) {
      return -errnoOf(error);
    }
  } else return -E.INVAL;
  const next = base + offset;
  if (next < 0n) return -E.INVAL;
  // Past what a position can hold here (2^53): EINVAL, as uvwasi's lseek gets from the kernel
  // beyond a filesystem's largest file (ext4: 2^44 bytes).
  if (next > BigInt(Number.MAX_SAFE_INTEGER)) return -E.INVAL;
  entry.position = Number(next);
  return entry.position;
}

module.exports = { fdCalls, writeFilestat, badFstflags, timesFor };
