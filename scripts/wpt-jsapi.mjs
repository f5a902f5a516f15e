#!/usr/bin/env node
// Runs the WebAssembly JS-API conformance tests (the WPT `wasm/jsapi` files, i.e. `test/js-api/`
// of the WebAssembly/spec repository) side by side on V8's built-in `WebAssembly` and on ours.
//
//   node scripts/wpt-jsapi.mjs <tests-dir> [--only <substring>] [--verbose] [--json <out.json>]
//                              [--timeout <seconds per file and engine, default 300>]
//
// The tests directory is not part of this repository (the tests are someone else's code): point
// the script at a checkout. Every `*.any.js` file runs in a fresh process twice: once under plain
// `node` with Node's own `WebAssembly`, once under `node --jitless` with `require(<repo>/index.js)`
// installed as `globalThis.WebAssembly`. The script prints one row per file (subtests, V8 passes,
// our passes) and the names of the subtests V8 passes that we fail.
//
// The harness below is our own small implementation of the testharness.js surface these files use
// (`test`, `promise_test`, `async_test`, `setup`, `done`, the `assert_*` functions, `// META:
// script=` includes). Nothing is downloaded.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createRequire } from 'node:module';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let FILE_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Child mode: run one test file and print one JSON line per subtest.
// ---------------------------------------------------------------------------------------------

/** Installs the harness globals, runs `scripts` then the test file, reports results on stdout. */
async function runChild(testFile, scripts, ours) {
  if (ours) {
    const require = createRequire(import.meta.url);
    const ns = require(path.join(repoRoot, 'index.js'));
    Object.defineProperty(globalThis, 'WebAssembly', {
      value: ns, writable: true, enumerable: false, configurable: true,
    });
  }
  const results = [];
  const pending = []; // queued promise_test / async_test bodies, run in order
  // testharness.js reports these as harness errors; a stray rejection must not end the file.
  process.on('unhandledRejection', () => {});
  let harnessError = null;
  let explicitDone = false;

  class AssertionError extends Error {
    constructor(message) { super(message); this.name = 'AssertionError'; }
  }
  const g = globalThis;
  g.AssertionError = AssertionError;

  function format_value(v) {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return String(v);
    if (Object.is(v, -0)) return '-0';
    if (typeof v === 'function') return `function "${v.name}"`;
    if (Array.isArray(v)) return `[${v.map(format_value).join(', ')}]`;
    if (v !== null && typeof v === 'object') {
      try { return Object.prototype.toString.call(v); } catch { return 'object'; }
    }
    return String(v);
  }
  g.format_value = format_value;

  function fail(kind, description, message) {
    throw new AssertionError(`${kind}: ${description ? description + ': ' : ''}${message}`);
  }
  const same = (a, b) => Object.is(a, b);

  Object.assign(g, {
    assert_true(v, d) { if (v !== true) fail('assert_true', d, `expected true got ${format_value(v)}`); },
    assert_false(v, d) { if (v !== false) fail('assert_false', d, `expected false got ${format_value(v)}`); },
    assert_equals(a, e, d) {
      if (typeof a !== typeof e) fail('assert_equals', d, `expected (${typeof e}) ${format_value(e)} but got (${typeof a}) ${format_value(a)}`);
      if (!same(a, e)) fail('assert_equals', d, `expected ${format_value(e)} but got ${format_value(a)}`);
    },
    assert_not_equals(a, e, d) { if (same(a, e)) fail('assert_not_equals', d, `got disallowed value ${format_value(a)}`); },
    assert_in_array(a, arr, d) { if (!arr.includes(a)) fail('assert_in_array', d, `value ${format_value(a)} not in array`); },
    assert_array_equals(a, e, d) {
      if (typeof a !== 'object' || a === null || !('length' in a)) fail('assert_array_equals', d, `value is ${format_value(a)}, expected array`);
      if (a.length !== e.length) fail('assert_array_equals', d, `lengths differ, expected ${e.length} got ${a.length}`);
      for (let i = 0; i < a.length; i++) {
        if (a.hasOwnProperty(i) !== e.hasOwnProperty(i)) fail('assert_array_equals', d, `property ${i}: presence differs`);
        if (!same(a[i], e[i])) fail('assert_array_equals', d, `property ${i}: expected ${format_value(e[i])} but got ${format_value(a[i])}`);
      }
    },
    assert_less_than(a, e, d) { if (!(a < e)) fail('assert_less_than', d, `expected a number less than ${e} but got ${a}`); },
    assert_greater_than(a, e, d) { if (!(a > e)) fail('assert_greater_than', d, `expected a number greater than ${e} but got ${a}`); },
    assert_less_than_equal(a, e, d) { if (!(a <= e)) fail('assert_less_than_equal', d, `expected ${a} <= ${e}`); },
    assert_greater_than_equal(a, e, d) { if (!(a >= e)) fail('assert_greater_than_equal', d, `expected ${a} >= ${e}`); },
    assert_approx_equals(a, e, eps, d) { if (!(Math.abs(a - e) <= eps)) fail('assert_approx_equals', d, `expected ${e} +/- ${eps} got ${a}`); },
    assert_class_string(o, cls, d) {
      const s = Object.prototype.toString.call(o);
      if (s !== `[object ${cls}]`) fail('assert_class_string', d, `expected [object ${cls}] but got ${s}`);
    },
    assert_own_property(o, p, d) { if (!Object.prototype.hasOwnProperty.call(o, p)) fail('assert_own_property', d, `expected property ${String(p)} missing`); },
    assert_not_own_property(o, p, d) { if (Object.prototype.hasOwnProperty.call(o, p)) fail('assert_not_own_property', d, `unexpected property ${String(p)}`); },
    assert_inherits(o, p, d) {
      if (Object.prototype.hasOwnProperty.call(o, p) || !(p in o)) fail('assert_inherits', d, `property ${String(p)} not inherited`);
    },
    assert_unreached(d) { fail('assert_unreached', d, 'Reached unreachable code'); },
    assert_implements(c, d) { if (!c) fail('assert_implements', d, 'not implemented'); },
    assert_implements_optional(c, d) { if (!c) { const e = new AssertionError(`optional feature missing: ${d}`); e.optional = true; throw e; } },
    assert_throws_js(ctor, fn, d) { throwsJs(ctor, fn, d, 'assert_throws_js'); },
    assert_throws_exactly(v, fn, d) {
      try { fn(); } catch (e) { if (e instanceof AssertionError) throw e; if (!same(e, v)) fail('assert_throws_exactly', d, `threw ${format_value(e)}, expected ${format_value(v)}`); return; }
      fail('assert_throws_exactly', d, 'did not throw');
    },
    promise_rejects_js(t, ctor, promise, d) {
      return promise.then(
        () => fail('promise_rejects_js', d, 'Should have rejected'),
        (e) => throwsJs(ctor, () => { throw e; }, d, 'promise_rejects_js'));
    },
    // Older testharness.js forms still used by some files: an error *instance* names the type.
    assert_throws(expected, fn, d) { throwsJs(expected.constructor, fn, d, 'assert_throws'); },
    promise_rejects(t, expected, promise, d) {
      return promise.then(
        () => fail('promise_rejects', d, 'Should have rejected'),
        (e) => throwsJs(expected.constructor, () => { throw e; }, d, 'promise_rejects'));
    },
    // mjsunit's helper, used by wasm-module-builder.js and a few files.
    assertEquals(e, a, d) { g.assert_equals(a, e, d); },
    promise_rejects_exactly(t, v, promise, d) {
      return promise.then(
        () => fail('promise_rejects_exactly', d, 'Should have rejected'),
        (e) => { if (!same(e, v)) fail('promise_rejects_exactly', d, `rejected with ${format_value(e)}`); });
    },
  });

  function throwsJs(ctor, fn, d, kind) {
    try {
      fn.call(undefined);
    } catch (e) {
      if (e instanceof AssertionError) throw e;
      if (typeof e !== 'object' || e === null) fail(kind, d, `threw ${format_value(e)}, not an object`);
      if (e.constructor !== ctor || e.name !== ctor.name) {
        fail(kind, d, `threw ${e.name}: ${e.message} (constructor ${e.constructor && e.constructor.name}), expected ${ctor.name}`);
      }
      return;
    }
    fail(kind, d, `${fn} did not throw`);
  }

  /** A subtest object with the testharness.js `Test` surface the files use. */
  class Test {
    constructor(name) {
      this.name = name;
      this.cleanups = [];
      this.finished = null;
      this.donePromise = new Promise((resolve) => { this.resolveDone = resolve; });
    }
    step(fn, thisObj, ...args) {
      if (this.finished) return undefined;
      try { return fn.apply(thisObj, args); } catch (e) { this.finish(e); return undefined; }
    }
    step_func(fn, thisObj) { return (...args) => this.step(fn, thisObj ?? this, ...args); }
    step_func_done(fn, thisObj) {
      return (...args) => { if (fn) this.step(fn, thisObj ?? this, ...args); this.done(); };
    }
    unreached_func(d) { return this.step_func(() => g.assert_unreached(d)); }
    step_timeout(fn, ms, ...args) { return setTimeout(this.step_func(fn), ms, ...args); }
    add_cleanup(fn) { this.cleanups.push(fn); }
    done() { this.finish(null); }
    finish(err) {
      if (this.finished) return;
      this.finished = { err };
      this.resolveDone();
    }
    runCleanups() { for (const c of this.cleanups) { try { c(); } catch { /* ignore */ } } }
  }

  // One line per subtest as soon as it finishes, so a file that times out keeps its results.
  let last = performance.now();
  function record(name, err) {
    let r;
    if (err && err.optional) r = { name, status: 'PRECONDITION_FAILED', message: err.message };
    else if (err) r = { name, status: 'FAIL', message: describe(err) };
    else r = { name, status: 'PASS' };
    const now = performance.now();
    r.ms = Math.round(now - last);
    last = now;
    results.push(r);
    process.stdout.write(`${JSON.stringify({ result: r })}\n`);
  }
  function describe(err) {
    if (err instanceof AssertionError) return err.message;
    if (err && typeof err === 'object') return `${err.name}: ${err.message}`;
    return `threw ${format_value(err)}`;
  }

  g.setup = (fnOrOpts, maybeOpts) => {
    const fn = typeof fnOrOpts === 'function' ? fnOrOpts : null;
    if (fnOrOpts && typeof fnOrOpts === 'object' && fnOrOpts.explicit_done) explicitDone = true;
    if (maybeOpts && maybeOpts.explicit_done) explicitDone = true;
    if (fn) { try { fn(); } catch (e) { harnessError = harnessError || describe(e); } }
  };
  g.promise_setup = (fn) => { pending.push({ setup: fn }); };
  g.done = () => {};
  g.test = (fn, name) => {
    const t = new Test(name);
    if (harnessError) { record(name, new Error(`harness error: ${harnessError}`)); return; }
    try { fn.call(t, t); record(name, null); } catch (e) { record(name, e); }
    t.runCleanups();
  };
  g.promise_test = (fn, name) => { pending.push({ kind: 'promise', fn, name }); };
  g.async_test = (fn, name) => {
    if (typeof fn === 'string') { name = fn; fn = null; }
    const t = new Test(name);
    pending.push({ kind: 'async', t });
    if (fn) t.step(fn, t, t);
    return t;
  };
  g.self = globalThis;
  // WPT's /common/sab.js.
  g.createBuffer = (type, length, opts) =>
    type === 'SharedArrayBuffer' ? new SharedArrayBuffer(length, opts) : new ArrayBuffer(length, opts);
  g.GLOBAL = { isWindow: () => false, isWorker: () => false, isShadowRealm: () => false };
  // The tests detach buffers with `ArrayBuffer.prototype.transfer` (ES2024), which Node 20 does
  // not have: the same detach (and move of the contents) through a transferring structured
  // clone, for both engines alike.
  if (typeof ArrayBuffer.prototype.transfer !== 'function') {
    Object.defineProperty(ArrayBuffer.prototype, 'transfer', {
      configurable: true,
      writable: true,
      value: function transfer(newLength) {
        const moved = structuredClone(this, { transfer: [this] });
        if (newLength === undefined || newLength === moved.byteLength) return moved;
        const out = new ArrayBuffer(newLength);
        new Uint8Array(out).set(new Uint8Array(moved, 0, Math.min(newLength, moved.byteLength)));
        return out;
      },
    });
  }

  const runScript = (file) => {
    const code = fs.readFileSync(file, 'utf8');
    vm.runInThisContext(code, { filename: file });
  };
  try {
    for (const s of scripts) runScript(s);
    runScript(testFile);
  } catch (e) {
    harnessError = harnessError || `error loading ${path.basename(testFile)}: ${describe(e)}`;
  }

  const withTimeout = (p, ms) => {
    let timer;
    return Promise.race([
      p.finally(() => clearTimeout(timer)),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('TIMEOUT')), ms); }),
    ]);
  };

  for (const item of pending) {
    if (item.setup) {
      try { await item.setup(); } catch (e) { harnessError = harnessError || describe(e); }
      continue;
    }
    if (item.kind === 'promise') {
      const t = new Test(item.name);
      if (harnessError) { record(item.name, new Error(`harness error: ${harnessError}`)); continue; }
      try {
        const p = item.fn.call(t, t);
        if (!p || typeof p.then !== 'function') throw new Error('promise_test: test body must return a promise');
        await withTimeout(Promise.resolve(p), TEST_TIMEOUT_MS);
        record(item.name, null);
      } catch (e) { record(item.name, e); }
      t.runCleanups();
    } else {
      const t = item.t;
      try { await withTimeout(t.donePromise, TEST_TIMEOUT_MS); record(t.name, t.finished.err); } catch (e) { record(t.name, e); }
      t.runCleanups();
    }
  }
  if (harnessError && results.length === 0) record('(harness)', new Error(harnessError));
  void explicitDone;
  process.stdout.write(`${JSON.stringify({ done: true })}\n`);
  // Pending timers or handles from a test must not keep the child alive.
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent mode: find the files, run each twice, compare.
// ---------------------------------------------------------------------------------------------

/** The `// META: script=` includes of a test file, resolved to paths under `testsDir`. */
function metaScripts(file, testsDir) {
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\/\/\s*META:\s*script=(\S+)/.exec(line);
    if (!m) continue;
    let ref = m[1];
    let resolved;
    if (ref.startsWith('/wasm/jsapi/')) resolved = path.join(testsDir, ref.slice('/wasm/jsapi/'.length));
    else if (ref.startsWith('/')) resolved = path.join(testsDir, path.basename(ref));
    else resolved = path.resolve(path.dirname(file), ref);
    if (!fs.existsSync(resolved)) resolved = path.join(testsDir, path.basename(ref));
    // WPT's /common/sab.js is provided by the harness below when the tree does not have it.
    if (!fs.existsSync(resolved) && ref === '/common/sab.js') continue;
    out.push(resolved);
  }
  return out;
}

function findTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.any.js')) out.push(p);
  }
  return out.sort();
}

function runOne(file, scripts, ours) {
  const args = [];
  if (ours) args.push('--jitless');
  args.push(fileURLToPath(import.meta.url), '--child', file, ours ? 'ours' : 'v8', ...scripts);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: FILE_TIMEOUT_MS, maxBuffer: 64 << 20 });
  const lines = (r.stdout || '').split('\n').filter((l) => l.startsWith('{'));
  const results = lines.map((l) => JSON.parse(l)).filter((o) => o.result).map((o) => o.result);
  if (!lines.some((l) => l.startsWith('{"done"'))) {
    const why = r.error ? r.error.message : `exit ${r.status} ${r.signal || ''} ${(r.stderr || '').slice(-400)}`;
    return { crashed: why, results };
  }
  return { results };
}

function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const [, file, mode, ...scripts] = argv;
    return runChild(file, scripts, mode === 'ours');
  }
  const testsDir = argv.find((a, i) => !a.startsWith('--') && !['--only', '--json', '--timeout'].includes(argv[i - 1]));
  if (!testsDir) {
    console.error('usage: node scripts/wpt-jsapi.mjs <tests-dir> [--only <substring>] [--verbose] [--json <out>] [--timeout <s>]');
    process.exit(2);
  }
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  const verbose = argv.includes('--verbose');
  if (argv.includes('--timeout')) FILE_TIMEOUT_MS = Number(argv[argv.indexOf('--timeout') + 1]) * 1000;
  const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : null;
  const dir = path.resolve(testsDir);
  const files = findTests(dir).filter((f) => !only || f.includes(only));
  const rows = [];
  const report = {};
  let totals = { subtests: 0, v8: 0, ours: 0, regressions: 0 };
  for (const file of files) {
    const rel = path.relative(dir, file);
    const scripts = metaScripts(file, dir);
    const v8 = runOne(file, scripts, false);
    const ours = runOne(file, scripts, true);
    // Subtests are matched by name and occurrence (names may repeat).
    const key = (list) => {
      const seen = new Map();
      return list.map((r) => { const n = (seen.get(r.name) || 0) + 1; seen.set(r.name, n); return [`${r.name}#${n}`, r]; });
    };
    const v8Map = new Map(key(v8.results));
    const oursMap = new Map(key(ours.results));
    const names = new Set([...v8Map.keys(), ...oursMap.keys()]);
    let v8Pass = 0, oursPass = 0;
    const regressions = [];
    const fixedOverV8 = [];
    for (const n of names) {
      const a = v8Map.get(n), b = oursMap.get(n);
      const ap = a && a.status === 'PASS', bp = b && b.status === 'PASS';
      if (ap) v8Pass++;
      if (bp) oursPass++;
      if (ap && !bp) regressions.push({ name: n.replace(/#1$/, ''), message: b ? b.message : 'missing' });
      if (!ap && bp) fixedOverV8.push(n.replace(/#1$/, ''));
    }
    rows.push({ rel, subtests: names.size, v8Pass, oursPass, regressions, v8Crash: v8.crashed, oursCrash: ours.crashed });
    report[rel] = { v8: v8.results, ours: ours.results, v8Crash: v8.crashed, oursCrash: ours.crashed };
    totals.subtests += names.size; totals.v8 += v8Pass; totals.ours += oursPass; totals.regressions += regressions.length;
    const mark = regressions.length ? '  <-' : '';
    console.log(`${rel.padEnd(48)} ${String(names.size).padStart(5)} ${String(v8Pass).padStart(6)} ${String(oursPass).padStart(6)}${mark}`);
    if (v8.crashed) console.log(`    V8 run failed: ${v8.crashed}`);
    if (ours.crashed) console.log(`    our run failed: ${ours.crashed}`);
    for (const r of regressions) console.log(`    FAIL (V8 passes): ${r.name}\n        ${r.message}`);
    if (verbose) {
      for (const n of fixedOverV8) console.log(`    pass (V8 fails): ${n}`);
      for (const [n, r] of oursMap) if (r.status !== 'PASS' && !(v8Map.get(n) && v8Map.get(n).status === 'PASS')) console.log(`    fail (both): ${n}: ${r.message}`);
    }
  }
  console.log(`${'TOTAL'.padEnd(48)} ${String(totals.subtests).padStart(5)} ${String(totals.v8).padStart(6)} ${String(totals.ours).padStart(6)}`);
  console.log(`subtests V8 passes that we fail: ${totals.regressions}`);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 1));
  process.exitCode = totals.regressions ? 1 : 0;
}

main();
