// Probe: the deepest wasm → JS → wasm re-entry (an export calling a JS import that calls the
// export again), on the main thread and in Workers with several `resourceLimits.stackSizeMb`,
// found by doubling then bisection; what stopped it (a RangeError is expected, never a crash).
//
//   node --jitless scripts/probes/depth.mjs        (ours)
//   node scripts/probes/depth.mjs [--ours]         (V8, or ours with --ours)
//
// Prints one JSON line per thread: `{ probe, impl, thread, stackSizeMb, depth, error }`.

import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { WA, impl, report } from './impl.mjs';

const require = createRequire(import.meta.url);
const indexPath = fileURLToPath(new URL('../../index.js', import.meta.url));
const { wat2wasm } = require('../../wat.js');

// f(n) = n, computed as 1 + js(n - 1) where js calls f again.
const RECURSIVE = wat2wasm(`(module
  (import "env" "js" (func $js (param i32) (result i32)))
  (func (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $js (i32.sub (local.get 0) (i32.const 1))))))))`);

// The deepest `n` for which `f(n)` returns, and the class of the first error (as source, to
// run in Workers too).
const DEEPEST = `function deepest(WA, bytes) {
  let f;
  f = new WA.Instance(new WA.Module(bytes), { env: { js: (n) => f(n) } }).exports.f;
  let lo = 0, hi = 1, error = 'none';
  const ok = (n) => { try { return f(n) === n; } catch (e) { error = e.constructor.name; return false; } };
  while (ok(hi)) { lo = hi; hi *= 2; if (hi > 1 << 20) return { depth: lo, error: 'none' }; }
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (ok(mid)) lo = mid; else hi = mid; }
  return { depth: lo, error };
}`;
const deepest = new Function(`${DEEPEST}; return deepest;`)();

report('depth', { thread: 'main', ...deepest(WA, RECURSIVE) });

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const WA = workerData.impl === 'v8' ? WebAssembly : require(workerData.indexPath);
${DEEPEST}
parentPort.postMessage(deepest(WA, workerData.bytes));`;
for (const stackSizeMb of [undefined, 1, 0.5]) {
  const result = await new Promise((resolve, reject) => {
    const resourceLimits = stackSizeMb === undefined ? undefined : { stackSizeMb };
    const w = new Worker(workerSource, { eval: true, resourceLimits, workerData: { impl, indexPath, bytes: RECURSIVE } });
    let m;
    w.on('message', (x) => (m = x));
    w.on('error', reject);
    w.on('exit', (code) => resolve({ exitCode: code, ...m }));
  });
  report('depth', { thread: 'worker', stackSizeMb: stackSizeMb ?? 'default', ...result });
}
