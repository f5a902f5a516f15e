// Regression cases found by the fuzzers (scripts/fuzz/): each named after its bug, with the
// seed that found it. Every case runs against V8 and ours.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withProfile } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { compilesGc } from './helpers/gc.mjs';

/** A module with a shared memory and one atomic access with alignment 2^`align`, in bytes. */
function atomicLoad(align) {
  const body = [0x00, 0x41, 0x00, 0xfe, 0x10, align, 0x00, 0x1a, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05,
    0x04, 0x01, 0x03, 0x01, 0x01, 0x0a, body.length + 2, 0x01, body.length, ...body,
  ]);
}

const NODE20 = process.versions.node.split('.')[0] === '20';

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  it('element segment out of bounds with a start function: prefixed as at instantiation (differential, seed 3, #1944)', () => {
    const m = new WA.Module(wat('(module (table 1 funcref) (func $f) (start $f) (elem (i32.const 1) $f))'));
    assert.throws(
      () => new WA.Instance(m),
      (e) => e instanceof WA.RuntimeError && e.message === 'WebAssembly.Instance(): table index is out of bounds',
    );
  });

  it('a table trap in the start function is not prefixed (differential, seed 3, #1944)', () => {
    const m = new WA.Module(wat('(module (table 1 funcref) (func $s (drop (table.get 0 (i32.const 5)))) (start $s))'));
    assert.throws(
      () => new WA.Instance(m),
      (e) => e instanceof WA.RuntimeError && e.message === 'table index is out of bounds',
    );
  });

  it('a return_call_indirect trap in the start function is not prefixed (differential, seed 4, #1953)', () => {
    const m = new WA.Module(
      wat('(module (type $v (func)) (table 1 funcref) (func $s (return_call_indirect (type $v) (i32.const 5))) (start $s))'),
    );
    assert.throws(
      () => new WA.Instance(m),
      (e) => e instanceof WA.RuntimeError && e.message === 'table index is out of bounds' && /wasm-function\[0\]/.test(e.stack),
    );
  });

  it('table.init: the table range is checked first, then the segment (differential, seed 4)', () => {
    const { exports } = new WA.Instance(
      new WA.Module(
        wat(`(module (table 5 funcref) (func $f) (elem $e func $f $f)
          (func (export "init") (param i32 i32 i32) (table.init $e (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drop") (elem.drop $e)))`),
      ),
    );
    const trap = (f, message) => assert.throws(f, (e) => e instanceof WA.RuntimeError && e.message === message);
    trap(() => exports.init(0, 1, 2), 'element segment out of bounds');
    trap(() => exports.init(4, 1, 2), 'table index is out of bounds');
    exports.drop();
    trap(() => exports.init(0, 0, 1), 'element segment out of bounds');
    trap(() => exports.init(6, 0, 0), 'table index is out of bounds');
  });

  it(
    'atomic access aligned below its natural alignment validates, as in Node 20 (malformed, seed 3, #1430)',
    { skip: isV8 && !NODE20 ? 'V8 of Node 20 is the oracle of the node20 profile' : false },
    // Ours in the node20 profile (Node 22's V8 and later reject it, as the spec does).
    withProfile('node20', () => {
      for (const align of [0, 1]) {
        assert.equal(WA.validate(atomicLoad(align)), true, `align ${align}`);
        new WA.Module(atomicLoad(align));
      }
      assert.equal(WA.validate(atomicLoad(2)), true);
      assert.equal(WA.validate(atomicLoad(3)), false);
      assert.throws(() => new WA.Module(atomicLoad(3)), WA.CompileError);
    }),
  );

  // The WasmGC run on Node 26 (`npm run fuzz -- --kind differential --profile node26`).
  const ARRAY_IN_GLOBAL = wat('(module (type $a (array i8)) (global (ref $a) (array.new_default $a (i32.const -1))))');
  it(
    "a constant expression's array.new over V8's length limit traps at instantiation, with the API prefix (differential GC, seed 1, #9)",
    { skip: compilesGc(WA, isV8, ARRAY_IN_GLOBAL) ? false : 'this line’s V8 does not compile GC by default (Node 20)' },
    withProfile('latest', () => {
      const m = new WA.Module(ARRAY_IN_GLOBAL);
      assert.throws(
        () => new WA.Instance(m),
        (e) => e instanceof WA.RuntimeError && e.message === 'WebAssembly.Instance(): requested new array is too large',
      );
    }),
  );

  const ARRAY_NEW = wat(`(module (type $b (array (mut i8))) (type $l (array (mut i64)))
    (func (export "bytes") (param i32) (drop (array.new_default $b (local.get 0))))
    (func (export "longs") (param i32) (drop (array.new_default $l (local.get 0)))))`);
  it(
    "array.new past V8's length limit traps as too large, not as out of heap (differential GC, seed 1, #4)",
    { skip: compilesGc(WA, isV8, ARRAY_NEW) ? false : 'this line’s V8 does not compile GC by default (Node 20)' },
    withProfile('latest', () => {
      const { exports } = new WA.Instance(new WA.Module(ARRAY_NEW));
      // V8's limits, probed on each line: 2^30 - 25 one-byte elements and 2^27 - 4 eight-byte
      // ones, V8 14.6 (Node 26; ours in "latest") rounding down to a multiple of 8.
      const rounded = !isV8 || Number(process.versions.node.split('.')[0]) >= 26;
      const bytesMax = rounded ? 2 ** 30 - 32 : 2 ** 30 - 25;
      const longsMax = rounded ? 2 ** 27 - 8 : 2 ** 27 - 4;
      for (const [f, len] of [[exports.bytes, bytesMax + 1], [exports.longs, longsMax + 1], [exports.bytes, -1]]) {
        assert.throws(
          () => f(len),
          (e) => e instanceof WA.RuntimeError && e.message === 'requested new array is too large',
          `length ${len}`,
        );
      }
    }),
  );

  it('an atomic access out of bounds and unaligned: unaligned from Node 22, out of bounds on Node 20 (differential GC, seed 1, #62)', () => {
    const { exports } = new WA.Instance(
      new WA.Module(
        wat(`(module (memory 1 1)
          (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
          (func (export "add") (param i32) (result i64) (i64.atomic.rmw.add offset=4 (local.get 0) (i64.const 1))))`),
      ),
    );
    const trap = (f, message) => assert.throws(f, (e) => e instanceof WA.RuntimeError && e.message === message);
    const both = NODE20 ? 'memory access out of bounds' : 'operation does not support unaligned accesses';
    trap(() => exports.load(65537), both);
    trap(() => exports.add(65536), both);
    trap(() => exports.load(1), 'operation does not support unaligned accesses');
    trap(() => exports.load(65536), 'memory access out of bounds');
    trap(() => exports.add(65532), 'memory access out of bounds');
  });

  it('an atomic access whose offset passes the declared maximum is out of bounds even when unaligned (differential GC, seed 3, #25)', () => {
    const load = (memory, offset) =>
      new WA.Instance(
        new WA.Module(wat(`(module (memory ${memory}) (func (export "f") (result i64) (i64.atomic.load offset=${offset} (i32.const 0))))`)),
      ).exports.f;
    const trap = (f, message) => assert.throws(f, (e) => e instanceof WA.RuntimeError && e.message === message);
    const unaligned = NODE20 ? 'memory access out of bounds' : 'operation does not support unaligned accesses';
    trap(load('1 1', 65529), 'memory access out of bounds');
    trap(load('1 2', 131065), 'memory access out of bounds');
    trap(load('1 2', 131057), unaligned);
    trap(load('1', 131065), unaligned);
    trap(load('1', 4294967289), 'memory access out of bounds');
  });

  const FROM_SEGMENTS = wat(`(module (type $b (array (mut i8))) (type $f (array (mut funcref)))
    (memory 1) (data $d "abcd") (elem $e func $g $g) (func $g)
    (func (export "newData") (param i32 i32) (drop (array.new_data $b $d (local.get 0) (local.get 1))))
    (func (export "newElem") (param i32 i32) (drop (array.new_elem $f $e (local.get 0) (local.get 1)))))`);
  it(
    'array.new_data and array.new_elem past their segment: the segment is named, the length limit checked first (differential GC, seed 7, #15)',
    { skip: compilesGc(WA, isV8, FROM_SEGMENTS) ? false : 'this line’s V8 does not compile GC by default (Node 20)' },
    withProfile('latest', () => {
      const { exports } = new WA.Instance(new WA.Module(FROM_SEGMENTS));
      const trap = (f, message) => assert.throws(f, (e) => e instanceof WA.RuntimeError && e.message === message);
      trap(() => exports.newData(3, 2), 'data segment out of bounds');
      trap(() => exports.newElem(1, 2), 'element segment out of bounds');
      trap(() => exports.newData(0, -1), 'requested new array is too large');
      trap(() => exports.newElem(0, -1), 'requested new array is too large');
    }),
  );
});
