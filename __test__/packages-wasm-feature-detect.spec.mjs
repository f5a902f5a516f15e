// wasm-feature-detect 1.9.0: the feature detection packages use to choose between a SIMD (or
// threads, exceptions, tail-call) build and a baseline build. Under `--jitless` ours must report
// exactly the features it executes, so that such packages load a build ours runs; and it must
// never claim a feature V8 lacks, except the WebAssembly 3.0 ones ours executes (deliberate).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkload } from './helpers/packages.mjs';

// The wasm-feature-detect detectors ours passes today. (Threads, exception handling and tail
// calls are rejected at compile time; update this when the engine gains them.)
// Deliberate difference: features ours executes that Node 20's V8 does not enable by default.
const BEYOND_NODE20 = new Set(['relaxedSimd']);

const EXECUTED = new Set([
  'bigInt',
  'relaxedSimd',
  'simd',
  'bulkMemory',
  'multiValue',
  'mutableGlobals',
  'referenceTypes',
  'saturatedFloatToInt',
  'signExtensions',
  'streamingCompilation',
]);

describe('wasm-feature-detect under node --jitless', () => {
  it('reports exactly the features ours executes, and none V8 lacks', async () => {
    const v8 = await runWorkload('wasm-feature-detect.mjs', { engine: 'v8' });
    assert.equal(v8.code, 0, v8.stderr);
    const ours = await runWorkload('wasm-feature-detect.mjs', { engine: 'ours' });
    assert.equal(ours.code, 0, ours.stderr);
    const v8Features = JSON.parse(v8.stdout);
    const oursFeatures = JSON.parse(ours.stdout);
    assert.deepEqual(Object.keys(oursFeatures), Object.keys(v8Features));
    for (const [name, supported] of Object.entries(oursFeatures)) {
      assert.equal(supported, EXECUTED.has(name), `ours: ${name}`);
      if (supported && !BEYOND_NODE20.has(name)) assert.equal(v8Features[name], true, `ours claims ${name}, which V8 lacks`);
    }
    assert.equal(oursFeatures.simd, true, 'ours: simd');
    // The ones packages most often switch on: V8 has them, ours does not (yet).
    for (const name of ['threads', 'exceptions', 'tailCall']) {
      assert.equal(v8Features[name], true, `v8: ${name}`);
      assert.equal(oursFeatures[name], false, `ours: ${name}`);
    }
  });
});
