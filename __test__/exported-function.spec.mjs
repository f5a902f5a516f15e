// Exported Functions: name, length, identity, constructibility, argument and
// result conversion (i32, i64/BigInt, f32, f64, externref, funcref),
// multi-value, host (imported JS) function results.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, latest } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const ARITH = `(module
  (import "m" "imp" (func $imp (result i32)))
  (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (export "add2" (func $add))
  (export "imp" (func $imp))
  (func (export "nop"))
  (func (export "id32") (param i32) (result i32) local.get 0)
  (func (export "id64") (param i64) (result i64) local.get 0)
  (func (export "idf32") (param f32) (result f32) local.get 0)
  (func (export "idf64") (param f64) (result f64) local.get 0)
  (func (export "idExt") (param externref) (result externref) local.get 0)
  (func (export "isNull") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "idFunc") (param funcref) (result funcref) local.get 0)
  (func (export "refAdd") (result funcref) ref.func $add)
  (func (export "many") (param i32 i64 f32 f64 externref funcref i32))
  (func (export "minusOne") (result i32) i32.const 0xffffffff)
  (func (export "big") (result i64) i64.const 0x8000000000000000)
  (func (export "multi") (result i32 i64 f32 f64) i32.const 1 i64.const -2 f32.const 3.5 f64.const -0)
  (func (export "swap") (param i32 i32) (result i32 i32) local.get 1 local.get 0))`;

// Kept apart from ARITH so that a missing SIMD feature fails one case only.
const V128 = `(module
  (func (export "v128param") (param v128))
  (func (export "v128result") (result v128) v128.const i64x2 0 0))`;

// Calls a host import with fixed arguments and returns what it returned.
const HOST = `(module
  (import "m" "args" (func $args (param i32 i64 f32 f64 externref)))
  (import "m" "r32" (func $r32 (result i32)))
  (import "m" "r64" (func $r64 (result i64)))
  (import "m" "rf32" (func $rf32 (result f32)))
  (import "m" "rf64" (func $rf64 (result f64)))
  (import "m" "rfunc" (func $rfunc (result funcref)))
  (import "m" "two" (func $two (result i32 f64)))
  (func (export "callArgs")
    (call $args (i32.const -1) (i64.const -2) (f32.const 1.1) (f64.const 2.5) (ref.null extern)))
  (func (export "r32") (result i32) call $r32)
  (func (export "r64") (result i64) call $r64)
  (func (export "rf32") (result f32) call $rf32)
  (func (export "rf64") (result f64) call $rf64)
  (func (export "rfunc") (result funcref) call $rfunc)
  (func (export "two") (result i32 f64) call $two))`;

forEachImpl(({ name, WebAssembly: WA }) => {
  const instantiate = (text, imports) => new WA.Instance(new WA.Module(wat(text)), imports).exports;
  const arith = (imp = () => 7) => instantiate(ARITH, { m: { imp } });
  const host = (m) => {
    const base = { args() {}, r32() {}, r64: () => 0n, rf32() {}, rf64() {}, rfunc: () => null, two: () => [0, 0] };
    return instantiate(HOST, { m: { ...base, ...m } });
  };

  it('name: the function index as a string, counting imports', () => {
    const e = arith();
    assert.equal(e.add.name, '1');
    assert.equal(e.nop.name, '2');
    assert.equal(e.imp.name, '0');
    assert.deepEqual(Object.getOwnPropertyDescriptor(e.add, 'name'), {
      value: '1',
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it('name: the name section is not used', () => {
    const { f } = instantiate('(module (func $pretty_name (export "f")))');
    assert.equal(f.name, '0');
  });

  it('length: the number of parameters', () => {
    const e = arith();
    assert.equal(e.add.length, 2);
    assert.equal(e.nop.length, 0);
    assert.equal(e.many.length, 7);
    assert.deepEqual(Object.getOwnPropertyDescriptor(e.add, 'length'), {
      value: 2,
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it('a function object: Function.prototype, callable with call/apply, this ignored', () => {
    const e = arith();
    assert.equal(typeof e.add, 'function');
    assert.equal(Object.getPrototypeOf(e.add), Function.prototype);
    assert.equal(e.add.call({}, 1, 2), 3);
    assert.equal(e.add.apply(null, [4, 5]), 9);
    assert.equal(Reflect.apply(e.add, undefined, [1, 1]), 2);
    assert.match(Function.prototype.toString.call(e.add), /native code/);
  });

  it('not a constructor', () => {
    const e = arith();
    assert.throws(() => new e.add(1, 2), TypeError);
    assert.throws(() => Reflect.construct(e.nop, []), TypeError);
  });

  it('no prototype property (a built-in function object)', () => {
    const e = arith();
    assert.equal(Object.hasOwn(e.add, 'prototype'), false);
    assert.equal(e.add.prototype, undefined);
  });

  it('identity: one JS function per Wasm function', () => {
    const e = arith();
    assert.equal(e.add, e.add2);
    assert.equal(e.refAdd(), e.add);
    assert.equal(e.refAdd(), e.refAdd());
  });

  it('identity: Table.prototype.get returns the exported function', () => {
    const { f, tbl } = instantiate('(module (func $f (export "f") (result i32) i32.const 1) (table (export "tbl") 2 funcref) (elem (i32.const 0) $f $f))');
    assert.equal(tbl.get(0), f);
    assert.equal(tbl.get(1), f);
  });

  it('identity: a Wasm function imported and re-exported is the same object', () => {
    const a = arith();
    const b = instantiate('(module (import "m" "add" (func $a (param i32 i32) (result i32))) (export "again" (func $a)))', {
      m: { add: a.add },
    });
    assert.equal(b.again, a.add);
    assert.equal(b.again.name, '1');
  });

  it('identity: a JS function imported and re-exported is a new Exported Function', () => {
    const imp = () => 42;
    const e = instantiate('(module (import "m" "f" (func $f (result i32))) (import "m" "f" (func $g (result i32))) (export "f" (func $f)) (export "g" (func $g)))', {
      m: { f: imp },
    });
    assert.notEqual(e.f, imp);
    assert.notEqual(e.f, e.g);
    assert.equal(e.f.name, '0');
    assert.equal(e.g.name, '1');
    assert.equal(e.f(), 42);
    // Calling it again through Wasm keeps the import's behaviour.
    assert.equal(e.g(), 42);
  });

  it('arguments: i32 via ToInt32', () => {
    const { add, id32 } = arith();
    assert.equal(add(1.9, '3'), 4);
    assert.equal(add(2 ** 32 + 1, 0), 1);
    assert.equal(add(), 0);
    assert.equal(add(1), 1);
    assert.equal(id32(-0), 0);
    assert.equal(id32(NaN), 0);
    assert.equal(id32(Infinity), 0);
    assert.equal(id32(2 ** 31), -(2 ** 31));
    assert.equal(id32(true), 1);
    assert.equal(id32(null), 0);
    assert.equal(id32('0x10'), 16);
    assert.throws(() => id32(1n), TypeError);
    assert.throws(() => id32(Symbol()), TypeError);
  });

  it('arguments: extra arguments are ignored (not even converted); valueOf runs left to right', () => {
    const { add } = arith();
    const order = [];
    const v = (n) => ({ valueOf: () => (order.push(n), n) });
    assert.equal(add(v(1), v(2), v(3)), 3);
    assert.deepEqual(order, [1, 2]);
  });

  it('arguments: an exception from valueOf propagates and the call does not happen', () => {
    const calls = [];
    const { run } = instantiate('(module (import "m" "f" (func $f)) (func (export "run") (param i32 i32) call $f))', {
      m: { f: () => calls.push(1) },
    });
    const boom = new Error('valueOf');
    assert.throws(() => run(1, { valueOf() { throw boom; } }), (e) => e === boom);
    assert.deepEqual(calls, []);
  });

  it('results: i32 is signed', () => {
    assert.equal(arith().minusOne(), -1);
  });

  it('arguments and results: i64 as BigInt (ToBigInt64)', () => {
    const { id64, big } = arith();
    assert.equal(id64(5n), 5n);
    assert.equal(id64(2n ** 64n + 3n), 3n);
    assert.equal(id64(2n ** 63n), -(2n ** 63n));
    assert.equal(id64(-1n), -1n);
    assert.equal(id64('7'), 7n);
    assert.equal(id64(true), 1n);
    assert.equal(big(), -(2n ** 63n));
    assert.equal(typeof id64(0n), 'bigint');
  });

  it('arguments: i64 rejects Numbers and missing arguments with TypeError', () => {
    const { id64 } = arith();
    assert.throws(() => id64(5), TypeError);
    assert.throws(() => id64(), TypeError);
    assert.throws(() => id64(undefined), TypeError);
    assert.throws(() => id64('x'), SyntaxError);
  });

  it('arguments and results: f32 rounds, f64 is exact; NaN and -0 survive', () => {
    const { idf32, idf64 } = arith();
    assert.equal(idf32(1.1), Math.fround(1.1));
    assert.equal(idf32(1e40), Infinity);
    assert.ok(Number.isNaN(idf32(NaN)));
    assert.ok(Object.is(idf32(-0), -0));
    assert.equal(idf64(0.1), 0.1);
    assert.ok(Object.is(idf64(-0), -0));
    assert.ok(Number.isNaN(idf64()));
    assert.equal(idf64('1e3'), 1000);
    assert.throws(() => idf64(1n), TypeError);
  });

  it('externref: any JS value round-trips with identity', () => {
    const { idExt } = arith();
    for (const v of [{}, [], () => 1, Symbol('s'), 1n, 'str', 1.5, NaN, true, null, undefined, globalThis]) {
      assert.ok(Object.is(idExt(v), v), String(v?.toString?.() ?? v));
    }
  });

  it('externref: null is ref.null, undefined is not', () => {
    const { isNull } = arith();
    assert.equal(isNull(null), 1);
    assert.equal(isNull(undefined), 0);
    assert.equal(isNull(0), 0);
    assert.equal(isNull(), 0);
  });

  it('funcref: Exported Functions and null pass; other values are TypeErrors', () => {
    const { idFunc, add } = arith();
    const other = instantiate('(module (func (export "f")))').f;
    assert.equal(idFunc(add), add);
    assert.equal(idFunc(other), other);
    assert.equal(idFunc(null), null);
    for (const bad of [() => 1, function () {}, {}, 'add', 0, undefined]) {
      assert.throws(() => idFunc(bad), TypeError);
    }
  });

  // https://webassembly.github.io/spec/js-api/#exported-function-exotic-objects (call: step 3)
  // and #create-a-host-function (step 2): v128 never crosses the JS boundary.
  it('v128 at the boundary is a TypeError on every call', () => {
    const { v128param, v128result } = instantiate(V128);
    assert.throws(() => v128param(0), TypeError);
    assert.throws(() => v128param(), TypeError);
    assert.throws(() => v128result(), TypeError);
  });

  it('v128 inside wasm: scalar signatures work, v128 imports throw a TypeError when called', () => {
    let called = 0;
    const { lane, callImp, viaGlobal } = instantiate(
      `(module
        (import "m" "imp" (func $imp (param v128) (result i32)))
        (global $g (mut v128) (v128.const i32x4 5 6 7 8))
        (func (export "lane") (param i32) (result i32)
          (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (local.get 0)))))
        (func (export "callImp") (result i32) (call $imp (v128.const i64x2 0 0)))
        (func (export "viaGlobal") (result i32) (i32x4.extract_lane 3 (global.get $g))))`,
      { m: { imp: () => { called++; return 1; } } },
    );
    assert.equal(lane(10), 13);
    assert.equal(viaGlobal(), 8);
    assert.throws(() => callImp(), TypeError);
    assert.equal(called, 0);
  });

  // https://webassembly.github.io/spec/js-api/#dom-global-value (GetGlobalValue step 3,
  // setter step 2 via ToWebAssemblyValue).
  it('an exported v128 global: value and valueOf throw a TypeError', () => {
    const { g, c } = instantiate(`(module
      (global (export "g") (mut v128) (v128.const i64x2 1 2))
      (global (export "c") v128 (v128.const i64x2 3 4)))`);
    assert.ok(g instanceof WA.Global);
    assert.throws(() => g.value, TypeError);
    assert.throws(() => g.valueOf(), TypeError);
    assert.throws(() => { g.value = 1; }, TypeError);
    assert.throws(() => c.value, TypeError);
  });

  it('multi-value results are a fresh Array', () => {
    const { multi, swap } = arith();
    const r = multi();
    assert.ok(Array.isArray(r));
    assert.equal(r.length, 4);
    assert.deepEqual(r.slice(0, 3), [1, -2n, 3.5]);
    assert.ok(Object.is(r[3], -0));
    assert.notEqual(multi(), r);
    assert.deepEqual(swap(1, 2), [2, 1]);
  });

  it('host function: receives converted arguments and undefined this', () => {
    const seen = [];
    host({
      args(...a) {
        seen.push(a, this);
      },
    }).callArgs();
    assert.deepEqual(seen, [[-1, -2n, Math.fround(1.1), 2.5, null], undefined]);
  });

  it('host function: i32 results converted with ToInt32', () => {
    const cases = [
      ['5', 5],
      [2 ** 32 + 1, 1],
      [1.5, 1],
      [undefined, 0],
      [null, 0],
      [{ valueOf: () => 9 }, 9],
      [-1, -1],
    ];
    for (const [value, expected] of cases) {
      assert.equal(host({ r32: () => value }).r32(), expected, String(value));
    }
    assert.throws(() => host({ r32: () => 5n }).r32(), TypeError);
  });

  it('host function: i64 results need a BigInt-convertible value', () => {
    assert.equal(host({ r64: () => 5n }).r64(), 5n);
    assert.equal(host({ r64: () => 2n ** 64n + 1n }).r64(), 1n);
    assert.equal(host({ r64: () => '5' }).r64(), 5n);
    assert.equal(host({ r64: () => true }).r64(), 1n);
    assert.throws(() => host({ r64: () => 5 }).r64(), TypeError);
    assert.throws(() => host({ r64: () => undefined }).r64(), TypeError);
  });

  it('host function: float results converted with ToNumber (f32 rounds)', () => {
    assert.equal(host({ rf32: () => 1.1 }).rf32(), Math.fround(1.1));
    assert.equal(host({ rf32: () => '2' }).rf32(), 2);
    assert.ok(Number.isNaN(host({ rf32: () => undefined }).rf32()));
    assert.equal(host({ rf64: () => 0.1 }).rf64(), 0.1);
    assert.throws(() => host({ rf64: () => 1n }).rf64(), TypeError);
  });

  it('host function: funcref results must be Exported Functions or null', () => {
    const { add } = arith();
    assert.equal(host({ rfunc: () => add }).rfunc(), add);
    assert.equal(host({ rfunc: () => null }).rfunc(), null);
    assert.throws(() => host({ rfunc: () => () => 1 }).rfunc(), TypeError);
  });

  it('host function: multi-value results from any iterable of the right length', () => {
    assert.deepEqual(host({ two: () => [1, 2.5] }).two(), [1, 2.5]);
    assert.deepEqual(host({ two: () => new Set([3, 4]) }).two(), [3, 4]);
    assert.deepEqual(
      host({
        *two() {
          yield '5';
          yield '6.5';
        },
      }).two(),
      [5, 6.5],
    );
    const r = host({ two: () => 'ab' }).two();
    assert.equal(r[0], 0);
    assert.ok(Number.isNaN(r[1]));
  });

  it('host function: multi-value of the wrong length or not iterable is a TypeError', () => {
    for (const value of [[1], [1, 2, 3], [], 5, undefined, { length: 2, 0: 1, 1: 2 }]) {
      assert.throws(() => host({ two: () => value }).two(), TypeError, String(value));
    }
  });

  it('host function: an exception thrown while converting its result propagates', () => {
    const boom = new Error('valueOf in result');
    assert.throws(
      () => host({ r32: () => ({ valueOf() { throw boom; } }) }).r32(),
      (e) => e === boom,
    );
  });

  it('reentrancy: Wasm -> JS -> the same Wasm instance', () => {
    let e;
    e = instantiate(
      `(module (import "m" "cb" (func $cb (param i32) (result i32)))
        (func (export "fact") (param i32) (result i32)
          (if (result i32) (i32.le_s (local.get 0) (i32.const 1)) (then (i32.const 1))
            (else (i32.mul (local.get 0) (call $cb (i32.sub (local.get 0) (i32.const 1))))))))`,
      { m: { cb: (n) => e.fact(n) } },
    );
    assert.equal(e.fact(10), 3628800);
  });

  // ---- tail calls (WebAssembly 3.0; Node 20's V8 executes them too) ----

  it('tail calls: deep mutual tail recursion does not overflow', () => {
    const { even } = instantiate(`(module
      (func $even (export "even") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
          (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
      (func $odd (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (return_call $even (i32.sub (local.get 0) (i32.const 1)))))))`);
    assert.equal(even(1_000_000), 1);
    assert.equal(even(1_000_001), 0);
  });

  it('tail calls: a tail-called JS import returns its result to the caller', () => {
    const seen = [];
    const e = instantiate(
      `(module (import "m" "f" (func $f (param i32) (result i32)))
        (table 1 funcref) (elem (i32.const 0) $f)
        (func (export "direct") (param i32) (result i32) (return_call $f (local.get 0)))
        (func (export "indirect") (param i32) (result i32)
          (return_call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
        (func (export "bad") (result i32) (return_call_indirect (result i32) (i32.const 0))))`,
      { m: { f: (x) => { seen.push(x); return x * 2; } } },
    );
    assert.equal(e.direct(21), 42);
    assert.equal(e.indirect(5), 10);
    assert.deepEqual(seen, [21, 5]);
    assert.throws(() => e.bad(), WA.RuntimeError);
  });

  // ---- typed function references (WebAssembly 3.0). Node 20's V8 does not support them
  // (without a flag): these cases run against ours only (deliberate difference). ----

  const typedRefs = { skip: name === 'v8' && "Node 20's V8 has no typed function references" };
  const TYPED = `(module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $nop (export "nop") (type $v))
    (func (export "apply") (param $f (ref $ii)) (param i32) (result i32)
      (call_ref $ii (local.get 1) (local.get $f)))
    (func (export "applyNull") (param $f (ref null $ii)) (result i32)
      (block $null (return (call_ref $ii (i32.const 10) (br_on_null $null (local.get $f)))))
      (i32.const -1))
    (func (export "self") (result (ref $ii)) (ref.func $inc))
    (func (export "ext") (param (ref extern)) (result (ref extern)) (local.get 0))
    (func (export "anyFunc") (param (ref func)) (result i32) (i32.const 1)))`;

  it('typed refs: (ref $t) parameters take Exported Functions of that type only', typedRefs, latest(() => {
    const e = instantiate(TYPED);
    assert.equal(e.apply(e.inc, 41), 42);
    // A function of another module with an equivalent type matches.
    const other = instantiate('(module (func (export "dbl") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1))))');
    assert.equal(e.apply(other.dbl, 21), 42);
    for (const bad of [e.nop, null, undefined, 0, () => 1, {}]) {
      assert.throws(() => e.apply(bad, 1), TypeError, String(bad));
    }
    assert.equal(e.applyNull(e.inc), 11);
    assert.equal(e.applyNull(null), -1);
    assert.throws(() => e.applyNull(e.nop), TypeError);
    assert.equal(e.anyFunc(e.nop), 1);
    assert.throws(() => e.anyFunc(null), TypeError);
  }));

  it('typed refs: results and (ref extern)', typedRefs, latest(() => {
    const e = instantiate(TYPED);
    assert.equal(e.self(), e.inc);
    const o = {};
    assert.equal(e.ext(o), o);
    assert.equal(e.ext(undefined), undefined);
    assert.throws(() => e.ext(null), TypeError);
  }));

  it('typed refs: a JS import returning (ref $t) is checked', typedRefs, latest(() => {
    const { inc, nop } = instantiate(TYPED);
    const make = (ret) =>
      instantiate(
        `(module (type $ii (func (param i32) (result i32)))
          (import "m" "get" (func $get (result (ref $ii))))
          (func (export "run") (result i32) (call_ref $ii (i32.const 1) (call $get))))`,
        { m: { get: () => ret } },
      );
    assert.equal(make(inc).run(), 2);
    assert.throws(() => make(nop).run(), TypeError);
    assert.throws(() => make(null).run(), TypeError);
  }));

  it('typed refs: call_ref of null traps; return_call_ref runs in constant space', typedRefs, latest(() => {
    const e = instantiate(`(module
      (type $ii (func (param i32) (result i32)))
      (elem declare func $down)
      (func $down (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
          (else (return_call_ref $ii (i32.sub (local.get 0) (i32.const 1)) (ref.func $down)))))
      (func (export "down") (param i32) (result i32) (call $down (local.get 0)))
      (func (export "callNull") (result i32) (call_ref $ii (i32.const 0) (ref.null $ii)))
      (func (export "asNonNull") (result i32) (drop (ref.as_non_null (ref.null $ii))) (i32.const 0)))`);
    assert.equal(e.down(1_000_000), 7);
    assert.throws(() => e.callNull(), WA.RuntimeError);
    assert.throws(() => e.asNonNull(), WA.RuntimeError);
  }));
});
