'use strict';
// args_*, environ_*, random_get, proc_exit, proc_raise, sched_yield and sock_* of
// wasi_snapshot_preview1, with Node's argument and bounds checks and uvwasi's results.

const os = require('node:os');
const { E } = require('./errno.js');
const { isU32 } = require('./check.js');
const { SOCKET_BASE } = require('./fd-table.js');
const { FILETYPE } = require('./constants.js');
const { randomFill } = require('./lazy-modules.js');

/** Writes NUL-terminated `strings` (Buffers) at `bufPtr` and their addresses at `ptrsPtr`. */
function writeStrings(m, strings, ptrsPtr, bufPtr) {
  let at = bufPtr;
  for (let i = 0; i < strings.length; i++) {
    m.setU32(ptrsPtr + i * 4, at);
    m.u8.set(strings[i], at);
    at += strings[i].length;
    m.u8[at++] = 0;
  }
}

const bufSize = (strings) => strings.reduce((n, s) => n + s.length + 1, 0);

/** args_get / environ_get. */
function stringsGet(self, strings, ptrsPtr, bufPtr) {
  const m = self.view();
  if (m.oob(bufPtr, bufSize(strings)) || m.oob(ptrsPtr, strings.length * 4)) return E.OVERFLOW;
  // Node hands uvwasi the data of an empty vector (a null pointer) when there are none: EINVAL.
  if (strings.length === 0) return E.INVAL;
  writeStrings(m, strings, ptrsPtr, bufPtr);
  return E.SUCCESS;
}

/** args_sizes_get / environ_sizes_get. */
function sizesGet(self, strings, countPtr, bufSizePtr) {
  const m = self.view();
  if (m.oob(countPtr, 4) || m.oob(bufSizePtr, 4)) return E.OVERFLOW;
  m.setU32(countPtr, strings.length);
  m.setU32(bufSizePtr, bufSize(strings));
  return E.SUCCESS;
}

// WASI signal numbers → the host's signal names (uvwasi maps the same set).
const SIGNALS = [
  null, 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGCHLD', 'SIGCONT', 'SIGSTOP',
  'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH',
  'SIGPOLL', 'SIGPWR', 'SIGSYS',
];

/** uvwasi's checks for sock_*: the descriptor with socket rights, then no socket support. */
function sockCheck(table, fd) {
  const entry = table.get(fd, SOCKET_BASE, 0);
  if (typeof entry === 'number') return entry;
  // Node's WASI has no preopened sockets: a descriptor is a socket only if stdio is one, and
  // uvwasi can only use the sockets it accepted itself.
  return notOwnSocket(entry);
}

/** Why a descriptor found cannot be used as a socket: ENOTSUP for a socket, else ENOTSOCK. */
function notOwnSocket(entry) {
  return entry.type === FILETYPE.SOCKET_STREAM || entry.type === FILETYPE.SOCKET_DGRAM ? E.NOTSUP : E.NOTSOCK;
}

const miscCalls = {
  args_get(argvPtr, bufPtr) {
    if (arguments.length !== 2 || !isU32(argvPtr) || !isU32(bufPtr)) return E.INVAL;
    argvPtr >>>= 0; bufPtr >>>= 0;
    return stringsGet(this, this.args, argvPtr, bufPtr);
  },

  args_sizes_get(argcPtr, bufSizePtr) {
    if (arguments.length !== 2 || !isU32(argcPtr) || !isU32(bufSizePtr)) return E.INVAL;
    argcPtr >>>= 0; bufSizePtr >>>= 0;
    return sizesGet(this, this.args, argcPtr, bufSizePtr);
  },

  environ_get(environPtr, bufPtr) {
    if (arguments.length !== 2 || !isU32(environPtr) || !isU32(bufPtr)) return E.INVAL;
    environPtr >>>= 0; bufPtr >>>= 0;
    return stringsGet(this, this.env, environPtr, bufPtr);
  },

  environ_sizes_get(countPtr, bufSizePtr) {
    if (arguments.length !== 2 || !isU32(countPtr) || !isU32(bufSizePtr)) return E.INVAL;
    countPtr >>>= 0; bufSizePtr >>>= 0;
    return sizesGet(this, this.env, countPtr, bufSizePtr);
  },

  proc_exit(code) {
    // Without returnOnExit (with it, the WASI object replaces this function): uvwasi calls
    // exit(), ending the process at once without 'exit' listeners.
    if (arguments.length !== 1 || !isU32(code)) return E.INVAL;
    code >>>= 0;
    this.view(); // Node checks that a memory is set first
    const status = code;
    if (typeof process.reallyExit === 'function') process.reallyExit(status & 0xff);
    process.exit(status & 0xff);
  },

  proc_raise(sig) {
    if (arguments.length !== 1 || !isU32(sig)) return E.INVAL;
    sig >>>= 0;
    this.view(); // Node checks that a memory is set first
    sig &= 0xff;
    if (sig >= SIGNALS.length) return E.NOSYS;
    const name = SIGNALS[sig];
    if (name !== null && os.constants.signals[name] === undefined) return E.NOSYS;
    try {
      process.kill(process.pid, name === null ? 0 : name);
    } catch {
      return E.NOSYS;
    }
    return E.SUCCESS;
  },

  random_get(bufPtr, bufLen) {
    if (arguments.length !== 2 || !isU32(bufPtr) || !isU32(bufLen)) return E.INVAL;
    bufPtr >>>= 0; bufLen >>>= 0;
    const m = this.view();
    if (m.oob(bufPtr, bufLen)) return E.OVERFLOW;
    // randomFillSync takes at most 2^31-1 bytes at a time.
    for (let off = 0; off < bufLen; off += 0x40000000) {
      randomFill(m.u8, bufPtr + off, Math.min(0x40000000, bufLen - off));
    }
    return E.SUCCESS;
  },

  sched_yield() {
    if (arguments.length !== 0) return E.INVAL;
    this.view(); // Node checks that a memory is set first
    return E.SUCCESS;
  },

  sock_accept(fd, flags, fdPtr) {
    if (arguments.length !== 3 || !isU32(fd) || !isU32(flags) || !isU32(fdPtr)) return E.INVAL;
    fd >>>= 0; flags >>>= 0; fdPtr >>>= 0;
    const m = this.view();
    if (m.oob(fdPtr, 4)) return E.OVERFLOW;
    if ((flags & 0xffff) !== 0 && (flags & 0xffff) !== 4) return E.NOTSUP; // only NONBLOCK
    return sockCheck(this.table, fd);
  },

  sock_recv(fd, riData, riDataLen, riFlags, roDataLenPtr, roFlagsPtr) {
    if (
      arguments.length !== 6 || !isU32(fd) || !isU32(riData) || !isU32(riDataLen) || !isU32(riFlags) ||
      !isU32(roDataLenPtr) || !isU32(roFlagsPtr)
    ) {
      return E.INVAL;
    }
    fd >>>= 0; riData >>>= 0; riDataLen >>>= 0; riFlags >>>= 0; roDataLenPtr >>>= 0; roFlagsPtr >>>= 0;
    const m = this.view();
    if (m.oob(riData, riDataLen * 8) || m.oob(roDataLenPtr, 4) || m.oob(roFlagsPtr, 4)) return E.OVERFLOW;
    // uvwasi gets no iovec array for none (EINVAL), then checks the flags, then the descriptor.
    if (riDataLen === 0) return E.INVAL;
    if ((riFlags & 0xffff) !== 0) return E.NOTSUP;
    return sockCheck(this.table, fd);
  },

  sock_send(fd, siData, siDataLen, siFlags, soDataLenPtr) {
    if (
      arguments.length !== 5 || !isU32(fd) || !isU32(siData) || !isU32(siDataLen) || !isU32(siFlags) ||
      !isU32(soDataLenPtr)
    ) {
      return E.INVAL;
    }
    fd >>>= 0; siData >>>= 0; siDataLen >>>= 0; siFlags >>>= 0; soDataLenPtr >>>= 0;
    const m = this.view();
    if (m.oob(siData, siDataLen * 8) || m.oob(soDataLenPtr, 4)) return E.OVERFLOW;
    // uvwasi: no iovec array (none given) or any flag is EINVAL, before the descriptor.
    if (siDataLen === 0 || (siFlags & 0xffff) !== 0) return E.INVAL;
    return sockCheck(this.table, fd);
  },

  sock_shutdown(fd, how) {
    if (arguments.length !== 2 || !isU32(fd) || !isU32(how)) return E.INVAL;
    fd >>>= 0; how >>>= 0;
    this.view(); // Node checks that a memory is set first
    // 1. `how` is a u8; uvwasi supports SHUT_WR (2) alone: anything else but 0 is ENOTSUP,
    //    before the descriptor is looked up (so SHUT_RD of a bad descriptor is ENOTSUP too).
    const h = how & 0xff;
    if ((h & ~2) !== 0) return E.NOTSUP;
    // 2. The descriptor, with the socket rights: EBADF, ENOTCAPABLE.
    const entry = this.table.get(fd, SOCKET_BASE, 0);
    if (typeof entry === 'number') return entry;
    // 3. Nothing to shut down: success, as uvwasi.
    if (h === 0) return E.SUCCESS;
    // 4. SHUT_WR of a descriptor that is not a socket uvwasi accepted (the only ones it can shut
    //    down): uvwasi dereferences a null stream and Node crashes; ours says why it cannot.
    return notOwnSocket(entry);
  },
};

module.exports = { miscCalls };
