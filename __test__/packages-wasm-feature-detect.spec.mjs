// wasm-feature-detect 1.9.0: the feature detection packages use to choose between a SIMD (or
// threads, exceptions, tail-call) build and a baseline build. Under `--jitless` ours must report
// exactly the features it executes, so that such packages load a build ours runs; and it must
// never claim a feature V8 lacks, except the WebAssembly 3.0 features in BEYOND_V8, which ours
// executes and Node 20's V8 does not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkload } from './helpers/packages.mjs';

// The wasm-feature-detect detectors ours passes.
const EXECUTED = new Set([
  'bigInt',
  'bulkMemory',
  'exceptions',
  'exceptionsFinal',
  'extendedConst',
  'memory64',
  'multiMemory',
  'multiValue',
  'mutableGlobals',
  'referenceTypes',
  'relaxedSimd',
  'saturatedFloatToInt',
  'signExtensions',
  'simd',
  'streamingCompilation',
  'tailCall',
  'threads',
  'typedFunctionReferences',
]);

// WebAssembly 3.0 features ours executes that Node 20's V8 lacks (deliberate difference: under
// `--jitless` ours is the only engine, and it executes them).
const BEYOND_V8 = new Set([
  'exceptionsFinal',
  'extendedConst',
  'memory64',
  'multiMemory',
  'relaxedSimd',
  'typedFunctionReferences',
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
      if (supported && !BEYOND_V8.has(name)) assert.equal(v8Features[name], true, `ours claims ${name}, which V8 lacks`);
    }
    // The ones packages most often switch on: both engines have them.
    for (const name of ['simd', 'threads', 'exceptions', 'tailCall']) {
      assert.equal(v8Features[name], true, `v8: ${name}`);
      assert.equal(oursFeatures[name], true, `ours: ${name}`);
    }
  });
});
