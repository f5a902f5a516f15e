// Binding-level behaviour around garbage collection: JS ↔ wasm cycles stay collectable,
// imported JS functions stay alive as long as anything can still call them, and identity
// caches survive (or are rebuilt after) a GC. Runs against V8 too (the semantics are the same).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

forEachImpl(({ WebAssembly: WA }) => {
  const module = new WA.Module(wat(CALLS_IMPORT));

  it('instances whose imports close over their own exports are collected', async () => {
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

  it('many short-lived calls and instances do not leak handles (smoke)', () => {
    const { exports } = new WA.Instance(module, { env: { f: (x) => x + 1 } });
    let s = 0;
    for (let i = 0; i < 20000; i++) s += exports.callf(i);
    assert.equal(s, (20000 * 19999) / 2 + 20000);
  });
});
