'use strict';
// The path_* functions of wasi_snapshot_preview1: Node's argument and bounds checks, uvwasi's
// rights and open rules, and paths resolved inside the directory descriptor (path.js).

const fs = require('node:fs');
const { E, errnoOf } = require('./errno.js');
const { R, FILETYPE, OFLAG, FDFLAG, LOOKUP_SYMLINK_FOLLOW, SIZE } = require('./constants.js');
const { isU32, isBig, u64 } = require('./check.js');
const { resolve, pathsChanged } = require('./path.js');
const { maxRights, filetypeOfFd, access } = require('./fd-table.js');
const { writeFilestat, badFstflags, timesFor } = require('./syscalls-fd.js');
const { hostCalls, hostErrno, IS_LINK } = require('./host-calls.js');

const C = fs.constants;
const hostBuf = (host) => Buffer.from(host, 'latin1');

/**
 * The path argument as a latin1 string. uvwasi accepts a NUL only as the last byte (the string
 * ends there); one before it is EINVAL, which resolve() reports.
 */
function pathArg(m, ptr, len) {
  let s = m.latin1(ptr, len);
  if (len > 1 && s.charCodeAt(len - 1) === 0 && !s.slice(0, len - 1).includes('\0')) s = s.slice(0, len - 1);
  return s;
}

/**
 * Resolves `path` in directory fd `fd` with `rights`: `{ entry, host, lastUnchecked }` or an
 * errno (`lastLinkByCaller`: see resolve()).
 */
function lookup(self, fd, rights, m, ptr, len, follow, lastLinkByCaller = false) {
  const entry = self.table.get(fd, rights, 0);
  if (typeof entry === 'number') return entry;
  const r = resolve(entry, pathArg(m, ptr, len), follow, lastLinkByCaller);
  if (typeof r === 'number') return r;
  return { entry, host: r.host, lastUnchecked: r.lastUnchecked === true };
}

/** Runs a host call, mapping its error to an errno. */
function host(call) {
  try {
    call();
  } catch (error) {
    return errnoOf(error);
  }
  return E.SUCCESS;
}

/** After a call that may have replaced a directory on some path: passes its errno on. */
function changed(errno) {
  pathsChanged();
  return errno;
}

/** The two directory descriptors of link/rename (one lookup when they are the same fd). */
function twoDirs(table, oldFd, newFd, sourceRight, targetRight) {
  if (oldFd === newFd) {
    const e = table.get(oldFd, sourceRight | targetRight, 0);
    return typeof e === 'number' ? e : [e, e];
  }
  const a = table.get(oldFd, sourceRight, 0);
  if (typeof a === 'number') return a;
  const b = table.get(newFd, targetRight, 0);
  if (typeof b === 'number') return b;
  return [a, b];
}

const pathCalls = {
  path_create_directory(fd, path, pathLen) {
    if (arguments.length !== 3 || !isU32(fd) || !isU32(path) || !isU32(pathLen)) return E.INVAL;
    fd >>>= 0; path >>>= 0; pathLen >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen)) return E.OVERFLOW;
    const r = lookup(this, fd, R.PATH_CREATE_DIRECTORY, m, path, pathLen, false);
    if (typeof r === 'number') return r;
    return host(() => fs.mkdirSync(hostBuf(r.host), 0o777));
  },

  path_filestat_get(fd, flags, path, pathLen, buf) {
    if (arguments.length !== 5 || !isU32(fd) || !isU32(flags) || !isU32(path) || !isU32(pathLen) || !isU32(buf)) {
      return E.INVAL;
    }
    fd >>>= 0; flags >>>= 0; path >>>= 0; pathLen >>>= 0; buf >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen) || m.oob(buf, SIZE.filestat)) return E.OVERFLOW;
    const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
    const r = lookup(this, fd, R.PATH_FILESTAT_GET, m, path, pathLen, follow, hostCalls !== null);
    if (typeof r === 'number') return r;
    if (hostCalls !== null) {
      // One lstat tells whether the last component is a link to follow (then nothing is written
      // and the path is resolved in full, which may refuse it) and gives the filestat otherwise.
      let result = hostCalls.wasiLstat(r.host, m.refresh().u8, buf, r.lastUnchecked);
      if (result === IS_LINK) {
        const full = lookup(this, fd, R.PATH_FILESTAT_GET, m, path, pathLen, follow);
        if (typeof full === 'number') return full;
        result = hostCalls.wasiLstat(full.host, m.refresh().u8, buf, false);
      }
      return result < 0 ? hostErrno(result) : E.SUCCESS;
    }
    let st;
    const err = host(() => {
      st = fs.lstatSync(hostBuf(r.host), { bigint: true });
    });
    if (err !== E.SUCCESS) return err;
    writeFilestat(m.refresh(), buf, st);
    return E.SUCCESS;
  },

  path_filestat_set_times(fd, flags, path, pathLen, atim, mtim, fstflags) {
    if (
      arguments.length !== 7 || !isU32(fd) || !isU32(flags) || !isU32(path) || !isU32(pathLen) || !isBig(atim) ||
      !isBig(mtim) || !isU32(fstflags)
    ) {
      return E.INVAL;
    }
    fd >>>= 0; flags >>>= 0; path >>>= 0; pathLen >>>= 0; fstflags >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.PATH_FILESTAT_SET_TIMES, 0);
    if (typeof entry === 'number') return entry;
    fstflags &= 0xffff;
    if (badFstflags(fstflags)) return E.INVAL;
    const r = resolve(entry, pathArg(m, path, pathLen), (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (typeof r === 'number') return r;
    const p = hostBuf(r.host);
    return host(() => {
      const [a, mt] = timesFor(u64(atim), u64(mtim), fstflags, () => fs.lstatSync(p, { bigint: true }));
      fs.lutimesSync(p, a, mt);
    });
  },

  path_link(oldFd, oldFlags, oldPath, oldPathLen, newFd, newPath, newPathLen) {
    if (
      arguments.length !== 7 || !isU32(oldFd) || !isU32(oldFlags) || !isU32(oldPath) || !isU32(oldPathLen) ||
      !isU32(newFd) || !isU32(newPath) || !isU32(newPathLen)
    ) {
      return E.INVAL;
    }
    oldFd >>>= 0; oldFlags >>>= 0; oldPath >>>= 0; oldPathLen >>>= 0; newFd >>>= 0; newPath >>>= 0; newPathLen >>>= 0;
    const m = this.view();
    if (m.oob(oldPath, oldPathLen) || m.oob(newPath, newPathLen)) return E.OVERFLOW;
    const dirs = twoDirs(this.table, oldFd, newFd, R.PATH_LINK_SOURCE, R.PATH_LINK_TARGET);
    if (typeof dirs === 'number') return dirs;
    const from = resolve(dirs[0], pathArg(m, oldPath, oldPathLen), (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (typeof from === 'number') return from;
    const to = resolve(dirs[1], pathArg(m, newPath, newPathLen), false);
    if (typeof to === 'number') return to;
    return changed(host(() => fs.linkSync(hostBuf(from.host), hostBuf(to.host))));
  },

  path_open(dirfd, dirflags, path, pathLen, oflags, rightsBase, rightsInheriting, fdflags, fdPtr) {
    if (
      arguments.length !== 9 || !isU32(dirfd) || !isU32(dirflags) || !isU32(path) || !isU32(pathLen) ||
      !isU32(oflags) || !isBig(rightsBase) || !isBig(rightsInheriting) || !isU32(fdflags) || !isU32(fdPtr)
    ) {
      return E.INVAL;
    }
    dirfd >>>= 0; dirflags >>>= 0; path >>>= 0; pathLen >>>= 0; oflags >>>= 0; fdflags >>>= 0; fdPtr >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen) || m.oob(fdPtr, 4)) return E.OVERFLOW;
    oflags &= 0xffff;
    fdflags &= 0xffff;
    const base = u64(rightsBase);
    const inheriting = u64(rightsInheriting);
    const baseLow = Number(base & 0x3fffffffn);

    // 1. The access mode from the rights asked for.
    const read = (baseLow & (R.FD_READ | R.FD_READDIR)) !== 0;
    const write = (baseLow & (R.FD_DATASYNC | R.FD_WRITE | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE)) !== 0;
    let flags = write ? (read ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY;

    // 2. The rights the directory must have, and the host flags.
    let neededBase = R.PATH_OPEN;
    let neededInheriting = base | inheriting;
    if (oflags & OFLAG.CREAT) {
      flags |= C.O_CREAT;
      neededBase |= R.PATH_CREATE_FILE;
    }
    if (oflags & OFLAG.DIRECTORY) flags |= C.O_DIRECTORY;
    if (oflags & OFLAG.EXCL) flags |= C.O_EXCL;
    if (oflags & OFLAG.TRUNC) {
      flags |= C.O_TRUNC;
      neededBase |= R.PATH_FILESTAT_SET_SIZE;
    }
    if (fdflags & FDFLAG.APPEND) flags |= C.O_APPEND;
    if (fdflags & FDFLAG.DSYNC) {
      flags |= C.O_DSYNC;
      neededInheriting |= BigInt(R.FD_DATASYNC);
    }
    if (fdflags & FDFLAG.NONBLOCK) flags |= C.O_NONBLOCK;
    if (fdflags & (FDFLAG.RSYNC | FDFLAG.SYNC)) {
      flags |= C.O_SYNC;
      neededInheriting |= BigInt(R.FD_SYNC);
    }
    if (write && (flags & (C.O_APPEND | C.O_TRUNC)) === 0) neededInheriting |= BigInt(R.FD_SEEK);

    const dir = this.table.get(dirfd, neededBase, 0);
    if (typeof dir === 'number') return dir;
    if ((neededInheriting & ~BigInt(dir.rightsInheriting)) !== 0n) return E.NOTCAPABLE;

    // 3. The path, inside the directory. Without LOOKUP_SYMLINK_FOLLOW a last component that is a
    // link is not opened through (O_NOFOLLOW: ELOOP), so a link cannot lead the host out.
    const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0;
    const r = resolve(dir, pathArg(m, path, pathLen), follow);
    if (typeof r === 'number') return r;
    if (!follow) flags |= C.O_NOFOLLOW;

    let hostFd;
    let type;
    if (hostCalls !== null) {
      // One host call: open(2) and the new descriptor's file type.
      const opened = hostCalls.wasiOpen(r.host, flags);
      if (opened < 0) return hostErrno(opened);
      hostFd = Math.floor(opened / 16);
      type = opened % 16;
    } else {
      try {
        hostFd = fs.openSync(hostBuf(r.host), flags, 0o666);
      } catch (error) {
        return errnoOf(error);
      }
      try {
        type = filetypeOfFd(hostFd);
      } catch (error) {
        fs.closeSync(hostFd);
        return errnoOf(error);
      }
    }
    // 4. A directory was asked for (O_DIRECTORY or a trailing slash) but this is none: ENOTDIR.
    if (type !== FILETYPE.DIRECTORY && ((oflags & OFLAG.DIRECTORY) !== 0 || r.host.endsWith('/'))) {
      fs.closeSync(hostFd);
      return E.NOTDIR;
    }
    // 5. The new descriptor's rights: those asked for, within what its type allows.
    const max = maxRights(hostFd, access(flags), type);
    const entry = this.table.insert(
      hostFd,
      type,
      baseLow & max.base,
      Number(inheriting & 0x3fffffffn) & max.inheriting,
      r.host,
      r.host,
      false,
    );
    entry.openFlags = flags; // for fd_fdstat_set_flags, which opens it again
    m.refresh().setU32(fdPtr, entry.id);
    return E.SUCCESS;
  },

  path_readlink(fd, path, pathLen, buf, bufLen, bufusedPtr) {
    if (
      arguments.length !== 6 || !isU32(fd) || !isU32(path) || !isU32(pathLen) || !isU32(buf) || !isU32(bufLen) ||
      !isU32(bufusedPtr)
    ) {
      return E.INVAL;
    }
    fd >>>= 0; path >>>= 0; pathLen >>>= 0; buf >>>= 0; bufLen >>>= 0; bufusedPtr >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen) || m.oob(buf, bufLen) || m.oob(bufusedPtr, 4)) return E.OVERFLOW;
    const r = lookup(this, fd, R.PATH_READLINK, m, path, pathLen, false);
    if (typeof r === 'number') return r;
    let target;
    const err = host(() => {
      target = fs.readlinkSync(hostBuf(r.host), { encoding: 'buffer' });
    });
    if (err !== E.SUCCESS) return err;
    // uvwasi needs room for a terminating NUL, which it writes but does not count.
    let len = target.indexOf(0);
    if (len === -1) len = target.length;
    if (len >= bufLen) return E.NOBUFS;
    m.refresh();
    m.u8.set(target.subarray(0, len), buf);
    m.u8[buf + len] = 0;
    m.setU32(bufusedPtr, len);
    return E.SUCCESS;
  },

  path_remove_directory(fd, path, pathLen) {
    if (arguments.length !== 3 || !isU32(fd) || !isU32(path) || !isU32(pathLen)) return E.INVAL;
    fd >>>= 0; path >>>= 0; pathLen >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen)) return E.OVERFLOW;
    const r = lookup(this, fd, R.PATH_REMOVE_DIRECTORY, m, path, pathLen, false);
    if (typeof r === 'number') return r;
    return changed(host(() => fs.rmdirSync(hostBuf(r.host))));
  },

  path_rename(oldFd, oldPath, oldPathLen, newFd, newPath, newPathLen) {
    if (
      arguments.length !== 6 || !isU32(oldFd) || !isU32(oldPath) || !isU32(oldPathLen) || !isU32(newFd) ||
      !isU32(newPath) || !isU32(newPathLen)
    ) {
      return E.INVAL;
    }
    oldFd >>>= 0; oldPath >>>= 0; oldPathLen >>>= 0; newFd >>>= 0; newPath >>>= 0; newPathLen >>>= 0;
    const m = this.view();
    if (m.oob(oldPath, oldPathLen) || m.oob(newPath, newPathLen)) return E.OVERFLOW;
    const dirs = twoDirs(this.table, oldFd, newFd, R.PATH_RENAME_SOURCE, R.PATH_RENAME_TARGET);
    if (typeof dirs === 'number') return dirs;
    const from = resolve(dirs[0], pathArg(m, oldPath, oldPathLen), false);
    if (typeof from === 'number') return from;
    const to = resolve(dirs[1], pathArg(m, newPath, newPathLen), false);
    if (typeof to === 'number') return to;
    return changed(host(() => fs.renameSync(hostBuf(from.host), hostBuf(to.host))));
  },

  path_symlink(oldPath, oldPathLen, fd, newPath, newPathLen) {
    if (
      arguments.length !== 5 || !isU32(oldPath) || !isU32(oldPathLen) || !isU32(fd) || !isU32(newPath) ||
      !isU32(newPathLen)
    ) {
      return E.INVAL;
    }
    oldPath >>>= 0; oldPathLen >>>= 0; fd >>>= 0; newPath >>>= 0; newPathLen >>>= 0;
    const m = this.view();
    if (m.oob(oldPath, oldPathLen) || m.oob(newPath, newPathLen)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.PATH_SYMLINK, 0);
    if (typeof entry === 'number') return entry;
    const target = pathArg(m, oldPath, oldPathLen);
    // An absolute target is refused; a relative one must stay inside the directory (checked
    // from the directory itself, as uvwasi does).
    if (target.startsWith('/')) return E.PERM;
    const inside = resolve(entry, target, false);
    if (typeof inside === 'number') return inside;
    const to = resolve(entry, pathArg(m, newPath, newPathLen), false);
    if (typeof to === 'number') return to;
    return changed(host(() => fs.symlinkSync(hostBuf(target), hostBuf(to.host))));
  },

  path_unlink_file(fd, path, pathLen) {
    if (arguments.length !== 3 || !isU32(fd) || !isU32(path) || !isU32(pathLen)) return E.INVAL;
    fd >>>= 0; path >>>= 0; pathLen >>>= 0;
    const m = this.view();
    if (m.oob(path, pathLen)) return E.OVERFLOW;
    const r = lookup(this, fd, R.PATH_UNLINK_FILE, m, path, pathLen, false);
    if (typeof r === 'number') return r;
    return changed(host(() => fs.unlinkSync(hostBuf(r.host))));
  },
};

module.exports = { pathCalls };
