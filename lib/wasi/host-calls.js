'use strict';
// The native host calls of `src/wasi_host.rs` (Linux): fd_read/fd_write, lstat/fstat into a
// filestat, the sandbox's realpath check and directory listings, each one Node-API call in
// place of several microseconds of Node's `fs` JavaScript under `--jitless`. `hostCalls` is
// null where the addon has none (other systems), or with JITLESS_WASM_WASI_HOST_CALLS=0 (to test
// that path on Linux): the callers then use `fs`.
// Results below zero are a negated host errno, or OUT_OF_BOUNDS (a range outside the memory).

const os = require('node:os');
const native = require('../native.js');
const { E, errnoOfCode } = require('./errno.js');

const OUT_OF_BOUNDS = -65536;
/** `wasiLstat`'s result for a symbolic link it was asked not to report. */
const IS_LINK = -65537;

const hostCalls =
  typeof native.wasiFdIo === 'function' && process.env.JITLESS_WASM_WASI_HOST_CALLS !== '0' ? native : null;

// Host errno number → WASI errno (the first name of a number wins: EAGAIN before EWOULDBLOCK).
const BY_NUMBER = [];
for (const [name, n] of Object.entries(os.constants.errno)) {
  if (BY_NUMBER[n] === undefined || BY_NUMBER[n] === E.NOSYS) BY_NUMBER[n] = errnoOfCode(name);
}

/** Host errno number → WASI errno as bytes (for src/wasi_native.rs; ENOSYS where none). */
const errnoTable = Uint8Array.from(BY_NUMBER, (errno) => (errno === undefined ? E.NOSYS : errno));

/** The WASI errno of a negative host-call result. */
function hostErrno(result) {
  if (result === OUT_OF_BOUNDS) return E.OVERFLOW;
  const errno = BY_NUMBER[-result];
  return errno === undefined ? E.NOSYS : errno;
}

/**
 * The entries of a packed listing from `wasiListDirectory` (records of type, u32 length,
 * name) as `{ name, type }` with `name` a Buffer over the listing.
 */
function unpackListing(packed) {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const list = [];
  for (let at = 0; at < bytes.length; ) {
    const type = bytes[at];
    const len = bytes.readUInt32LE(at + 1);
    at += 5;
    list.push({ name: bytes.subarray(at, at + len), type });
    at += len;
  }
  return list;
}

module.exports = { hostCalls, hostErrno, errnoTable, unpackListing, IS_LINK };
