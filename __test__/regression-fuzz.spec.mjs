// Regression cases found by the fuzzers (scripts/fuzz/): each named after its bug, with the
// seed that found it. Every case runs against V8 and ours.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withProfile } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

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
});
