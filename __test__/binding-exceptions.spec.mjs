// JS exceptions through wasm frames keep their identity (objects and primitives, nested
// JS ↔ wasm frames), traps and stack overflows map to the right classes, and a memory grown
// by wasm is detached before an import runs.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const NESTED = `(module
  (import "js" "f" (func $f (param i32) (result i32)))
  (func (export "call") (param i32) (result i32) local.get 0 call $f)
  (func $rec (export "rec") (param i32) (result i32) local.get 0 call $rec)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))`;

forEachImpl(({ WebAssembly: WA }) => {
  const make = (f) => {
    const holder = {};
    holder.exports = new WA.Instance(new WA.Module(wat(NESTED)), { js: { f: (n) => f(n, holder.exports) } }).exports;
    return holder.exports;
  };

  it('a thrown value comes out of nested JS ↔ wasm frames as the same value', () => {
    for (const thrown of [new Error('boom'), { plain: true }, 42, 'text', undefined, null, Symbol('s'), 7n]) {
      const e = make((n, ex) => {
        if (n === 3) throw thrown;
        return ex.call(n + 1);
      });
      let caught = 'nothing';
      try {
        e.call(0);
      } catch (err) {
        caught = err;
      }
      assert.equal(caught, thrown);
    }
  });

  it('an exception caught by JS between wasm frames does not leak out', () => {
    const e = make((n, ex) => {
      if (n === 0) {
        try {
          return ex.call(1);
        } catch {
          return 99;
        }
      }
      throw new Error('inner');
    });
    assert.equal(e.call(0), 99);
  });

  it('traps are RuntimeErrors; wasm recursion and JS ↔ wasm recursion are RangeErrors', () => {
    const e = make((n, ex) => ex.call(n + 1));
    assert.throws(() => e.div(1, 0), (err) => err instanceof WA.RuntimeError && err.message === 'divide by zero');
    assert.throws(() => e.rec(0), RangeError);
    assert.throws(() => e.call(0), RangeError);
    // Still usable afterwards.
    assert.equal(e.div(6, 3), 2);
  });

  it('memory.grow inside wasm detaches the old buffer before the next import runs', () => {
    const mem = new WA.Memory({ initial: 1, maximum: 4 });
    const old = mem.buffer;
    const seen = [];
    const bytes = wat(`(module (import "js" "mem" (memory 1)) (import "js" "log" (func $log))
      (func (export "growThenLog") (drop (memory.grow (i32.const 1))) (call $log)))`);
    const { growThenLog } = new WA.Instance(new WA.Module(bytes), {
      js: { mem, log: () => seen.push(old.byteLength, mem.buffer.byteLength, mem.buffer === old) },
    }).exports;
    growThenLog();
    assert.deepEqual(seen, [0, 2 * 65536, false]);
  });

  it('identity caches: the same Memory/Table/Global object through imports and exports, subclasses kept', () => {
    class MyMemory extends WA.Memory {}
    const mem = new MyMemory({ initial: 1 });
    const table = new WA.Table({ element: 'externref', initial: 1 });
    const global = new WA.Global({ value: 'i32', mutable: true }, 1);
    const bytes = wat(`(module
      (import "js" "mem" (memory 1)) (import "js" "tbl" (table 1 externref)) (import "js" "g" (global (mut i32)))
      (export "mem" (memory 0)) (export "mem2" (memory 0)) (export "tbl" (table 0)) (export "g" (global 0)))`);
    const e = new WA.Instance(new WA.Module(bytes), { js: { mem, tbl: table, g: global } }).exports;
    assert.equal(e.mem, mem);
    assert.equal(e.mem2, mem);
    assert.ok(e.mem instanceof MyMemory);
    assert.equal(e.tbl, table);
    assert.equal(e.g, global);
  });
});
