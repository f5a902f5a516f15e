// Short soaks (scripts/soak/: `npm run soak` runs the long ones): each workload runs 32 rounds
// in its own `node --jitless` process on ours, memory sampled after a full GC per round; RSS
// must not grow by more than 16 MiB from the second quarter of the rounds to the last. Named
// after the leaks they guard: GC modules' instances (vtable cycles through the GC heap, #13),
// Emscripten-style instances, GC objects handed to JS, grown memories.
// Ours only (V8 has no --jitless WebAssembly); the plain `node --test` run covers it, the
// `--jitless` run skips it (its children run under --jitless either way).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { soak, verdict } from '../scripts/soak/run.mjs';
import { WORKLOADS } from '../scripts/soak/workloads.mjs';

const ROUNDS = 32;
const LIMIT_MIB = 16;
const skip = process.execArgv.includes('--jitless') ? 'run by the plain node --test pass' : false;

describe('soak: memory stays flat over repeated rounds (ours under --jitless)', { skip }, () => {
  for (const name of Object.keys(WORKLOADS)) {
    it(`${name}: ${WORKLOADS[name].what}`, () => {
      const r = soak(name, ROUNDS);
      assert.equal(r.error, undefined, r.error);
      const v = verdict(r.samples);
      assert.ok(
        v.growthMiB <= LIMIT_MIB,
        `RSS grew ${v.growthMiB.toFixed(1)} MiB (${v.warmMiB.toFixed(1)} → ${v.lateMiB.toFixed(1)} MiB) over ${ROUNDS} rounds`,
      );
    });
  }
});
