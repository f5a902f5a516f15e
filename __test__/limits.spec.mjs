// jitless-wasm/limits (issue #15): namespaces whose wasm runs under fuel, deadlines, an
// interrupt flag, caps and deterministic NaNs. V8 has none of this: these cases run on ours
// only; the plain namespace is compared with V8's shape where V8 is available. Timed bounds
// are generous (a loaded machine).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { createWebAssembly } = require('../limits.js');
const plain = require('../index.js');
const { wat2wasm } = require('../wat.js');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtin = typeof globalThis.WebAssembly === 'object' ? globalThis.WebAssembly : undefined;

const LOOPS = wat2wasm(`(module
  (import "env" "tick" (func $tick))
  (func (export "spin") (loop $l br $l))
  (func (export "spinCalling") (loop $l call $tick br $l))
  (func (export "count") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        local.get 0 i32.eqz br_if $done
        local.get 0 i32.const 1 i32.sub local.set 0
        local.get 1 i32.const 1 i32.add local.set 1
        br $l))
    local.get 1)
  (func $down (export "down") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $down end))`);

const imports = (tick = () => {}) => ({ env: { tick } });

/** Rejects after `ms` (so a regression fails instead of hanging the suite). */
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('options', () => {
  it('bad options are TypeErrors or RangeErrors with clear messages', () => {
    assert.throws(() => createWebAssembly(1), { name: 'TypeError', message: /options must be an object/ });
    assert.throws(() => createWebAssembly({ fule: 1 }), { name: 'TypeError', message: /unknown option "fule"/ });
    assert.throws(() => createWebAssembly({ fuel: -1 }), { name: 'RangeError', message: /options.fuel/ });
    assert.throws(() => createWebAssembly({ fuel: 1.5 }), { name: 'RangeError' });
    assert.throws(() => createWebAssembly({ fuel: '1' }), { name: 'TypeError', message: /number or a bigint/ });
    assert.throws(() => createWebAssembly({ fuel: 1n << 64n }), { name: 'RangeError' });
    assert.throws(() => createWebAssembly({ deadline: 0 }), { name: 'RangeError', message: /deadline/ });
    assert.throws(() => createWebAssembly({ deadline: NaN }), { name: 'RangeError' });
    assert.throws(() => createWebAssembly({ interrupt: new Int32Array(1) }), { name: 'TypeError', message: /SharedArrayBuffer/ });
    assert.throws(() => createWebAssembly({ maxMemoryBytes: -5 }), { name: 'RangeError', message: /maxMemoryBytes/ });
    assert.throws(() => createWebAssembly({ maxInstances: '3' }), { name: 'TypeError', message: /maxInstances/ });
    assert.throws(() => createWebAssembly({ deterministic: 1 }), { name: 'TypeError', message: /boolean/ });
    assert.equal(typeof createWebAssembly().Module, 'function');
    assert.equal(typeof createWebAssembly({}).Module, 'function');
  });

  it('the namespace has the standard members (plus fuel and addFuel, not enumerable)', () => {
    const ns = createWebAssembly({ fuel: 10 });
    assert.deepEqual(Object.keys(ns).sort(), Object.keys(plain).sort());
    for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'Tag', 'Exception']) {
      assert.equal(typeof ns[name], 'function');
      assert.notEqual(ns[name], plain[name]);
      assert.equal(ns[name].name, name);
      assert.equal(ns[name].length, plain[name].length);
    }
    assert.equal(ns.RuntimeError, plain.RuntimeError);
    assert.equal(ns.fuel, 10);
    ns.addFuel(5n);
    assert.equal(ns.fuel, 15);
    assert.throws(() => ns.addFuel(-1), RangeError);
  });

  it('the plain namespace is unchanged: same members as V8, no limits', () => {
    if (builtin) {
      for (const key of Object.keys(builtin)) assert.ok(key in plain, key);
    }
    assert.equal('fuel' in plain, false);
    assert.equal('addFuel' in plain, false);
    const { exports } = new plain.Instance(new plain.Module(LOOPS), imports());
    assert.equal(exports.count(200000), 200000);
    assert.equal(exports.down(5000), 0);
  });
});

describe('fuel', () => {
  it('stops an infinite loop; addFuel resumes and the instance stays usable', () => {
    const ns = createWebAssembly({ fuel: 100000 });
    const { exports } = new ns.Instance(new ns.Module(LOOPS), imports());
    assert.throws(() => exports.spin(), (e) => e instanceof ns.RuntimeError && /fuel/.test(e.message));
    assert.ok(ns.fuel < 100, `fuel left ${ns.fuel}`);
    ns.addFuel(1000000);
    assert.equal(exports.count(1000), 1000);
    assert.throws(() => exports.spin(), /fuel/);
  });

  it('is shared by the instances of a namespace and counts original operators', () => {
    const ns = createWebAssembly({ fuel: 1000000 });
    const m = new ns.Module(LOOPS);
    const a = new ns.Instance(m, imports()).exports;
    const b = new ns.Instance(m, imports()).exports;
    const f0 = ns.fuel;
    a.count(10);
    const used = f0 - ns.fuel;
    // 5 (block, loop; after the block: end, local.get, end) + 11 × 12 (the loop's block,
    // charged in full also when its br_if leaves).
    assert.equal(used, 137);
    b.count(10);
    assert.equal(f0 - ns.fuel, 2 * used);
  });

  it('composes with host calls and async instantiation', async () => {
    const ns = createWebAssembly({ fuel: 50000 });
    let ticks = 0;
    const { instance } = await ns.instantiate(LOOPS, imports(() => ticks++));
    assert.ok(instance instanceof ns.Instance);
    assert.throws(() => instance.exports.spinCalling(), /fuel/);
    assert.ok(ticks > 100, `ticks ${ticks}`);
  });
});

describe('deadline and interrupt', () => {
  it('a deadline stops an infinite loop; time in JS imports counts', () => {
    const ns = createWebAssembly({ deadline: 100 });
    const { exports } = new ns.Instance(new ns.Module(LOOPS), imports(() => {
      const t = performance.now();
      while (performance.now() - t < 5);
    }));
    let t0 = performance.now();
    assert.throws(() => exports.spin(), (e) => e instanceof ns.RuntimeError && /deadline/.test(e.message));
    let ms = performance.now() - t0;
    assert.ok(ms >= 99 && ms < 5000, `took ${ms} ms`);
    t0 = performance.now();
    assert.throws(() => exports.spinCalling(), /deadline/);
    ms = performance.now() - t0;
    assert.ok(ms >= 99 && ms < 5000, `took ${ms} ms`);
    // A new call gets a new deadline.
    assert.equal(exports.count(100), 100);
  });

  it('an interrupt stored by another Worker stops the main thread wasm; 0 lets calls run again', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const ns = createWebAssembly({ interrupt: flag });
    const { exports } = new ns.Instance(new ns.Module(LOOPS), imports());
    const w = new Worker(
      `const { workerData } = require('node:worker_threads');
       setTimeout(() => Atomics.store(workerData, 0, 1), 100);`,
      { eval: true, workerData: flag },
    );
    const t0 = performance.now();
    assert.throws(() => exports.spin(), (e) => e instanceof ns.RuntimeError && /interrupt/.test(e.message));
    const ms = performance.now() - t0;
    assert.ok(ms < 5000, `took ${ms} ms`);
    await new Promise((r) => w.once('exit', r));
    assert.throws(() => exports.count(1), /interrupt/);
    Atomics.store(flag, 0, 0);
    assert.equal(exports.count(3), 3);
  });

  it('the main thread stops a Worker wasm through the interrupt flag', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const limitsPath = require.resolve('../limits.js');
    const w = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const { createWebAssembly } = require(workerData.limitsPath);
       const ns = createWebAssembly({ interrupt: workerData.flag });
       const { exports } = new ns.Instance(new ns.Module(workerData.bytes), { env: { tick() {} } });
       parentPort.postMessage('running');
       try { exports.spin(); parentPort.postMessage('returned'); }
       catch (e) { parentPort.postMessage(e.constructor.name + ': ' + e.message); }`,
      { eval: true, workerData: { flag, limitsPath, bytes: LOOPS } },
    );
    const messages = [];
    const done = new Promise((resolve, reject) => {
      w.on('message', (m) => {
        messages.push(m);
        if (m === 'running') setTimeout(() => Atomics.store(flag, 0, 1), 50);
      });
      w.on('error', reject);
      w.on('exit', resolve);
    });
    await within(10000, done, 'worker');
    assert.equal(messages.length, 2, messages.join());
    assert.match(messages[1], /^RuntimeError: .*interrupt/);
  });
});

describe('JSPI under limits', () => {
  // Run in a child process with the "latest" profile (JSPI) and a kill timer: before the fix a
  // promising call ran outside the namespace's limits, so the loop below never ended.
  const CHILD = `
    const { createWebAssembly } = require('./limits.js');
    require('./lib/profile.js').setProfile('latest');
    const { wat2wasm } = require('./wat.js');
    const bytes = wat2wasm(\`(module
      (import "env" "wait" (func $wait))
      (func (export "spin") (loop $l br $l))
      (func (export "spinAfterWait") call $wait (loop $l br $l))
      (func $down (export "down") (param i32) (result i32)
        local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $down end))\`);
    const make = (options) => {
      const ns = createWebAssembly(options);
      const wait = new ns.Suspending(() => new Promise((r) => setTimeout(r, 10)));
      return [ns, new ns.Instance(new ns.Module(bytes), { env: { wait } }).exports];
    };
    const outcome = (p) => p.then((v) => 'resolved ' + v, (e) => e.constructor.name + ': ' + e.message);
    (async () => {
      const [ns, x] = make({ deadline: 100 });
      console.log(await outcome(ns.promising(x.spin)()));
      console.log(await outcome(ns.promising(x.spinAfterWait)()));
      const [ns2, y] = make({ maxStackDepth: 200 });
      console.log(await outcome(ns2.promising(y.down)(150)));
      console.log(await outcome(ns2.promising(y.down)(1000)));
    })();`;

  it('regression (jspi_promising_ignores_limits): deadline on the first run and after a resumption; maxStackDepth', () => {
    const r = spawnSync(process.execPath, ['-e', CHILD], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 4, `stdout: ${r.stdout} stderr: ${r.stderr} signal: ${r.signal}`);
    assert.match(lines[0], /^RuntimeError: .*deadline/);
    assert.match(lines[1], /^RuntimeError: .*deadline/);
    assert.equal(lines[2], 'resolved 0');
    assert.match(lines[3], /^RangeError: /);
  });
});

describe('caps', () => {
  it('memory.grow past maxMemoryBytes: -1 from wasm, RangeError from JS; creation past it: RangeError', () => {
    const ns = createWebAssembly({ maxMemoryBytes: 4 * 65536 });
    const bytes = wat2wasm(`(module (memory (export "mem") 2)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))`);
    const { exports } = new ns.Instance(new ns.Module(bytes));
    assert.ok(exports.mem instanceof ns.Memory);
    assert.equal(exports.grow(3), -1);
    assert.equal(exports.grow(1), 2);
    assert.throws(() => exports.mem.grow(2), RangeError);
    assert.equal(exports.mem.grow(1), 3);
    assert.equal(exports.grow(1), -1);
    assert.throws(() => new ns.Memory({ initial: 1 }), { name: 'RangeError', message: /maxMemoryBytes/ });
    assert.throws(() => new ns.Instance(new ns.Module(bytes)), { name: 'RangeError', message: /maxMemoryBytes/ });
    // The plain namespace is not limited.
    assert.equal(new plain.Memory({ initial: 1 }).grow(10), 1);
  });

  it('maxTableElements and maxInstances', () => {
    const ns = createWebAssembly({ maxTableElements: 10, maxInstances: 2 });
    const t = new ns.Table({ element: 'anyfunc', initial: 4 });
    assert.throws(() => t.grow(7), RangeError);
    assert.equal(t.grow(6), 4);
    assert.throws(() => new ns.Table({ element: 'anyfunc', initial: 1 }), { name: 'RangeError', message: /maxTableElements/ });
    const bytes = wat2wasm(`(module (table 0 funcref) (func (export "g") (param i32) (result i32) ref.null func local.get 0 table.grow 0))`);
    const m = new ns.Module(bytes);
    const one = new ns.Instance(m);
    assert.equal(one.exports.g(1), -1);
    new ns.Instance(m);
    assert.throws(() => new ns.Instance(m), { name: 'RangeError', message: /maxInstances/ });
  });

  it('maxStackDepth: RangeError past it', () => {
    const ns = createWebAssembly({ maxStackDepth: 200 });
    const { exports } = new ns.Instance(new ns.Module(LOOPS), imports());
    assert.equal(exports.down(150), 0);
    assert.throws(() => exports.down(1000), RangeError);
    assert.equal(exports.down(150), 0);
  });

  it('modules belong to their namespace', () => {
    const a = createWebAssembly({ fuel: 1000 });
    const b = createWebAssembly({ fuel: 1000 });
    const m = new a.Module(LOOPS);
    assert.throws(() => new b.Instance(m, imports()), { name: 'TypeError', message: /this namespace/ });
    assert.throws(() => new plain.Instance(m, imports()), TypeError);
    assert.throws(() => new a.Instance(new plain.Module(LOOPS), imports()), TypeError);
  });
});

describe('deterministic', () => {
  const bytes = wat2wasm(`(module
    (func (export "f32add") (param i32 f32) (result i32) local.get 0 f32.reinterpret_i32 local.get 1 f32.add i32.reinterpret_f32)
    (func (export "f64div") (param i64 f64) (result i64) local.get 0 f64.reinterpret_i64 local.get 1 f64.div i64.reinterpret_f64)
    (func (export "f64sqrt") (param f64) (result i64) local.get 0 f64.sqrt i64.reinterpret_f64)
    (func (export "promote") (param i32) (result i64) local.get 0 f32.reinterpret_i32 f64.promote_f32 i64.reinterpret_f64)
    (func (export "f32x4") (param i32) (result i32)
      local.get 0 f32.reinterpret_i32 f32x4.splat v128.const f32x4 1 1 1 1 f32x4.mul i32x4.extract_lane 2)
    (func (export "f64x2") (param i64) (result i64)
      local.get 0 f64.reinterpret_i64 f64x2.splat f64x2.sqrt i64x2.extract_lane 1))`);

  it('every NaN result is the canonical NaN', () => {
    const ns = createWebAssembly({ deterministic: true });
    const e = new ns.Instance(new ns.Module(bytes)).exports;
    assert.equal(e.f32add(0x7fa00001, 1), 0x7fc00000);
    assert.equal(e.f32add(0xffc00123 | 0, 1), 0x7fc00000);
    assert.equal(e.f64div(0xfff4000000000001n, 2), 0x7ff8000000000000n);
    assert.equal(e.f64sqrt(-1), 0x7ff8000000000000n);
    assert.equal(e.promote(0x7fa00001), 0x7ff8000000000000n);
    assert.equal(e.f32x4(0x7fa00001), 0x7fc00000);
    assert.equal(e.f64x2(0xfff4000000000001n), 0x7ff8000000000000n);
    // Non-NaN results are untouched.
    assert.equal(e.f32add(0x3f800000, 1), 0x40000000);
  });

  it('shared memories are rejected with a CompileError that says why', async () => {
    const ns = createWebAssembly({ deterministic: true });
    const shared = wat2wasm('(module (memory 1 1 shared))');
    assert.throws(() => new ns.Module(shared), (e) => e instanceof ns.CompileError && /deterministic/.test(e.message));
    await assert.rejects(ns.compile(shared), ns.CompileError);
    assert.equal(ns.validate(shared), false);
    assert.throws(() => new ns.Memory({ initial: 1, maximum: 1, shared: true }), TypeError);
    // The plain namespace still accepts it.
    assert.ok(new plain.Module(shared));
  });
});
