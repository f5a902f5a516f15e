// Node's built-in fetch (undici; its HTTP/1 parser llhttp is WebAssembly — it compiles the SIMD
// build first and falls back to the scalar build only when that is rejected; jitless-wasm runs
// the SIMD build) against a local node:http server on 127.0.0.1, plus
// WebAssembly.compileStreaming/instantiateStreaming of a fetch Response — same digest under
// `--jitless` as under V8.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { comparePackage, runWorkload } from './helpers/packages.mjs';

describe("Node's fetch under node --jitless", () => {
  comparePackage('requests to a loopback server: same digest as V8', 'fetch.mjs');
  it('llhttp: the SIMD build compiles and is used (no fallback)', async () => {
    const ours = await runWorkload('fetch.mjs', { engine: 'ours', env: { FETCH_REQUESTS: '10' } });
    assert.equal(ours.code, 0, ours.stderr);
    // The workload's deliberate wrong-MIME compileStreaming is the only rejection.
    const others = ours.counts.compileErrors.filter((m) => !/MIME/.test(m));
    assert.deepEqual(others, [], JSON.stringify(ours.counts));
    assert.ok(ours.counts.compiled >= 1 && ours.counts.instantiated >= 1, JSON.stringify(ours.counts));
  });
});
