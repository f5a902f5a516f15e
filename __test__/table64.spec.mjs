// WebAssembly.Table with `address: "i64"` (table64 in the JS-API: TableDescriptor.address,
// AddressValue as Number or BigInt, https://webassembly.github.io/spec/js-api/#tables), and
// modules that define, import or export 64-bit tables.
//
// On Node 20 and 22 (V8 11.3, 12.4; from 13.6, Node 24, V8 does as the spec says) V8 does not
// read `address` (it makes a 32-bit table and converts the AddressValues as [EnforceRange]
// unsigned long, so BigInts are TypeErrors) and does not validate table64 modules; ours in the
// line's profile does the same. Each case says what happens instead. Modules run in the
// "latest" profile for ours, where the specification's JS API applies (a deliberate difference
// on Node 20 and 22).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, latestInThisBlock } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { recording } from './helpers/recording.mjs';
import { atLeast, nodeMajor } from './helpers/node-line.mjs';

const FUNCS = `(module
  (func (export "one") (result i32) i32.const 1)
  (func (export "two") (result i32) i32.const 2))`;

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  // V8 reads `address` from 13.6 (Node 24) on; before, the cases below say what it does
  // instead, and ours (in the line's profile) does the same.
  const oldV8 = !atLeast(24);
  const funcs = () => new WA.Instance(new WA.Module(wat(FUNCS))).exports;

  describe('new Table({address: "i64"}) and its methods', () => {
    it('length, get, set and grow take and return BigInts', () => {
      if (oldV8) {
        // V8 (Node 20) ignores `address`: 3n is not an unsigned long.
        assert.throws(() => new WA.Table({ address: 'i64', element: 'anyfunc', initial: 3n }), TypeError);
        return;
      }
      const { one, two } = funcs();
      const t = new WA.Table({ address: 'i64', element: 'anyfunc', initial: 3n, maximum: 6n });
      assert.equal(t.length, 3n);
      assert.equal(t.get(0n), null);
      t.set(1n, one);
      assert.equal(t.get(1n), one);
      assert.equal(t.grow(2n, two), 3n);
      assert.equal(t.length, 5n);
      assert.equal(t.get(4n), two);
      assert.equal(t.grow(1n), 5n);
      assert.equal(t.get(5n), null);
      assert.throws(() => t.grow(1n), RangeError, 'beyond the maximum');
      assert.equal(t.length, 6n);
      // Out of bounds: RangeError; not an address: TypeError.
      assert.throws(() => t.get(6n), RangeError);
      assert.throws(() => t.get(2n ** 32n), RangeError);
      assert.throws(() => t.set(2n ** 32n + 1n, null), RangeError);
      for (const bad of [1, -1n, 2n ** 64n, '0x10000000000000000', undefined]) {
        assert.throws(() => t.get(bad), TypeError, `get(${String(bad)})`);
        assert.throws(() => t.set(bad, null), TypeError, `set(${String(bad)})`);
        assert.throws(() => t.grow(bad), TypeError, `grow(${String(bad)})`);
      }
      assert.equal(t.get('1'), one, 'ToBigInt of a string');
      assert.equal(t.get(true), one, 'ToBigInt of a boolean');
      const ext = new WA.Table({ address: 'i64', element: 'externref', initial: 1n }, 'x');
      assert.equal(ext.get(0n), 'x');
      assert.equal(ext.grow(1n), 1n);
      assert.equal(ext.get(1n), undefined);
    });

    it('grow: the delta is converted before the value; a delta of 2^32 or more is a RangeError', () => {
      if (oldV8) return; // no 64-bit tables in V8 before Node 24: see above
      const t = new WA.Table({ address: 'i64', element: 'externref', initial: 1n });
      const log = [];
      assert.throws(() => t.grow(-1n, { valueOf: () => log.push('value') }), TypeError);
      assert.deepEqual(log, []);
      assert.throws(() => t.grow(2n ** 32n), RangeError);
      assert.throws(() => t.grow(2n ** 64n - 1n), RangeError);
      assert.equal(t.length, 1n);
    });

    it('a 32-bit table still takes and returns Numbers', () => {
      const t = new WA.Table({ address: 'i32', element: 'anyfunc', initial: 1 });
      assert.equal(t.length, 1);
      assert.equal(t.grow(1), 1);
      assert.throws(() => t.get(0n), TypeError);
      assert.throws(() => t.grow(1n), TypeError);
      assert.throws(() => new WA.Table({ address: 'i32', element: 'anyfunc', initial: 1n }), TypeError);
    });

    it('address must be "i32" or "i64" (an AddressType enumeration: ToString, then TypeError)', () => {
      if (oldV8) {
        assert.ok(new WA.Table({ address: 'i16', element: 'anyfunc', initial: 1 }), 'V8 does not read address');
        return;
      }
      for (const bad of ['i16', 'I64', '', null]) {
        assert.throws(() => new WA.Table({ address: bad, element: 'anyfunc', initial: 1 }), TypeError);
      }
      assert.equal(new WA.Table({ address: { toString: () => 'i64' }, element: 'anyfunc', initial: 1n }).length, 1n);
    });

    it("each line's text for a bad address type; no line reads `index`", () => {
      const bad = (key) => () => new WA.Table({ element: 'anyfunc', initial: 1, [key]: 'i128' });
      assert.ok(bad('index')(), 'no line reads index for a table');
      if (oldV8) {
        assert.ok(bad('address')(), 'V8 before 13.6 does not read address');
        return;
      }
      const text = "WebAssembly.Table(): Unknown address type 'i128'; pass 'i32' or 'i64'";
      assert.throws(bad('address'), (e) => e instanceof TypeError && e.message === text);
    });

    it('AddressValueToU64 for i64 in the descriptor: TypeError outside [0, 2^64), ToBigInt of strings', () => {
      if (oldV8) return; // no 64-bit tables in V8 before Node 24: see above
      for (const bad of [-1n, 2n ** 64n, 1, null]) {
        assert.throws(() => new WA.Table({ address: 'i64', element: 'anyfunc', initial: bad }), TypeError);
        assert.throws(() => new WA.Table({ address: 'i64', element: 'anyfunc', initial: 0n, maximum: bad }), TypeError);
      }
      assert.equal(new WA.Table({ address: 'i64', element: 'anyfunc', initial: '3' }).length, 3n);
      assert.equal(new WA.Table({ address: 'i64', element: 'anyfunc', initial: true }).length, 1n);
    });

    it('RangeErrors: maximum below initial; more than 10,000,000 elements', () => {
      if (oldV8) return; // no 64-bit tables in V8 before Node 24: see above
      const d = (initial, maximum) => ({ address: 'i64', element: 'anyfunc', initial, maximum });
      assert.throws(() => new WA.Table(d(10n, 9n)), RangeError);
      assert.throws(() => new WA.Table(d(10_000_001n)), RangeError);
      const t = new WA.Table(d(1n, 10_000_001n));
      assert.equal(t.length, 1n);
      assert.throws(() => t.grow(10_000_000n), RangeError);
      assert.ok(new WA.Table(d(0n, 2n ** 64n - 1n)), 'a maximum up to 2^64 - 1 is valid');
    });

    it('descriptor order: element, address (ToString each), initial, maximum (each converted as read)', () => {
      const log = [];
      new WA.Table(recording({ address: 'i32', element: 'anyfunc', initial: 1, maximum: 2 }, log));
      // V8 13.6+ and the JS-API tests ("Order of evaluation for descriptor" in
      // table/constructor.any.js): `element` first, then `address`, each AddressValue converted
      // as it is read. V8 before 13.6 has no `address`: the rest is the same.
      const rest = ['get element', 'toString element', 'get initial', 'valueOf initial', 'get maximum', 'valueOf maximum'];
      const withAddress = [...rest.slice(0, 2), 'get address', 'toString address', ...rest.slice(2)];
      const expected = oldV8 ? rest : withAddress;
      assert.deepEqual(log, expected);
    });
  });

  // Modules with 64-bit tables: validated only where table64 (memory64) is enabled (not in
  // Node 20's V8).
  describe('i64 tables in modules (table64)', () => {
    // Our default profile is Node 20's: these modules need "latest".
    if (!isV8) latestInThisBlock();
    const oldV8 = isV8 && !atLeast(24); // ours runs "latest" in this block
    const compile = (text) => new WA.Module(wat(text));
    const EXPORTS = `(module
      (type $r (func (result i32)))
      (table (export "tbl") i64 2 4 funcref)
      (func $seven (result i32) i32.const 7)
      (elem (table 0) (i64.const 1) func $seven)
      (func (export "call") (param i64) (result i32) local.get 0 call_indirect 0 (type $r))
      (func (export "size") (result i64) table.size 0)
      (func (export "grow") (param i64) (result i64) ref.null func local.get 0 table.grow 0))`;

    it('an exported i64 table: BigInt length, shared with call_indirect/table.size/table.grow', () => {
      if (oldV8) {
        assert.throws(() => compile(EXPORTS), WA.CompileError);
        return;
      }
      const e = new WA.Instance(compile(EXPORTS)).exports;
      assert.ok(e.tbl instanceof WA.Table);
      assert.equal(e.tbl.length, 2n);
      assert.equal(e.call(1n), 7);
      assert.equal(e.tbl.get(1n)(), 7);
      assert.throws(() => e.call(0n), WA.RuntimeError);
      assert.throws(() => e.call(2n ** 32n + 1n), /table index is out of bounds/);
      e.tbl.set(0n, funcs().two);
      assert.equal(e.call(0n), 2);
      assert.equal(e.grow(1n), 2n);
      assert.equal(e.tbl.length, 3n);
      assert.equal(e.tbl.grow(1n), 3n);
      assert.equal(e.size(), 4n);
      assert.equal(e.grow(1n), -1n);
      assert.throws(() => e.tbl.grow(1n), RangeError);
    });

    it('linking: an i64 table import needs an i64 Table, an i32 import an i32 one (else LinkError)', () => {
      const I64 = '(module (import "js" "t" (table i64 1 funcref)) (func (export "size") (result i64) table.size 0))';
      const I32 = '(module (import "js" "t" (table 1 funcref)))';
      if (oldV8) {
        assert.throws(() => compile(I64), WA.CompileError);
        return;
      }
      const t64 = new WA.Table({ address: 'i64', element: 'anyfunc', initial: 2n });
      const t32 = new WA.Table({ element: 'anyfunc', initial: 2 });
      assert.equal(new WA.Instance(compile(I64), { js: { t: t64 } }).exports.size(), 2n);
      assert.throws(() => new WA.Instance(compile(I64), { js: { t: t32 } }), WA.LinkError);
      assert.throws(() => new WA.Instance(compile(I32), { js: { t: t64 } }), WA.LinkError);
      assert.ok(new WA.Instance(compile(I32), { js: { t: t32 } }));
    });
  });
});
