'use strict';
// The host's file status flags of a descriptor, as uvwasi reports them in fd_fdstat_get: it
// stores fcntl(F_GETFL) unchanged in the 16-bit fs_flags field: the addon's host call where it
// has one (lib/wasi/host-calls.js); else (Node has no fcntl) the value is read from
// /proc/self/fdinfo/<fd> (Linux), without O_CLOEXEC, which F_GETFL does not report.

const fs = require('node:fs');
const { hostCalls } = require('./host-calls.js');

const O_CLOEXEC = 0o2000000;
const O_APPEND = fs.constants.O_APPEND;
const O_NONBLOCK = fs.constants.O_NONBLOCK;

/** F_GETFL of `hostFd` truncated to 16 bits (0 when it cannot be read). */
function hostStatusFlags(hostFd) {
  if (hostCalls !== null && typeof hostCalls.wasiStatusFlags === 'function') {
    const r = hostCalls.wasiStatusFlags(hostFd);
    return r < 0 ? 0 : r & 0xffff;
  }
  let flags = 0;
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1'));
    if (m) flags = parseInt(m[1], 8) & ~O_CLOEXEC;
  } catch {
    flags = 0;
  }
  return flags & 0xffff;
}

/** Whether writes to `entry` must go to the end of the file. */
function appends(entry) {
  return entry.append || (hostStatusFlagsCached(entry) & O_APPEND) !== 0;
}

/** The host status flags of `entry`, read once (until a reopen clears them). */
function hostStatusFlagsCached(entry) {
  if (entry.hostFlags === undefined) entry.hostFlags = hostStatusFlags(entry.hostFd);
  return entry.hostFlags;
}

module.exports = { hostStatusFlags, hostStatusFlagsCached, appends, O_APPEND, O_NONBLOCK };
