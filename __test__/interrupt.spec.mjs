// Interruption: wasm running in a Worker stops when Node stops the Worker, whatever the wasm
// is doing (loops, recursion, re-entry through JS, `memory.atomic.wait`, bulk operations on
// large memories and tables): `worker.terminate()` resolves and 'exit' fires, `process.exit()`
// in the main thread does not hang, and a Worker calling `process.exit()` from an import with
// wasm on its stack exits with its code. Each case runs our namespace and (when available) V8's
// WebAssembly as the oracle. The bounds are generous (a loaded machine); the latencies
// themselves are measured by scripts/probes/terminate.mjs.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { forEachImpl } from './helpers/impls.mjs';

const require = createRequire(import.meta.url);
const workerPath = fileURLToPath(new URL('./helpers/interrupt-worker.cjs', import.meta.url));
const { KINDS } = require(workerPath);
const indexPath = fileURLToPath(new URL('../index.js', import.meta.url));
const watPath = fileURLToPath(new URL('../wat.js', import.meta.url));

/** Generous bound for terminate() and 'exit' (the target is 100 ms). */
const BOUND_MS = 2000;

/**
 * Starts a Worker running `kind`; once it runs wasm (plus `delay` ms), calls `stop(worker)`.
 * Resolves with the exit code, the time from stop to 'exit', and the messages it posted.
 */
function runAndStop(impl, kind, stop, { delay = 50, exitAfter } = {}) {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerPath, { workerData: { impl, indexPath, watPath, kind, exitAfter } });
    const messages = [];
    let stoppedAt;
    w.on('message', (m) => {
      messages.push(m);
      if (m === 'running' && stop) {
        setTimeout(() => {
          stoppedAt = performance.now();
          stop(w);
        }, delay);
      }
    });
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, ms: performance.now() - (stoppedAt ?? 0), messages }));
  });
}

/** Rejects after `ms` (so a regression fails instead of hanging the suite). */
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Deliberate difference: V8 itself (measured on Node 20) does not stop a loop of large bulk
// operations: a loop of 1 MiB `memory.fill`s took 0.7 s to terminate, of 64 MiB ones more than
// 10 s, and these (1 GiB fills, 10M-element table fills) did not stop within 20 s. Ours checks
// between chunks of every bulk operation.
const V8_DOES_NOT_STOP = new Set(['bulk', 'table']);

forEachImpl(({ name }) => {
  for (const kind of Object.keys(KINDS)) {
    const skip = name === 'v8' && V8_DOES_NOT_STOP.has(kind) && 'V8 does not stop this (see above)';
    it(`worker.terminate() stops wasm: ${kind}`, { skip }, async () => {
      let terminated;
      const run = runAndStop(name, kind, (w) => {
        terminated = w.terminate();
      });
      const { code, ms, messages } = await within(BOUND_MS + 20000, run, `${kind} exit`);
      // 20 s above covers the Worker's start-up; the stop itself must be fast.
      assert.ok(ms < BOUND_MS, `${kind}: 'exit' ${ms.toFixed(0)} ms after terminate()`);
      assert.equal(code, 1);
      assert.equal(await within(BOUND_MS, terminated, `${kind} terminate()`), 1);
      // The wasm never returned to JS normally.
      assert.deepEqual(messages, ['running']);
    });
  }

  it('a Worker calling process.exit() from an import with wasm on its stack exits with its code', async () => {
    const { code, messages } = await within(20000, runAndStop(name, 'exit', null, { exitAfter: 1000 }), 'exit');
    assert.equal(code, 5);
    assert.deepEqual(messages, ['running']);
  });

  it('a Worker is usable again after terminate() of another one running wasm', async () => {
    await runAndStop(name, 'loop', (w) => w.terminate());
    const { code } = await runAndStop(name, 'recursion', (w) => w.terminate(), { delay: 10 });
    assert.equal(code, 1);
  });

  for (const kind of ['loop', 'wait', 'reentry']) {
    it(`process.exit() in the main thread does not hang on a Worker running wasm: ${kind}`, () => {
      // A child process: its main thread exits while its Worker is inside wasm.
      const script = `
        const { Worker } = require('node:worker_threads');
        const w = new Worker(${JSON.stringify(workerPath)}, { workerData: ${JSON.stringify({
          impl: name,
          indexPath,
          watPath,
          kind,
        })} });
        w.on('message', (m) => { if (m === 'running') setTimeout(() => process.exit(3), 50); });
      `;
      const args = name === 'v8' ? ['-e', script] : ['--jitless', '-e', script];
      const r = spawnSync(process.execPath, args, { timeout: 30000, encoding: 'utf8' });
      assert.equal(r.error, undefined, `${kind}: ${r.error}`);
      assert.equal(r.signal, null, `${kind}: killed by ${r.signal} (hung?)`);
      assert.equal(r.status, 3, r.stderr);
    });
  }
});
