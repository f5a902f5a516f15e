// WebIDL argument conversion: dictionaries read in spec order (observed with getters and
// valueOf/toString), [EnforceRange] unsigned long edge cases, optional `any` arguments
// (missing vs undefined), the RangeError and CompileError limits of the JS-API
// (https://webassembly.github.io/spec/js-api/#limits), Table values and Global value types.
//
// Checklist rows (js-api-checklist.md §1): #49, #56–#60, and the limits.
// Deliberate difference: ours reads the descriptors' `address` member (memory64:
// MemoryDescriptor {address, initial, maximum, shared}, TableDescriptor {address, element,
// initial, maximum}, in lexicographic order, each AddressValue converted as it is read, as the
// JS-API tests have it); Node 20's V8 has no `address` (see memory64.spec.mjs and
// table64.spec.mjs).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, needsFixedSharedBuffers } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { recording } from './helpers/recording.mjs';
import { nodeMajor, byLine } from './helpers/node-line.mjs';
import { concat, HEADER, section, uleb, vec } from './helpers/wasm-binary.mjs';

/** A module with `count` items of section `id`, each encoded as `item`. */
const repeated = (id, count, item) => {
  const body = new Uint8Array(item.length * count).map((_, i) => item[i % item.length]);
  const head = uleb(count);
  return concat([Uint8Array.from(HEADER), Uint8Array.from([id, ...uleb(head.length + body.length), ...head]), body]);
};

/** A module with `n` functions of type [] → [] (empty bodies). */
function manyFunctions(n) {
  const head = uleb(n);
  const funcSec = concat([Uint8Array.from([3, ...uleb(head.length + n), ...head]), new Uint8Array(n)]);
  const bodies = new Uint8Array(3 * n).map((_, i) => [2, 0, 0x0b][i % 3]);
  const codeSec = concat([Uint8Array.from([10, ...uleb(head.length + bodies.length), ...head]), bodies]);
  return concat([Uint8Array.from(HEADER), Uint8Array.from(section(1, vec([[0x60, 0, 0]]))), funcSec, codeSec]);
}

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  // ----- dictionary order ---------------------------------------------------------------------

  // Each member is converted when it is read (V8, and the JS-API tests' "Order of evaluation for
  // descriptor").
  const MEMORY_ORDER = ['get initial', 'valueOf initial', 'get maximum', 'valueOf maximum', 'get shared'];

  it('[#49] MemoryDescriptor is read in order: (address,) initial, maximum, shared', () => {
    const log = [];
    new WA.Memory(recording({ initial: 1, maximum: 2, shared: false }, log));
    assert.deepEqual(log, MEMORY_ORDER);
  });

  it('[#49] MemoryDescriptor: every member is read before the limits are checked (V8 checks early)', () => {
    const log = [];
    assert.throws(() => new WA.Memory(recording({ initial: 3, maximum: 2, shared: false }, log)), RangeError);
    assert.deepEqual(log, isV8 ? MEMORY_ORDER.slice(0, 4) : MEMORY_ORDER);
  });

  it('[#56] TableDescriptor is read in order: (address,) element, initial, maximum; then the value', () => {
    const log = [];
    const value = { valueOf: () => log.push('value converted') };
    new WA.Table(recording({ element: 'externref', initial: 1, maximum: 2 }, log), value);
    assert.deepEqual(log, [
      'get element',
      'toString element',
      'get initial',
      'valueOf initial',
      'get maximum',
      'valueOf maximum',
    ]);
  });

  it('[#59] GlobalDescriptor is read in order: mutable (ToBoolean, no valueOf), value; then v', () => {
    const log = [];
    const v = { valueOf: () => (log.push('v.valueOf'), 1) };
    const g = new WA.Global(recording({ mutable: true, value: 'i32' }, log), v);
    assert.deepEqual(log, ['get mutable', 'get value', 'toString value', 'v.valueOf']);
    assert.equal(g.value, 1);
    let called = false;
    new WA.Global({ value: 'i32', mutable: { valueOf: () => (called = true) } });
    assert.equal(called, false);
  });

  it('[#49] [#56] [#59] descriptors: missing, non-object, missing required members are TypeErrors', () => {
    for (const bad of [undefined, 1, 'x', true]) {
      assert.throws(() => new WA.Memory(bad), TypeError);
      assert.throws(() => new WA.Table(bad), TypeError);
      assert.throws(() => new WA.Global(bad), TypeError);
    }
    assert.throws(() => new WA.Memory({}), TypeError);
    assert.throws(() => new WA.Table({ initial: 1 }), TypeError);
    assert.throws(() => new WA.Table({ element: 'anyfunc' }), TypeError);
    assert.throws(() => new WA.Global({ mutable: true }), TypeError);
    const boom = new Error('getter');
    assert.throws(() => new WA.Memory({ get initial() { throw boom; } }), (e) => e === boom);
    assert.throws(() => new WA.Memory({ initial: { valueOf() { throw boom; } } }), (e) => e === boom);
  });

  // ----- [EnforceRange] unsigned long ---------------------------------------------------------

  // Every [EnforceRange] unsigned long of the API, as a function of the value.
  const ENFORCED = {
    'Memory initial': (v) => new WA.Memory({ initial: v, maximum: 100 }).buffer.byteLength / 65536,
    'Memory maximum': (v) => (new WA.Memory({ initial: 0, maximum: v }), 0),
    'Memory.grow delta': (v) => (new WA.Memory({ initial: 0, maximum: 100 }).grow(v), 0),
    'Table initial': (v) => new WA.Table({ element: 'externref', initial: v }).length,
    'Table maximum': (v) => (new WA.Table({ element: 'externref', initial: 0, maximum: v }), 0),
    'Table.grow delta': (v) => (new WA.Table({ element: 'externref', initial: 0 }).grow(v), 0),
    'Table.get index': (v) => (new WA.Table({ element: 'externref', initial: 20 }).get(v), 0),
    'Table.set index': (v) => (new WA.Table({ element: 'externref', initial: 20 }).set(v, 1), 0),
  };

  for (const [what, use] of Object.entries(ENFORCED)) {
    it(`[#49] [#58] ${what}: [EnforceRange] unsigned long`, () => {
      for (const bad of [-1, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 53, 1n, Symbol('x'), 'abc', {}]) {
        assert.throws(() => use(bad), TypeError, `${what} = ${String(bad)}`);
      }
      // Accepted: converted with ToNumber, then truncated.
      for (const ok of [0, -0, 0.9, '0', ' 1 ', '0x1', true, false, null, [], [1], { valueOf: () => 1 }]) {
        assert.doesNotThrow(() => use(ok), `${what} = ${String(ok)}`);
      }
      if (what === 'Memory initial') {
        assert.equal(use(1.99), 1);
        assert.equal(use('0x2'), 2);
      }
      const boom = new Error('valueOf');
      assert.throws(() => use({ valueOf() { throw boom; } }), (e) => e === boom);
    });
  }

  it('[#49] [EnforceRange]: a value in (-1, 0) truncates to 0 and is accepted (V8: TypeError)', () => {
    for (const use of Object.values(ENFORCED)) {
      if (isV8) assert.throws(() => use(-0.5), TypeError);
      else assert.doesNotThrow(() => use(-0.5));
    }
  });

  it('[#49] [#58] optional arguments: undefined for a required unsigned long is a TypeError', () => {
    assert.throws(() => new WA.Memory({ initial: 0 }).grow(), TypeError);
    assert.throws(() => new WA.Table({ element: 'externref', initial: 1 }).get(), TypeError);
    assert.throws(() => new WA.Table({ element: 'externref', initial: 1 }).grow(), TypeError);
  });

  it('[#50] shared: true needs a maximum (TypeError otherwise)', () => {
    assert.throws(() => new WA.Memory({ initial: 1, shared: true }), TypeError);
  });

  it('[#50] a shared memory: the buffer is a frozen SharedArrayBuffer, replaced on grow', { skip: needsFixedSharedBuffers(WA) }, () => {
    const m = new WA.Memory({ initial: 1, maximum: 2, shared: true });
    const b = m.buffer;
    assert.ok(b instanceof SharedArrayBuffer);
    assert.ok(Object.isFrozen(b));
    assert.equal(m.grow(1), 1);
    // The old one stays valid and keeps its length (memory.spec.mjs has the details).
    assert.equal(b.byteLength, 65536);
    assert.equal(b.growable, false);
    assert.ok(m.buffer !== b);
    assert.equal(m.buffer.byteLength, 2 * 65536);
  });

  // ----- RangeError limits --------------------------------------------------------------------

  it('[#49] Memory: RangeError above 65,536 pages or maximum < initial', () => {
    assert.equal(new WA.Memory({ initial: 0, maximum: 65536 }).buffer.byteLength, 0);
    assert.throws(() => new WA.Memory({ initial: 65537 }), RangeError);
    assert.throws(() => new WA.Memory({ initial: 0, maximum: 65537 }), RangeError);
    assert.throws(() => new WA.Memory({ initial: 2, maximum: 1 }), RangeError);
    assert.throws(() => new WA.Memory({ initial: 2 ** 32 - 1 }), RangeError);
  });

  it('[#52] Memory.grow: RangeError past the maximum or past 65,536 pages', () => {
    const m = new WA.Memory({ initial: 1, maximum: 2 });
    assert.throws(() => m.grow(2), RangeError);
    assert.equal(m.grow(1), 1);
    assert.throws(() => new WA.Memory({ initial: 0 }).grow(65537), RangeError);
  });

  it('[#58] Table: RangeError above 10,000,000 entries or maximum < initial; any maximum is allowed', () => {
    assert.throws(() => new WA.Table({ element: 'anyfunc', initial: 10_000_001 }), RangeError);
    assert.throws(() => new WA.Table({ element: 'externref', initial: 2, maximum: 1 }), RangeError);
    assert.equal(new WA.Table({ element: 'anyfunc', initial: 0, maximum: 10_000_001 }).length, 0);
    assert.equal(new WA.Table({ element: 'anyfunc', initial: 0, maximum: 2 ** 32 - 1 }).length, 0);
    assert.throws(() => new WA.Table({ element: 'anyfunc', initial: 1 }).grow(10_000_000), RangeError);
  });

  it('limits: a defined table of 10,000,001 entries compiles and fails at instantiation', () => {
    const text = 'initial table size (10000001 elements) is larger than implementation limit (10000000 elements)';
    if (nodeMajor >= 24) {
      // V8 13.6+ rejects it at compile time, and so does ours in its profile (the "latest"
      // profile keeps the JS-API's instantiation-time check, which WPT limits.any.js tests).
      assert.throws(() => new WA.Module(wat('(module (table 10000001 funcref))')), (e) => e instanceof WA.CompileError && e.message.includes(text));
      return;
    }
    const m = new WA.Module(wat('(module (table 10000001 funcref))'));
    // The JS-API text says RuntimeError; V8 throws a RangeError, and so does ours, because the
    // WPT test (limits.any.js "Instantiate initial table size over limit") expects it.
    assert.throws(() => new WA.Instance(m), RangeError);
    assert.throws(
      () => new WA.Instance(m),
      (e) => e.message === 'WebAssembly.Instance(): initial table size (10000001 elements) is larger than implementation limit (10000000 elements)',
    );
  });

  // WPT limits.any.js: imports and exports up to V8 12.4's 100,000 (Node 20, 22; V8 13.6 and
  // the current limits.any.js allow 1,000,000: module.spec.mjs); modules of at most 1 GiB.
  it('limits: more than 100,000 imports or exports is a CompileError up to Node 22', () => {
    const header = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
    const section = (id, body) => [id, ...leb(body.length), ...body];
    const imports = (n) => {
      const one = [0, 0, 0, 0]; // module "", name "", kind func, type 0
      const body = [...leb(n)];
      for (let i = 0; i < n; i++) body.push(...one);
      return new Uint8Array([...header, ...section(1, [1, 0x60, 0, 0]), ...section(2, body)]);
    };
    const exports = (n) => {
      const body = [...leb(n)];
      for (let i = 0; i < n; i++) {
        const name = [...String(i)].map((c) => c.charCodeAt(0));
        body.push(name.length, ...name, 0, 0);
      }
      return new Uint8Array([...header, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]),
        ...section(7, body), ...section(10, [1, 2, 0, 0x0b])]);
    };
    assert.ok(WA.validate(imports(100_000)));
    if (nodeMajor >= 24) {
      // V8 13.6 raised both limits to 1,000,000, and ours in the node24/node26 profiles.
      assert.ok(WA.validate(imports(100_001)));
      assert.ok(WA.validate(exports(100_001)));
      return;
    }
    assert.equal(WA.validate(imports(100_001)), false);
    assert.throws(() => new WA.Module(imports(100_001)), WA.CompileError);
    assert.ok(WA.validate(exports(100_000)));
    assert.equal(WA.validate(exports(100_001)), false);
    assert.throws(() => new WA.Module(exports(100_001)), WA.CompileError);
  });

  it('limits: a module over 1 GiB is a CompileError', () => {
    const size = 2 ** 30 + 1;
    const bytes = new Uint8Array(size);
    bytes.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0]);
    // One custom section (empty name) filling the rest.
    const len = size - 9 - 5;
    bytes.set([0x80 | (len & 0x7f), 0x80 | ((len >>> 7) & 0x7f), 0x80 | ((len >>> 14) & 0x7f), 0x80 | ((len >>> 21) & 0x7f), len >>> 28, 0], 9);
    if (isV8 && nodeMajor < 22) {
      // DIFFERENCE (V8 11.3 deviates from the spec and WPT limits.any.js): a RangeError.
      assert.throws(() => WA.validate(bytes), RangeError);
      assert.throws(() => new WA.Module(bytes), RangeError);
    } else {
      assert.equal(WA.validate(bytes), false);
      assert.throws(() => new WA.Module(bytes), WA.CompileError);
    }
  });

  it('limits: memory pages, parameters, results and locals are CompileErrors past the limit', () => {
    const params = (n) => `(module (func ${'(param i32) '.repeat(n)}))`;
    const results = (n) => `(module (func ${'(result i32) '.repeat(n)} ${'i32.const 0 '.repeat(n)}))`;
    const locals = (n) => `(module (func (local ${'i32 '.repeat(n)})))`;
    assert.ok(WA.validate(wat('(module (memory 65536))')));
    assert.throws(() => new WA.Module(wat('(module (memory 65537))')), WA.CompileError);
    assert.throws(() => new WA.Module(wat('(module (memory 0 65537))')), WA.CompileError);
    assert.ok(WA.validate(wat(params(1000))));
    assert.throws(() => new WA.Module(wat(params(1001))), WA.CompileError);
    assert.ok(WA.validate(wat(results(1000))));
    assert.throws(() => new WA.Module(wat(results(1001))), WA.CompileError);
    assert.ok(WA.validate(wat(locals(50000))));
    assert.throws(
      () => new WA.Module(wat(locals(50001))),
      (e) => e instanceof WA.CompileError && e.message.startsWith('WebAssembly.Module(): Compiling function #0 failed: '),
    );
  });

  it('limits: counts of types, functions, tables and data segments', () => {
    assert.ok(WA.validate(repeated(1, 1_000_000, [0x60, 0, 0])));
    assert.throws(() => new WA.Module(repeated(1, 1_000_001, [0x60, 0, 0])), WA.CompileError);
    assert.ok(WA.validate(manyFunctions(1_000_000)));
    assert.throws(() => new WA.Module(manyFunctions(1_000_001)), WA.CompileError);
    assert.ok(WA.validate(repeated(4, 100_000, [0x70, 0, 0])));
    assert.throws(() => new WA.Module(repeated(4, 100_001, [0x70, 0, 0])), WA.CompileError);
    assert.ok(WA.validate(repeated(11, 100_000, [1, 0])));
    assert.throws(() => new WA.Module(repeated(11, 100_001, [1, 0])), WA.CompileError);
  });

  // ----- Table values -------------------------------------------------------------------------

  const exported = () =>
    new WA.Instance(new WA.Module(wat('(module (func (export "f") (result i32) i32.const 5))'))).exports.f;

  it('[#56] [#57] new Table(descriptor, value): the init value, or DefaultValue when missing', () => {
    const f = exported();
    assert.equal(new WA.Table({ element: 'anyfunc', initial: 2 }, f).get(1), f);
    assert.equal(new WA.Table({ element: 'anyfunc', initial: 1 }).get(0), null);
    assert.equal(new WA.Table({ element: 'externref', initial: 1 }).get(0), undefined);
    assert.equal(new WA.Table({ element: 'externref', initial: 1 }, null).get(0), null);
    assert.equal(new WA.Table({ element: 'externref', initial: 1 }, 0).get(0), 0);
    // An explicit undefined for an optional argument is "missing" (WebIDL).
    assert.equal(new WA.Table({ element: 'anyfunc', initial: 1 }, undefined).get(0), null);
    assert.throws(() => new WA.Table({ element: 'anyfunc', initial: 1 }, () => 1), TypeError);
  });

  it('[#58] Table.grow(delta, value): returns the old length and fills with the value or the default', () => {
    const f = exported();
    const t = new WA.Table({ element: 'anyfunc', initial: 1 });
    assert.equal(t.grow(2, f), 1);
    assert.deepEqual([t.get(0), t.get(1), t.get(2)], [null, f, f]);
    assert.equal(t.grow(1), 3);
    assert.equal(t.get(3), null);
    if (isV8 && nodeMajor >= 22) {
      // V8 12.4+ converts an explicit undefined (a TypeError for anyfunc). Deliberate
      // difference: ours treats it as missing (WebIDL optional argument), as V8 11.3 does.
      assert.throws(() => t.grow(1, undefined), TypeError);
      assert.equal(t.grow(1), 4);
    } else {
      assert.equal(t.grow(1, undefined), 4);
    }
    assert.equal(t.get(4), null);
    assert.equal(t.grow(0), 5);
    const e = new WA.Table({ element: 'externref', initial: 0 });
    assert.equal(e.grow(1), 0);
    assert.equal(e.get(0), undefined);
    assert.equal(e.grow(1, 'x'), 1);
    assert.equal(e.get(1), 'x');
  });

  it('[#58] Table.grow: a bad value is a TypeError and the table does not grow', () => {
    const t = new WA.Table({ element: 'anyfunc', initial: 1 });
    assert.throws(() => t.grow(2, () => 1), TypeError);
    assert.equal(t.length, 1);
  });

  // An explicit undefined is converted (TypeError for anyfunc), as V8 does and the WPT test
  // table/get-set.any.js ("Setting non-function") expects.
  it('[#57] [#58] Table.set(i): a missing value stores DefaultValue, an explicit undefined throws for anyfunc', () => {
    const f = exported();
    const t = new WA.Table({ element: 'anyfunc', initial: 1 }, f);
    t.set(0);
    assert.equal(t.get(0), null);
    t.set(0, f);
    assert.throws(() => t.set(0, undefined), TypeError);
    assert.equal(t.get(0), f);
    const e = new WA.Table({ element: 'externref', initial: 1 }, 'x');
    e.set(0);
    assert.equal(e.get(0), undefined);
  });

  // ----- Global value types -------------------------------------------------------------------

  it('[#59] new Global for every value type: defaults and conversions', () => {
    const f = exported();
    const cases = [
      ['i32', 0, 2 ** 32 + 5, 5],
      ['i64', 0n, 2n ** 64n - 1n, -1n],
      ['f32', 0, 1.1, Math.fround(1.1)],
      ['f64', 0, 1.1, 1.1],
      ['anyfunc', null, f, f],
      ['externref', isV8 && nodeMajor < 22 ? null : undefined, 'x', 'x'],
    ];
    for (const [type, dflt, input, output] of cases) {
      assert.equal(new WA.Global({ value: type }).value, dflt, `${type} default`);
      assert.equal(new WA.Global({ value: type }, input).value, output, type);
      const g = new WA.Global({ value: type, mutable: true });
      g.value = input;
      assert.equal(g.valueOf(), output, `${type} set`);
    }
  });

  it('[#57] [#59] Global externref without a value is undefined (DefaultValue); V8 gives null before Node 22', () => {
    assert.equal(new WA.Global({ value: 'externref' }).value, isV8 && nodeMajor < 22 ? null : undefined);
    assert.equal(new WA.Global({ value: 'externref' }, undefined).value, undefined);
  });

  it('[#59] Global anyfunc: explicit undefined is "missing" → null (V8: TypeError)', () => {
    if (isV8) {
      assert.throws(() => new WA.Global({ value: 'anyfunc' }, undefined), TypeError);
    } else {
      assert.equal(new WA.Global({ value: 'anyfunc' }, undefined).value, null);
    }
    assert.throws(() => new WA.Global({ value: 'anyfunc' }, () => 1), TypeError);
  });

  it('[#59] Global v128 is a TypeError; unknown types too', () => {
    assert.throws(() => new WA.Global({ value: 'v128' }), TypeError);
    assert.throws(() => new WA.Global({ value: 'v128', mutable: true }, 0), TypeError);
    for (const bad of ['funcref', 'I32', '']) {
      assert.throws(() => new WA.Global({ value: bad }), TypeError, bad);
    }
    // V8 12.4+ also takes "exnref" (deliberate difference: not a ValueType of the JS-API).
    if (isV8 && nodeMajor >= 22) assert.ok(new WA.Global({ value: 'exnref' }));
    else assert.throws(() => new WA.Global({ value: 'exnref' }), TypeError);
  });

  it('[#60] Global: the value setter of an immutable global is a TypeError (the value is not converted)', () => {
    const g = new WA.Global({ value: 'i32' }, 1);
    let converted = false;
    // V8 13.6 and later print the setter's name with a stray parenthesis.
    const setter = byLine({ 20: 'set WebAssembly.Global.value: ', 24: 'set WebAssembly.Global.value): ' });
    assert.throws(() => {
      g.value = { valueOf: () => (converted = true, 2) };
    }, { name: 'TypeError', message: `${setter}Can't set the value of an immutable global.` });
    assert.equal(converted, false);
    assert.equal(g.value, 1);
  });
});
