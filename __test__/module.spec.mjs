// WebAssembly.Module: the constructor, the static exports/imports/customSections
// functions, and which language features a module may use (Node 20's set).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, latest, withProfile } from './helpers/impls.mjs';
import { atLeast, nodeMajor } from './helpers/node-line.mjs';
import { wat } from './helpers/wat.mjs';

const ALL_KINDS = `(module
  (import "m" "f" (func (param i32)))
  (import "m" "t" (table 1 funcref))
  (import "m" "mem" (memory 1))
  (import "m" "g" (global i32))
  (import "other" "g2" (global (mut f64)))
  (func (export "fn"))
  (table (export "tbl") 2 externref)
  (global (export "glob") i64 (i64.const 1))
  (export "mem" (memory 0))
  (export "fn-again" (func 1))
  (export "imported-f" (func 0)))`;

const CUSTOM = `(module
  (@custom "hello" (before first) "abc")
  (@custom "other" (before first) "x")
  (func $f)
  (@custom "hello" (after last) "de")
  (@custom "héllo" (after last) "\\00\\ff"))`;

const text = (ab) => Buffer.from(ab).toString('latin1');

// Feature profile: what Node 20 (V8 11.3) validates by default. Ours must match.
// Feature → [the first Node line whose V8 validates it by default (null: none yet), a module
// using it]. From scripts/profiles/derive.mjs.
const FEATURES = {
  'sign-extension ops': [20, '(module (func (param i32) (result i32) local.get 0 i32.extend8_s))'],
  'non-trapping float-to-int': [20, '(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))'],
  'multi-value': [20, '(module (func (result i32 i64) i32.const 1 i64.const 2))'],
  'bulk memory': [20, '(module (memory 1) (func i32.const 0 i32.const 0 i32.const 0 memory.copy))'],
  'reference types': [20, '(module (table 1 externref) (func (param externref) (result externref) local.get 0))'],
  'multiple tables': [20, '(module (table 1 funcref) (table 1 externref))'],
  'mutable global export': [20, '(module (global (export "g") (mut i32) (i32.const 0)))'],
  'SIMD (v128)': [20, '(module (func (result v128) v128.const i32x4 1 2 3 4))'],
  'tail calls': [20, '(module (func $f return_call $f))'],
  'shared memory (threads)': [20, '(module (memory 1 1 shared))'],
  'multi-memory': [22, '(module (memory 1) (memory 1))'],
  memory64: [22, '(module (memory i64 1))'],
  'memory64 tables': [24, '(module (table i64 1 funcref))'],
  'extended constant expressions': [22, '(module (global i32 (i32.add (i32.const 1) (i32.const 2))))'],
  'relaxed SIMD': [22, '(module (func (param v128 v128) (result v128) local.get 0 local.get 1 i8x16.relaxed_swizzle))'],
  'exception references (try_table)': [22, '(module (tag $t) (func (block $b (try_table (catch_all $b) (throw $t)))))'],
  GC: [22, '(module (type $s (struct (field i32))) (func (result (ref $s)) (struct.new $s (i32.const 1))))'],
  'typed function references': [22, '(module (type $t (func)) (func (param (ref $t))))'],
  'wide arithmetic': [null, '(module (func (param i64 i64 i64 i64) (result i64 i64) local.get 0 local.get 1 local.get 2 local.get 3 i64.add128))'],
};

// WebAssembly 3.0 features ours executes with the "latest" profile (all of them; GC since #13,
// its values converted at the JS boundary as V8 does: gc-values.spec.mjs).
const BEYOND_NODE20 = new Set([
  'GC',
  'relaxed SIMD',
  'typed function references',
  'multi-memory',
  'memory64',
  'memory64 tables',
  'extended constant expressions',
  'exception references (try_table)',
]);

forEachImpl(({ name, WebAssembly: WA }) => {
  it('new Module(bytes) compiles synchronously', () => {
    const m = new WA.Module(wat('(module (func (export "f")))'));
    assert.ok(m instanceof WA.Module);
    assert.equal(Object.getPrototypeOf(m), WA.Module.prototype);
    assert.equal(Object.prototype.toString.call(m), '[object WebAssembly.Module]');
  });

  it('Module.prototype: constructor and @@toStringTag', () => {
    assert.equal(WA.Module.prototype.constructor, WA.Module);
    assert.deepEqual(Object.getOwnPropertyDescriptor(WA.Module.prototype, Symbol.toStringTag), {
      value: 'WebAssembly.Module',
      writable: false,
      enumerable: false,
      configurable: true,
    });
  });

  it('Module without new is a TypeError', () => {
    assert.throws(() => WA.Module(wat('(module)')), TypeError);
  });

  it('new Module: TypeError for a missing or non-buffer argument', () => {
    assert.throws(() => new WA.Module(), TypeError);
    for (const bad of [null, 1, 'x', {}, [0, 97, 115, 109, 1, 0, 0, 0]]) {
      assert.throws(() => new WA.Module(bad), TypeError, String(bad));
    }
  });

  it('new Module: CompileError for malformed and invalid modules', () => {
    assert.throws(() => new WA.Module(new Uint8Array(0)), WA.CompileError);
    assert.throws(() => new WA.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0])), WA.CompileError);
    assert.throws(() => new WA.Module(wat('(module (func (result i32)))')), WA.CompileError);
    assert.throws(() => new WA.Module(wat('(module (func local.get 0))')), WA.CompileError);
    assert.throws(() => new WA.Module(wat('(module (func call 5))')), WA.CompileError);
  });

  it('new-module-shared-array-buffer: a SharedArrayBuffer and a DataView over one are no buffer source (V8, Node 20); a typed array over one is', async () => {
    const bytes = wat('(module (func (export "f")))');
    const sab = new SharedArrayBuffer(bytes.length);
    new Uint8Array(sab).set(bytes);
    for (const bad of [sab, new DataView(sab)]) {
      assert.throws(() => new WA.Module(bad), TypeError);
      assert.throws(() => WA.validate(bad), TypeError);
      await assert.rejects(WA.compile(bad), TypeError);
    }
    const view = new Uint8Array(sab);
    assert.deepEqual(WA.Module.exports(new WA.Module(view)), [{ name: 'f', kind: 'function' }]);
    assert.equal(WA.validate(view), true);
    assert.ok((await WA.compile(view)) instanceof WA.Module);
  });

  it('new Module: accepts an ArrayBuffer and views with an offset', () => {
    const bytes = wat('(module (func (export "f")))');
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    assert.ok(new WA.Module(ab) instanceof WA.Module);
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 10);
    const m = new WA.Module(big.subarray(10));
    assert.deepEqual(WA.Module.exports(m), [{ name: 'f', kind: 'function' }]);
  });

  it('[#11] a SharedArrayBuffer or a DataView over one is a TypeError in every method (V8)', async () => {
    const bytes = wat('(module (func (export "f") (result i32) i32.const 5))');
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    for (const bad of [shared, new DataView(shared)]) {
      assert.throws(() => new WA.Module(bad), { name: 'TypeError', message: 'WebAssembly.Module(): Argument 0 must be a buffer source' });
      assert.throws(() => WA.validate(bad), { name: 'TypeError', message: 'WebAssembly.validate(): Argument 0 must be a buffer source' });
      await assert.rejects(WA.compile(bad), { name: 'TypeError', message: 'WebAssembly.compile(): Argument 0 must be a buffer source' });
      await assert.rejects(WA.instantiate(bad), { name: 'TypeError', message: 'WebAssembly.instantiate(): Argument 0 must be a buffer source' });
    }
    // Typed arrays over a SharedArrayBuffer are accepted (V8 reads any typed array).
    for (const view of [new Uint8Array(shared), new Int8Array(shared), new Uint16Array(shared, 0, bytes.length >> 1)]) {
      if (view.byteLength !== bytes.length) continue;
      assert.equal(WA.validate(view), true);
      assert.equal(new WA.Instance(new WA.Module(view)).exports.f(), 5);
      assert.equal((await WA.instantiate(view)).instance.exports.f(), 5);
    }
  });

  it('[#11] br_table with more than 65,520 targets is a CompileError (V8 limit)', async () => {
    // (func (block (br_table 0 … 0 (i32.const 0)))) with n targets besides the default.
    const module = (n) => {
      const body = [0, 0x02, 0x40, 0x41, 0, 0x0e, ...leb(n), ...new Array(n + 1).fill(0), 0x0b, 0x0b];
      const code = [1, ...leb(body.length), ...body];
      return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, ...leb(code.length), ...code]);
    };
    assert.equal(WA.validate(module(65520)), true);
    assert.ok(new WA.Module(module(65520)) instanceof WA.Module);
    for (const n of [65521, 1000000]) {
      const bytes = module(n);
      assert.equal(WA.validate(bytes), false);
      const message = `WebAssembly.Module(): Compiling function #0 failed: invalid table count (> max br_table size): ${n} @+32`;
      assert.throws(() => new WA.Module(bytes), (e) => e instanceof WA.CompileError && e.message === message);
      await assert.rejects(WA.compile(bytes), WA.CompileError);
    }
  });

  it('new Module: later changes to the bytes do not affect the module', () => {
    const bytes = wat('(module (func (export "f") (result i32) i32.const 5))');
    const m = new WA.Module(bytes);
    bytes.fill(0);
    assert.equal(new WA.Instance(m).exports.f(), 5);
  });

  it('the static functions have the WebIDL lengths and are enumerable', () => {
    assert.equal(WA.Module.exports.length, 1);
    assert.equal(WA.Module.imports.length, 1);
    assert.equal(WA.Module.customSections.length, 2);
    for (const fn of ['exports', 'imports', 'customSections']) {
      const d = Object.getOwnPropertyDescriptor(WA.Module, fn);
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [true, true, true], fn);
    }
  });

  it('Module.exports: every export in order with its kind', () => {
    const m = new WA.Module(wat(ALL_KINDS));
    assert.deepEqual(WA.Module.exports(m), [
      { name: 'fn', kind: 'function' },
      { name: 'tbl', kind: 'table' },
      { name: 'glob', kind: 'global' },
      { name: 'mem', kind: 'memory' },
      { name: 'fn-again', kind: 'function' },
      { name: 'imported-f', kind: 'function' },
    ]);
  });

  it('Module.imports: every import in order with module, name and kind', () => {
    const m = new WA.Module(wat(ALL_KINDS));
    assert.deepEqual(WA.Module.imports(m), [
      { module: 'm', name: 'f', kind: 'function' },
      { module: 'm', name: 't', kind: 'table' },
      { module: 'm', name: 'mem', kind: 'memory' },
      { module: 'm', name: 'g', kind: 'global' },
      { module: 'other', name: 'g2', kind: 'global' },
    ]);
  });

  it('Module.exports/imports: fresh plain arrays of plain objects', () => {
    const m = new WA.Module(wat(ALL_KINDS));
    const a = WA.Module.exports(m);
    const b = WA.Module.exports(m);
    assert.notEqual(a, b);
    assert.ok(Array.isArray(a));
    assert.equal(Object.getPrototypeOf(a[0]), Object.prototype);
    a.length = 0;
    assert.equal(WA.Module.exports(m).length, 6);
    const i = WA.Module.imports(m);
    assert.equal(Object.getPrototypeOf(i[0]), Object.prototype);
    // Key order is not checked: WebIDL orders dictionary members
    // lexicographically, V8 uses declaration order.
    assert.deepEqual(Object.keys(i[0]).sort(), ['kind', 'module', 'name']);
    assert.deepEqual(Object.keys(b[0]).sort(), ['kind', 'name']);
  });

  it('Module.exports/imports: empty for a module without any', () => {
    const m = new WA.Module(wat('(module)'));
    assert.deepEqual(WA.Module.exports(m), []);
    assert.deepEqual(WA.Module.imports(m), []);
  });

  it('Module.exports/imports: names are decoded from UTF-8', () => {
    const m = new WA.Module(
      wat(`(module (import "modül" "π" (func)) (func (export "日本")) (func (export "")) (func (export "a\\00b")))`),
    );
    assert.deepEqual(WA.Module.imports(m), [{ module: 'modül', name: 'π', kind: 'function' }]);
    assert.deepEqual(
      WA.Module.exports(m).map((e) => e.name),
      ['日本', '', 'a\0b'],
    );
  });

  it('Module.exports/imports/customSections: TypeError for a non-Module', () => {
    for (const bad of [undefined, null, {}, wat('(module)'), WA.Module.prototype]) {
      assert.throws(() => WA.Module.exports(bad), TypeError);
      assert.throws(() => WA.Module.imports(bad), TypeError);
      assert.throws(() => WA.Module.customSections(bad, 'x'), TypeError);
    }
  });

  it('Module.customSections: the matching sections in binary order', () => {
    const m = new WA.Module(wat(CUSTOM));
    const hello = WA.Module.customSections(m, 'hello');
    assert.equal(hello.length, 2);
    assert.ok(hello.every((b) => b instanceof ArrayBuffer));
    assert.deepEqual(hello.map(text), ['abc', 'de']);
    assert.deepEqual(WA.Module.customSections(m, 'other').map(text), ['x']);
    assert.deepEqual(WA.Module.customSections(m, 'missing'), []);
    assert.deepEqual(WA.Module.customSections(m, 'HELLO'), []);
  });

  it('Module.customSections: names are compared as UTF-8 strings', () => {
    const m = new WA.Module(wat(CUSTOM));
    const [sec] = WA.Module.customSections(m, 'héllo');
    assert.deepEqual([...new Uint8Array(sec)], [0, 255]);
  });

  // WPT module/customSections.any.js "Custom sections with U+FFFD": a lone surrogate in the
  // requested name is not replaced by U+FFFD before comparing.
  it('Module.customSections: a lone surrogate never matches a U+FFFD name', () => {
    const m = new WA.Module(wat('(module (@custom "na\\ef\\bf\\bdme" "x"))'));
    assert.equal(WA.Module.customSections(m, 'na\uFFFDme').length, 1);
    assert.equal(WA.Module.customSections(m, 'na\uDC01me').length, 0);
    assert.equal(WA.Module.customSections(m, 'yee\uD801\uDC37eey').length, 0);
    assert.throws(() => WA.Module.customSections(m, Symbol('s')), TypeError);
  });

  it('Module.customSections: the "name" section is a custom section too', () => {
    const m = new WA.Module(wat('(module (func $named))'));
    assert.equal(WA.Module.customSections(m, 'name').length, 1);
  });

  it('Module.customSections: every call returns new copies', () => {
    const m = new WA.Module(wat(CUSTOM));
    const [a] = WA.Module.customSections(m, 'hello');
    const [b] = WA.Module.customSections(m, 'hello');
    assert.notEqual(a, b);
    new Uint8Array(a).fill(0x7a);
    assert.equal(text(WA.Module.customSections(m, 'hello')[0]), 'abc');
  });

  it('Module.customSections: the name is required and converted to a string', () => {
    const m = new WA.Module(wat(CUSTOM));
    assert.throws(() => WA.Module.customSections(m), TypeError);
    const name = { toString: () => 'hello' };
    assert.equal(WA.Module.customSections(m, name).length, 2);
  });

  it('a module can be instantiated many times', () => {
    const m = new WA.Module(wat('(module (global $g (mut i32) (i32.const 0)) (func (export "inc") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))'));
    const a = new WA.Instance(m);
    const b = new WA.Instance(m);
    assert.equal(a.exports.inc(), 1);
    assert.equal(a.exports.inc(), 2);
    assert.equal(b.exports.inc(), 1);
  });

  // The default profile (the running Node's line) validates exactly what that line's V8
  // validates.
  for (const [feature, [since, source]] of Object.entries(FEATURES)) {
    const valid = since !== null && nodeMajor >= since;
    it(`feature set as Node ${nodeMajor}: ${feature} is ${valid ? 'accepted' : 'rejected'}`, () => {
      const bytes = wat(source);
      assert.equal(WA.validate(bytes), valid);
      if (valid) {
        assert.ok(new WA.Module(bytes) instanceof WA.Module);
      } else {
        assert.throws(() => new WA.Module(bytes), WA.CompileError);
      }
    });
  }

  // Ours with the "latest" profile (JITLESS_WASM_FEATURES=latest): also the WebAssembly 3.0
  // features Node 20 lacks. Deliberate difference: V8 11.3 has no such switch.
  if (name === 'jitless') {
    for (const [feature, [since, source]] of Object.entries(FEATURES)) {
      const valid = since === 20 || BEYOND_NODE20.has(feature);
      it(`feature profile "latest": ${feature} is ${valid ? 'accepted' : 'rejected'}`, latest(() => {
        const bytes = wat(source);
        assert.equal(WA.validate(bytes), valid);
        if (valid) assert.ok(new WA.Module(bytes) instanceof WA.Module);
        else assert.throws(() => new WA.Module(bytes), WA.CompileError);
      }));
    }
    it('feature profile "latest": compile() (thread pool) uses the profile current at the call', async () => {
      const bytes = wat(FEATURES['multi-memory'][1]);
      await withProfile('node20', async () => {
        await assert.rejects(WA.compile(bytes), WA.CompileError);
        await latest(async () => assert.ok((await WA.compile(bytes)) instanceof WA.Module))();
      })();
    });
  }
});

/** The unsigned LEB128 encoding of `n`. */
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const section = (id, body) => [id, ...leb(body.length), ...body];

// The import and export count limits follow the line's V8: 100,000 up to V8 12.4 (Node 20, 22),
// the JS API's 1,000,000 from V8 13.6 (Node 24, 26). Modules of `n` function imports / exports.
function manyImports(n) {
  const entries = new Array(n).fill([1, 0x6d, 1, 0x66, 0, 0]).flat(); // "m" "f" (func 0)
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 0]), ...section(2, [...leb(n), ...entries])]);
}
function manyExports(n) {
  const entries = [];
  for (let i = 0; i < n; i++) {
    const name = [...Buffer.from(String(i))];
    entries.push(name.length, ...name, 0, 0);
  }
  const exports = section(7, [...leb(n), ...entries]);
  const types = section(1, [1, 0x60, 0, 0]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...section(3, [1, 0]), ...exports, ...section(10, [1, 2, 0, 0x0b])]);
}

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  it("the import and export count limits are the running Node's V8's", () => {
    const max = atLeast(24) ? 1_000_000 : 100_000;
    for (const [what, make] of [['imports', manyImports], ['exports', manyExports]]) {
      // DELIBERATE DIFFERENCE (from Node 24): wasmparser also caps the sum of the imports' and
      // exports' type sizes below 1,000,000 (a function counts 2), so ours accepts at most
      // 499,999 function imports where V8 accepts 1,000,000 (WPT limits.any.js "Validate imports
      // limit"); the count limit itself and its message are V8's.
      if (isV8 || max === 100_000) assert.ok(WA.validate(make(max)), `${max} ${what}`);
      if (max === 100_000) assert.equal(WA.validate(make(100_001)), false, `100,001 ${what}`);
      else assert.ok(WA.validate(make(100_001)), `100,001 ${what}`);
      assert.equal(WA.validate(make(max + 1)), false, `${max + 1} ${what}`);
      assert.throws(() => new WA.Module(make(max + 1)), (e) => {
        assert.ok(e instanceof WA.CompileError);
        assert.match(e.message, new RegExp(`^WebAssembly\\.Module\\(\\): ${what} count of ${max + 1} exceeds internal limit of ${max} @\\+\\d+$`));
        return true;
      });
    }
  });
});
