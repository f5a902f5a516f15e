// wasm-vips 0.0.19 (libvips 8.18, Emscripten pthreads build: the factory posts the
// WebAssembly.Module and its shared WebAssembly.Memory to a pool of Workers, and libvips runs
// its pixel pipeline on them): resize, blur, sharpen, rotate, colour conversion, statistics,
// PNG and JPEG encoding and decoding — same results and file digests under `--jitless` (our
// namespace in every thread, through register.js) as under V8.
import { describe } from 'node:test';
import { comparePackage, unlessInstalled } from './helpers/packages.mjs';

describe('wasm-vips under node --jitless', () => {
  comparePackage('image pipeline on the pthread pool: same output as V8', 'wasm-vips.cjs', {
    skip: unlessInstalled('wasm-vips'),
  });
});
