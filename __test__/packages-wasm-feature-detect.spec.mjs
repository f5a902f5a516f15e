// wasm-feature-detect 1.9.0: the feature detection packages use to choose between a SIMD (or
// threads, exceptions, tail-call) build and a baseline build. Under `--jitless` ours must report
// exactly what V8 reports with the default feature profile ("node20"), so that packages load the
// build they load on V8; with JITLESS_WASM_FEATURES=latest it reports every feature it executes,
// which adds the WebAssembly 3.0 features in BEYOND_V8 (deliberate difference: Node 20's V8
// does not have them).
import { describe, it } from 'node:test';
import { hostProfile } from './helpers/node-line.mjs';
import assert from 'node:assert/strict';
import { runWorkload } from './helpers/packages.mjs';

// The wasm-feature-detect detectors ours passes.
const EXECUTED = new Set([
  'bigInt',
  // JSPI (#12): the `latest` profile has Suspending/promising.
  'jspi',
  // JS String Builtins (#13): `{ builtins: ['js-string'] }` from the node22 profile.
  'jsStringBuiltins',
  'bulkMemory',
  'exceptions',
  'exceptionsFinal',
  'extendedConst',
  // WasmGC (#13): from the node22 profile.
  'gc',
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
  // V8 ships JSPI from 13.6 (Node 24); `latest` has it on every line.
  'jspi',
  // V8 has the JS String Builtins from 12.4 (Node 22); `latest` has them on every line.
  'jsStringBuiltins',
  'exceptionsFinal',
  'extendedConst',
  'gc',
  'memory64',
  'multiMemory',
  'relaxedSimd',
  'typedFunctionReferences',
]);

describe('wasm-feature-detect under node --jitless', () => {
  it(`reports exactly what V8 reports (default profile "${hostProfile}")`, async () => {
    const v8 = await runWorkload('wasm-feature-detect.mjs', { engine: 'v8' });
    assert.equal(v8.code, 0, v8.stderr);
    const ours = await runWorkload('wasm-feature-detect.mjs', { engine: 'ours' });
    assert.equal(ours.code, 0, ours.stderr);
    const [o, v] = [JSON.parse(ours.stdout), JSON.parse(v8.stdout)];
    assert.deepEqual(o, v);
    // The ones packages most often switch on: both engines have them.
    for (const name of ['simd', 'threads', 'exceptions', 'tailCall']) {
      assert.equal(JSON.parse(ours.stdout)[name], true, `ours: ${name}`);
    }
  });

  it('reports exactly the features ours executes with JITLESS_WASM_FEATURES=latest', async () => {
    const v8 = await runWorkload('wasm-feature-detect.mjs', { engine: 'v8' });
    assert.equal(v8.code, 0, v8.stderr);
    const env = { JITLESS_WASM_FEATURES: 'latest' };
    const ours = await runWorkload('wasm-feature-detect.mjs', { engine: 'ours', env });
    assert.equal(ours.code, 0, ours.stderr);
    const v8Features = JSON.parse(v8.stdout);
    const oursFeatures = JSON.parse(ours.stdout);
    assert.deepEqual(Object.keys(oursFeatures), Object.keys(v8Features));
    for (const [name, supported] of Object.entries(oursFeatures)) {
      assert.equal(supported, EXECUTED.has(name), `ours: ${name}`);
      if (supported && !BEYOND_V8.has(name)) assert.equal(v8Features[name], true, `ours claims ${name}, which V8 lacks`);
    }
  });
});
