// WAT text -> module bytes, through the package's own `jitless-wasm/wat`
// entry (`wat.js` at the repo root, backed by the Rust `wat` crate). It does
// not need a WebAssembly engine, so it works under `node --jitless` too.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let watModule;

/** Compiles WebAssembly text to a Uint8Array (throws SyntaxError on bad text). */
export function wat(text) {
  watModule ??= require('../../wat.js');
  return watModule.wat2wasm(text);
}
