'use strict';
// What `require('node:wasi')` / `require('wasi')` return under jitless-wasm/register when our
// namespace is installed: our WASI class. Loading it emits the ExperimentalWarning that Node's
// module emits when it is first loaded (this module, like Node's, is loaded once per thread).

process.emitWarning('WASI is an experimental feature and might change at any time', 'ExperimentalWarning');

module.exports = require('./wasi.js');
