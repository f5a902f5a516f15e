// A/B timing of the benchmark kernels on two builds of the package, loaded side by side in one
// process and run interleaved (round r runs A then B, or B then A, alternately), so that load
// from other processes hits both alike. Used to measure what the interrupt checks cost: build
// A with `JITLESS_WASM_NO_INTERRUPT_CHECKS=1` (see crates/core/build.rs), B normally, and copy
// each package (index.js, wat.js, lib/, package.json, the .node file) to a
// directory of its own.
//
//   node --jitless scripts/probes/ab-kernels.mjs <dirA> <dirB> [rounds=9] [kernel,...]
//
// Prints per kernel the median CPU ms of A and B and the ratio B/A, then the geomean of the ratios.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { KERNELS } from '../../benchmark/kernels/index.mjs';

const require = createRequire(import.meta.url);
const kernelDir = fileURLToPath(new URL('../../benchmark/kernels/', import.meta.url));
const [dirA, dirB] = process.argv.slice(2, 4).map((d) => path.resolve(d));
const rounds = Number(process.argv[4] ?? 9);
const only = process.argv[5]?.split(',');
if (!dirA || !dirB) {
  console.error('usage: node --jitless scripts/probes/ab-kernels.mjs <dirA> <dirB> [rounds] [kernels]');
  process.exit(2);
}

const A = require(path.join(dirA, 'index.js'));
const B = require(path.join(dirB, 'index.js'));
const { wat2wasm } = require(path.join(dirA, 'wat.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// CPU time of the process (user + system), not wall time: on a shared machine the wall time
// mostly measures how often the process was descheduled.
const time = (run, n) => {
  const t = process.cpuUsage();
  const r = run(n);
  const d = process.cpuUsage(t);
  return [(d.user + d.system) / 1000, r];
};

console.log(`node ${process.version} ${process.execArgv.join(' ')}; ${rounds} rounds; A=${dirA} B=${dirB}`);
let logSum = 0;
let count = 0;
for (const k of KERNELS) {
  if (only && !only.includes(k.name)) continue;
  const bytes = wat2wasm(fs.readFileSync(path.join(kernelDir, `${k.name}.wat`), 'utf8'));
  const runA = new A.Instance(new A.Module(bytes), {}).exports.run;
  const runB = new B.Instance(new B.Module(bytes), {}).exports.run;
  // Warm-up (lazy translation) and the checksums, which must agree.
  const [ca, cb] = [runA(k.n), runB(k.n)];
  if (ca !== cb) throw new Error(`${k.name}: checksums differ (${ca} vs ${cb})`);
  const ta = [];
  const tb = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      ta.push(time(runA, k.n)[0]);
      tb.push(time(runB, k.n)[0]);
    } else {
      tb.push(time(runB, k.n)[0]);
      ta.push(time(runA, k.n)[0]);
    }
  }
  const [ma, mb] = [median(ta), median(tb)];
  logSum += Math.log(mb / ma);
  count++;
  console.log(`${k.name.padEnd(14)} A ${ma.toFixed(1).padStart(8)} ms   B ${mb.toFixed(1).padStart(8)} ms   B/A ${(mb / ma).toFixed(3)}`);
}
console.log(`geomean B/A ${Math.exp(logSum / count).toFixed(3)} over ${count} kernels`);
