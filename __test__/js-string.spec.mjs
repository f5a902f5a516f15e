// JS String Builtins (https://github.com/WebAssembly/js-string-builtins, JS-API text:
// https://webassembly.github.io/js-string-builtins/js-api/#builtins): the compile options
// `{ builtins: ['js-string'], importedStringConstants }` of validate / compile / new Module /
// instantiate / compileStreaming / instantiateStreaming, the compile-time checks of the
// `wasm:js-string` imports and string constants, `Module.imports()`, instantiation without the
// import object, and each builtin's results and traps.
//
// Every case runs against V8 and ours. V8 has the feature from Node 22
// (`--experimental-wasm-imported-strings` on by default; shipped in Node 26); Node 20's V8
// ignores the options, so there the V8 variant only runs the "options ignored" case, and ours
// runs the others in the "latest" profile. Node 22's V8 (12.4) has no imported string constants
// and its signature mismatch is a LinkError without offset: the cases follow the line.
//
// Deliberate differences from the spec text, as V8 (12.4–14.6) does them (marked AD-HOC):
// the options are not converted as a WebIDL dictionary (no TypeErrors; `builtins` is read as an
// array-like; only String values count); builtin result types are `(ref extern)` and compared
// for equivalence, not subtyping; a non-function import with a builtin's name is an ordinary
// import; an Exported Function of a builtin is named by its function index.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as impls from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { nodeMajor, importLabel } from './helpers/node-line.mjs';
import { createRequire } from 'node:module';

const { forEachImpl } = impls;

const NO_BUILTINS = 'V8 in Node 20 has no JS String Builtins (it ignores the compile options)';
// V8 12.4 (Node 22; ours in the node22 profile, the default there) has the builtins but no
// imported string constants, and reports a builtin's type mismatch as a LinkError without offset.
const LINE22 = nodeMajor === 22;
const NO_CONSTANTS = LINE22 ? 'V8 12.4 (Node 22) has no importedStringConstants' : undefined;
const JS_STRING = { builtins: ['js-string'] };

/** The builtins with V8's function types (params, results) in WAT. */
const BUILTINS = {
  cast: ['externref', '(ref extern)'],
  test: ['externref', 'i32'],
  fromCharCode: ['i32', '(ref extern)'],
  fromCodePoint: ['i32', '(ref extern)'],
  charCodeAt: ['externref i32', 'i32'],
  codePointAt: ['externref i32', 'i32'],
  length: ['externref', 'i32'],
  concat: ['externref externref', '(ref extern)'],
  substring: ['externref i32 i32', '(ref extern)'],
  equals: ['externref externref', 'i32'],
  compare: ['externref externref', 'i32'],
};

/** A module importing `wasm:js-string` `name` with type (params → results), exported as `name`. */
function importing(name, [params, results]) {
  return wat(`(module (import "wasm:js-string" "${name}" (func $f (param ${params}) (result ${results})))
    (export "${name}" (func $f)))`);
}

/** A module that imports every builtin and exports each under its name. */
const ALL = wat(`(module
  ${Object.entries(BUILTINS)
    .map(([n, [p, r]]) => `(import "wasm:js-string" "${n}" (func $${n} (param ${p}) (result ${r})))`)
    .join('\n')}
  ${Object.keys(BUILTINS)
    .map((n) => `(export "${n}" (func $${n}))`)
    .join('\n')}
  (table (export "table") 1 funcref) (elem (i32.const 0) $length)
  ;; length under catch_all: a trap of a builtin is not an exception
  (func (export "catchLength") (param externref) (result i32)
    (block $h (try_table (catch_all $h) (return (call $length (local.get 0))))) (i32.const -1)))`);

/** A module with the two array builtins (function indices 1 and 2) and helpers for its arrays. */
const ARRAYS = wat(`(module
  (type $a (array (mut i16)))
  (type $from (func (param (ref null $a) i32 i32) (result (ref extern))))
  (type $b (array (mut i8)))
  (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
  (import "wasm:js-string" "fromCharCodeArray" (func $from (type $from)))
  (import "wasm:js-string" "intoCharCodeArray" (func $into (param externref (ref null $a) i32) (result i32)))
  (export "from" (func $from)) (export "into" (func $into))
  (table (export "table") 1 funcref) (elem (i32.const 0) $from)
  (func (export "filled") (param i32 i32) (result (ref $a)) (array.new $a (local.get 0) (local.get 1)))
  (func (export "fixed") (result (ref $a))
    (array.new_fixed $a 5 (i32.const 0xd83d) (i32.const 0xde00) (i32.const 0x62) (i32.const 0xffff) (i32.const 0)))
  (func (export "get") (param (ref $a) i32) (result i32) (array.get_u $a (local.get 0) (local.get 1)))
  (func (export "i8s") (result (ref $b)) (array.new_default $b (i32.const 1)))
  (func (export "fromNull") (result (ref extern)) (call $from (ref.null $a) (i32.const 0) (i32.const 0)))
  (func (export "intoNull") (param externref) (result i32) (call $into (local.get 0) (ref.null $a) (i32.const 0)))
  (func (export "indirect") (param (ref null $a) i32 i32) (result (ref extern))
    (call_indirect (type $from) (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
  ;; the code units of a string in reverse order, through two arrays
  (func (export "reverse") (param $s externref) (result (ref extern))
    (local $n i32) (local $i i32) (local $in (ref $a)) (local $out (ref $a))
    (local.set $n (call $length (local.get $s)))
    (local.set $in (array.new_default $a (local.get $n)))
    (local.set $out (array.new_default $a (local.get $n)))
    (drop (call $into (local.get $s) (local.get $in) (i32.const 0)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (array.set $a (local.get $out) (i32.sub (i32.sub (local.get $n) (local.get $i)) (i32.const 1))
        (array.get_u $a (local.get $in) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (call $from (local.get $out) (i32.const 0) (local.get $n))))`);

/**
 * A `Response` with a wasm body. Under `node --jitless` the first use of Response loads undici,
 * which compiles its parser with the global WebAssembly: ours is installed first then (as
 * namespace.spec.mjs does).
 */
function wasmResponse(bytes) {
  if (typeof globalThis.WebAssembly === 'undefined') createRequire(import.meta.url)('../polyfill.js');
  return new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
}

/**
 * The label of import 0 "m" "f" in a LinkError: V8's on this line; ours by the profile in force
 * (`latest`: ours runs the "latest" profile here, which labels imports as V8 13.6 does).
 */
function label(isV8, latest) {
  return isV8 || !latest ? importLabel(0, 'm', 'f') : 'Import #0 "m" "f"';
}

/** The RuntimeError thrown by `f`, with message `message`. */
function traps(WA, f, message) {
  assert.throws(f, (e) => e instanceof WA.RuntimeError && e.message === message);
}

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  if (nodeMajor < 22) {
    it('Node 20 ignores the compile options (V8 11.3, and ours in the node20 profile)', impls.withProfile('node20', () => {
      const bytes = wat(`(module (import "wasm:js-string" "cast" (func (param i32))) (import "s" "x" (global (mut i32))))`);
      assert.equal(WA.validate(bytes, { builtins: ['js-string'], importedStringConstants: 's' }), true);
      const m = new WA.Module(bytes, { builtins: ['js-string'], importedStringConstants: 's' });
      assert.deepEqual(WA.Module.imports(m).map((i) => i.module), ['wasm:js-string', 's']);
      const read = [];
      new WA.Module(wat('(module)'), new Proxy({}, { get: (t, k) => read.push(k), has: (t, k) => read.push(k) }));
      assert.deepEqual(read, []);
    }));
    if (!isV8) impls.latestInThisBlock();
  }
  const skip = isV8 && nodeMajor < 22 ? NO_BUILTINS : undefined;

  describe('compile options', { skip }, () => {
    it('are read as V8 reads them: builtins as an array-like, then importedStringConstants if present', () => {
      const log = [];
      const builtins = new Proxy(['js-string', 'x'], {
        has: (t, k) => (log.push(`builtins has ${String(k)}`), k in t),
        get: (t, k) => (log.push(`builtins get ${String(k)}`), t[k]),
      });
      const options = new Proxy({}, {
        has: (t, k) => (log.push(`has ${String(k)}`), true),
        get: (t, k) => (log.push(`get ${String(k)}`), k === 'builtins' ? builtins : 's'),
      });
      new WA.Module(wat('(module)'), options);
      assert.deepEqual(log, [
        'get builtins', 'builtins get length', 'builtins has 0', 'builtins get 0', 'builtins has 1', 'builtins get 1',
        ...(LINE22 ? [] : ['has importedStringConstants', 'get importedStringConstants']),
      ]);
    });

    it('AD-HOC (spec: WebIDL dictionary): no TypeErrors; non-objects, non-Strings and unknown names are ignored', () => {
      const bad = wat(`(module (import "wasm:js-string" "cast" (func)) (import "5" "x" (global (mut i32))))`);
      for (const options of [5, null, 'js-string', { builtins: 5 }, { builtins: 'js-string' },
        { builtins: ['nope', 'js-string '], importedStringConstants: 5 }, { builtins: [new String('js-string')] },
        { builtins: [], importedStringConstants: Symbol('s') }, { builtins: { length: -1 } }, { importedStringConstants: new String('5') }]) {
        assert.equal(WA.validate(bad, options), true, String(options));
        assert.equal(WA.Module.imports(new WA.Module(bad, options)).length, 2);
      }
      // Duplicates are accepted; an array-like counts.
      assert.equal(WA.validate(bad, { builtins: ['js-string', 'js-string'] }), false);
      assert.equal(WA.validate(bad, { builtins: { length: 1, 0: 'js-string' } }), false);
    });

    it('a throwing getter propagates (validate answers false)', async () => {
      const boom = new Error('boom');
      const options = { get builtins() { throw boom; } };
      assert.throws(() => new WA.Module(wat('(module)'), options), (e) => e === boom);
      assert.throws(() => new WA.Module(new Uint8Array([1]), options), (e) => e === boom);
      assert.equal(WA.validate(wat('(module)'), options), false);
      await assert.rejects(WA.compile(wat('(module)'), options), (e) => e === boom);
      // The first argument is checked first; the streaming forms read the options at once.
      assert.throws(() => WA.validate(5, options), TypeError);
      assert.throws(() => new WA.Module(5, options), TypeError);
      await assert.rejects(WA.compile(5, options), TypeError);
      await assert.rejects(WA.instantiate(5, {}, options), TypeError);
      await assert.rejects(WA.instantiate(wat('(module)'), 5, options), TypeError);
      await assert.rejects(WA.compileStreaming(5, options), (e) => e === boom);
      await assert.rejects(WA.instantiateStreaming(5, undefined, options), (e) => e === boom);
      const constants = { get importedStringConstants() { throw boom; } };
      if (LINE22) new WA.Module(wat('(module)'), constants);
      else assert.throws(() => new WA.Module(wat('(module)'), constants), (e) => e === boom);
    });
  });

  describe('compile-time checks', { skip }, () => {
    it('every builtin compiles with its exact type (AD-HOC: results are (ref extern))', () => {
      for (const [name, type] of Object.entries(BUILTINS)) {
        assert.equal(WA.validate(importing(name, type), JS_STRING), true, name);
      }
    });

    it('a type that is not exactly the builtin\'s is a CompileError (validate: false; without the option: fine)', async () => {
      const cases = [
        ['cast', ['externref', 'externref']], // a supertype of the result: still refused
        ['cast', ['i32', 'externref']],
        ['length', ['externref', 'i64']],
        ['substring', ['externref i32', '(ref extern)']],
        ['equals', ['externref externref', '(ref extern)']],
        // GC array types are not in these modules: no type without them matches
        ['fromCharCodeArray', ['externref i32 i32', '(ref extern)']],
        ['intoCharCodeArray', ['externref externref i32', 'i32']],
      ];
      for (const [name, type] of cases) {
        const bytes = importing(name, type);
        const text = `Imported builtin function "wasm:js-string" "${name}" has incorrect signature`;
        const E = LINE22 ? WA.LinkError : WA.CompileError;
        const sync = LINE22 ? `WebAssembly.Module(): ${text}` : `WebAssembly.Module(): ${text} @+`;
        assert.throws(() => new WA.Module(bytes, JS_STRING), (e) => e instanceof E && e.message.startsWith(sync), name);
        assert.equal(WA.validate(bytes, JS_STRING), false, name);
        assert.equal(WA.validate(bytes), true, name);
        // V8's asynchronous compile gives no offset.
        await assert.rejects(WA.compile(bytes, JS_STRING), (e) => e instanceof E && e.message === `WebAssembly.compile(): ${text}`);
        await assert.rejects(WA.instantiate(bytes, {}, JS_STRING), (e) => e instanceof E && e.message === `WebAssembly.instantiate(): ${text}`);
      }
    });

    it('the offset is the import entry\'s (none on Node 22)', () => {
      assert.throws(
        () => new WA.Module(wat(`(module (import "wasm:js-string" "cast" (func (param i32) (result externref))))`), JS_STRING),
        { message: `WebAssembly.Module(): Imported builtin function "wasm:js-string" "cast" has incorrect signature${LINE22 ? '' : ' @+19'}` },
      );
    });

    it('other names, and other kinds, under wasm:js-string are ordinary imports (AD-HOC: spec refuses the global)', () => {
      const m = new WA.Module(wat(`(module (import "wasm:js-string" "nope" (func)) (import "wasm:js-string" "cast" (global i32)))`), JS_STRING);
      assert.deepEqual(WA.Module.imports(m), [
        { module: 'wasm:js-string', name: 'nope', kind: 'function' },
        { module: 'wasm:js-string', name: 'cast', kind: 'global' },
      ]);
      assert.throws(() => new WA.Instance(m, {}), TypeError);
    });

    it('a string constant must be an immutable global matching (ref extern)', { skip: NO_CONSTANTS }, () => {
      const options = { importedStringConstants: 's' };
      for (const [type, offset] of [['(mut externref)', 11], ['i32', 11], ['(ref null noextern)', 11]]) {
        assert.throws(() => new WA.Module(wat(`(module (import "s" "hello" (global ${type})))`), options), {
          name: 'CompileError',
          message: `WebAssembly.Module(): String constant import #0 "hello" must be an immutable global subtyping externref @+${offset}`,
        });
      }
      assert.throws(() => new WA.Module(wat(`(module (import "s" "hello" (func)))`), options), /String constant import #0 "hello" must be an immutable global subtyping externref @\+17/);
      for (const type of ['externref', '(ref extern)']) {
        assert.equal(WA.validate(wat(`(module (import "s" "hello" (global ${type})))`), options), true);
      }
    });

    it('the string-constant module is checked first, even when it is wasm:js-string', { skip: NO_CONSTANTS }, () => {
      const options = { builtins: ['js-string'], importedStringConstants: 'wasm:js-string' };
      const m = new WA.Module(wat(`(module (import "wasm:js-string" "cast" (global externref)))`), options);
      assert.deepEqual(WA.Module.imports(m), []);
      assert.throws(() => new WA.Module(importing('cast', BUILTINS.cast), options), /String constant import #0 "cast"/);
    });
  });

  describe('instantiation', { skip }, () => {
    it('Module.imports() omits the builtins and string constants; the import object is not read for them', { skip: NO_CONSTANTS }, async () => {
      const bytes = wat(`(module
        (import "wasm:js-string" "length" (func $len (param externref) (result i32)))
        (import "x" "y" (func))
        (import "s" "h\\f0\\9f\\98\\80i" (global $g externref))
        (export "len" (func $len)) (export "g" (global $g)))`);
      const options = { builtins: ['js-string'], importedStringConstants: 's' };
      const m = new WA.Module(bytes, options);
      assert.deepEqual(WA.Module.imports(m), [{ module: 'x', name: 'y', kind: 'function' }]);
      const read = [];
      const importObject = new Proxy({ x: { y() {} }, 'wasm:js-string': { length: () => 7 }, s: {} }, {
        get: (t, k) => (read.push(k), t[k]),
      });
      const { exports } = new WA.Instance(m, importObject);
      assert.deepEqual(read, ['x']);
      assert.equal(exports.len('ab'), 2);
      assert.equal(exports.g.value, 'h\u{1F600}i');
      // The three forms with options.
      const r = await WA.instantiate(bytes, { x: { y() {} } }, options);
      assert.equal(r.instance.exports.g.value, 'h\u{1F600}i');
      const c = await WA.compile(bytes, options);
      assert.deepEqual(WA.Module.imports(c), [{ module: 'x', name: 'y', kind: 'function' }]);
    });

    it('Module.imports() omits the builtins; the import object is not read for them', async () => {
      const bytes = wat(`(module
        (import "wasm:js-string" "length" (func $len (param externref) (result i32)))
        (import "x" "y" (func))
        (export "len" (func $len)))`);
      const m = new WA.Module(bytes, JS_STRING);
      assert.deepEqual(WA.Module.imports(m), [{ module: 'x', name: 'y', kind: 'function' }]);
      const read = [];
      const importObject = new Proxy({ x: { y() {} }, 'wasm:js-string': { length: () => 7 } }, {
        get: (t, k) => (read.push(k), t[k]),
      });
      assert.equal(new WA.Instance(m, importObject).exports.len('ab'), 2);
      assert.deepEqual(read, ['x']);
      const r = await WA.instantiate(bytes, { x: { y() {} } }, JS_STRING);
      assert.equal(r.instance.exports.len('abc'), 3);
      assert.equal(new WA.Instance(new WA.Module(importing('length', BUILTINS.length), JS_STRING)).exports.length('a'), 1);
    });

    it('no import object is needed when every import is a builtin or a constant', { skip: NO_CONSTANTS }, () => {
      const m = new WA.Module(wat(`(module (import "s" "abc" (global $g externref)) (export "g" (global $g)))`), { importedStringConstants: 's' });
      assert.equal(new WA.Instance(m).exports.g.value, 'abc');
    });

    it('instantiate(module, imports) takes no options: the module\'s own count', async () => {
      const bytes = wat(`(module (import "wasm:js-string" "length" (func $l (param externref) (result i32))) (export "l" (func $l)))`);
      const { exports } = await WA.instantiate(new WA.Module(bytes), { 'wasm:js-string': { length: () => 9 } }, JS_STRING);
      assert.equal(exports.l('ab'), 9);
    });

    it('compileStreaming and instantiateStreaming take the options', { skip: NO_CONSTANTS }, async () => {
      const bytes = wat(`(module (import "s" "abc" (global $g externref)) (export "g" (global $g)))`);
      const response = () => wasmResponse(bytes);
      const m = await WA.compileStreaming(response(), { importedStringConstants: 's' });
      assert.deepEqual(WA.Module.imports(m), []);
      const r = await WA.instantiateStreaming(response(), undefined, { importedStringConstants: 's' });
      assert.equal(r.instance.exports.g.value, 'abc');
    });

    it('a module keeps its compile-time imports through structuredClone and postMessage', async () => {
      const m = new WA.Module(importing('length', BUILTINS.length), JS_STRING);
      const clone = structuredClone(m);
      assert.deepEqual(WA.Module.imports(clone), []);
      assert.equal(new WA.Instance(clone).exports.length('abcd'), 4);
      const { port1, port2 } = new MessageChannel();
      const received = new Promise((resolve) => port2.once('message', resolve));
      port1.postMessage(m);
      const moved = await received;
      port1.close();
      assert.equal(new WA.Instance(moved).exports.length('xyz'), 3);
    });

    it('ours: a limited namespace (jitless-wasm/limits) takes the options in every form', { skip: isV8 && 'jitless-wasm/limits is ours' }, async () => {
      const { createWebAssembly } = createRequire(import.meta.url)('../limits.js');
      const L = createWebAssembly({ fuel: 1e6 });
      const bytes = importing('length', BUILTINS.length);
      const wrong = importing('length', ['externref', 'i64']);
      assert.equal(L.validate(wrong, JS_STRING), false);
      assert.equal(L.validate(wrong), true);
      assert.deepEqual(L.Module.imports(new L.Module(bytes, JS_STRING)), []);
      assert.deepEqual(L.Module.imports(await L.compile(bytes, JS_STRING)), []);
      const { instance } = await L.instantiate(bytes, {}, JS_STRING);
      assert.equal(instance.exports.length('abc'), 3);
    });

    it('string constants: any module and import name (also ""), one value per name, usable in constant expressions', { skip: NO_CONSTANTS }, () => {
      const m = new WA.Module(wat(`(module (import "" "x" (global $x externref)) (export "x" (global $x)))`), { importedStringConstants: '' });
      assert.deepEqual(WA.Module.imports(m), []);
      assert.equal(new WA.Instance(m).exports.x.value, 'x');
      const { exports } = new WA.Instance(new WA.Module(wat(`(module
        (import "s" "" (global $empty externref))
        (import "s" "ab" (global $a externref)) (import "s" "ab" (global $b (ref extern)))
        (global $c externref (global.get $b))
        (table (export "t") 2 externref (global.get $a))
        (table (export "u") 1 externref) (elem (table 1) (i32.const 0) externref (global.get $empty))
        (export "empty" (global $empty)) (export "a" (global $a)) (export "b" (global $b)) (export "c" (global $c)))`),
      { importedStringConstants: 's' }));
      assert.deepEqual([exports.empty.value, exports.a.value, exports.b.value, exports.c.value], ['', 'ab', 'ab', 'ab']);
      assert.deepEqual([exports.t.get(0), exports.t.get(1), exports.u.get(0)], ['ab', 'ab', '']);
      assert.ok(exports.a instanceof WA.Global);
    });

    it('a string constant is an immutable Global (V8 13.6+\'s setter text)', { skip: NO_CONSTANTS }, () => {
      const m = new WA.Module(wat(`(module (import "s" "ab" (global $a externref)) (export "a" (global $a)))`), { importedStringConstants: 's' });
      const g = new WA.Instance(m).exports.a;
      assert.throws(() => {
        g.value = 'x';
      }, { name: 'TypeError', message: 'set WebAssembly.Global.value): Can\'t set the value of an immutable global.' });
      assert.equal(g.value, 'ab');
    });

    it('an exported builtin imported by another module: its exact type only (LinkError otherwise)', () => {
      const { exports } = new WA.Instance(new WA.Module(ALL, JS_STRING));
      const user = (type) => new WA.Module(wat(`(module (import "m" "f" (func $f ${type}))
        (func (export "g") (param externref) (result i32) (call $f (local.get 0))))`));
      assert.equal(new WA.Instance(user('(param externref) (result i32)'), { m: { f: exports.length } }).exports.g('abcd'), 4);
      for (const [f, type] of [[exports.length, '(param externref) (result i64)'], [exports.cast, '(param externref) (result externref)']]) {
        assert.throws(() => new WA.Instance(new WA.Module(wat(`(module (import "m" "f" (func ${type})))`)), { m: { f } }), {
          name: 'LinkError',
          message: `WebAssembly.Instance(): ${label(isV8, nodeMajor < 22)}: imported function does not match the expected type`,
        });
      }
    });

    it('an exported builtin: named by its function index (AD-HOC), one identity per instance', () => {
      const { exports } = new WA.Instance(new WA.Module(ALL, JS_STRING));
      assert.equal(exports.length.name, '6');
      assert.equal(exports.length.length, 1);
      assert.equal(exports.substring.length, 3);
      assert.equal(exports.table.get(0), exports.length);
      const other = new WA.Instance(new WA.Module(ALL, JS_STRING)).exports;
      assert.notEqual(other.length, exports.length);
    });
  });

  describe('the builtins', { skip }, () => {
    const e = () => new WA.Instance(new WA.Module(ALL, JS_STRING)).exports;

    it('cast and test', () => {
      const x = e();
      assert.equal(x.cast('a'), 'a');
      traps(WA, () => x.cast(null), 'illegal cast');
      traps(WA, () => x.cast(1), 'illegal cast');
      traps(WA, () => x.cast(new String('a')), 'illegal cast');
      assert.deepEqual([x.test('a'), x.test(''), x.test(null), x.test(1), x.test(new String('x')), x.test({})], [1, 1, 0, 0, 0, 0]);
    });

    it('fromCharCode (ToUint16 of the unsigned value) and fromCodePoint', () => {
      const x = e();
      assert.equal(x.fromCharCode(65), 'A');
      assert.equal(x.fromCharCode(0x1f600), '\uf600');
      assert.equal(x.fromCharCode(-1), '\uffff');
      assert.equal(x.fromCharCode(0xd800), '\ud800');
      assert.equal(x.fromCodePoint(0x1f600), '\u{1F600}');
      assert.equal(x.fromCodePoint(0x10ffff), '\u{10FFFF}');
      assert.equal(x.fromCodePoint(0xdc00), '\udc00');
      traps(WA, () => x.fromCodePoint(0x110000), 'Invalid code point 1114112');
      traps(WA, () => x.fromCodePoint(-1), 'Invalid code point 4294967295');
    });

    it('charCodeAt and codePointAt (unsigned index; surrogates)', () => {
      const x = e();
      assert.equal(x.charCodeAt('abc', 1), 98);
      assert.equal(x.charCodeAt('\u{1F600}', 1), 0xde00);
      assert.equal(x.codePointAt('\u{1F600}', 0), 0x1f600);
      assert.equal(x.codePointAt('\u{1F600}', 1), 0xde00);
      assert.equal(x.codePointAt('\ud800', 0), 0xd800);
      assert.equal(x.codePointAt('\ud800a', 0), 0xd800);
      for (const f of [x.charCodeAt, x.codePointAt]) {
        traps(WA, () => f('abc', 3), 'string offset out of bounds');
        traps(WA, () => f('abc', -1), 'string offset out of bounds');
        traps(WA, () => f('', 0), 'string offset out of bounds');
        traps(WA, () => f(null, 0), 'illegal cast');
        traps(WA, () => f(5, 0), 'illegal cast');
      }
    });

    it('length and concat', () => {
      const x = e();
      assert.deepEqual([x.length(''), x.length('abc'), x.length('\u{1F600}')], [0, 3, 2]);
      traps(WA, () => x.length(5), 'illegal cast');
      assert.equal(x.concat('a', 'b'), 'ab');
      assert.equal(x.concat('\ud83d', '\ude00'), '\u{1F600}');
      assert.equal(x.concat('', ''), '');
      const [long1, long2] = ['x'.repeat(100) + '\ud83d', '\ude00' + 'y'.repeat(100)];
      assert.equal(x.concat(long1, long2), long1 + long2);
      traps(WA, () => x.concat('x'.repeat(100), 5), 'illegal cast');
      traps(WA, () => x.concat('a', null), 'illegal cast');
      traps(WA, () => x.concat(1, 'a'), 'illegal cast');
    });

    it('substring (unsigned bounds; empty when reversed or past the end; end clamped)', () => {
      const x = e();
      assert.deepEqual(
        [[1, 3], [3, 1], [6, 9], [2, 99], [-1, 2], [1, -1], [5, 5], [0, 5], [0, 0]].map(([s, t]) => x.substring('hello', s, t)),
        ['el', '', '', 'llo', '', 'ello', '', 'hello', ''],
      );
      assert.equal(x.substring('\u{1F600}', 1, 2), '\ude00');
      traps(WA, () => x.substring(null, 0, 0), 'illegal cast');
    });

    it('equals (null allowed) and compare (by code units)', () => {
      const x = e();
      assert.deepEqual(
        [['a', 'a'], [null, null], ['a', null], [null, 'a'], ['a', 'b'], ['', '']].map(([a, b]) => x.equals(a, b)),
        [1, 1, 0, 0, 0, 1],
      );
      traps(WA, () => x.equals(1, 'a'), 'illegal cast');
      traps(WA, () => x.equals('a', {}), 'illegal cast');
      assert.deepEqual(
        [['a', 'b'], ['b', 'a'], ['a', 'a'], ['\uffff', '\u{1F600}'], ['', 'a'], ['ab', 'a']].map(([a, b]) => x.compare(a, b)),
        [-1, 1, 0, 1, -1, 1],
      );
      traps(WA, () => x.compare(null, 'a'), 'illegal cast');
      traps(WA, () => x.compare('a', null), 'illegal cast');
    });

    // Ours against V8 in the same process, on a grid of values and indices (only where both run:
    // Node 22+ without --jitless).
    const v8 = typeof globalThis.WebAssembly === 'object' && nodeMajor >= 22 ? globalThis.WebAssembly : undefined;
    it('agree with V8 on a grid of values (results, trap classes and texts)', { skip: (isV8 || !v8) && 'ours against V8: needs both' }, () => {
      const ours = e();
      const theirs = new v8.Instance(new v8.Module(ALL, JS_STRING)).exports;
      const strings = ['', 'a', 'ab', 'hello, world', '\n', '\u263a\u263a', '\u{10000}\u{10001}', '\ud800', '\udc00x', 'a\ud83d'];
      const values = [...strings, null, undefined, true, 0, -0, 13.37, NaN, 37n, {}, ['s'], new String('s'), Symbol('s'), () => 1];
      const ints = [0, 1, 2, 3, 5, 10, 0x7f, 0xd800, 0xdbff, 0xdc00, 0xffff, 0x10000, 0x10ffff, 0x110000, -1, -2, 0x7fffffff, -0x80000000];
      const outcome = (f, args) => {
        try {
          return { value: f(...args) };
        } catch (err) {
          return { error: err.constructor.name, message: err.message };
        }
      };
      const calls = [];
      for (const v of values) calls.push(['cast', v], ['test', v], ['length', v]);
      for (const i of ints) calls.push(['fromCharCode', i], ['fromCodePoint', i]);
      for (const v of values) for (const i of ints) calls.push(['charCodeAt', v, i], ['codePointAt', v, i]);
      for (const v of values) for (const w of values) calls.push(['concat', v, w], ['equals', v, w], ['compare', v, w]);
      for (const v of strings) for (const i of ints) for (const j of ints) calls.push(['substring', v, i, j]);
      for (const [name, ...args] of calls) {
        assert.deepEqual(outcome(ours[name], args), outcome(theirs[name], args), `${name}(${args.map(String).join(', ')})`);
      }
    });

    it('a trap of a builtin is a trap: catch_all does not catch it', () => {
      const x = e();
      assert.equal(x.catchLength('abc'), 3);
      traps(WA, () => x.catchLength(5), 'illegal cast');
    });
  });

  // fromCharCodeArray and intoCharCodeArray take a `(ref null $array16)` of the final
  // `(type $array16 (array (mut i16)))`: GC types, so ours runs them in the "latest" profile (the
  // only one that executes GC); V8 has them from Node 22.
  describe('the array builtins (GC): fromCharCodeArray and intoCharCodeArray', { skip }, () => {
    if (!isV8) impls.latestInThisBlock();
    const e = () => new WA.Instance(new WA.Module(ARRAYS, JS_STRING)).exports;
    /** The (type, sync message) V8 gives for a builtin of the wrong type on this line. */
    const mismatch = (name, offset) => {
      const text = `WebAssembly.Module(): Imported builtin function "wasm:js-string" "${name}" has incorrect signature`;
      return isV8 && LINE22 ? { name: 'LinkError', message: text } : { name: 'CompileError', message: `${text} @+${offset}` };
    };

    it('compile with the exact type only: a nullable reference to a final (array (mut i16)) alone in its group', () => {
      const from = (type, param = '(ref null $a)') => wat(`(module (type $a ${type})
        (import "wasm:js-string" "fromCharCodeArray" (func (param ${param} i32 i32) (result (ref extern)))))`);
      const into = (param) => wat(`(module (type $a (array (mut i16)))
        (import "wasm:js-string" "intoCharCodeArray" (func (param externref ${param} i32) (result i32))))`);
      assert.equal(WA.validate(from('(array (mut i16))'), JS_STRING), true);
      assert.equal(WA.validate(into('(ref null $a)'), JS_STRING), true);
      // Declared through a named function type: the same type.
      assert.equal(WA.validate(wat(`(module (type $a (array (mut i16)))
        (type $f (func (param externref (ref null $a) i32) (result i32)))
        (import "wasm:js-string" "intoCharCodeArray" (func (type $f))))`), JS_STRING), true);
      for (const [bytes, offset] of [
        [from('(sub (array (mut i16)))'), 28], // not final
        [from('(array i16)'), 26], // immutable
        [from('(array (mut i8))'), 26],
        [from('(array (mut i16))', 'arrayref'), 25],
        [wat(`(module (rec (type $a (array (mut i16))) (type (struct)))
          (import "wasm:js-string" "fromCharCodeArray" (func (param (ref null $a) i32 i32) (result (ref extern)))))`), 30],
        [wat(`(module (type $p (sub (array (mut i16)))) (type $a (sub $p (array (mut i16))))
          (import "wasm:js-string" "fromCharCodeArray" (func (param (ref null $a) i32 i32) (result (ref extern)))))`), 34],
      ]) {
        assert.throws(() => new WA.Module(bytes, JS_STRING), mismatch('fromCharCodeArray', offset));
        assert.equal(WA.validate(bytes, JS_STRING), false);
        assert.equal(WA.validate(bytes), true);
      }
      // A non-nullable array: V8 12.4 and 13.6 (Node 22, 24) accept it, V8 14.6 (Node 26) and
      // ours refuse it (the proposal's type is nullable; types are compared for equivalence).
      const lenient = isV8 && nodeMajor < 26;
      for (const [bytes, name, offset] of [[from('(array (mut i16))', '(ref $a)'), 'fromCharCodeArray', 26], [into('(ref $a)'), 'intoCharCodeArray', 25]]) {
        if (lenient) assert.equal(WA.validate(bytes, JS_STRING), true);
        else assert.throws(() => new WA.Module(bytes, JS_STRING), mismatch(name, offset));
      }
    });

    it('fromCharCodeArray: the code units [start, end) as they are (lone surrogates kept)', () => {
      const x = e();
      const a = x.fixed();
      assert.equal(x.from(a, 0, 5), '\u{1F600}b\uffff\0');
      assert.equal(x.from(a, 1, 3), '\ude00b');
      assert.equal(x.from(a, 0, 1), '\ud83d');
      assert.equal(x.from(a, 5, 5), '');
      assert.equal(x.from(a, 2, 2), '');
      assert.equal(x.from(x.filled(0, 0), 0, 0), '');
      assert.equal(x.from(x.filled(0x263a, 1000), 0, 1000), '\u263a'.repeat(1000));
    });

    it('fromCharCodeArray traps: a null array, start > end, end past the length (start, end unsigned)', () => {
      const x = e();
      const a = x.fixed();
      traps(WA, () => x.from(null, 0, 0), 'dereferencing a null pointer');
      traps(WA, () => x.fromNull(), 'dereferencing a null pointer');
      for (const [start, end] of [[3, 1], [6, 6], [0, 6], [-1, 2], [0, -1], [-1, -1], [1, 0]]) {
        traps(WA, () => x.from(a, start, end), 'array element access out of bounds');
      }
    });

    it('intoCharCodeArray: writes the code units from start and returns the length', () => {
      const x = e();
      const a = x.filled(0x61, 4);
      const units = () => [0, 1, 2, 3].map((i) => x.get(a, i));
      assert.equal(x.into('xy', a, 1), 2);
      assert.deepEqual(units(), [0x61, 0x78, 0x79, 0x61]);
      assert.equal(x.into('\u{1F600}\udc00', a, 1), 3);
      assert.deepEqual(units(), [0x61, 0xd83d, 0xde00, 0xdc00]);
      assert.equal(x.into('wxyz', a, 0), 4);
      assert.deepEqual(units(), [0x77, 0x78, 0x79, 0x7a]);
      assert.equal(x.into('', a, 4), 0);
      assert.equal(x.into('', a, 0), 0);
    });

    it('intoCharCodeArray traps in V8\'s order (not a String, a null array, out of bounds) and writes nothing then', () => {
      const x = e();
      const a = x.filled(0x61, 4);
      for (const [args, message] of [
        [['xyz', a, 2], 'array element access out of bounds'],
        [['', a, 5], 'array element access out of bounds'],
        [['a', a, -1], 'array element access out of bounds'],
        [['abcde', a, 0], 'array element access out of bounds'],
        [['a', null, 0], 'dereferencing a null pointer'],
        [['a', null, 99], 'dereferencing a null pointer'],
        [[5, a, 0], 'illegal cast'],
        [[null, a, 0], 'illegal cast'],
        [[new String('a'), a, 0], 'illegal cast'],
        [[5, null, 0], 'illegal cast'],
        [[5, a, 99], 'illegal cast'],
      ]) {
        traps(WA, () => x.into(...args), message);
      }
      traps(WA, () => x.intoNull('a'), 'dereferencing a null pointer');
      traps(WA, () => x.intoNull(5), 'illegal cast');
      assert.deepEqual([0, 1, 2, 3].map((i) => x.get(a, i)), [0x61, 0x61, 0x61, 0x61]);
    });

    it('an argument that is not an (array (mut i16)) is a TypeError at the JS boundary', () => {
      const x = e();
      for (const v of ['abc', 1, {}, [1, 2], x.i8s()]) {
        assert.throws(() => x.from(v, 0, 0), { name: 'TypeError', message: 'type incompatibility when transforming from/to JS' });
        assert.throws(() => x.into('', v, 0), { name: 'TypeError', message: 'type incompatibility when transforming from/to JS' });
      }
    });

    it('from wasm: a string reversed through an array, and calls through a table (call_indirect)', () => {
      const x = e();
      const s = 'jitless \u{1F600} wasm';
      assert.equal(x.reverse(s), [...s].reverse().join('').replace(/\u{1F600}/u, '\ude00\ud83d'));
      assert.equal(x.reverse(''), '');
      traps(WA, () => x.reverse(null), 'illegal cast');
      assert.equal(x.indirect(x.fixed(), 2, 3), 'b');
      assert.equal(x.table.get(0), x.from);
      assert.equal(x.from.name, '1');
      assert.equal(x.from.length, 3);
      assert.equal(x.into.name, '2');
      assert.equal(x.into.length, 3);
    });

    it('an exported array builtin imported by another module: the same canonical array type only', () => {
      const x = e();
      const user = wat(`(module (type $b (array (mut i16)))
        (import "m" "f" (func $f (param (ref null $b) i32 i32) (result (ref extern))))
        (func (export "g") (result (ref extern)) (call $f (array.new $b (i32.const 0x41) (i32.const 3)) (i32.const 1) (i32.const 3))))`);
      assert.equal(new WA.Instance(new WA.Module(user), { m: { f: x.from } }).exports.g(), 'AA');
      for (const type of ['(type $b (sub (array (mut i16))))', '(type $b (array i16))']) {
        const other = wat(`(module ${type} (import "m" "f" (func (param (ref null $b) i32 i32) (result (ref extern)))))`);
        assert.throws(() => new WA.Instance(new WA.Module(other), { m: { f: x.from } }), {
          name: 'LinkError',
          message: `WebAssembly.Instance(): ${label(isV8, true)}: imported function does not match the expected type`,
        });
      }
    });

    // Ours against V8 in the same process on a grid of arrays, strings and indices (only where
    // both run: Node 22+ without --jitless).
    const v8 = typeof globalThis.WebAssembly === 'object' && nodeMajor >= 22 ? globalThis.WebAssembly : undefined;
    it('agree with V8 on a grid (results, array contents, trap classes and texts)', { skip: (isV8 || !v8) && 'ours against V8: needs both' }, () => {
      const engines = [e(), new v8.Instance(new v8.Module(ARRAYS, JS_STRING)).exports];
      const strings = ['', 'a', 'abc', '\u{1F600}', '\ud800x', 'hello, world'];
      const ints = [0, 1, 2, 3, 4, 5, 8, -1, 0x7fffffff, -0x80000000];
      const outcome = (f) => {
        try {
          return { value: f() };
        } catch (err) {
          return { error: err.constructor.name, message: err.message };
        }
      };
      const run = (x) => {
        const log = [];
        for (const len of [0, 1, 4]) {
          for (const i of ints) for (const j of ints) log.push(outcome(() => x.from(x.filled(0x41 + len, len), i, j)));
          for (const s of [...strings, null, 7]) {
            for (const i of ints) {
              const a = x.filled(0x2e, len);
              log.push(outcome(() => x.into(s, a, i)), Array.from({ length: len }, (_, k) => x.get(a, k)));
            }
          }
        }
        return log;
      };
      const [ours, theirs] = engines.map(run);
      assert.equal(ours.length, theirs.length);
      for (let k = 0; k < ours.length; k++) assert.deepEqual(ours[k], theirs[k], `case ${k}`);
    });
  });
});
