// Probe: compile + instantiate + drop in a synchronous loop (no yield to the event loop), with
// `gc()` every 10k cycles when --expose-gc is given. Prints RSS along the way and the time.
//
//   node --jitless --expose-gc scripts/probes/instantiate-loop.mjs [--count=100000] [--buffer=1]
//
// With --buffer=1 every cycle also writes through the exported memory's `buffer`.
//   node --expose-gc scripts/probes/instantiate-loop.mjs          (V8)

import { WA, MODULE_BYTES, arg, report, rssMiB } from './impl.mjs';

const count = arg('count', 100_000);
const every = arg('gc-every', 10_000);
const buffer = arg('buffer', 0) !== 0;
const rss = [rssMiB()];
let error = null;
let done = 0;
let sum = 0;
const t0 = performance.now();
try {
  for (; done < count; done++) {
    const m = new WA.Module(MODULE_BYTES);
    const { exports } = new WA.Instance(m, {});
    sum += exports.f();
    if (buffer) new Uint8Array(exports.m.buffer)[done & 0xffff] = 1;
    if ((done + 1) % every === 0) {
      globalThis.gc?.();
      rss.push(rssMiB());
    }
  }
} catch (e) {
  error = `${e.constructor.name}: ${e.message}`;
}
const ms = Math.round(performance.now() - t0);
report('instantiate-loop', { count, buffer, done, error, ms, rssMiB: rss, maxRssMiB: Math.max(...rss), ok: sum === 42 * done });
