'use strict';
// fd_readdir as uvwasi does it: the directory's entries in the host's order (no `.` and `..`, as
// libuv reads them), cookie n is the position after entry n, d_ino is 0, and an entry that does
// not fit ends the buffer (bufused = buf_len, so the caller reads again from its cookie). The
// listing read at cookie 0 is kept for the following cookies of the same descriptor.

const fs = require('node:fs');
const { E, errnoOf } = require('./errno.js');
const { R, FILETYPE, SIZE } = require('./constants.js');
const { isU32, isBig, u64 } = require('./check.js');
const { hostCalls, hostErrno, unpackListing } = require('./host-calls.js');

/** The entries of a directory in the host's order (no `.`/`..`, as libuv's readdir): name bytes and WASI type. */
function listDirectory(realPath) {
  const dir = fs.opendirSync(Buffer.from(realPath, 'latin1'), { encoding: 'buffer' });
  const list = [];
  try {
    for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
      let type = FILETYPE.UNKNOWN;
      if (d.isFile()) type = FILETYPE.REGULAR_FILE;
      else if (d.isDirectory()) type = FILETYPE.DIRECTORY;
      else if (d.isSymbolicLink()) type = FILETYPE.SYMBOLIC_LINK;
      else if (d.isSocket()) type = FILETYPE.SOCKET_STREAM;
      else if (d.isCharacterDevice()) type = FILETYPE.CHARACTER_DEVICE;
      else if (d.isBlockDevice()) type = FILETYPE.BLOCK_DEVICE;
      list.push({ name: Buffer.from(d.name), type });
    }
  } finally {
    dir.closeSync();
  }
  return list;
}

/** The listing of a directory (host calls, else `fs`), or a WASI errno. */
function readListing(realPath) {
  if (hostCalls !== null) {
    const packed = hostCalls.wasiListDirectory(realPath);
    return typeof packed === 'number' ? hostErrno(packed) : unpackListing(packed);
  }
  try {
    return listDirectory(realPath);
  } catch (error) {
    return errnoOf(error);
  }
}

const readdirCalls = {
  fd_readdir(fd, buf, bufLen, cookie, bufusedPtr) {
    if (arguments.length !== 5 || !isU32(fd) || !isU32(buf) || !isU32(bufLen) || !isBig(cookie) || !isU32(bufusedPtr)) {
      return E.INVAL;
    }
    fd >>>= 0; buf >>>= 0; bufLen >>>= 0; bufusedPtr >>>= 0;
    const m = this.view();
    if (m.oob(buf, bufLen) || m.oob(bufusedPtr, 4)) return E.OVERFLOW;
    const entry = this.table.get(fd, R.FD_READDIR, 0);
    if (typeof entry === 'number') return entry;
    const start = u64(cookie);
    if (start === 0n || entry.dirListing === null) {
      const listing = readListing(entry.realPath);
      entry.dirListing = typeof listing === 'number' ? null : listing;
      if (typeof listing === 'number') return listing;
    }
    const list = entry.dirListing;
    m.refresh();
    // uvwasi's layout: a 24-byte header then the name, as much as fits; a header that does not
    // fit ends the call with bufused = buf_len (the caller then reads again from its cookie).
    let used = 0;
    for (let i = start > BigInt(list.length) ? list.length : Number(start); i < list.length; i++) {
      const { name, type } = list[i];
      if (used + SIZE.dirent > bufLen) {
        used = bufLen;
        break;
      }
      const at = buf + used;
      m.setU64(at, i + 1); // d_next
      m.setU64(at + 8, 0); // d_ino: uvwasi leaves it 0
      m.setU32(at + 16, name.length);
      m.setU8(at + 20, type); // (the 3 padding bytes are left as they are, as Node does)
      used += SIZE.dirent;
      const n = Math.min(name.length, bufLen - used);
      m.u8.set(n === name.length ? name : name.subarray(0, n), buf + used);
      used += n;
      if (used === bufLen) break;
    }
    m.setU32(bufusedPtr, used);
    return E.SUCCESS;
  },

};

module.exports = { readdirCalls };
