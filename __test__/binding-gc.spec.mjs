// Binding-level behaviour around garbage collection: JS ↔ wasm cycles stay collectable,
// imported JS functions stay alive as long as anything can still call them, and identity
// caches survive (or are rebuilt after) a GC. Runs against V8 too (the semantics are the same).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readFileSync } from 'node:fs';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** Collects garbage until `done()` or the attempts run out (finalizers run between turns). */
async function collect(done = () => false, rounds = 20) {
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

const CALLS_IMPORT = `(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (memory (export "mem") 1)
  (table (export "tbl") 1 funcref)
  (elem (i32.const 0) $callf)
  (func $callf (export "callf") (param i32) (result i32) local.get 0 call $f))`;

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  const module = new WA.Module(wat(CALLS_IMPORT));

  it('instances whose imports close over their own exports are collected', async (t) => {
    const registry = new FinalizationRegistry(() => freed++);
    let freed = 0;
    const N = 100;
    for (let i = 0; i < N; i++) {
      // The Emscripten shape: the import reaches the exports, the exports reach the import.
      const glue = {};
      glue.f = (x) => glue.exports.mem.buffer.byteLength + x;
      const instance = new WA.Instance(module, { env: { f: glue.f } });
      glue.exports = instance.exports;
      registry.register(instance, i);
    }
    await collect(() => freed >= N * 0.9, 40);
    // V8 is the reference here, and sometimes releases none of its instances within the window
    // (lifecycle.spec.mjs saw 0 of 5,000 in CI on Node 24 and 26): its count is reported, not
    // asserted. Ours is always asserted.
    if (isV8 && freed < N * 0.9) {
      t.diagnostic(`V8 collected ${freed} of ${N} (reference only: not asserted)`);
      return;
    }
    assert.ok(freed >= N * 0.9, `only ${freed} of ${N} instances were collected`);
  });

  it('an export outlives its Instance object and can still call its JS import', async () => {
    let callf = new WA.Instance(module, { env: { f: (x) => x * 3 } }).exports.callf;
    await collect(undefined, 6);
    assert.equal(callf(14), 42);
    callf = null;
  });

  it('a table keeps the functions set into it (and their imports) alive', async () => {
    // The Emscripten `addFunction` shape: a helper instance wraps a JS function, its export
    // is stored in a long-lived table, and the helper instance is dropped.
    const table = new WA.Table({ element: 'anyfunc', initial: 1 });
    table.set(0, new WA.Instance(module, { env: { f: (x) => x + 100 } }).exports.callf);
    await collect(undefined, 6);
    assert.equal(table.get(0)(1), 101);
  });

  it('a table exported by an instance keeps that instance callable through its entries', async () => {
    const tbl = new WA.Instance(module, { env: { f: (x) => -x } }).exports.tbl;
    await collect(undefined, 6);
    assert.equal(tbl.get(0)(5), -5);
  });

  it('Exported Function identity holds while referenced, and a new one works after a GC', async () => {
    const { exports } = new WA.Instance(module, { env: { f: (x) => x } });
    const first = exports.tbl.get(0);
    assert.equal(first, exports.callf);
    await collect(undefined, 4);
    assert.equal(exports.tbl.get(0), exports.callf);
    assert.equal(exports.tbl.get(0)(7), 7);
  });

  // The cache entry of an Exported Function lives on its instance (issue #17): a function made
  // again after the first was collected must keep its entry when the first one's native data
  // is freed later (a stale finalizer clears only its own entry).
  it('an Exported Function made again after a GC keeps its identity when the old one is freed', async () => {
    const tbl = new WA.Instance(module, { env: { f: (x) => x + 1 } }).exports.tbl;
    gc();
    const again = tbl.get(0);
    assert.equal(tbl.get(0), again);
    await collect(undefined, 4);
    assert.equal(tbl.get(0), again);
    assert.equal(again(1), 2);
  });

  for (const exported of [true, false]) {
  // Regression (private-memory-not-reported): a memory that is never exported has no JS
  // wrapper, and was not reported to V8 at all, so GC never felt its weight.
  it(`linear memory creates GC pressure: big short-lived ${exported ? 'exported' : 'private'} memories are freed`, async () => {
    // 200 instances × 16 MiB touched = 3.2 GiB if nothing were freed. The binding reports
    // memory sizes to V8 (napi_adjust_external_memory); Node 20 runs Node-API finalizers from
    // the event loop, hence the yields.
    const bytes = wat(`(module (memory ${exported ? '(export "mem")' : ''} 256) (func (export "touch") (local $i i32)
      (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (i32.const 16777216)))
        (i32.store8 (local.get $i) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 4096))) (br $l)))))`);
    const big = new WA.Module(bytes);
    const before = process.memoryUsage().rss;
    let peak = before;
    for (let i = 0; i < 200; i++) {
      new WA.Instance(big).exports.touch();
      if (i % 10 === 9) {
        await new Promise((r) => setImmediate(r));
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    const grewMiB = (peak - before) / 2 ** 20;
    assert.ok(grewMiB < 1024, `RSS grew by ${grewMiB | 0} MiB`);
  });
  }

  // An instance whose table holds one of its own functions (any module with an elem segment)
  // is an Rc cycle in the core (Instance → Table → FuncRef → Instance); the core's cycle
  // collector must free it, memory reservation included. Linux only (reads VmSize).
  it(
    'instances whose tables hold their own functions are freed (address space comes back)',
    { skip: process.platform !== 'linux' },
    async () => {
      const vmSize = () => Number(/VmSize:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
      const selfRef = new WA.Module(wat('(module (memory (export "mem") 1) (table 1 funcref) (elem (i32.const 0) $h) (func $h))'));
      const before = vmSize();
      for (let i = 0; i < 300; i++) {
        new WA.Instance(selfRef).exports.mem.buffer;
        if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
      await collect(undefined, 6);
      const grewGiB = (vmSize() - before) / 2 ** 30;
      // 300 leaked memories would keep 300 × 4 GiB (1,200 GiB) of address space reserved. Some
      // instances may still be awaiting V8's GC when this is read (seen on Node 24 with its JIT:
      // 26 of 300, 104 GiB), so the bound allows up to 100 of them and still fails on the leak.
      assert.ok(grewGiB < 400, `address space grew by ${grewGiB | 0} GiB`);
    },
  );

  it('many short-lived calls and instances do not leak handles (smoke)', () => {
    const { exports } = new WA.Instance(module, { env: { f: (x) => x + 1 } });
    let s = 0;
    for (let i = 0; i < 20000; i++) s += exports.callf(i);
    assert.equal(s, (20000 * 19999) / 2 + 20000);
  });
});
