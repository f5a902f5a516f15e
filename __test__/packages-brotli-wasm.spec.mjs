// brotli-wasm 3.0.1 (Rust + wasm-bindgen, synchronous `new WebAssembly.Module`/`Instance`):
// compresses and decompresses a few MB one-shot and streaming (the Rust allocator grows the
// memory from inside wasm; wasm-bindgen re-creates its views), checks against node:zlib, and the
// error path — same digest under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('brotli-wasm under node --jitless', () => {
  comparePackage('compress/decompress a few MB: same digest as V8', 'brotli-wasm.cjs');
});
