'use strict';
// `require('jitless-wasm/limits')`: `createWebAssembly(options)` makes a WebAssembly namespace
// whose modules and instances run under limits (fuel, deadline, interrupt, caps, determinism).
module.exports = require('./lib/limits.js');
