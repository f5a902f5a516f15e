'use strict';
// Node modules the WASI functions need only on some paths, required on first use: `node:tty`
// brings in `net` and the stream machinery, `node:crypto` its whole tree; under `--jitless`
// loading them up front cost ~20 ms of every process that requires `jitless-wasm/wasi`.

let tty = null;
let crypto = null;

/** `tty.isatty(fd)`: whether the host fd is a terminal. */
function isatty(fd) {
  if (tty === null) tty = require('node:tty');
  return tty.isatty(fd);
}

/** `crypto.randomFillSync(bytes, offset, size)`: fills the range with random bytes. */
function randomFill(bytes, offset, size) {
  if (crypto === null) crypto = require('node:crypto');
  crypto.randomFillSync(bytes, offset, size);
}

module.exports = { isatty, randomFill };
