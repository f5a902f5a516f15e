'use strict';
// `require('jitless-wasm/wasi')`: `node:wasi`'s WASI class over jitless-wasm's WebAssembly
// (WASI preview1 in JS with uvwasi's semantics; see lib/wasi/).
module.exports = require('./lib/wasi/wasi.js');
