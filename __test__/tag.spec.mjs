// WebAssembly.Tag (https://webassembly.github.io/spec/js-api/#tags): construction from a TagType
// dictionary, ToValueType of every parameter, identity, subclassing, and tags in modules.
//
// Where V8 (Node 20) and the spec disagree the test follows the spec for ours and records V8's
// behaviour.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { importLabel, nodeMajor } from './helpers/node-line.mjs';
import { wat } from './helpers/wat.mjs';

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  it('[#62] new Tag({parameters}) for every ValueType except v128', () => {
    for (const p of [[], ['i32'], ['i64'], ['f32'], ['f64'], ['externref'], ['anyfunc'], ['i32', 'f64', 'anyfunc']]) {
      const tag = new WA.Tag({ parameters: p });
      assert.ok(tag instanceof WA.Tag, String(p));
      assert.equal(Object.prototype.toString.call(tag), '[object WebAssembly.Tag]');
      assert.equal(Object.getPrototypeOf(tag), WA.Tag.prototype);
      assert.deepEqual(Reflect.ownKeys(tag), []);
    }
  });

  it('[#62] "v128" is a ValueType: allowed by the spec (V8 throws a TypeError before Node 22)', () => {
    if (isV8 && nodeMajor < 22) {
      assert.throws(() => new WA.Tag({ parameters: ['v128'] }), TypeError);
    } else {
      assert.ok(new WA.Tag({ parameters: ['v128'] }) instanceof WA.Tag);
      assert.ok(new WA.Tag({ parameters: ['i32', 'v128'] }) instanceof WA.Tag);
    }
  });

  it('[#62] unknown value type names are TypeErrors', () => {
    // V8 12.4+ also takes "exnref" (deliberate difference: ours keeps the JS-API's ValueType
    // enumeration for it) and "anyref" (GC: as ours' node22+ profiles do).
    const extra = [...(isV8 && nodeMajor >= 22 ? [] : ['exnref']), ...(nodeMajor >= 22 ? [] : ['anyref'])];
    for (const bad of ['funcref', 'I32', 'i33', '', ...extra]) {
      assert.throws(
        () => new WA.Tag({ parameters: [bad] }),
        (e) => e instanceof TypeError && /parameter type at index #0/.test(e.message),
        bad,
      );
    }
    assert.throws(() => new WA.Tag({ parameters: ['i32', 'nope'] }), /index #1/);
  });

  it('[#62] parameters are converted with ToString', () => {
    assert.ok(new WA.Tag({ parameters: [{ toString: () => 'i32' }] }) instanceof WA.Tag);
    assert.throws(() => new WA.Tag({ parameters: [Symbol('i32')] }), TypeError);
    const boom = new Error('toString');
    assert.throws(() => new WA.Tag({ parameters: [{ toString() { throw boom; } }] }), (e) => e === boom);
  });

  it('[#62] the descriptor: required, an object, with a required `parameters` sequence', () => {
    for (const bad of [undefined, null, 1, 'i32', true]) {
      assert.throws(() => new WA.Tag(bad), TypeError, String(bad));
    }
    assert.throws(() => new WA.Tag(), TypeError);
    assert.throws(() => new WA.Tag({}), TypeError);
    for (const bad of [1, 'i32', null, true]) {
      assert.throws(() => new WA.Tag({ parameters: bad }), TypeError, String(bad));
    }
    const boom = new Error('getter');
    assert.throws(() => new WA.Tag({ get parameters() { throw boom; } }), (e) => e === boom);
  });

  it('[#62] `parameters` is a WebIDL sequence: any iterable (V8 reads an array-like)', () => {
    const set = { parameters: new Set(['i32', 'f64']) };
    const arrayLike = { parameters: { length: 1, 0: 'i32' } };
    function* gen() {
      yield 'i64';
      yield 'externref';
    }
    if (isV8) {
      // V8 reads `length` and indices: an iterable without `length` is rejected, an array-like
      // without @@iterator is accepted.
      assert.throws(() => new WA.Tag(set), TypeError);
      assert.ok(new WA.Tag(arrayLike) instanceof WA.Tag);
    } else {
      assert.ok(new WA.Tag(set) instanceof WA.Tag);
      assert.ok(new WA.Tag({ parameters: gen() }) instanceof WA.Tag);
      assert.throws(() => new WA.Tag(arrayLike), TypeError);
    }
  });

  it('[#62] spec order: Get(parameters), then each value is converted as it is iterated', () => {
    const log = [];
    const parameters = {
      [Symbol.iterator]() {
        log.push('@@iterator');
        let i = 0;
        return {
          next() {
            log.push(`next ${i}`);
            if (i === 2) return { done: true };
            const k = i++;
            return { done: false, value: { toString: () => (log.push(`toString ${k}`), 'i32') } };
          },
        };
      },
    };
    const descriptor = {
      get parameters() {
        log.push('get parameters');
        return parameters;
      },
    };
    if (isV8) {
      // V8 wants `length`; this object has none.
      assert.throws(() => new WA.Tag(descriptor), TypeError);
      assert.deepEqual(log, ['get parameters']);
      return;
    }
    new WA.Tag(descriptor);
    assert.deepEqual(log, ['get parameters', '@@iterator', 'next 0', 'toString 0', 'next 1', 'toString 1', 'next 2']);
  });

  it('[#62] every Tag is a distinct tag, even with the same type', () => {
    const a = new WA.Tag({ parameters: ['i32'] });
    const b = new WA.Tag({ parameters: ['i32'] });
    assert.notEqual(a, b);
    const e = new WA.Exception(a, [1]);
    assert.equal(e.is(a), true);
    assert.equal(e.is(b), false);
  });

  it('[#5] [#62] Tag is a constructor: without new it is a TypeError; length 1', () => {
    assert.throws(() => WA.Tag({ parameters: [] }), TypeError);
    assert.equal(WA.Tag.length, 1);
    assert.equal(WA.Tag.name, 'Tag');
  });

  it('[#62] subclassing: instances of the subclass (V8 returns a plain Tag)', () => {
    class MyTag extends WA.Tag {}
    const t = new MyTag({ parameters: ['i32'] });
    if (isV8) {
      assert.equal(t instanceof MyTag, false);
      assert.ok(t instanceof WA.Tag);
    } else {
      assert.ok(t instanceof MyTag);
      assert.ok(t instanceof WA.Tag);
      assert.equal(new WA.Exception(t, [3]).getArg(t, 0), 3);
    }
  });

  // ----- tags in modules ----------------------------------------------------------------------

  it('[#16] [#62] Module.exports/imports list kind "tag"', () => {
    const m = new WA.Module(wat('(module (import "m" "t" (tag (param i32))) (tag $u (param f64)) (export "u" (tag $u)))'));
    assert.deepEqual(WA.Module.imports(m), [{ module: 'm', name: 't', kind: 'tag' }]);
    assert.deepEqual(WA.Module.exports(m), [{ name: 'u', kind: 'tag' }]);
  });

  it('[#62] an exported tag is a WebAssembly.Tag, the same object every time', () => {
    const m = new WA.Module(wat('(module (tag $t (param i32)) (export "t" (tag $t)) (export "t2" (tag $t)))'));
    const { t, t2 } = new WA.Instance(m).exports;
    assert.ok(t instanceof WA.Tag);
    assert.equal(Object.prototype.toString.call(t), '[object WebAssembly.Tag]');
    assert.equal(t, t2);
  });

  it('[#62] an imported Tag is re-exported as the same object; a non-Tag is a LinkError', () => {
    const m = new WA.Module(wat('(module (import "m" "t" (tag $t (param i32))) (export "t" (tag $t)))'));
    const tag = new WA.Tag({ parameters: ['i32'] });
    assert.equal(new WA.Instance(m, { m: { t: tag } }).exports.t, tag);
    assert.throws(() => new WA.Instance(m, { m: { t: {} } }), WA.LinkError);
    assert.throws(() => new WA.Instance(m, { m: { t: new WA.Tag({ parameters: ['i64'] }) } }), WA.LinkError);
  });
  it('[#62] a tag import that is not a Tag, or of another type, is a LinkError with V8\'s text', () => {
    const m = new WA.Module(wat('(module (import "m" "t" (tag (param i32))))'));
    assert.throws(
      () => new WA.Instance(m, { m: { t: () => {} } }),
      (e) => e instanceof WA.LinkError && e.message.endsWith(`${importLabel(0, 'm', 't')}: tag import requires a WebAssembly.Tag`),
    );
    assert.throws(
      () => new WA.Instance(m, { m: { t: new WA.Tag({ parameters: ['f32'] }) } }),
      (e) => e instanceof WA.LinkError && /imported tag does not match the expected type/.test(e.message),
    );
  });

  it('[#62] an imported tag is the same tag: exceptions of it are caught by the importer', () => {
    const a = new WA.Instance(
      new WA.Module(wat('(module (tag $t (export "t") (param i32)) (func (export "throw") (param i32) local.get 0 throw $t))')),
    ).exports;
    const b = new WA.Instance(
      new WA.Module(
        wat(`(module (import "m" "t" (tag $t (param i32))) (import "m" "throw" (func $throw (param i32)))
          (func (export "run") (param i32) (result i32) try (result i32) local.get 0 call $throw i32.const 0 catch $t end))`),
      ),
      { m: a },
    ).exports;
    assert.equal(b.run(12), 12);
    // Another instance of the exporting module has another tag: not caught by $t.
    const c = new WA.Instance(
      new WA.Module(wat('(module (tag $t (export "t") (param i32)) (func (export "throw") (param i32) local.get 0 throw $t))')),
    ).exports;
    const d = new WA.Instance(
      new WA.Module(
        wat(`(module (import "m" "t" (tag $t (param i32))) (import "m" "throw" (func $throw (param i32)))
          (func (export "run") (param i32) (result i32) try (result i32) local.get 0 call $throw i32.const 0 catch $t end))`),
      ),
      { m: { t: a.t, throw: c.throw } },
    ).exports;
    assert.throws(() => d.run(1), (e) => e instanceof WA.Exception && e.is(c.t) && !e.is(a.t));
  });
});
