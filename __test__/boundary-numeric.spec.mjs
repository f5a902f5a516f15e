// The numeric fast paths across the JS ↔ wasm boundary (#16): Exported Functions of wasm
// functions whose types are all i32/i64/f32/f64 (at most 6 parameters and 1 result) and
// imports of numeric types take raw-cell paths in the binding; wider signatures take the
// general path. Each case runs on both sides of those limits, against ours and V8.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const EXPORTS = `(module
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "mixed") (param i32 i64 f32 f64) (result f64)
    (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
             (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
  (func (export "six") (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (local.get 4) (local.get 5))))
  (func (export "seven") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (i32.add (local.get 4) (local.get 5)) (local.get 6))))
  (func (export "two") (param i32) (result i32 i64) local.get 0 local.get 0 i64.extend_i32_s)
  (func (export "none")))`;

const IMPORTS = `(module
  (import "m" "i32" (func $i32 (param i32) (result i32)))
  (import "m" "i64" (func $i64 (param i64) (result i64)))
  (import "m" "f32" (func $f32 (param f32) (result f32)))
  (import "m" "f64" (func $f64 (param f64) (result f64)))
  (import "m" "five" (func $five (param i32 i64 f32 f64 i32) (result i32)))
  (import "m" "two" (func $two (param i32) (result i32 f64)))
  (import "m" "nop" (func $nop))
  (import "m" "again" (func $again (param i32) (result i32)))
  (func (export "i32") (param i32) (result i32) (call $i32 (local.get 0)))
  (func (export "i64") (param i64) (result i64) (call $i64 (local.get 0)))
  (func (export "f32") (param f32) (result f32) (call $f32 (local.get 0)))
  (func (export "f64") (param f64) (result f64) (call $f64 (local.get 0)))
  (func (export "five") (result i32)
    (call $five (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const 2.25) (i32.const 7)))
  (func (export "two") (param i32) (result i32 f64) (call $two (local.get 0)))
  (func (export "nop") (call $nop))
  ;; down(n) = n == 0 ? 0 : 1 + again(n - 1), where the import calls down again from JS.
  (func (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $again (i32.sub (local.get 0) (i32.const 1))))))))`;

forEachImpl(({ WebAssembly: WA }) => {
  const instantiate = (text, imports) => new WA.Instance(new WA.Module(wat(text)), imports).exports;

  it('export arguments: ToInt32, ToBigInt64, f32 rounding and f64 identity', () => {
    const e = instantiate(EXPORTS);
    assert.equal(e.i32(2 ** 32 + 5), 5);
    assert.equal(e.i32(-1.9), -1);
    assert.equal(e.i32(NaN), 0);
    assert.equal(e.i32(undefined), 0);
    assert.equal(e.i32('12'), 12);
    assert.equal(e.i32(), 0);
    assert.ok(Object.is(e.i32(-0), 0));
    assert.equal(e.i32(2 ** 31), -(2 ** 31));
    assert.equal(e.i32(-(2 ** 32) - 1.5), -1);
    assert.equal(e.i32(2 ** 53 + 2), 2);
    assert.equal(e.i32(Infinity), 0);
    assert.equal(e.i64(2n ** 64n + 3n), 3n);
    assert.equal(e.i64(-1n), -1n);
    assert.equal(e.i64('5'), 5n);
    assert.equal(e.i64(true), 1n);
    assert.throws(() => e.i64(5), TypeError);
    assert.throws(() => e.i64(), TypeError);
    assert.equal(e.f32(1.1), Math.fround(1.1));
    assert.ok(Object.is(e.f32(-0), -0));
    assert.ok(Number.isNaN(e.f64(NaN)));
    assert.ok(Object.is(e.f64(-0), -0));
    assert.equal(e.f64(), NaN);
    assert.equal(e.mixed(1, 2n, 0.5, 0.25), 3.75);
  });

  it('export arguments: converted in order, valueOf side effects and errors', () => {
    const e = instantiate(EXPORTS);
    const order = [];
    const v = (name, x) => ({ valueOf: () => (order.push(name), x) });
    assert.equal(e.six(v('a', 1), v('b', 2), v('c', 3), v('d', 4), v('e', 5), v('f', 6)), 21);
    assert.equal(e.seven(v('g', 1), v('h', 2), 3, 4, 5, 6, 7), 28);
    assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const boom = new Error('boom');
    assert.throws(() => e.six(1, { valueOf: () => { throw boom; } }), (err) => err === boom);
    assert.throws(() => e.i32(Symbol('s')), TypeError);
    assert.throws(() => e.i32(1n), TypeError);
    assert.equal(e.six(1, 2, 3, 4, 5, 6, 100), 21, 'extra arguments are ignored');
  });

  it('export results: numbers, BigInts, several results, none', () => {
    const e = instantiate(EXPORTS);
    assert.equal(e.i32(0xffffffff), -1);
    assert.equal(e.i64(-(2n ** 63n)), -(2n ** 63n));
    assert.deepEqual(e.two(-3), [-3, -3n]);
    assert.equal(e.none(), undefined);
  });

  it('export calls: re-entrant through an import', () => {
    let down;
    const e = instantiate(IMPORTS, {
      m: { i32: (x) => x, i64: (x) => x, f32: (x) => x, f64: (x) => x, five() {}, two: () => [0, 0], nop() {}, again: (n) => down(n) },
    });
    down = e.down;
    assert.equal(e.down(50), 50);
  });

  const imports = (m) =>
    instantiate(IMPORTS, {
      m: { i32: (x) => x, i64: (x) => x, f32: (x) => x, f64: (x) => x, five() {}, two: () => [0, 0], nop() {}, again: () => 0, ...m },
    });

  it('import arguments: Numbers and BigInts of the parameter types', () => {
    const seen = [];
    const e = imports({
      i32: (...a) => (seen.push(a), 0),
      i64: (...a) => (seen.push(a), 0n),
      f32: (...a) => (seen.push(a), 0),
      f64: (...a) => (seen.push(a), 0),
      five: (...a) => (seen.push(a), 0),
    });
    e.i32(-7);
    e.i64(2n ** 63n - 1n);
    e.f32(1.1);
    e.f64(-0);
    e.five();
    assert.deepEqual(seen, [[-7], [2n ** 63n - 1n], [Math.fround(1.1)], [-0], [-1, -2n, 1.5, 2.25, 7]]);
    assert.ok(Object.is(seen[3][0], -0));
  });

  it('import results: ToWebAssemblyValue of the returned value', () => {
    assert.equal(imports({ i32: () => 2 ** 32 + 1 }).i32(0), 1);
    assert.equal(imports({ i32: () => '42' }).i32(0), 42);
    assert.ok(Object.is(imports({ i32: () => -0 }).i32(0), 0));
    assert.equal(imports({ i32: () => 2 ** 31 + 0.5 }).i32(0), -(2 ** 31));
    assert.equal(imports({ i32: () => undefined }).i32(0), 0);
    assert.equal(imports({ i32: () => ({ valueOf: () => 9 }) }).i32(0), 9);
    assert.throws(() => imports({ i32: () => 1n }).i32(0), TypeError);
    assert.equal(imports({ i64: () => 2n ** 64n - 1n }).i64(0n), -1n);
    assert.throws(() => imports({ i64: () => 1 }).i64(0n), TypeError);
    assert.equal(imports({ f32: () => 1.1 }).f32(0), Math.fround(1.1));
    assert.ok(Number.isNaN(imports({ f64: () => undefined }).f64(0)));
    assert.deepEqual(imports({ two: (x) => [x + 1, 0.5] }).two(4), [5, 0.5]);
    assert.throws(() => imports({ two: () => [1] }).two(0), TypeError);
    assert.equal(imports({ nop: () => 123 }).nop(), undefined);
  });

  it('import errors: the thrown value reaches the caller unchanged', () => {
    const boom = { boom: true };
    assert.throws(
      () => imports({ i32: () => { throw boom; } }).i32(0),
      (err) => err === boom,
    );
    const valueOfThrows = new RangeError('valueOf');
    assert.throws(
      () => imports({ f64: () => ({ valueOf: () => { throw valueOfThrows; } }) }).f64(0),
      (err) => err === valueOfThrows,
    );
  });

  // Numeric host calls keep up to 4 raw arguments and 4 raw results in the engine's frame and
  // take a pooled record past that: both sides of the limit, with values below the call's
  // operands that the results must not overwrite.
  it('import arity: four parameters and results, five results, values below', () => {
    const e = instantiate(
      `(module
        (import "m" "four" (func $four (param i32 i64 f32 f64) (result i32 i64 f32 f64)))
        (import "m" "five" (func $five (param i32) (result i32 i32 i32 i32 i32)))
        (func (export "four") (param i32 i64 f32 f64) (result i32 i64 f32 f64)
          (call $four (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
        (func (export "five") (param i32) (result i32 i32 i32 i32 i32 i32)
          (i32.const 9) (call $five (local.get 0))))`,
      {
        m: {
          four: (a, b, c, d) => [a + 1, b * 2n, c, d / 2],
          five: (x) => [x, x + 1, x + 2, x + 3, x + 4],
        },
      },
    );
    assert.deepEqual(e.four(-3, 2n ** 62n, 1.5, -7), [-2, -(2n ** 63n), 1.5, -3.5]);
    assert.deepEqual(e.five(10), [9, 10, 11, 12, 13, 14]);
  });
});
