'use strict';
// What `require('node:wasi')` / `require('wasi')` return under jitless-wasm/register when our
// namespace is installed: our WASI class. Loading it emits node:wasi's ExperimentalWarning.

require('./warning.js').warnOnce();

module.exports = require('./wasi.js');
