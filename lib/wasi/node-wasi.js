'use strict';
// What `require('node:wasi')` / `require('wasi')` return under jitless-wasm/register when our
// namespace is installed: our WASI class, with the ExperimentalWarning Node's module emits when
// it is first loaded.

let warned = false;
if (!warned) {
  warned = true;
  process.emitWarning('WASI is an experimental feature and might change at any time', 'ExperimentalWarning');
}

module.exports = require('./wasi.js');
