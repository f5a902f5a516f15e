// WebAssembly.Instance: construction, the exports object, import resolution
// and link errors, the start function, segment initialisation.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';

const EXPORTS_ALL = `(module
  (func $f (export "f") (result i32) i32.const 1)
  (memory (export "mem") 1)
  (table (export "tbl") 1 funcref)
  (global (export "g") i32 (i32.const 7))
  (export "f2" (func $f)))`;

const IMPORTS_ALL = `(module
  (import "a" "x" (func))
  (import "b" "y" (global i32))
  (import "a" "z" (memory 1)))`;

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  const instantiate = (text, imports) => new WA.Instance(new WA.Module(wat(text)), imports);

  it('new Instance(module) and @@toStringTag', () => {
    const i = instantiate('(module)');
    assert.ok(i instanceof WA.Instance);
    assert.equal(Object.prototype.toString.call(i), '[object WebAssembly.Instance]');
    assert.equal(WA.Instance.prototype.constructor, WA.Instance);
    assert.equal(
      Object.getOwnPropertyDescriptor(WA.Instance.prototype, Symbol.toStringTag).value,
      'WebAssembly.Instance',
    );
  });

  it('Instance without new is a TypeError', () => {
    assert.throws(() => WA.Instance(new WA.Module(wat('(module)'))), TypeError);
  });

  it('new Instance: TypeError when the first argument is not a Module', () => {
    for (const bad of [undefined, null, {}, wat('(module)'), WA.Module.prototype]) {
      assert.throws(() => new WA.Instance(bad), TypeError);
    }
  });

  it('exports: an accessor on the prototype returning the same object each time', () => {
    const d = Object.getOwnPropertyDescriptor(WA.Instance.prototype, 'exports');
    assert.equal(typeof d.get, 'function');
    assert.equal(d.set, undefined);
    assert.equal(d.enumerable, true);
    assert.equal(d.configurable, true);
    const i = instantiate(EXPORTS_ALL);
    assert.equal(i.exports, i.exports);
    assert.equal(Object.hasOwn(i, 'exports'), false);
  });

  it('exports getter: TypeError on a wrong receiver', () => {
    const get = Object.getOwnPropertyDescriptor(WA.Instance.prototype, 'exports').get;
    assert.throws(() => get.call({}), TypeError);
    assert.throws(() => get.call(WA.Instance.prototype), TypeError);
    assert.throws(() => get.call(new WA.Module(wat('(module)'))), TypeError);
  });

  it('exports object: null prototype and frozen', () => {
    const { exports } = instantiate(EXPORTS_ALL);
    assert.equal(Object.getPrototypeOf(exports), null);
    assert.ok(Object.isFrozen(exports));
    assert.ok(!Object.isExtensible(exports));
    // Module code is strict: writes to a frozen object throw.
    assert.throws(() => {
      exports.f = 1;
    }, TypeError);
    assert.throws(() => {
      exports.added = 1;
    }, TypeError);
    assert.throws(() => Object.defineProperty(exports, 'x', { value: 1 }), TypeError);
  });

  it('exports object: properties are enumerable, read-only, non-configurable, in export order', () => {
    const { exports } = instantiate(EXPORTS_ALL);
    assert.deepEqual(Object.keys(exports), ['f', 'mem', 'tbl', 'g', 'f2']);
    for (const key of Object.keys(exports)) {
      const d = Object.getOwnPropertyDescriptor(exports, key);
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [false, true, false], key);
    }
  });

  it('exports object: empty (but still frozen, null-prototype) without exports', () => {
    const { exports } = instantiate('(module (func))');
    assert.deepEqual(Object.keys(exports), []);
    assert.equal(Object.getPrototypeOf(exports), null);
    assert.ok(Object.isFrozen(exports));
  });

  it('exports: each kind is wrapped in its JS-API class', () => {
    const { exports } = instantiate(EXPORTS_ALL);
    assert.equal(typeof exports.f, 'function');
    assert.equal(exports.f(), 1);
    assert.ok(exports.mem instanceof WA.Memory);
    assert.equal(exports.mem.buffer.byteLength, 65536);
    assert.ok(exports.tbl instanceof WA.Table);
    assert.equal(exports.tbl.length, 1);
    assert.ok(exports.g instanceof WA.Global);
    assert.equal(exports.g.value, 7);
  });

  it('exports: the same function exported twice is the same object', () => {
    const { exports } = instantiate(EXPORTS_ALL);
    assert.equal(exports.f, exports.f2);
  });

  it('exports: an imported Memory/Table/Global is re-exported as the same object', () => {
    const mem = new WA.Memory({ initial: 1 });
    const tbl = new WA.Table({ initial: 1, element: 'anyfunc' });
    const g = new WA.Global({ value: 'i32', mutable: true }, 3);
    const { exports } = instantiate(
      `(module
        (import "m" "mem" (memory 1)) (import "m" "tbl" (table 1 funcref)) (import "m" "g" (global (mut i32)))
        (export "mem" (memory 0)) (export "tbl" (table 0)) (export "g" (global 0)) (export "g2" (global 0)))`,
      { m: { mem, tbl, g } },
    );
    assert.equal(exports.mem, mem);
    assert.equal(exports.tbl, tbl);
    assert.equal(exports.g, g);
    assert.equal(exports.g2, g);
  });

  it('exports: the same memory/table exported twice is the same object', () => {
    const { exports } = instantiate(
      '(module (memory 1) (table 1 funcref) (export "m1" (memory 0)) (export "m2" (memory 0)) (export "t1" (table 0)) (export "t2" (table 0)))',
    );
    assert.equal(exports.m1, exports.m2);
    assert.equal(exports.t1, exports.t2);
  });

  it('exports: the same defined global exported twice', () => {
    const { exports } = instantiate('(module (global $g i32 (i32.const 1)) (export "a" (global $g)) (export "b" (global $g)))');
    if (isV8) {
      // V8 deviation: no Global object cache, two distinct wrappers.
      assert.notEqual(exports.a, exports.b);
    } else {
      // Spec: the Global object cache gives one object per global address.
      assert.equal(exports.a, exports.b);
    }
    assert.equal(exports.a.value, exports.b.value);
  });

  it('imports: TypeError when the module has imports and no import object', () => {
    const m = new WA.Module(wat(IMPORTS_ALL));
    assert.throws(() => new WA.Instance(m), TypeError);
    assert.throws(() => new WA.Instance(m, undefined), TypeError);
  });

  it('imports: TypeError when the import object is not an object', () => {
    const m = new WA.Module(wat('(module)'));
    for (const bad of [null, 1, 'x', true]) {
      assert.throws(() => new WA.Instance(m, bad), TypeError, String(bad));
    }
    // No imports: an absent import object is fine, any object too.
    assert.ok(new WA.Instance(m, undefined));
    assert.ok(new WA.Instance(m, {}));
  });

  it('imports: TypeError when an import module is missing or not an object', () => {
    const m = new WA.Module(wat(IMPORTS_ALL));
    const mem = new WA.Memory({ initial: 1 });
    assert.throws(() => new WA.Instance(m, {}), TypeError);
    assert.throws(() => new WA.Instance(m, { a: 1, b: { y: 1 } }), TypeError);
    assert.throws(() => new WA.Instance(m, { a: { x() {}, z: mem }, b: 'str' }), TypeError);
  });

  it('imports: a function may serve as an import module object', () => {
    const m = new WA.Module(wat(IMPORTS_ALL));
    const a = Object.assign(function () {}, { x() {}, z: new WA.Memory({ initial: 1 }) });
    assert.ok(new WA.Instance(m, { a, b: { y: 1 } }));
  });

  it('imports: read with Get in import order, the module object once per import', () => {
    const log = [];
    const mem = new WA.Memory({ initial: 1 });
    const values = { x: () => {}, y: 1, z: mem };
    const imports = new Proxy(
      {},
      {
        get(_, mod) {
          log.push(mod);
          return new Proxy({}, { get: (__, name) => (log.push(`${mod}.${name}`), values[name]) });
        },
      },
    );
    new WA.Instance(new WA.Module(wat(IMPORTS_ALL)), imports);
    assert.deepEqual(log, ['a', 'a.x', 'b', 'b.y', 'a', 'a.z']);
  });

  it('imports: LinkError for a function import that is not callable', () => {
    const m = new WA.Module(wat('(module (import "m" "f" (func)))'));
    for (const bad of [undefined, 1, {}, 'f', new WA.Memory({ initial: 1 })]) {
      assert.throws(() => new WA.Instance(m, { m: { f: bad } }), WA.LinkError, String(bad));
    }
  });

  it('imports: LinkError for a Wasm function with the wrong signature', () => {
    const { exports } = instantiate('(module (func (export "f") (param i32) (result i32) local.get 0))');
    const m1 = new WA.Module(wat('(module (import "m" "f" (func (param i64) (result i32))))'));
    const m2 = new WA.Module(wat('(module (import "m" "f" (func (param i32))))'));
    const m3 = new WA.Module(wat('(module (import "m" "f" (func (param i32) (result i32))))'));
    assert.throws(() => new WA.Instance(m1, { m: { f: exports.f } }), WA.LinkError);
    assert.throws(() => new WA.Instance(m2, { m: { f: exports.f } }), WA.LinkError);
    assert.ok(new WA.Instance(m3, { m: { f: exports.f } }));
  });

  it('imports: any JS callable is accepted for any signature', () => {
    const m = new WA.Module(wat('(module (import "m" "f" (func (param i64 f32) (result f64))))'));
    for (const f of [() => 1, function () {}, class {}, Math.max, new Proxy(() => {}, {})]) {
      assert.ok(new WA.Instance(m, { m: { f } }));
    }
  });

  it('imports: an immutable global from a Number, a BigInt for i64', () => {
    const { exports } = instantiate(
      `(module
        (import "m" "i" (global $i i32)) (import "m" "l" (global $l i64))
        (import "m" "f" (global $f f32)) (import "m" "d" (global $d f64))
        (func (export "get") (result i32 i64 f32 f64) global.get $i global.get $l global.get $f global.get $d))`,
      { m: { i: 42.9, l: 2n ** 63n, f: 1.1, d: -0.5 } },
    );
    const [i, l, f, d] = exports.get();
    assert.equal(i, 42);
    assert.equal(l, -(2n ** 63n));
    assert.equal(f, Math.fround(1.1));
    assert.equal(d, -0.5);
  });

  it('imports: LinkError for a global import of the wrong JS type', () => {
    const i32 = new WA.Module(wat('(module (import "m" "g" (global i32)))'));
    const i64 = new WA.Module(wat('(module (import "m" "g" (global i64)))'));
    for (const bad of [1n, '1', undefined, null, {}]) {
      assert.throws(() => new WA.Instance(i32, { m: { g: bad } }), WA.LinkError, `i32 ${String(bad)}`);
    }
    for (const bad of [1, '1', undefined]) {
      assert.throws(() => new WA.Instance(i64, { m: { g: bad } }), WA.LinkError, `i64 ${String(bad)}`);
    }
  });

  it('imports: a WebAssembly.Global must match type and mutability', () => {
    const imm = new WA.Module(wat('(module (import "m" "g" (global i32)))'));
    const mut = new WA.Module(wat('(module (import "m" "g" (global (mut i32))))'));
    const G = (value, mutable, v) => new WA.Global({ value, mutable }, v);
    assert.ok(new WA.Instance(imm, { m: { g: G('i32', false, 1) } }));
    assert.ok(new WA.Instance(mut, { m: { g: G('i32', true, 1) } }));
    assert.throws(() => new WA.Instance(imm, { m: { g: G('i32', true, 1) } }), WA.LinkError);
    assert.throws(() => new WA.Instance(mut, { m: { g: G('i32', false, 1) } }), WA.LinkError);
    assert.throws(() => new WA.Instance(imm, { m: { g: G('f32', false, 1) } }), WA.LinkError);
    assert.throws(() => new WA.Instance(mut, { m: { g: G('i64', true, 1n) } }), WA.LinkError);
  });

  it('imports: a mutable global import needs a WebAssembly.Global, not a Number', () => {
    const mut = new WA.Module(wat('(module (import "m" "g" (global (mut i32))))'));
    assert.throws(() => new WA.Instance(mut, { m: { g: 1 } }), WA.LinkError);
  });

  it('imports: a mutable Global is shared between JS and the instance', () => {
    const g = new WA.Global({ value: 'i32', mutable: true }, 1);
    const { exports } = instantiate(
      `(module (import "m" "g" (global $g (mut i32)))
        (func (export "get") (result i32) global.get $g)
        (func (export "set") (param i32) local.get 0 global.set $g))`,
      { m: { g } },
    );
    g.value = 10;
    assert.equal(exports.get(), 10);
    exports.set(-3);
    assert.equal(g.value, -3);
  });

  it('imports: LinkError for a memory import that is not a Memory or too small', () => {
    const m = new WA.Module(wat('(module (import "m" "mem" (memory 2 3)))'));
    for (const bad of [undefined, {}, new ArrayBuffer(65536 * 2), new WA.Table({ initial: 2, element: 'anyfunc' })]) {
      assert.throws(() => new WA.Instance(m, { m: { mem: bad } }), WA.LinkError);
    }
    assert.throws(() => new WA.Instance(m, { m: { mem: new WA.Memory({ initial: 1, maximum: 3 }) } }), WA.LinkError);
    // The declared maximum must be respected by the import's maximum.
    assert.throws(() => new WA.Instance(m, { m: { mem: new WA.Memory({ initial: 2 }) } }), WA.LinkError);
    assert.throws(() => new WA.Instance(m, { m: { mem: new WA.Memory({ initial: 2, maximum: 4 }) } }), WA.LinkError);
    assert.ok(new WA.Instance(m, { m: { mem: new WA.Memory({ initial: 3, maximum: 3 }) } }));
  });

  it('imports: LinkError for a table import that is not a Table, too small, or of another type', () => {
    const m = new WA.Module(wat('(module (import "m" "t" (table 2 funcref)))'));
    for (const bad of [undefined, {}, [], new WA.Memory({ initial: 2 })]) {
      assert.throws(() => new WA.Instance(m, { m: { t: bad } }), WA.LinkError);
    }
    assert.throws(() => new WA.Instance(m, { m: { t: new WA.Table({ initial: 1, element: 'anyfunc' }) } }), WA.LinkError);
    assert.throws(() => new WA.Instance(m, { m: { t: new WA.Table({ initial: 2, element: 'externref' }) } }), WA.LinkError);
    assert.ok(new WA.Instance(m, { m: { t: new WA.Table({ initial: 5, element: 'anyfunc' }) } }));
  });

  it('start function: runs during instantiation, after the imports are bound', () => {
    const calls = [];
    const { exports } = instantiate(
      `(module (import "m" "log" (func $log (param i32)))
        (global $g (mut i32) (i32.const 0))
        (func $start (call $log (i32.const 9)) (global.set $g (i32.const 5)))
        (start $start)
        (func (export "g") (result i32) global.get $g))`,
      { m: { log: (x) => calls.push(x) } },
    );
    assert.deepEqual(calls, [9]);
    assert.equal(exports.g(), 5);
  });

  it('start function: a trap is a RuntimeError from the constructor', () => {
    assert.throws(() => instantiate('(module (func $s unreachable) (start $s))'), WA.RuntimeError);
  });

  it('start function: an exception thrown by an import propagates unchanged', () => {
    const boom = new Error('from JS');
    assert.throws(
      () => instantiate('(module (import "m" "f" (func $f)) (start $f))', { m: { f: () => { throw boom; } } }),
      (e) => e === boom,
    );
    const notAnError = { reason: 42 };
    assert.throws(
      () =>
        instantiate('(module (import "m" "f" (func $f)) (func $s call $f) (start $s))', {
          m: { f: () => { throw notAnError; } },
        }),
      (e) => e === notAnError,
    );
  });

  it('data segments: written into an imported memory at instantiation', () => {
    const mem = new WA.Memory({ initial: 1 });
    instantiate('(module (import "m" "mem" (memory 1)) (data (i32.const 10) "Hi\\00!"))', { m: { mem } });
    assert.deepEqual([...new Uint8Array(mem.buffer, 10, 4)], [72, 105, 0, 33]);
  });

  it('data segments: out of bounds is a RuntimeError; earlier segments stay written', () => {
    const mem = new WA.Memory({ initial: 1 });
    assert.throws(
      () =>
        instantiate('(module (import "m" "mem" (memory 1)) (data (i32.const 0) "ok") (data (i32.const 65535) "xy"))', {
          m: { mem },
        }),
      WA.RuntimeError,
    );
    assert.deepEqual([...new Uint8Array(mem.buffer, 0, 2)], [111, 107]);
    assert.equal(new Uint8Array(mem.buffer)[65535], 0);
  });

  it('element segments: written into an imported table; out of bounds is a RuntimeError', () => {
    const tbl = new WA.Table({ initial: 2, element: 'anyfunc' });
    instantiate('(module (import "m" "t" (table 2 funcref)) (func $f (result i32) i32.const 3) (elem (i32.const 1) $f))', {
      m: { t: tbl },
    });
    assert.equal(tbl.get(0), null);
    assert.equal(tbl.get(1)(), 3);
    assert.throws(
      () => instantiate('(module (import "m" "t" (table 2 funcref)) (func $f) (elem (i32.const 2) $f))', { m: { t: tbl } }),
      WA.RuntimeError,
    );
  });

  it('instances of one module have separate state; imported state is shared', () => {
    const mem = new WA.Memory({ initial: 1 });
    const m = new WA.Module(
      wat(`(module (import "m" "mem" (memory 1)) (global $n (mut i32) (i32.const 0))
        (func (export "bump") (result i32)
          (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
          (global.set $n (i32.add (global.get $n) (i32.const 1)))
          global.get $n))`),
    );
    const a = new WA.Instance(m, { m: { mem } });
    const b = new WA.Instance(m, { m: { mem } });
    assert.equal(a.exports.bump(), 1);
    assert.equal(a.exports.bump(), 2);
    assert.equal(b.exports.bump(), 1);
    assert.equal(new Uint32Array(mem.buffer)[0], 3);
  });
});
