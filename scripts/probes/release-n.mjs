// Probe: N instances (a table holding their own function: a cycle; no memory) created in one go, then dropped; measures how long the release takes
// (GC + finalizers until the FinalizationRegistry saw 90% of them) and the longest event-loop
// block meanwhile.
//
//   node --jitless --expose-gc scripts/probes/release-n.mjs [--n=20000]
//   node --expose-gc scripts/probes/release-n.mjs              (V8)

import { WA, MODULE_NO_MEMORY, arg, report } from './impl.mjs';

const n = arg('n', 20_000);
const module = new WA.Module(MODULE_NO_MEMORY);
let freed = 0;
const registry = new FinalizationRegistry(() => freed++);
let instances = [];
for (let i = 0; i < n; i++) {
  const inst = new WA.Instance(module, {});
  registry.register(inst, i);
  instances.push(inst);
}
instances = null;
const t0 = performance.now();
let longest = 0;
let last = performance.now();
let turns = 0;
while (freed < n * 0.9 && turns < 20_000) {
  if (turns % 5 === 0) globalThis.gc?.();
  await new Promise((r) => setImmediate(r));
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
  turns++;
}
report('release-n', { n, freed, ms: Math.round(performance.now() - t0), longestTurnMs: Math.round(longest), turns });
