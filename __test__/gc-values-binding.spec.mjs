// GC values at the JS boundary beyond gc-values.spec.mjs (issue #13): the identity of a GC
// object's JS object, GC values through import results, exceptions, tables and globals of
// defined types, `externref`s that wasm internalizes, V8's TypeError texts at each site, and
// release: a GC object held by JS stays alive, and is released once its JS object is collected
// (ours only: the binding's statistics).
//
// Every case runs on V8 (Node 22+, where GC is on by default) and on ours in the "latest"
// profile; deliberate differences are marked.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as impls from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { compilesGc } from './helpers/gc.mjs';

const require = createRequire(import.meta.url);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const MODULE = wat(`(module
  (type $s (struct (field (mut i32))))
  (type $a (array (mut i8)))
  (type $s0 (sub (struct (field i32))))
  (type $sub (sub $s0 (struct (field i32) (field i64))))
  (import "m" "f" (func $f (result structref)))
  (import "m" "h" (func $h (result i31ref)))
  (import "m" "k" (func $k (param anyref) (result anyref)))
  (global $g (mut anyref) (ref.null any))
  (global (export "gs") (mut (ref null $s)) (ref.null none))
  (global (export "gn") (mut nullref) (ref.null none))
  (table (export "ts") 1 (ref null $s))
  (tag $t (export "t") (param anyref))
  (func (export "mkS") (param i32) (result (ref $s)) (struct.new $s (local.get 0)))
  (func (export "mkA") (result (ref $a)) (array.new_default $a (i32.const 1)))
  (func (export "mkSub") (result (ref $sub)) (struct.new $sub (i32.const 1) (i64.const 2)))
  (func (export "takeS0") (param (ref $s0)) (result i32) (struct.get $s0 0 (local.get 0)))
  (func (export "getS") (param (ref null $s)) (result i32) (struct.get $s 0 (local.get 0)))
  (func (export "setG") (param anyref) (global.set $g (local.get 0)))
  (func (export "getG") (result anyref) (global.get $g))
  (func (export "callF") (result i32) (ref.test (ref $s) (call $f)))
  (func (export "callH") (result i32) (i31.get_s (ref.cast (ref i31) (call $h))))
  (func (export "callK") (param anyref) (result anyref) (call $k (local.get 0)))
  (func (export "extIsStruct") (param externref) (result i32) (ref.test (ref $s) (any.convert_extern (local.get 0))))
  (func (export "extIsI31") (param externref) (result i32) (ref.test (ref i31) (any.convert_extern (local.get 0))))
  (func (export "toExt") (param anyref) (result externref) (extern.convert_any (local.get 0)))
  (func (export "throwAny") (param anyref) (throw $t (local.get 0)))
  (func (export "churn") (param i32)
    (loop $l
      (drop (struct.new $s (local.get 0)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
)`);

/** Collects garbage until `done()` or the attempts run out (finalizers run between turns). */
async function collect(done, rounds = 20) {
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

const opaque = { name: 'TypeError', message: 'WebAssembly objects are opaque' };

impls.forEachImpl(({ WebAssembly: WA, isV8 }) => {
  const skip = compilesGc(WA, isV8, MODULE) ? false : 'this implementation does not compile GC here';

  describe('WasmGC values across the binding', { skip }, () => {
    if (!isV8) impls.latestInThisBlock();
    /** The exports, with `ret` as what the imports `f`/`h` return and `k` as the import `k`. */
    const instantiate = (imports = {}) => {
      const m = { f: () => imports.ret, h: () => imports.ret, k: (v) => (imports.k ? imports.k(v) : v) };
      return new WA.Instance(new WA.Module(MODULE), { m }).exports;
    };

    it('the same GC object is the same JS object every time (global, import round trip)', () => {
      const e = instantiate();
      const s = e.mkS(1);
      e.setG(s);
      assert.equal(e.getG(), e.getG());
      assert.equal(e.getG(), s);
      assert.equal(e.callK(s), s);
      const m = new WeakMap([[s, 'x']]);
      assert.equal(m.get(e.getG()), 'x');
      assert.notEqual(e.mkS(1), e.mkS(1));
    });

    it('an import returns GC values (structref, i31ref) checked against its result type', () => {
      const imports = {};
      const e = instantiate(imports);
      imports.ret = e.mkS(1);
      assert.equal(e.callF(), 1);
      imports.ret = null;
      assert.equal(e.callF(), 0);
      imports.ret = 5;
      assert.throws(() => e.callF(), TypeError);
      assert.equal(e.callH(), 5);
      imports.ret = 'x';
      assert.throws(() => e.callH(), TypeError);
      imports.ret = e.mkA();
      assert.throws(() => e.callH(), TypeError);
    });

    it('an import sees anyref arguments as ToJSValue gives them', () => {
      const imports = {};
      const e = instantiate(imports);
      const seen = [];
      imports.k = (v) => (seen.push(v), v);
      const s = e.mkS(2);
      const o = { o: 1 };
      assert.equal(e.callK(s), s);
      assert.equal(e.callK(7), 7);
      assert.equal(e.callK(o), o);
      assert.equal(e.callK(null), null);
      assert.deepEqual(seen, [s, 7, o, null]);
    });

    it('a subtype is accepted where its declared supertype is expected; other structs are not', () => {
      const e = instantiate();
      assert.equal(e.takeS0(e.mkSub()), 1);
      assert.throws(() => e.takeS0(e.mkS(1)), TypeError);
      assert.throws(() => e.takeS0(null), TypeError);
    });

    it('externref: a GC object or an i31-range Number made internal by any.convert_extern', () => {
      const e = instantiate();
      const s = e.mkS(1);
      assert.equal(e.extIsStruct(s), 1);
      assert.equal(e.extIsStruct({}), 0);
      assert.equal(e.extIsI31(5), 1);
      assert.equal(e.extIsI31(2 ** 31), 0);
      assert.equal(e.extIsI31(-0), 0);
      assert.equal(e.extIsI31('5'), 0);
      assert.equal(e.toExt(5), 5);
      assert.equal(e.toExt(s), s);
      assert.equal(e.toExt('str'), 'str');
    });

    it('an exception carries GC values both ways', () => {
      const e = instantiate();
      const s = e.mkS(3);
      for (const v of [s, 5, 'x', null]) {
        try {
          e.throwAny(v);
          assert.fail('no exception');
        } catch (x) {
          assert.ok(x instanceof WA.Exception);
          assert.ok(Object.is(x.getArg(e.t, 0), v));
        }
      }
      assert.equal(new WA.Exception(e.t, [s]).getArg(e.t, 0), s);
      const tag = new WA.Tag({ parameters: ['structref', 'i31ref'] });
      assert.equal(new WA.Exception(tag, [s, 4]).getArg(tag, 0), s);
      assert.throws(() => new WA.Exception(tag, [5, 4]), {
        name: 'TypeError',
        message: 'WebAssembly.Exception(): structref object must be null (if nullable) or a wasm struct',
      });
    });

    it('tables and globals of defined types take their own objects only, with V8’s texts', () => {
      const e = instantiate();
      const s = e.mkS(4);
      e.gs.value = s;
      assert.equal(e.gs.value, s);
      e.ts.set(0, s);
      assert.equal(e.ts.get(0), s);
      assert.equal(e.ts.grow(1, s), 1);
      assert.equal(e.ts.get(1), s);
      // The setter's prefix: "set WebAssembly.Global.value: " (V8 12.4), with a stray ")" later.
      const text = (m) => (err) =>
        err instanceof TypeError && /^set WebAssembly\.Global\.value\)?: /.test(err.message) && err.message.endsWith(m);
      assert.throws(() => {
        e.gs.value = 5;
      }, text('JS object does not match expected wasm type'));
      assert.throws(() => {
        e.gs.value = e.mkA();
      }, text('object is not a subtype of expected type'));
      assert.throws(() => {
        e.gn.value = 5;
      }, text('only null allowed for null types'));
      assert.throws(() => e.ts.set(0, 5), {
        name: 'TypeError',
        message: 'WebAssembly.Table.set(): Argument 1 is invalid for table: JS object does not match expected wasm type',
      });
      assert.throws(() => e.ts.grow(1, e.mkA()), {
        name: 'TypeError',
        message: 'WebAssembly.Table.grow(): Argument 1 is invalid: object is not a subtype of expected type',
      });
    });

    it('Global and Table of the abstract GC types: V8’s texts at each site', () => {
      const i31 = 'i31ref object must be null (if nullable) or a Number that fits in i31ref range';
      const eq = 'eqref object must be null (if nullable), or a wasm struct/array, or a Number that fits in i31ref range';
      assert.throws(() => new WA.Global({ value: 'i31ref' }, 'x'), { message: `WebAssembly.Global(): ${i31}` });
      assert.throws(() => new WA.Global({ value: 'eqref' }, 2 ** 31), { message: `WebAssembly.Global(): ${eq}` });
      assert.throws(() => new WA.Table({ element: 'i31ref', initial: 1 }, 'x'), {
        message: `WebAssembly.Table(): Argument 2 must be undefined or a value of type compatible with the type of the new table: ${i31}.`,
      });
      assert.throws(() => new WA.Table({ element: 'i31ref', initial: 1 }).set(0, 'x'), {
        message: `WebAssembly.Table.set(): Argument 1 is invalid for table: ${i31}`,
      });
      assert.throws(() => new WA.Table({ element: 'eqref', initial: 1 }).grow(1, 'x'), {
        message: `WebAssembly.Table.grow(): Argument 1 is invalid: ${eq}`,
      });
      const g = new WA.Global({ value: 'arrayref', mutable: true });
      assert.throws(
        () => {
          g.value = 1;
        },
        (err) => err instanceof TypeError && /^set WebAssembly\.Global\.value\)?: arrayref object must be null \(if nullable\) or a wasm array$/.test(err.message),
      );
    });

    it('an explicit undefined is a value for the GC types in new Global and Table.grow (as V8)', () => {
      assert.equal(new WA.Global({ value: 'anyref' }, undefined).value, undefined);
      assert.equal(new WA.Global({ value: 'anyref' }).value, null);
      assert.throws(() => new WA.Global({ value: 'eqref' }, undefined), TypeError);
      const t = new WA.Table({ element: 'anyref', initial: 0 });
      t.grow(1, undefined);
      t.grow(1);
      assert.equal(t.get(0), undefined);
      assert.equal(t.get(1), null);
      assert.throws(() => new WA.Table({ element: 'i31ref', initial: 0 }).grow(1, undefined), TypeError);
      // The constructor takes undefined as missing.
      assert.equal(new WA.Table({ element: 'eqref', initial: 1 }, undefined).get(0), null);
    });

    it('a table of a non-nullable type needs an explicit value (V8’s texts); RangeErrors name the type', () => {
      const e = new WA.Instance(
        new WA.Module(wat('(module (type $s (struct)) (table (export "tn") 1 1 (ref $s) (struct.new $s)))')),
      ).exports;
      assert.throws(() => e.tn.grow(1), {
        name: 'TypeError',
        message: 'WebAssembly.Table.grow(): Argument 1 must be specified for non-nullable element type',
      });
      assert.throws(() => e.tn.set(0), (err) => err instanceof TypeError && /^WebAssembly\.Table\.set\(\): Table of non-defaultable type \(ref .*\) needs explicit element$/.test(err.message));
      assert.throws(() => e.tn.set(0, null), {
        name: 'TypeError',
        message: 'WebAssembly.Table.set(): Argument 1 is invalid for table: JS object does not match expected wasm type',
      });
      for (const t of ['anyref', 'eqref', 'i31ref', 'structref', 'arrayref']) {
        // ("invalid index 5 into" in V8 12.4, "invalid address 5 in" later.)
        assert.throws(
          () => new WA.Table({ element: t, initial: 1 }).get(5),
          (err) => err instanceof RangeError && new RegExp(` 5 in(to)? ${t} table of size 1$`).test(err.message),
        );
      }
    });

    it('Tag parameters name the GC types', () => {
      const tag = new WA.Tag({ parameters: ['anyref', 'eqref', 'i31ref', 'structref', 'arrayref'] });
      const x = new WA.Exception(tag, ['a', 1, 2, null, null]);
      assert.equal(x.getArg(tag, 0), 'a');
      assert.throws(() => new WA.Tag({ parameters: ['nullref'] }), TypeError);
    });

    it('Object.preventExtensions, freeze and seal of a GC object are TypeErrors; reads see nothing', () => {
      const o = instantiate().mkA();
      assert.throws(() => Object.preventExtensions(o), opaque);
      assert.throws(() => Object.freeze(o), opaque);
      assert.throws(() => Object.seal(o), opaque);
      assert.throws(() => Reflect.set(o, 'x', 1), opaque);
      assert.equal(Object.getOwnPropertyDescriptor(o, 'x'), undefined);
      assert.equal(o instanceof Object, false);
      assert.equal(JSON.stringify({ a: o }), '{}');
      assert.equal(Object.keys(o).length, 0);
      assert.equal('toJSON' in o, false);
    });

    it('a GC object held only by JS survives the wasm heap’s collections', () => {
      const e = instantiate();
      const s = e.mkS(42);
      const collections = () => (isV8 ? 0 : require('../lib/native.js').reclaimStats(false)[5]);
      const before = collections();
      e.churn(1_000_000); // 16 MB of structs: past the core heap's 4 MiB first trigger
      if (!isV8) assert.ok(collections() > before, 'the core heap collected');
      assert.equal(e.getS(s), 42);
    });

    it('an instance whose vtable struct (in its own global) holds its functions is collected', async (t) => {
      // Every GC toolchain's module has this cycle: instance → global → struct → function →
      // instance. The imported JS function, one per instance, is freed only with its instance.
      const VTABLE = wat(`(module
        (type $fn (func (result i32)))
        (type $vt (struct (field (ref $fn))))
        (import "env" "f" (func $f (result i32)))
        (global $vtable (ref $vt) (struct.new $vt (ref.func $g)))
        (func $g (type $fn) (call $f))
        (func (export "run") (result i32) (call_ref $fn (struct.get $vt 0 (global.get $vtable)))))`);
      const module = new WA.Module(VTABLE);
      // Ours: the vtables the instances' globals root (the binding's counts).
      const rooted = () => (isV8 ? 0 : require('../lib/native.js').reclaimStats(true)[4]);
      const rootedBefore = rooted();
      let freed = 0;
      const registry = new FinalizationRegistry(() => freed++);
      const N = 100;
      for (let i = 0; i < N; i++) {
        const f = () => i;
        const { exports } = new WA.Instance(module, { env: { f } });
        assert.equal(exports.run(), i);
        registry.register(f, i);
      }
      if (!isV8) assert.ok(rooted() - rootedBefore >= N, 'each live instance roots its vtable');
      // Ours: the cycle collector runs once a batch of wrappers was released (amortised: at
      // least 32 releases, a few per instance), so the last instances may wait for the next
      // batch; before the fix every one of them stayed.
      await collect(() => freed >= N * 0.9 && rooted() - rootedBefore <= N * 0.3, 40);
      if (!isV8) {
        const left = rooted() - rootedBefore;
        assert.ok(left <= N * 0.3, `${left} of ${N} vtables are still rooted: their instances leaked`);
      }
      if (isV8 && freed < N * 0.9) {
        // V8 sometimes keeps everything within the window (binding-gc.spec.mjs): reported only.
        t.diagnostic(`V8 collected ${freed} of ${N} (reference only: not asserted)`);
        return;
      }
      assert.ok(freed >= N * 0.9, `only ${freed} of ${N} instances' imports were collected`);
    });

    if (!isV8) {
      it('a GC object is released once its JS object is collected (ours: the binding’s counts)', async () => {
        const native = require('../lib/native.js');
        const stats = () => native.reclaimStats(true);
        const e = instantiate();
        const before = stats();
        let held = [];
        for (let i = 0; i < 1000; i++) held.push(e.mkS(i));
        const during = stats();
        assert.ok(during[3] - before[3] >= 1000, `cached ${during[3] - before[3]}`);
        assert.ok(during[4] - before[4] >= 1000, `rooted ${during[4] - before[4]}`);
        const kept = held[500];
        held = null;
        await collect(() => stats()[4] - before[4] <= 1);
        const after = stats();
        assert.ok(after[4] - before[4] <= 1, `still rooted: ${after[4] - before[4]}`);
        assert.ok(after[3] - before[3] <= 1, `still cached: ${after[3] - before[3]}`);
        assert.equal(e.getS(kept), 500);
      });
    }
  });
});
