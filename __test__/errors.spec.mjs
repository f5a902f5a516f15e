// CompileError, LinkError, RuntimeError (NativeError structure), trap
// messages, stack overflow, and JS exceptions passing through Wasm frames.

import { it } from 'node:test';
import { nodeMajor } from './helpers/node-line.mjs';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const ERROR_CLASSES = ['CompileError', 'LinkError', 'RuntimeError'];

const TRAPS = `(module
  (memory 1)
  (table 2 funcref)
  (type $v_i (func (result i32)))
  (func $wrong (param i32))
  (elem (i32.const 0) $wrong)
  (data $d "abc")
  (elem $e func $wrong)
  (func (export "unreachable") unreachable)
  (func (export "divS") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "divU") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)
  (func (export "divS64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_s)
  (func (export "remS") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_s)
  (func (export "remU64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.rem_u)
  (func (export "truncF64S") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
  (func (export "truncF32U") (param f32) (result i32) local.get 0 i32.trunc_f32_u)
  (func (export "truncF64S64") (param f64) (result i64) local.get 0 i64.trunc_f64_s)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "load64") (param i32) (result i64) local.get 0 i64.load offset=8)
  (func (export "store8") (param i32) local.get 0 i32.const 1 i32.store8)
  (func (export "fill") (param i32 i32) local.get 0 i32.const 0 local.get 1 memory.fill)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "init") (param i32) local.get 0 i32.const 0 i32.const 3 memory.init $d)
  (func (export "callIndirect") (param i32) (result i32) local.get 0 call_indirect (type $v_i))
  (func (export "tableGet") (param i32) (result funcref) local.get 0 table.get 0)
  (func (export "tableInit") (param i32) local.get 0 i32.const 0 i32.const 1 table.init $e)
  (func $rec (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
  (func (export "satS") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_s))`;

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  let traps;
  const T = () => (traps ??= new WA.Instance(new WA.Module(wat(TRAPS))).exports);

  /** Asserts that `fn` throws this impl's RuntimeError with exactly `message`. */
  const assertTrap = (fn, message) =>
    assert.throws(fn, (e) => {
      assert.ok(e instanceof WA.RuntimeError, `expected RuntimeError, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
      assert.equal(e.message, message);
      return true;
    });

  for (const name of ERROR_CLASSES) {
    it(`${name}: a NativeError-shaped subclass of Error`, () => {
      const C = WA[name];
      assert.equal(C.length, 1);
      assert.equal(C.name, name);
      assert.equal(Object.getPrototypeOf(C), Error);
      assert.equal(Object.getPrototypeOf(C.prototype), Error.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(C.prototype, 'name'), {
        value: name,
        writable: true,
        enumerable: false,
        configurable: true,
      });
      assert.deepEqual(Object.getOwnPropertyDescriptor(C.prototype, 'message'), {
        value: '',
        writable: true,
        enumerable: false,
        configurable: true,
      });
      assert.equal(C.prototype.constructor, C);
    });

    it(`${name}: instances`, () => {
      const C = WA[name];
      const e = new C('boom');
      assert.ok(e instanceof C);
      assert.ok(e instanceof Error);
      assert.equal(e.name, name);
      assert.equal(Object.hasOwn(e, 'name'), false);
      assert.equal(e.message, 'boom');
      assert.equal(Object.hasOwn(e, 'message'), true);
      assert.equal(String(e), `${name}: boom`);
      assert.equal(Object.prototype.toString.call(e), '[object Error]');
      assert.equal(typeof e.stack, 'string');
      assert.equal(new C().message, '');
      assert.equal(Object.hasOwn(new C(), 'message'), false);
      assert.equal(new C(42).message, '42');
    });

    it(`${name}: callable without new, accepts options.cause, subclassable`, () => {
      const C = WA[name];
      const e = C('x');
      assert.ok(e instanceof C);
      assert.equal(e.message, 'x');
      const withCause = new C('y', { cause: 5 });
      assert.equal(withCause.cause, 5);
      class Sub extends C {}
      const s = new Sub('z');
      assert.ok(s instanceof Sub);
      assert.ok(s instanceof C);
      assert.equal(s.name, name);
    });
  }

  it('the three classes are distinct', () => {
    const [a, b, c] = ERROR_CLASSES.map((n) => new WA[n]());
    assert.ok(!(a instanceof WA.LinkError) && !(a instanceof WA.RuntimeError));
    assert.ok(!(b instanceof WA.CompileError) && !(b instanceof WA.RuntimeError));
    assert.ok(!(c instanceof WA.CompileError) && !(c instanceof WA.LinkError));
  });

  it('thrown errors carry the class: CompileError, LinkError, RuntimeError', () => {
    assert.throws(() => new WA.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99])), WA.CompileError);
    const m = new WA.Module(wat('(module (import "m" "f" (func)))'));
    assert.throws(() => new WA.Instance(m, { m: { f: 1 } }), (e) => e instanceof WA.LinkError && e.name === 'LinkError');
    assert.throws(() => T().unreachable(), (e) => e instanceof WA.RuntimeError && e.name === 'RuntimeError');
  });

  it('trap: "unreachable"', () => {
    assertTrap(() => T().unreachable(), 'unreachable');
  });

  it('trap: "divide by zero" (i32 and i64, signed and unsigned)', () => {
    assertTrap(() => T().divS(1, 0), 'divide by zero');
    assertTrap(() => T().divU(1, 0), 'divide by zero');
    assertTrap(() => T().divS64(1n, 0n), 'divide by zero');
  });

  it('trap: "divide result unrepresentable" (INT_MIN / -1)', () => {
    assertTrap(() => T().divS(-(2 ** 31), -1), 'divide result unrepresentable');
    assertTrap(() => T().divS64(-(2n ** 63n), -1n), 'divide result unrepresentable');
    assert.equal(T().divU(-(2 ** 31), -1), 0);
  });

  it('trap: "remainder by zero"; INT_MIN % -1 is 0', () => {
    assertTrap(() => T().remS(1, 0), 'remainder by zero');
    assertTrap(() => T().remU64(1n, 0n), 'remainder by zero');
    assert.equal(T().remS(-(2 ** 31), -1), 0);
  });

  it('trap: "float unrepresentable in integer range" (NaN, overflow, negative to unsigned)', () => {
    const msg = 'float unrepresentable in integer range';
    assertTrap(() => T().truncF64S(NaN), msg);
    assertTrap(() => T().truncF64S(2 ** 31), msg);
    assertTrap(() => T().truncF64S(-(2 ** 31) - 1), msg);
    assertTrap(() => T().truncF32U(-1), msg);
    assertTrap(() => T().truncF64S64(Infinity), msg);
    assert.equal(T().truncF64S(-(2 ** 31) - 0.5), -(2 ** 31));
    assert.equal(T().truncF32U(-0.9), 0);
    assert.equal(T().satS(NaN), 0);
    assert.equal(T().satS(1e10), 2 ** 31 - 1);
  });

  it('trap: "memory access out of bounds" (loads, stores, offsets, bulk ops)', () => {
    const msg = 'memory access out of bounds';
    assertTrap(() => T().load(65533), msg);
    assertTrap(() => T().load(-1), msg);
    assertTrap(() => T().load64(65528), msg);
    assertTrap(() => T().store8(65536), msg);
    assertTrap(() => T().fill(65000, 1000), msg);
    assertTrap(() => T().copy(0, 65000, 1000), msg);
    assertTrap(() => T().init(65534), msg);
    assert.equal(T().load(65532), 0);
  });

  it('trap: "table index is out of bounds" (call_indirect, table.get, table.init)', () => {
    const msg = 'table index is out of bounds';
    assertTrap(() => T().callIndirect(2), msg);
    assertTrap(() => T().callIndirect(-1), msg);
    assertTrap(() => T().tableGet(2), msg);
    assertTrap(() => T().tableInit(2), msg);
  });

  it('trap: "null function or function signature mismatch"', () => {
    // V8 14.6 (Node 26) shortened it; ours follows the line.
    const msg = nodeMajor >= 26 ? 'function signature mismatch' : 'null function or function signature mismatch';
    assertTrap(() => T().callIndirect(1), msg); // null entry
    assertTrap(() => T().callIndirect(0), msg); // (param i32) called as (result i32)
  });

  it('instantiation: segment out of bounds messages', () => {
    assert.throws(
      () => new WA.Instance(new WA.Module(wat('(module (memory 1) (data (i32.const 65535) "ab"))'))),
      // V8 12.4+ (Node 22 on) names the segment and its bounds; ours follows the line.
      (e) =>
        e instanceof WA.RuntimeError &&
        e.message.endsWith(
          nodeMajor >= 22
            ? 'data segment 0 is out of bounds (offset 65535, length 2, memory size 65536)'
            : 'data segment is out of bounds',
        ),
    );
    assert.throws(
      () => new WA.Instance(new WA.Module(wat('(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))'))),
      (e) => e instanceof WA.RuntimeError && /table index is out of bounds/.test(e.message),
    );
  });

  it('a trap leaves the instance usable', () => {
    assertTrap(() => T().unreachable(), 'unreachable');
    assert.equal(T().divS(7, 2), 3);
  });

  it('deep recursion is a RangeError like a JS stack overflow', () => {
    assert.throws(
      () => T().recurse(0),
      (e) => {
        assert.ok(e instanceof RangeError, `got ${e && e.constructor && e.constructor.name}`);
        assert.ok(!(e instanceof WA.RuntimeError));
        assert.equal(e.message, 'Maximum call stack size exceeded');
        return true;
      },
    );
    // ... and the instance still works afterwards.
    assert.equal(T().divS(9, 3), 3);
  });

  it('deep but bounded recursion (10,000 frames) works', () => {
    const { down } = new WA.Instance(
      new WA.Module(
        wat(`(module (func $down (export "down") (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))`),
      ),
    ).exports;
    assert.equal(down(10000), 10000);
  });

  it('a JS exception from an import reaches the caller as the same object', () => {
    const boom = new TypeError('from JS');
    const { run } = new WA.Instance(
      new WA.Module(wat('(module (import "m" "f" (func $f)) (func $mid call $f) (func (export "run") call $mid))')),
      { m: { f: () => { throw boom; } } },
    ).exports;
    assert.throws(() => run(), (e) => e === boom);
  });

  it('non-Error throw values pass through Wasm unchanged', () => {
    for (const value of [42, 'str', undefined, null, Symbol.iterator, { a: 1 }, 10n]) {
      const { run } = new WA.Instance(
        new WA.Module(wat('(module (import "m" "f" (func $f)) (func (export "run") call $f))')),
        { m: { f: () => { throw value; } } },
      ).exports;
      assert.throws(() => run(), (e) => e === value);
    }
  });

  it('exceptions cross several JS and Wasm frames; JS in between can catch traps', () => {
    const boom = new Error('deep');
    let inner;
    const imports = {
      m: {
        // JS -> Wasm (callback) -> JS (thrower)
        bounce: () => inner.exports.callThrower(),
        thrower: () => { throw boom; },
        catcher: () => {
          try {
            inner.exports.trap();
          } catch (e) {
            return e instanceof WA.RuntimeError ? 1 : 2;
          }
          return 0;
        },
      },
    };
    inner = new WA.Instance(
      new WA.Module(wat('(module (import "m" "thrower" (func $t)) (func (export "callThrower") call $t) (func (export "trap") unreachable))')),
      imports,
    );
    const outer = new WA.Instance(
      new WA.Module(
        wat(`(module (import "m" "bounce" (func $b)) (import "m" "catcher" (func $c (result i32)))
          (func (export "run") call $b) (func (export "caught") (result i32) call $c))`),
      ),
      imports,
    ).exports;
    assert.throws(() => outer.run(), (e) => e === boom);
    assert.equal(outer.caught(), 1);
  });

  it('a trap in Wasm called from an import propagates out through the outer Wasm', () => {
    let inner;
    const outer = new WA.Instance(
      new WA.Module(wat('(module (import "m" "f" (func $f)) (func (export "run") call $f))')),
      { m: { f: () => inner.exports.div(1, 0) } },
    ).exports;
    inner = new WA.Instance(new WA.Module(wat('(module (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))')));
    assertTrap(() => outer.run(), 'divide by zero');
  });
});
