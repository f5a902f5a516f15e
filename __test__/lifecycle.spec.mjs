// Release that does not wait for finalizers (issue #11): creating and dropping memories and
// instances in a synchronous loop never aborts the process, reclaims what is unreachable before
// giving up, and fails with a RangeError (as V8) when the address space really is used up.
//
// The heavy cases run the probes of `scripts/probes/` in child processes with a timeout, so a
// regression fails (an abort, a hang) instead of taking the suite down. Ours runs under
// `node --jitless`, V8 without it; both must behave the same way.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ONLY_V8 } from './helpers/impls.mjs';

const probes = fileURLToPath(new URL('../scripts/probes/', import.meta.url));

/** Runs probe `name` with `args` on `impl` ('jitless' or 'v8'); returns its result line. */
function probe(impl, name, args = [], timeout = 120_000) {
  const flags = impl === 'jitless' ? ['--jitless', '--expose-gc'] : ['--expose-gc'];
  const r = spawnSync(process.execPath, [...flags, `${probes}${name}.mjs`, ...args], { encoding: 'utf8', timeout });
  assert.equal(r.signal, null, `${name} on ${impl} was killed by ${r.signal} (abort or timeout)\n${r.stderr}`);
  assert.equal(r.status, 0, `${name} on ${impl} exited with ${r.status}\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop();
  const result = JSON.parse(line);
  assert.equal(result.impl, impl);
  return result;
}

const impls = ONLY_V8 ? ['v8'] : ['jitless', 'v8'];

for (const impl of impls) {
  it(`[${impl}] kept memories end in a RangeError, never an abort, and the process stays usable (regression: Check failed: munmap)`, () => {
    const r = probe(impl, 'memories-kept', ['--count=100000']);
    if (r.error !== null) assert.match(r.error, /^RangeError: /);
    assert.ok(r.reached > 1000, `only ${r.reached} memories`);
    assert.equal(r.after, 'ok', 'new memories after the kept ones were dropped');
  });

  it(`[${impl}] dropped memories are reclaimed in a synchronous loop`, () => {
    // More memories than the address-space budget holds at once (4 GiB reserved each).
    const r = probe(impl, 'memories-kept', ['--count=24000', '--keep=0', '--buffer=1']);
    assert.equal(r.error, null);
    assert.equal(r.reached, 24000);
  });

  it(`[${impl}] instantiation that cannot allocate its memory is a RangeError (regression: LinkError)`, () => {
    const r = probe(impl, 'instantiate-after-exhaustion');
    assert.equal(r.first, 'RangeError');
    assert.equal(r.during, 'RangeError');
    assert.equal(r.after, 'ok');
  });

  it(`[${impl}] compile + instantiate + drop without yielding keeps RSS bounded (regression: LinkError at 32,710)`, () => {
    const r = probe(impl, 'instantiate-loop', ['--count=15000', '--gc-every=5000']);
    assert.equal(r.error, null);
    assert.equal(r.done, 15000);
    assert.ok(r.ok);
    // V8 stays near 55 MiB; before the fix ours passed 200 MiB at 20k cycles.
    assert.ok(r.maxRssMiB < 180, `RSS reached ${r.maxRssMiB} MiB`);
  });

  it(`[${impl}] instances created in one go are all released`, (t) => {
    const r = probe(impl, 'release-n', ['--n=5000']);
    // V8 sometimes frees none of them within the probe's window: seen in CI with V8 14.6
    // (Node 26) and again with V8 13.6 (Node 24), 0 of 5,000 (run alone: 4,999). The V8 probe
    // runs V8's own WebAssembly only (scripts/probes/release-n.mjs); V8 is the reference here,
    // so its count is reported, not asserted, on every line. Ours is always asserted.
    if (impl === 'v8' && r.freed < 4500) {
      t.diagnostic(`V8 freed ${r.freed} of 5000 (reference only: not asserted)`);
      return;
    }
    assert.ok(r.freed >= 4500, `${r.freed} of 5000 freed`);
  });
}
