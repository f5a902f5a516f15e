// Deep wasm → JS → wasm re-entry (issue #11): an export that calls a JS import that calls the
// export again. Ours must reach 3,000 levels on the main thread (V8 reaches ~3,900 with its
// default stack), and going deeper must end in a RangeError, never a crash, on the main thread
// and in Workers, whose stacks are set by `resourceLimits.stackSizeMb`.
//
// Deliberate difference: the depths differ. V8's compiled wrappers use ~250 bytes of native
// stack per level; under --jitless V8's own API-call frames alone take ~1.7 KiB per level, so
// the binding gives the main thread's JS more of its native stack (src/stack_limit.rs), which
// also lets V8's WebAssembly go deeper when both are loaded in one process.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forEachImpl, needsFixedSharedBuffers } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const indexPath = fileURLToPath(new URL('../index.js', import.meta.url));
const watPath = fileURLToPath(new URL('../wat.js', import.meta.url));

// f(n) = n, computed as 1 + js(n - 1) where js calls f again.
const RECURSIVE = `(module
  (import "env" "js" (func $js (param i32) (result i32)))
  (func (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $js (i32.sub (local.get 0) (i32.const 1))))))))`;

// RECURSIVE, except that at n = 0 it calls the import `boom` (which throws) instead of
// returning; no wasm frame has a handler.
const THROWING = `(module
  (import "env" "js" (func $js (param i32) (result i32)))
  (import "env" "boom" (func $boom))
  (func (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (call $boom) (i32.const 0))
      (else (i32.add (i32.const 1) (call $js (i32.sub (local.get 0) (i32.const 1))))))))`;

/** The export `f` of RECURSIVE, with its import calling it back. */
function recursive(WA, bytes) {
  let f;
  const inst = new WA.Instance(new WA.Module(bytes), { env: { js: (n) => f(n) } });
  f = inst.exports.f;
  return f;
}

/** The deepest `n` for which `f(n)` returns, and the error of the first that does not. */
function deepest(f) {
  let lo = 0;
  let hi = 1;
  let error;
  const ok = (n) => {
    try {
      return f(n) === n;
    } catch (e) {
      error = e;
      return false;
    }
  };
  while (ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1 << 20) return { depth: lo, error: undefined };
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return { depth: lo, error };
}

// Runs in a Worker: the deepest re-entry there, and what stopped it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const WA = workerData.impl === 'v8' ? WebAssembly : require(workerData.indexPath);
const { wat2wasm } = require(workerData.watPath);
let f;
const inst = new WA.Instance(new WA.Module(wat2wasm(workerData.source)), { env: { js: (n) => f(n) } });
f = inst.exports.f;
let depth = 0, error = 'none';
for (let n = 16; ; n *= 2) {
  try { f(n); depth = n; } catch (e) { error = e.constructor.name; break; }
  if (n > 1 << 20) break;
}
parentPort.postMessage({ depth, error, after: f(10) });
`;

function inWorker(impl, stackSizeMb) {
  return new Promise((resolve, reject) => {
    const resourceLimits = stackSizeMb === undefined ? undefined : { stackSizeMb };
    const w = new Worker(workerSource, {
      eval: true,
      resourceLimits,
      workerData: { impl, indexPath, watPath, source: RECURSIVE },
    });
    let result;
    w.on('message', (m) => {
      result = m;
    });
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, result }));
  });
}

forEachImpl(({ name, WebAssembly: WA }) => {
  // Ours reaches 3,000 levels with the V8 shim only (it extends the JS stack limit): built
  // without the V8 headers, V8's default limit allows fewer than 600.
  const noShim = name === 'v8' ? false : needsFixedSharedBuffers(WA);

  it('[#11] wasm → JS → wasm re-entry reaches 3,000 levels on the main thread', { skip: noShim }, () => {
    const f = recursive(WA, wat(RECURSIVE));
    assert.equal(f(3000), 3000);
    assert.equal(f(10), 10);
  });

  it('[#11] unbounded re-entry ends in a RangeError; the instance stays usable', () => {
    const f = recursive(WA, wat(RECURSIVE));
    const { depth, error } = deepest(f);
    assert.ok(error instanceof RangeError, `${name}: ${error}`);
    if (!noShim) assert.ok(depth >= 3000, `${name}: ${depth}`);
    assert.equal(f(100), 100);
    // Again, from a JS frame that is already deep.
    const nest = (k) => (k === 0 ? deepest(f) : nest(k - 1));
    assert.ok(nest(500).error instanceof RangeError);
  });

  // Regression (wasm → host → exception with no handler): a JS import that throws, called at
  // the bottom of a deep wasm → JS → wasm chain whose wasm frames have no handler. The thrown
  // value reaches the outermost JS caller intact (same identity), through every level.
  it('[#11] wasm → host → exception with no handler, at depth: the JS exception reaches JS intact', { skip: noShim }, () => {
    let f;
    const thrown = { marker: 'thrown at the bottom' };
    const inst = new WA.Instance(new WA.Module(wat(THROWING)), {
      env: { js: (n) => f(n), boom: () => { throw thrown; } },
    });
    f = inst.exports.f;
    for (const depth of [0, 1, 100, 2000]) {
      assert.throws(() => f(depth), (e) => e === thrown, `depth ${depth}`);
    }
    // An Error object keeps its class and stack; the instance stays usable.
    const err = new TypeError('from the import');
    const inst2 = new WA.Instance(new WA.Module(wat(THROWING)), {
      env: { js: (n) => f(n), boom: () => { throw err; } },
    });
    f = inst2.exports.f;
    assert.throws(() => f(1000), (e) => e === err && e instanceof TypeError);
    // Thrown just above the deepest level that fits: the exception or a RangeError, never a crash.
    const limit = deepest(recursive(WA, wat(RECURSIVE))).depth;
    for (const depth of [limit - 2, limit - 1, limit]) {
      assert.throws(() => f(depth), (e) => e === err || e instanceof RangeError, `depth ${depth}`);
    }
    assert.throws(() => f(10), (e) => e === err);
  });

  for (const stackSizeMb of [undefined, 1, 0.5]) {
    it(`[#11] in a Worker (stackSizeMb ${stackSizeMb ?? 'default'}) deep re-entry is a RangeError, not a crash`, async () => {
      const { code, result } = await inWorker(name === 'v8' ? 'v8' : 'jitless', stackSizeMb);
      assert.equal(code, 0);
      assert.equal(result.error, 'RangeError');
      assert.ok(result.depth >= 16, JSON.stringify(result));
      assert.equal(result.after, 10);
    });
  }
});

// JITLESS_WASM_JS_STACK=default keeps V8's own JS stack limit and the process's stack rlimit:
// re-entry then ends earlier, still in a RangeError (checked in a child process, whose
// environment decides at load).
it('[#11] JITLESS_WASM_JS_STACK=default leaves V8\'s stack limit alone; deep re-entry is still a RangeError', () => {
  const script = `
    const { execSync } = require('node:child_process');
    const stack = () => execSync('ulimit -s', { shell: '/bin/sh' }).toString().trim();
    const stackBefore = stack();
    const WA = require(${JSON.stringify(indexPath)});
    const { wat2wasm } = require(${JSON.stringify(watPath)});
    let f;
    const inst = new WA.Instance(new WA.Module(wat2wasm(${JSON.stringify(RECURSIVE)})), { env: { js: (n) => f(n) } });
    f = inst.exports.f;
    let depth = 0, error = 'none';
    for (let n = 16; n <= 1 << 16; n *= 2) {
      try { f(n); depth = n; } catch (e) { error = e.constructor.name; break; }
    }
    console.log(JSON.stringify({ depth, error, after: f(10), stackBefore, stackAfter: stack() }));`;
  const run = (env) => {
    const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => a === '--jitless'), '-e', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const kept = run({ JITLESS_WASM_JS_STACK: 'default' });
  assert.equal(kept.error, 'RangeError');
  assert.equal(kept.after, 10);
  assert.ok(kept.depth < 3000, JSON.stringify(kept));
  assert.equal(kept.stackAfter, kept.stackBefore);
});
