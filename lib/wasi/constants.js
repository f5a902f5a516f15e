'use strict';
// WASI preview1 constants: rights, file types, flags, and the wire sizes of its structs
// (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md).

/** Rights bits (all below 2^30, so plain numbers and 32-bit bitwise operators suffice). */
const R = Object.freeze({
  FD_DATASYNC: 1 << 0,
  FD_READ: 1 << 1,
  FD_SEEK: 1 << 2,
  FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4,
  FD_TELL: 1 << 5,
  FD_WRITE: 1 << 6,
  FD_ADVISE: 1 << 7,
  FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9,
  PATH_CREATE_FILE: 1 << 10,
  PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12,
  PATH_OPEN: 1 << 13,
  FD_READDIR: 1 << 14,
  PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16,
  PATH_RENAME_TARGET: 1 << 17,
  PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19,
  PATH_FILESTAT_SET_TIMES: 1 << 20,
  FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22,
  FD_FILESTAT_SET_TIMES: 1 << 23,
  PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25,
  PATH_UNLINK_FILE: 1 << 26,
  POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28,
  SOCK_ACCEPT: 1 << 29,
});

/** Every right. */
const RIGHTS_ALL = (1 << 30) - 1;

const FILETYPE = Object.freeze({
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
});

const FDFLAG = Object.freeze({ APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 });
const OFLAG = Object.freeze({ CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 });
const LOOKUP_SYMLINK_FOLLOW = 1;
const FSTFLAG = Object.freeze({ ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 });
const WHENCE = Object.freeze({ SET: 0, CUR: 1, END: 2 });
const CLOCK = Object.freeze({ REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 });
const EVENTTYPE = Object.freeze({ CLOCK: 0, FD_READ: 1, FD_WRITE: 2 });
const SUBCLOCKFLAG_ABSTIME = 1;
const EVENTRWFLAG_HANGUP = 1;
const PREOPENTYPE_DIR = 0;

/** Byte sizes of the structs as laid out in linear memory. */
const SIZE = Object.freeze({
  iovec: 8,
  fdstat: 24,
  filestat: 64,
  dirent: 24,
  prestat: 8,
  subscription: 48,
  event: 32,
});

module.exports = {
  R,
  RIGHTS_ALL,
  FILETYPE,
  FDFLAG,
  OFLAG,
  LOOKUP_SYMLINK_FOLLOW,
  FSTFLAG,
  WHENCE,
  CLOCK,
  EVENTTYPE,
  SUBCLOCKFLAG_ABSTIME,
  EVENTRWFLAG_HANGUP,
  PREOPENTYPE_DIR,
  SIZE,
};
