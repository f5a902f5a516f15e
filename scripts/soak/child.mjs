// One soak workload in this process (run by scripts/soak/run.mjs under node --jitless
// --expose-gc): `node child.mjs <workload> <rounds>`. After each round it collects garbage
// (JS, then one event-loop turn for finalizers, twice) and prints one JSON line
// {round, rss, heapUsed, external} (bytes).

import { createRequire } from 'node:module';
import { WORKLOADS } from './workloads.mjs';

const require = createRequire(import.meta.url);
require('../../lib/profile.js').setProfile('latest');
const WA = require('../../index.js');

const [name, roundsArg] = process.argv.slice(2);
const workload = WORKLOADS[name];
if (!workload) throw new TypeError(`unknown workload ${name}; one of ${Object.keys(WORKLOADS).join(', ')}`);
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
const rounds = Number(roundsArg);
const round = workload.setup(WA);
const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 1; i <= rounds; i++) {
  round();
  for (let k = 0; k < 2; k++) {
    globalThis.gc();
    await turn();
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ round: i, rss, heapUsed, external })}\n`);
}
