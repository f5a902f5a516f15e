// Registers the package comparison tests: a real npm package's workload (a script under
// __test__/packages/) runs in two child processes (see run-workload.mjs):
//   - 'v8':   plain `node <script>` (V8's WebAssembly, with its JIT);
//   - 'ours': `node --jitless --require ./register.js <script>` (jitless-wasm, no JIT at all);
// and the sha256 digests of their standard output must be equal. The native digest is computed
// in the same run, never hard-coded. A probe preloaded into both children checks which engine
// runs and counts the WebAssembly modules compiled/instantiated, so that a package silently
// falling back to a JavaScript implementation cannot pass.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { runWorkload, ROOT } from './run-workload.mjs';

export { ROOT, runWorkload } from './run-workload.mjs';

function describeRun(name, r) {
  return `${name}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${(r.ms / 1000).toFixed(2)} s, ` +
    `${r.stdout.length} bytes of output, probe ${JSON.stringify(r.counts)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

/** A `skip` reason when the npm package `name` cannot be resolved from the repository root. */
export function unlessInstalled(name) {
  try {
    createRequire(`${ROOT}package.json`).resolve(name);
    return false;
  } catch {
    return `${name} is not installed (devDependency)`;
  }
}

/** Asserts a run finished cleanly and actually compiled and instantiated WebAssembly. */
export function assertRan(name, r) {
  assert.equal(r.code, 0, describeRun(name, r));
  assert.ok(r.stdout.length > 0, `${name}: no output\n${describeRun(name, r)}`);
  assert.ok(r.counts && r.counts.compiled > 0 && r.counts.instantiated > 0,
    `${name}: no WebAssembly module was compiled and instantiated\n${describeRun(name, r)}`);
}

/** First differing line of two outputs, for the failure message. */
function firstDifference(a, b) {
  const la = a.toString('utf8').split('\n');
  const lb = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  v8:   ${la[i]?.slice(0, 300)}\n  ours: ${lb[i]?.slice(0, 300)}`;
  }
  return '(no line differs)';
}

/**
 * The V8 run of a workload. The oracle itself sometimes dies by a signal (seen: Node 20's
 * `node:wasi` with ruby.wasm, SIGSEGV in V8's process, about one run in ten under load); it is
 * run again, at most twice, and each crash is reported as a diagnostic. Ours is never re-run.
 */
async function runOracle(t, script, env) {
  let r = await runWorkload(script, { engine: 'v8', env });
  for (let attempt = 1; attempt <= 2 && r.signal; attempt++) {
    t.diagnostic(`the V8 run died by ${r.signal}; running it again (${attempt}/2)`);
    r = await runWorkload(script, { engine: 'v8', env });
  }
  return r;
}

/**
 * Registers the comparison test for one package workload. `options.skip` (a precise reason)
 * marks it skipped; `options.env` is passed to both runs; `options.preload` as in runWorkload.
 */
export function comparePackage(title, script, options = {}) {
  const { skip = false, env = {}, preload = 'require', timeout = 300_000 } = options;
  it(title, { skip, timeout }, async (t) => {
    const v8 = await runOracle(t, script, env);
    assertRan('v8', v8);
    const ours = await runWorkload(script, { engine: 'ours', env, preload });
    assertRan('ours', ours);
    t.diagnostic(`v8 ${(v8.ms / 1000).toFixed(2)} s, ours (--jitless) ${(ours.ms / 1000).toFixed(2)} s; ` +
      `modules compiled v8 ${v8.counts.compiled} / ours ${ours.counts.compiled}`);
    assert.equal(ours.digest, v8.digest,
      `output digests differ (v8 ${v8.digest}, ours ${ours.digest}); first difference at ${firstDifference(v8.stdout, ours.stdout)}`);
  });
}
