'use strict';
// The object behind `wasi.wasiImport`: Node's native `WASI` binding (uvwasi) in JS. It owns the
// descriptor table, the argument and environment strings and, once set, the memory; its
// methods are the wasi_snapshot_preview1 functions, in Node's order.

const fs = require('node:fs');
const { FdTable } = require('./fd-table.js');
const { nativeTable } = require('./native-table.js');
const { FILETYPE } = require('./constants.js');
const { DIRECTORY_BASE, DIRECTORY_INHERITING } = require('./fd-table.js');
const { E, errnoOf } = require('./errno.js');
const { errors } = require('./errors.js');
const { checkMemory } = require('./memory.js');
const { fdCalls } = require('./syscalls-fd.js');
const { pathCalls } = require('./syscalls-path.js');
const { miscCalls } = require('./syscalls-misc.js');
const { clockCalls } = require('./clocks.js');
const { pollCalls } = require('./poll.js');
const { readdirCalls } = require('./readdir.js');

const ERRNO_NAMES = Object.fromEntries(Object.entries(E).map(([name, n]) => [n, name]));

/** The error `new WASI()` throws when uvwasi_init fails (Node: errno, code UVWASI_E…, syscall). */
function initError(errno) {
  const code = `UVWASI_E${ERRNO_NAMES[errno]}`;
  const error = new Error(`${code}, uvwasi_init`);
  error.errno = errno;
  error.code = code;
  error.syscall = 'uvwasi_init';
  return error;
}

/** UTF-8 bytes of a JS string as a latin1 string (the form paths take inside). */
const bytesOf = (s) => Buffer.from(s, 'utf8').toString('latin1');

class WASI {
  /**
   * @param {string[]} args
   * @param {string[]} env `KEY=value` strings
   * @param {string[]} preopens mapped, real, mapped, real, …
   * @param {number[]} stdio host fds for 0, 1, 2
   * @param {(m: unknown) => boolean} isMemory
   */
  constructor(args, env, preopens, stdio, isMemory) {
    Object.defineProperties(this, {
      args: { value: args.map((a) => Buffer.from(a, 'utf8')), writable: true },
      env: { value: env.map((e) => Buffer.from(e, 'utf8')), writable: true },
      table: { value: new FdTable(nativeTable()), writable: true },
      mem: { value: null, writable: true },
      isMemory: { value: isMemory },
    });
    const names = ['<stdin>', '<stdout>', '<stderr>'];
    for (let i = 0; i < 3; i++) {
      try {
        this.table.insertStdio(stdio[i], names[i]);
      } catch (error) {
        this.closeAll();
        throw initError(errnoOf(error));
      }
    }
    for (let i = 0; i < preopens.length; i += 2) {
      const errno = this.addPreopen(bytesOf(preopens[i]), preopens[i + 1]);
      if (errno !== E.SUCCESS) {
        this.closeAll();
        throw initError(errno);
      }
    }
  }

  /** uvwasi_init for one preopen: realpath, open, must be a directory. */
  addPreopen(mapped, real) {
    let realPath;
    let hostFd;
    try {
      realPath = fs.realpathSync(Buffer.from(real, 'utf8'), { encoding: 'buffer' }).toString('latin1');
      hostFd = fs.openSync(Buffer.from(realPath, 'latin1'), 'r');
    } catch (error) {
      return errnoOf(error);
    }
    if (!fs.fstatSync(hostFd).isDirectory()) {
      fs.closeSync(hostFd);
      return E.NOTDIR;
    }
    this.table.insert(hostFd, FILETYPE.DIRECTORY, DIRECTORY_BASE, DIRECTORY_INHERITING, mapped, realPath, true);
    return E.SUCCESS;
  }

  /** Closes the host fds this object opened (not stdio). */
  closeAll() {
    for (const entry of this.table.fds) {
      if (entry !== undefined && entry.preopen) {
        try {
          fs.closeSync(entry.hostFd);
        } catch {
          // already closed by the program
        }
      }
    }
  }

  /** The memory views, current; Node throws ERR_WASI_NOT_STARTED before a memory is set. */
  view() {
    if (this.mem === null) throw errors.wasiNotStarted();
    return this.mem.refresh();
  }

  /** Node's `_setMemory`: our Memory (or V8's), else a TypeError. */
  _setMemory(memory) {
    this.mem = checkMemory(memory, this.isMemory);
    if (this.table.mirror !== null) this.table.mirror.setMemory(memory);
  }
}

// Node's order of the functions (the order of `Object.keys(wasi.wasiImport)`).
const ORDER = [
  'args_get', 'args_sizes_get', 'clock_res_get', 'clock_time_get', 'environ_get', 'environ_sizes_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'random_get', 'sched_yield', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
];
const ALL = { ...miscCalls, ...clockCalls, ...fdCalls, ...readdirCalls, ...pathCalls, ...pollCalls };
for (const name of ORDER) {
  Object.defineProperty(WASI.prototype, name, { value: ALL[name], enumerable: true, writable: true, configurable: true });
}
// `_setMemory` is enumerable too: the WASI class binds it with the others, then takes it out.
Object.defineProperty(WASI.prototype, '_setMemory', { enumerable: true });
for (const name of ['view', 'addPreopen', 'closeAll']) Object.defineProperty(WASI.prototype, name, { enumerable: false });

module.exports = { WASI, ORDER };
