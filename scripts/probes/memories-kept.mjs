// Probe: `new WebAssembly.Memory({initial: 1, maximum: 65536})` in a loop, every memory kept.
// Expected: success or a RangeError at some count, never an abort; afterwards the process can
// still allocate (JS objects, a GC, a new small Memory once the kept ones are dropped).
//
//   node --jitless --expose-gc scripts/probes/memories-kept.mjs [--count=100000] [--keep=0] [--buffer=1]
//   node --expose-gc scripts/probes/memories-kept.mjs            (V8)
//
// With --keep=0 the memories are dropped at once (all must succeed: the unreachable ones are
// reclaimed); with --buffer=1 each memory's `buffer` is taken too.

import { WA, arg, report, rssMiB } from './impl.mjs';

const count = arg('count', 100_000);
const maximum = arg('maximum', 65_536);
const keep = arg('keep', 1) !== 0;
const buffer = arg('buffer', 0) !== 0;
let kept = [];
let error = null;
const t0 = performance.now();
try {
  for (let i = 0; i < count; i++) {
    const m = new WA.Memory({ initial: 1, maximum });
    if (buffer) new Uint8Array(m.buffer)[0] = 1;
    if (keep) kept.push(m);
    else kept.length++;
  }
} catch (e) {
  error = `${e.constructor.name}: ${e.message}`;
}
const ms = Math.round(performance.now() - t0);
const reached = kept.length;
const rss = rssMiB();
// Still usable: plain JS allocation and a GC while the memories are held…
const junk = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
globalThis.gc?.();
// …and, once they are dropped, new memories again.
kept = null;
let after;
try {
  for (let i = 0; i < 100; i++) new WA.Memory({ initial: 1, maximum }).grow(1);
  after = 'ok';
} catch (e) {
  after = `${e.constructor.name}: ${e.message}`;
}
report('memories-kept', { count, keep, buffer, reached, error, ms, rssMiB: rss, junk: junk.length, after });
