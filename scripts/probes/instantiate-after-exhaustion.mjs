// Probe: keep memories until creation fails, then instantiate a module that defines a memory:
// the instantiation must fail with a RangeError (as V8), never a LinkError, CompileError or a
// crash; once the kept memories are dropped, instantiation works again.
//
//   node --jitless --expose-gc scripts/probes/instantiate-after-exhaustion.mjs
//   node --expose-gc scripts/probes/instantiate-after-exhaustion.mjs            (V8)

import { WA, MODULE_BYTES, report } from './impl.mjs';

let kept = [];
let first = null;
try {
  for (let i = 0; i < 200_000; i++) kept.push(new WA.Memory({ initial: 1, maximum: 65_536 }));
} catch (e) {
  first = e.constructor.name;
}
const module = new WA.Module(MODULE_BYTES);
let during;
try {
  new WA.Instance(module, {});
  during = 'ok';
} catch (e) {
  during = e.constructor.name;
}
const reached = kept.length;
kept = null;
globalThis.gc?.();
let after;
try {
  after = new WA.Instance(module, {}).exports.f() === 42 ? 'ok' : 'wrong result';
} catch (e) {
  after = `${e.constructor.name}: ${e.message}`;
}
report('instantiate-after-exhaustion', { reached, first, during, after });
