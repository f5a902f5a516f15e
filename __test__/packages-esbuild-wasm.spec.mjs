// esbuild-wasm 0.28.2 (Go compiled to wasm, Go's wasm_exec.js runtime, run in-process through the
// package's lib/browser.js entry): TypeScript/TSX transforms, lowering, minification with source
// maps, a syntax error and a bundle through a plugin — same output under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('esbuild-wasm under node --jitless', () => {
  comparePackage('transform and bundle: same output as V8', 'esbuild-wasm.cjs');
});
