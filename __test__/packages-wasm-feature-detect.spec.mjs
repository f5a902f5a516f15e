// wasm-feature-detect 1.9.0: the feature detection packages use to choose between a SIMD (or
// threads, exceptions, tail-call) build and a baseline build. Under `--jitless` ours must report
// exactly the features it executes, so that such packages load a build it runs; and it must never
// claim a feature V8 lacks, except the WebAssembly 3.0 memory features listed in BEYOND_NODE20.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkload } from './helpers/packages.mjs';

// The wasm-feature-detect detectors ours passes today. (SIMD, exception handling and tail calls
// are rejected at compile time; update this when the engine gains them.)
const EXECUTED = new Set([
  'bigInt',
  'bulkMemory',
  'extendedConst',
  'memory64',
  'multiMemory',
  'multiValue',
  'mutableGlobals',
  'referenceTypes',
  'saturatedFloatToInt',
  'signExtensions',
  'streamingCompilation',
  'threads',
]);
// Deliberate difference: WebAssembly 3.0 features ours executes and Node 20's V8 does not.
const BEYOND_NODE20 = new Set(['extendedConst', 'memory64', 'multiMemory']);

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
      if (supported && !BEYOND_NODE20.has(name)) {
        assert.equal(v8Features[name], true, `ours claims ${name}, which V8 lacks`);
      }
    }
    // The ones packages most often switch on: V8 has them, ours does not (yet).
    for (const name of ['simd', 'exceptions', 'tailCall']) {
      assert.equal(v8Features[name], true, `v8: ${name}`);
      assert.equal(oursFeatures[name], false, `ours: ${name}`);
    }
  });
});
