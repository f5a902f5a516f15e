// yoga-layout 3.2.1 (Meta's flexbox engine, C++ with Emscripten, wasm embedded as base64):
// layouts of node trees (wrap, grow/shrink, percentages, absolute positions, gaps, RTL, a JS
// measure function called from wasm, a generated tree at several widths) — same computed
// layouts under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('yoga-layout under node --jitless', () => {
  comparePackage('flexbox layouts: same computed layout as V8', 'yoga-layout.mjs');
});
