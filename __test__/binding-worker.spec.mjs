// The binding in worker_threads: each Worker gets its own environment (state, caches, error
// classes); instances work there and the Worker exits cleanly, also when terminated with
// live instances, buffers and imported functions.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { forEachImpl } from './helpers/impls.mjs';

const indexPath = fileURLToPath(new URL('../index.js', import.meta.url));
const watPath = fileURLToPath(new URL('../wat.js', import.meta.url));

// Runs in the Worker: `impl` is 'v8' (the built-in WebAssembly) or 'jitless' (ours).
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const WA = workerData.impl === 'v8' ? WebAssembly : require(workerData.indexPath);
const { wat2wasm } = require(workerData.watPath);
const bytes = wat2wasm(\`(module (import "js" "f" (func $f (param i32) (result i32)))
  (memory (export "mem") 1 4)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "callf") (param i32) (result i32) local.get 0 call $f)
  (func (export "grow") (result i32) i32.const 1 memory.grow))\`);
const boom = new Error('boom');
const e = new WA.Instance(new WA.Module(bytes), { js: { f: (x) => { if (x < 0) throw boom; return x * 2; } } }).exports;
const buf = e.mem.buffer;
let caught;
try { e.callf(-1); } catch (err) { caught = err === boom; }
const out = { add: e.add(2, 3), callf: e.callf(21), caught, grown: e.grow(), oldLength: buf.byteLength,
  newLength: e.mem.buffer.byteLength, isMemory: e.mem instanceof WA.Memory };
if (workerData.hang) { parentPort.postMessage(out); setInterval(() => e.add(1, 1), 1); }
else parentPort.postMessage(out);
`;

function run(impl, hang) {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerSource, { eval: true, workerData: { impl, indexPath, watPath, hang } });
    let result;
    w.on('message', (m) => {
      result = m;
      if (hang) w.terminate();
    });
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, result }));
  });
}

forEachImpl(({ name }) => {
  it('runs in a Worker and exits cleanly', async () => {
    const { code, result } = await run(name, false);
    assert.equal(code, 0);
    assert.deepEqual(result, {
      add: 5,
      callf: 42,
      caught: true,
      grown: 1,
      oldLength: 0,
      newLength: 2 * 65536,
      isMemory: true,
    });
  });

  it('several Workers in parallel, terminated while their instances are alive', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(name, true)));
    for (const { result } of runs) assert.equal(result.callf, 42);
  });
});
