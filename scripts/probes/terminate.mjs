// Measures how long `worker.terminate()` takes to stop a Worker running wasm, for each kind of
// long-running wasm in __test__/helpers/interrupt-worker.cjs, on our namespace and (when the
// process has it, i.e. without --jitless) on V8's WebAssembly. Prints the median and the
// maximum over several runs of the time from the terminate() call to the 'exit' event and to
// the promise's resolution, plus process.exit() in the main thread (a child process).
//
//   node --jitless scripts/probes/terminate.mjs [runs=7] [kind...]
//   node scripts/probes/terminate.mjs            (adds V8 as the reference)

import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const workerPath = fileURLToPath(new URL('../../__test__/helpers/interrupt-worker.cjs', import.meta.url));
const indexPath = fileURLToPath(new URL('../../index.js', import.meta.url));
const watPath = fileURLToPath(new URL('../../wat.js', import.meta.url));
const { KINDS } = require(workerPath);

const runs = Number(process.argv[2] ?? 7);
const kinds = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(KINDS);
const impls = typeof globalThis.WebAssembly === 'object' ? ['jitless', 'v8'] : ['jitless'];

/** One run: starts the Worker, terminates it 100 ms after it runs wasm; times in ms. */
function once(impl, kind) {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerPath, { workerData: { impl, indexPath, watPath, kind } });
    let t0;
    let resolved;
    w.on('error', reject);
    w.on('message', (m) => {
      if (m !== 'running') return;
      setTimeout(() => {
        t0 = performance.now();
        w.terminate().then(() => {
          resolved = performance.now() - t0;
        });
      }, 100);
    });
    w.on('exit', () => {
      const exit = performance.now() - t0;
      // The promise settles right after 'exit'.
      setImmediate(() => resolve({ exit, resolved }));
    });
  });
}

/** process.exit() in the main thread of a child while its Worker runs `kind`: total ms. */
function exitChild(impl, kind) {
  const script = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(workerPath)}, { workerData: ${JSON.stringify({ impl, indexPath, watPath, kind })} });
    w.on('message', (m) => { if (m === 'running') setTimeout(() => { globalThis.t0 = Date.now(); process.stdout.write(String(Date.now())); process.exit(3); }, 100); });
  `;
  const args = impl === 'v8' ? ['-e', script] : ['--jitless', '-e', script];
  const r = spawnSync(process.execPath, args, { timeout: 30000, encoding: 'utf8' });
  if (r.status !== 3) return NaN;
  return Date.now() - Number(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1).padStart(7) : '    n/a');

console.log(`node ${process.version} ${process.execArgv.join(' ')}; ${runs} runs each; ms from terminate() / process.exit()`);
console.log('impl     kind       exit(med) exit(max) resolve(med) process.exit(med, incl. child teardown)');
for (const impl of impls) {
  for (const kind of kinds) {
    const exits = [];
    const resolves = [];
    for (let i = 0; i < runs; i++) {
      const { exit, resolved } = await once(impl, kind);
      exits.push(exit);
      resolves.push(resolved);
    }
    const childs = [];
    for (let i = 0; i < Math.min(runs, 3); i++) childs.push(exitChild(impl, kind));
    console.log(
      `${impl.padEnd(8)} ${kind.padEnd(10)} ${fmt(median(exits))}   ${fmt(Math.max(...exits))}   ${fmt(median(resolves))}      ${fmt(median(childs))}`,
    );
  }
}
