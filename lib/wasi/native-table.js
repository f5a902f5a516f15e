'use strict';
// The native copy of the descriptor table (#14): the records `src/wasi_native.rs` reads when the
// interpreter calls fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell, path_filestat_get
// and fd_readdir without entering JS (and, for directories, their real paths). One Float64Array
// shared with the addon, per descriptor (by WASI fd, below CAPACITY): mode bits, host fd,
// position (-1: the host's), base and inheriting rights, file type; then one more record whose
// first number counts the changes the JS table has not taken yet (`pending`, `take`): descriptors
// the native path_open made, and ones of the table the native fd_close closed. `lib/wasi/fd-table.js` stays the source of truth and
// calls attach/detach/refresh on every change of an entry; a mirrored entry's position lives
// here (the native calls move it), and the entry reads it from here.
// Off where the addon has no host calls (not Linux, JITLESS_WASM_WASI_HOST_CALLS=0) and with
// JITLESS_WASM_WASI_NATIVE=0 (to test the JS path): then every call goes through JS.

const native = require('../native.js');
const { hostCalls, errnoTable } = require('./host-calls.js');
const { appends } = require('./host-flags.js');
const { unwrapMemory } = require('../memory.js');
const { FILETYPE } = require('./constants.js');
const { typeRightsTable } = require('./fd-table.js');

const enabled =
  hostCalls !== null && typeof native.wasiNativeContext === 'function' && process.env.JITLESS_WASM_WASI_NATIVE !== '0';

// A record: STRIDE numbers, fields at these offsets (as in src/wasi_native.rs), mode bits.
const STRIDE = 6;
const { MODE, HOST_FD, POSITION, RIGHTS, INHERITING, TYPE } = {
  MODE: 0, HOST_FD: 1, POSITION: 2, RIGHTS: 3, INHERITING: 4, TYPE: 5,
};
const { MIRRORED, WRITES_AT_POSITION, FLAGS_OVERRIDDEN } = { MIRRORED: 1, WRITES_AT_POSITION: 2, FLAGS_OVERRIDDEN: 4 };
/** Descriptors at or past this number are not mirrored (their calls go through JS). */
const CAPACITY = 1024;
/** The functions with a native form, and their kind numbers in src/wasi_native.rs. */
const KINDS = {
  fd_read: 0, fd_write: 1, fd_pread: 2, fd_pwrite: 3, path_filestat_get: 4, fd_readdir: 5, fd_seek: 6, fd_tell: 7,
  fd_close: 8, fd_fdstat_get: 9, path_open: 10,
};
/** Where the count of changes made natively (not yet taken by the table) is. */
const PENDING = CAPACITY * STRIDE;

class NativeTable {
  // The addon keeps a pointer into these bytes: private, so no program can detach or transfer
  // the buffer (wasi.wasiImport.table is reachable).
  #records;

  constructor() {
    this.#records = new Float64Array(CAPACITY * STRIDE + STRIDE);
    this.context = native.wasiNativeContext(this.#records, errnoTable, typeRightsTable());
  }

  /** Mirrors `entry` (just placed at `entry.id`), its position taken from the entry. */
  attach(entry) {
    if (entry.id >= CAPACITY) return;
    entry.mirror = this;
    this.#records[entry.id * STRIDE + POSITION] = entry.ownPosition === null ? -1 : entry.ownPosition;
    this.refresh(entry);
    if (entry.type === FILETYPE.DIRECTORY) native.wasiNativeDirectory(this.context, entry.id, entry.realPath);
  }

  /** Stops mirroring `entry` (removed, or about to move): its position goes back to the entry. */
  detach(entry) {
    if (entry.mirror !== this) return;
    entry.ownPosition = this.position(entry.id);
    entry.mirror = null;
    this.#records.fill(0, entry.id * STRIDE, entry.id * STRIDE + STRIDE);
    if (entry.type === FILETYPE.DIRECTORY) native.wasiNativeDirectory(this.context, entry.id, null);
  }

  /** Rewrites the record of a mirrored `entry` after a change (host fd, rights, flags). */
  refresh(entry) {
    if (entry.mirror !== this) return;
    const at = entry.id * STRIDE;
    const position = this.position(entry.id);
    const writesAtPosition = position === null || !appends(entry);
    const overridden = entry.flagsOverride !== null ? FLAGS_OVERRIDDEN : 0;
    this.#records[at + MODE] = MIRRORED | (writesAtPosition ? WRITES_AT_POSITION : 0) | overridden;
    this.#records[at + HOST_FD] = entry.hostFd;
    this.#records[at + RIGHTS] = entry.rightsBase;
    this.#records[at + INHERITING] = entry.rightsInheriting;
    this.#records[at + TYPE] = entry.type;
  }

  /** Whether the native fd_close or path_open changed descriptors since the table last looked. */
  pending() {
    return this.#records[PENDING] !== 0;
  }

  /**
   * Hands those changes over: `[n, n closed ids, then per new descriptor id, hostFd, type,
   * rightsBase, rightsInheriting, openFlags, hostPath]` (new ones by increasing id; their records
   * stay; the table removes the closed entries, then makes the new ones).
   */
  take() {
    return native.wasiNativeTake(this.context);
  }

  /** The position of the mirrored descriptor `id` (null: the host's). */
  position(id) {
    const p = this.#records[id * STRIDE + POSITION];
    return p < 0 ? null : p;
  }

  /** Sets the position of the mirrored `entry`. */
  setPosition(entry, position) {
    const at = entry.id * STRIDE + POSITION;
    const wasNull = this.#records[at] < 0;
    this.#records[at] = position === null ? -1 : position;
    if (wasNull !== (position === null)) this.refresh(entry);
  }

  /** The memory the native functions use: ours (by its handle), or none (V8's). */
  setMemory(memory) {
    native.wasiNativeMemory(this.context, unwrapMemory(memory));
  }

  /** Gives the (bound) functions of `wasiImport` that have one their native form. */
  bindFunctions(wasiImport) {
    for (const [name, kind] of Object.entries(KINDS)) native.wasiNativeBind(wasiImport[name], this.context, kind);
  }
}

/** A native table for a new bindings object, or null when the native functions are off. */
const nativeTable = () => (enabled ? new NativeTable() : null);

module.exports = { nativeTable, NativeTable };
