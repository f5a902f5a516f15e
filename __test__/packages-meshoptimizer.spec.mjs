// meshoptimizer 1.3.0 (clang C++; its decoder chooses a SIMD build by feature detection with
// `WebAssembly.validate`): vertex/index codecs, glTF filters decoded with SIMD, simplification —
// same output under `--jitless` as under V8, both on the SIMD decoder.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('meshoptimizer under node --jitless', () => {
  comparePackage('codecs, SIMD filters and simplification: same output as V8', 'meshoptimizer.mjs');
});
