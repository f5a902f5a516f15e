// wabt 1.0.39 (wabt.js: the WebAssembly Binary Toolkit's C++ compiled with Emscripten, the wasm
// embedded in index.js): parses a large generated WAT, validates it, writes the binary with and
// without names, reads it back and prints it — same digest under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('wabt under node --jitless', () => {
  comparePackage('parse a large WAT, write, read back, print: same digest as V8', 'wabt.cjs');
});
