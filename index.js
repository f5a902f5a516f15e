'use strict';
// jitless-wasm: the WebAssembly JavaScript API on a Rust interpreter, usable as a drop-in
// replacement for `globalThis.WebAssembly` (also under `node --jitless`).
module.exports = require('./lib/namespace.js');
