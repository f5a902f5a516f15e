// WebAssembly.JSTag (https://webassembly.github.io/spec/js-api/#dom-webassembly-jstag): the
// JavaScript exception tag (https://webassembly.github.io/spec/js-api/#js-exception-tag), type
// [externref] → [], exposed on the namespace. JS values thrown through wasm are exceptions of this
// tag: a module importing it can `catch` them (getting the thrown value itself as externref) and
// `throw` JS values with it (the JS caller gets the raw value, not a WebAssembly.Exception).
//
// Node 20's V8 has no `WebAssembly.JSTag` (it came with exnref in V8 12.4, Node 22); ours follows
// the profile: absent in node20, present from node22. On Node 20 the V8 variant asserts that it
// is absent and skips the cases that need it; ours runs them with the "latest" profile. The legacy try/catch cases need no exnref (they must work in the Node 20 feature
// profile); the try_table/throw_ref cases are in their own `describe` block (WebAssembly 3.0
// exception handling, the "latest" feature profile).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as impls from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { nodeMajor } from './helpers/node-line.mjs';

const { forEachImpl } = impls;
// Runs a case under the "latest" feature profile (exnref) where the helpers have one (the profile
// switch of main); without it every feature is on already.
const latest = impls.latest ?? ((body) => body);

const NO_JSTAG = 'V8 in Node 20 has no WebAssembly.JSTag';

/** The value thrown by `f`, or a failure when it returns. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

// Values thrown by JS imports in the catching cases (all kinds: objects, primitives, null).
const VALUES = () => [{}, new Error('e'), 42, 'str', 1n, Symbol('s'), undefined, null, true];

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  const skip = isV8 && nodeMajor < 22 ? NO_JSTAG : undefined;

  if (nodeMajor < 22) {
    it('Node 20 has no WebAssembly.JSTag (V8 11.3, and ours in the node20 profile)', impls.withProfile('node20', () => {
      assert.equal(Object.hasOwn(WA, 'JSTag'), false);
      assert.equal(WA.JSTag, undefined);
    }));
    // Ours runs the cases with the "latest" profile, which has JSTag.
    if (!isV8) impls.latestInThisBlock();
  }

  it('JSTag: a read-only data property, not enumerable, configurable (as V8 12.4+ installs it)', { skip }, () => {
    // WebIDL makes it an accessor ("get JSTag"); ours follows V8.
    const d = Object.getOwnPropertyDescriptor(WA, 'JSTag');
    assert.deepEqual([d.writable, d.enumerable, d.configurable, 'get' in d], [false, false, true, false]);
    // Read-only: an assignment in strict code (this module) is a TypeError.
    assert.throws(() => {
      WA.JSTag = 1;
    }, TypeError);
    assert.ok(WA.JSTag instanceof WA.Tag);
  });

  it('JSTag is a WebAssembly.Tag, and the same object every time', { skip }, () => {
    const t = WA.JSTag;
    assert.ok(t instanceof WA.Tag);
    assert.equal(Object.getPrototypeOf(t), WA.Tag.prototype);
    assert.equal(Object.prototype.toString.call(t), '[object WebAssembly.Tag]');
    assert.equal(WA.JSTag, t);
    assert.equal(Object.getOwnPropertyDescriptor(WA, 'JSTag').value, t);
  });

  it('new Exception(JSTag, [x]) is a TypeError', { skip }, () => {
    assert.throws(() => new WA.Exception(WA.JSTag, [{}]), TypeError);
    assert.throws(() => new WA.Exception(WA.JSTag, [null]), TypeError);
    // (Also with a payload of the wrong length: the JSTag check comes first.)
    assert.throws(() => new WA.Exception(WA.JSTag, []), TypeError);
  });

  it('an Exception of another [externref] tag is not of the JSTag', { skip }, () => {
    const tag = new WA.Tag({ parameters: ['externref'] });
    const e = new WA.Exception(tag, [{}]);
    assert.equal(e.is(WA.JSTag), false);
    assert.throws(() => e.getArg(WA.JSTag, 0), TypeError);
  });

  it('importing JSTag with another type is a LinkError; [externref] links', { skip }, () => {
    for (const params of ['', '(param i32)', '(param externref externref)', '(param funcref)']) {
      const m = new WA.Module(wat(`(module (import "m" "t" (tag ${params})))`));
      assert.throws(() => new WA.Instance(m, { m: { t: WA.JSTag } }), WA.LinkError, params);
    }
    const ok = new WA.Module(wat('(module (import "m" "t" (tag (param externref))))'));
    assert.ok(new WA.Instance(ok, { m: { t: WA.JSTag } }) instanceof WA.Instance);
  });

  it('LinkError also through WebAssembly.instantiate', { skip }, async () => {
    const bytes = wat('(module (import "m" "t" (tag (param i32))))');
    await assert.rejects(WA.instantiate(bytes, { m: { t: WA.JSTag } }), WA.LinkError);
  });

  it('exporting a JSTag import gives back JSTag itself', { skip }, () => {
    const m = new WA.Module(
      wat('(module (import "m" "t" (tag $t (param externref))) (export "t" (tag $t)) (export "u" (tag $t)))'),
    );
    const { exports } = new WA.Instance(m, { m: { t: WA.JSTag } });
    assert.equal(exports.t, WA.JSTag);
    assert.equal(exports.u, WA.JSTag);
    // And a re-exported JSTag imported again is still JSTag.
    const { exports: again } = new WA.Instance(m, { m: { t: exports.t } });
    assert.equal(again.t, WA.JSTag);
  });

  describe('legacy try/catch with an imported JSTag (no exnref needed)', { skip }, () => {
    const instance = (imports) =>
      new WA.Instance(
        new WA.Module(
          wat(`(module
            (import "m" "t" (tag $t (param externref)))
            (import "m" "f" (func $f (param externref)))
            (tag $own (param externref))
            (func (export "catchT") (param externref) (result externref)
              try (result externref)
                local.get 0 call $f
                ref.null extern
              catch $t
              end)
            (func (export "catchNull") (param externref) (result i32)
              try (result i32)
                local.get 0 call $f
                i32.const 2
              catch $t
                ref.is_null
              end)
            (func (export "catchAll") (param externref) (result i32)
              try (result i32)
                local.get 0 call $f
                i32.const 0
              catch_all
                i32.const 1
              end)
            (func (export "catchOwn") (param externref) (result i32)
              try (result i32)
                local.get 0 call $f
                i32.const 0
              catch $own
                drop i32.const 1
              end)
            (func (export "rethrow") (param externref)
              try
                local.get 0 call $f
              catch $t
                drop rethrow 0
              end)
            (func (export "catchAllRethrow") (param externref)
              try
                local.get 0 call $f
              catch_all
                rethrow 0
              end)
            (func (export "catchAndThrow") (param externref)
              try
                local.get 0 call $f
              catch $t
                throw $t
              end)
            (func (export "throwT") (param externref)
              local.get 0 throw $t)
            (func (export "throwOwn") (param externref)
              local.get 0 throw $own)
            (func (export "trap") (result i32)
              try (result i32)
                unreachable
              catch $t
                drop i32.const 1
              catch_all
                i32.const 2
              end)
            (func (export "trapFromImport") (param externref) (result i32)
              try (result i32)
                local.get 0 call $f
                i32.const 0
              catch $t
                drop i32.const 1
              catch_all
                i32.const 2
              end))`),
        ),
        { m: { t: WA.JSTag, f: (x) => { throw x; }, ...imports } },
      ).exports;

    it('catch $t catches a JS value thrown by an import: the very same value', () => {
      const { catchT } = instance();
      for (const v of VALUES()) assert.equal(catchT(v), v);
      const obj = {};
      assert.equal(catchT(obj), obj);
    });

    it('a thrown null arrives as ref.null extern (ToWebAssemblyValue(v, externref))', () => {
      const { catchNull } = instance();
      assert.equal(catchNull(null), 1);
      assert.equal(catchNull(undefined), 0);
      assert.equal(catchNull(0), 0);
    });

    it('catch_all still catches JS values', () => {
      const { catchAll } = instance();
      for (const v of VALUES()) assert.equal(catchAll(v), 1);
    });

    it('a WebAssembly.Exception thrown by JS is not caught by catch $t and passes through', () => {
      const { catchT, catchNull } = instance();
      const exn = new WA.Exception(new WA.Tag({ parameters: ['externref'] }), [{}]);
      assert.equal(thrown(() => catchT(exn)), exn);
      assert.equal(thrown(() => catchNull(exn)), exn);
    });

    it('a JS value is not caught by a catch of another [externref] tag', () => {
      const { catchOwn } = instance();
      const obj = {};
      assert.equal(thrown(() => catchOwn(obj)), obj);
    });

    it('rethrow of a caught JS value gives back the same value', () => {
      const { rethrow, catchAllRethrow } = instance();
      for (const v of VALUES()) {
        assert.equal(thrown(() => rethrow(v)), v);
        assert.equal(thrown(() => catchAllRethrow(v)), v);
      }
    });

    it('throw $t with the caught payload delivers the raw value again', () => {
      const { catchAndThrow } = instance();
      const obj = {};
      assert.equal(thrown(() => catchAndThrow(obj)), obj);
    });

    it('wasm throw $t (v) delivers the raw value v to the JS caller, not an Exception', () => {
      const { throwT } = instance();
      for (const v of VALUES()) {
        const e = thrown(() => throwT(v));
        assert.equal(e, v);
        assert.equal(e instanceof WA.Exception, false);
      }
    });

    it('a throw of another [externref] tag gives a WebAssembly.Exception (contrast)', () => {
      const { throwOwn } = instance();
      const obj = {};
      const e = thrown(() => throwOwn(obj));
      assert.ok(e instanceof WA.Exception);
      assert.equal(e.is(WA.JSTag), false);
    });

    it('a JS value thrown by wasm with the JSTag is caught by catch $t in another instance', () => {
      const thrower = instance();
      const { catchT } = instance({ f: (x) => thrower.throwT(x) });
      const obj = {};
      assert.equal(catchT(obj), obj);
    });

    it('traps are never caught, neither by catch $t nor by catch_all', () => {
      const { trap } = instance();
      assert.throws(() => trap(), WA.RuntimeError);
      const inner = new WA.Instance(new WA.Module(wat('(module (func (export "trap") unreachable))'))).exports;
      const { trapFromImport } = instance({ f: () => inner.trap() });
      assert.throws(() => trapFromImport(null), WA.RuntimeError);
    });
  });

  // WebAssembly 3.0 exception handling (exnref): try_table/throw_ref.
  describe('try_table and throw_ref with an imported JSTag (exnref)', { skip }, () => {
    const instance = () =>
      new WA.Instance(
        new WA.Module(
          wat(`(module
            (import "m" "t" (tag $t (param externref)))
            (import "m" "f" (func $f (param externref)))
            (func (export "catchT") (param externref) (result externref)
              (block $h (result externref)
                (try_table (catch $t $h) (call $f (local.get 0)))
                (ref.null extern)))
            (func (export "catchRefT") (param externref) (result externref)
              (block $h (result externref exnref)
                (try_table (catch_ref $t $h) (call $f (local.get 0)))
                (return (ref.null extern)))
              (drop))
            (func (export "catchRefThrowRef") (param externref) (result externref)
              (block $h (result externref exnref)
                (try_table (catch_ref $t $h) (call $f (local.get 0)))
                (return (ref.null extern)))
              (throw_ref))
            (func (export "catchAllRefThrowRef") (param externref)
              (block $h (result exnref)
                (try_table (catch_all_ref $h) (call $f (local.get 0)))
                (return))
              (throw_ref))
            (func (export "catchAll") (param externref) (result i32)
              (block $h
                (try_table (catch_all $h) (call $f (local.get 0)))
                (return (i32.const 0)))
              (i32.const 1))
            (func (export "trap") (result i32)
              (block $h
                (try_table (catch_all $h) (unreachable))
                (return (i32.const 0)))
              (i32.const 1)))`),
        ),
        { m: { t: WA.JSTag, f: (x) => { throw x; } } },
      ).exports;

    it('try_table catch $t gets the thrown JS value itself', latest(() => {
      const { catchT } = instance();
      for (const v of VALUES()) assert.equal(catchT(v), v);
    }));

    it('try_table catch_ref $t gets the value and an exnref', latest(() => {
      const { catchRefT } = instance();
      const obj = {};
      assert.equal(catchRefT(obj), obj);
    }));

    it('throw_ref of a caught JS value rethrows the same value', latest(() => {
      const { catchRefThrowRef, catchAllRefThrowRef } = instance();
      for (const v of VALUES()) {
        assert.equal(thrown(() => catchRefThrowRef(v)), v);
        assert.equal(thrown(() => catchAllRefThrowRef(v)), v);
      }
    }));

    it('a WebAssembly.Exception passes through catch $t / catch_ref $t', latest(() => {
      const { catchT, catchRefT, catchRefThrowRef } = instance();
      const exn = new WA.Exception(new WA.Tag({ parameters: ['externref'] }), [{}]);
      assert.equal(thrown(() => catchT(exn)), exn);
      assert.equal(thrown(() => catchRefT(exn)), exn);
      assert.equal(thrown(() => catchRefThrowRef(exn)), exn);
    }));

    it('catch_all still catches JS values; traps are not caught', latest(() => {
      const { catchAll, trap } = instance();
      assert.equal(catchAll({}), 1);
      assert.throws(() => trap(), WA.RuntimeError);
    }));
  });
});
