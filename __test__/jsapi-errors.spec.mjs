// Error messages as V8 (Node 20) prints them: the API prefix and byte offset of CompileErrors
// (the message body is wasmparser's, not V8's, except for the module header), the function
// index of errors inside function bodies, the import label of LinkErrors, the prefix of
// RuntimeErrors raised while instantiating, and Wasm frames in stack traces.
//
// Checklist rows (js-api-checklist.md §1): #15, #21–#29, #45, #48.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { forEachImpl, implementations } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { byLine, importLabel, nodeMajor } from './helpers/node-line.mjs';

// Under `node --jitless` the first use of Response loads undici, which compiles its llhttp parser
// with the global WebAssembly: install ours first (as a user of the polyfill would).
function wasmResponse(bytes) {
  if (typeof globalThis.WebAssembly === 'undefined') createRequire(import.meta.url)('../polyfill.js');
  return new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
}

// Malformed modules and V8's messages for them. `body: null` = the body is wasmparser's: only the
// prefix, the function index and the offset are compared.
const HEADER_CASES = [
  ['an empty buffer', [], 'BufferSource argument is empty'],
  ['a bad magic word', [1, 2, 3, 4, 1, 0, 0, 0], 'expected magic word 00 61 73 6d, found 01 02 03 04 @+0'],
  ['a bad version', [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'expected version 01 00 00 00, found 02 00 00 00 @+4'],
  ['a truncated magic word', [0, 0x61, 0x73], 'expected 4 bytes, fell off end @+0'],
  ['a truncated version', [0, 0x61, 0x73, 0x6d, 1, 0, 0], 'expected 4 bytes, fell off end @+4'],
];

const BODY_CASES = [
  // [label, wat, function index, offset]
  ['function #0', '(module (func (result i32) i64.const 1))', 0, 26],
  ['function #1', '(module (func) (func (result i32) i64.const 1))', 1, 33],
  ['function #1 after an import', '(module (import "a" "b" (func)) (func (result i32) i64.const 1))', 1, 38],
];

const APIS = [
  ['WebAssembly.Module()', (WA, b) => Promise.resolve().then(() => new WA.Module(b))],
  ['WebAssembly.compile()', (WA, b) => WA.compile(b)],
  ['WebAssembly.instantiate()', (WA, b) => WA.instantiate(b)],
  ['WebAssembly.compileStreaming()', (WA, b) => WA.compileStreaming(wasmResponse(b))],
  ['WebAssembly.instantiateStreaming()', (WA, b) => WA.instantiateStreaming(wasmResponse(b))],
];

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  /** Asserts that `p` rejects with a CompileError whose message satisfies `check`. */
  const rejectsCompile = (p, check, label) =>
    assert.rejects(p, (e) => {
      assert.ok(e instanceof WA.CompileError, `${label}: ${e}`);
      check(e.message);
      return true;
    });

  for (const [api, run] of APIS) {
    it(`[#15] CompileError messages of ${api}: "${api}: <message> @+<offset>", V8's header texts`, async () => {
      for (const [label, bytes, text] of HEADER_CASES) {
        // (A streamed empty body is decoded like any other: V8 does not call it a BufferSource.)
        const expected = bytes.length === 0 && api.includes('Streaming') ? 'expected 4 bytes, fell off end @+0' : text;
        await rejectsCompile(run(WA, new Uint8Array(bytes)), (m) => assert.equal(m, `${api}: ${expected}`, label), label);
      }
    });

    it(`[#15] CompileError of ${api} inside a function body: "Compiling function #<index> failed: …"`, async () => {
      for (const [label, text, index, offset] of BODY_CASES) {
        await rejectsCompile(
          run(WA, wat(text)),
          (m) => {
            const prefix = `${api}: Compiling function #${index} failed: `;
            assert.ok(m.startsWith(prefix), `${label}: ${m}`);
            assert.ok(m.endsWith(` @+${offset}`), `${label}: ${m}`);
          },
          label,
        );
      }
    });
  }

  it('[#15] CompileError outside function bodies: no function index, the offset of the problem', () => {
    // An export of a function that does not exist (V8: @+14 at the index; wasmparser: @+11).
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 7, 5, 1, 1, 0x61, 0, 0]);
    assert.throws(
      () => new WA.Module(bytes),
      (e) => e instanceof WA.CompileError && /^WebAssembly\.Module\(\): (?!Compiling).* @\+1[14]$/.test(e.message),
    );
  });

  // ----- LinkError and TypeError at instantiation --------------------------------------------

  const mod = (text) => new WA.Module(wat(text));
  let other;
  const otherExports = () =>
    (other ??= new WA.Instance(mod('(module (func (export "f") (param i32)))')).exports);

  // V8's texts changed between lines: the import label (see `L`), and from V8 12.4 (Node 22) the
  // memory limits texts are labelled too and say "smaller" differently (`memoryText`); from 13.6
  // (Node 24) a table's missing maximum is "; required: n". Ours follows the running line's.
  const L = importLabel;
  const memoryText = (node20, labelled) => (nodeMajor < 22 ? node20 : `${L(0, 'env', 'm')}: ${labelled}`);

  // [label, module, imports, error class, message after "WebAssembly.Instance(): "]
  const LINK_CASES = () => [
    ['no import object', '(module (import "env" "f" (func)))', undefined, TypeError,
      'Imports argument must be present and must be an object'],
    ['module not an object', '(module (import "env" "f" (func)))', { env: 1 }, TypeError,
      `${L(0, 'env')}: module is not an object or function`],
    ['module missing', '(module (import "env" "f" (func)))', {}, TypeError,
      `${L(0, 'env')}: module is not an object or function`],
    ['function not callable', '(module (import "env" "f" (func)))', { env: { f: 1 } }, WA.LinkError,
      `${L(0, 'env', 'f')}: function import requires a callable`],
    ['second import', '(module (import "env" "a" (func)) (import "env" "b" (func)))', { env: { a() {}, b: 2 } }, WA.LinkError,
      `${L(1, 'env', 'b')}: function import requires a callable`],
    ['function signature', '(module (import "env" "f" (func (result i32))))', { env: { f: otherExports().f } }, WA.LinkError,
      `${L(0, 'env', 'f')}: imported function does not match the expected type`],
    ['i32 global from a BigInt', '(module (import "env" "g" (global i32)))', { env: { g: 1n } }, WA.LinkError,
      `${L(0, 'env', 'g')}: global import must be a number, valid Wasm reference, or WebAssembly.Global object`],
    ['i64 global from a Number', '(module (import "env" "g" (global i64)))', { env: { g: 1 } }, WA.LinkError,
      `${L(0, 'env', 'g')}: global import must be a number, valid Wasm reference, or WebAssembly.Global object`],
    ['global undefined', '(module (import "env" "g" (global f64)))', { env: {} }, WA.LinkError,
      `${L(0, 'env', 'g')}: global import must be a number, valid Wasm reference, or WebAssembly.Global object`],
    ['mutable global from a Number', '(module (import "env" "g" (global (mut i32))))', { env: { g: 1 } }, WA.LinkError,
      `${L(0, 'env', 'g')}: imported mutable global must be a WebAssembly.Global object`],
    ['mutability mismatch', '(module (import "env" "g" (global (mut i32))))', { env: { g: new WA.Global({ value: 'i32' }) } }, WA.LinkError,
      `${L(0, 'env', 'g')}: imported global does not match the expected mutability`],
    ['immutable from a mutable Global', '(module (import "env" "g" (global i32)))', { env: { g: new WA.Global({ value: 'i32', mutable: true }) } }, WA.LinkError,
      `${L(0, 'env', 'g')}: imported global does not match the expected mutability`],
    ['global type mismatch', '(module (import "env" "g" (global i64)))', { env: { g: new WA.Global({ value: 'i32' }) } }, WA.LinkError,
      `${L(0, 'env', 'g')}: imported global does not match the expected type`],
    ['funcref global from a JS function', '(module (import "env" "g" (global funcref)))', { env: { g: () => 1 } }, WA.LinkError,
      `${L(0, 'env', 'g')}: function-typed object must be null (if nullable) or a Wasm function object`],
    ['memory not a Memory', '(module (import "env" "m" (memory 1)))', { env: { m: 1 } }, WA.LinkError,
      `${L(0, 'env', 'm')}: memory import must be a WebAssembly.Memory object`],
    ['memory too small', '(module (import "env" "m" (memory 2)))', { env: { m: new WA.Memory({ initial: 1 }) } }, WA.LinkError,
      memoryText(`memory import 0 is smaller than initial 2, got 1`, `memory import has 1 pages which is smaller than the declared initial of 2`)],
    ['memory maximum too large', '(module (import "env" "m" (memory 1 2)))', { env: { m: new WA.Memory({ initial: 1, maximum: 3 }) } }, WA.LinkError,
      memoryText("memory import 0 has a larger maximum size 3 than the module's declared maximum 2", "memory import has a larger maximum size 3 than the module's declared maximum 2")],
    ['table not a Table', '(module (import "env" "t" (table 1 funcref)))', { env: { t: 1 } }, WA.LinkError,
      `${L(0, 'env', 't')}: table import requires a WebAssembly.Table`],
    ['table too small', '(module (import "env" "t" (table 2 funcref)))', { env: { t: new WA.Table({ element: 'anyfunc', initial: 1 }) } }, WA.LinkError,
      'table import 0 is smaller than initial 2, got 1'],
    ['table without a maximum', '(module (import "env" "t" (table 1 2 funcref)))', { env: { t: new WA.Table({ element: 'anyfunc', initial: 1 }) } }, WA.LinkError,
      byLine({ 20: 'table import 0 has no maximum length, expected 2', 24: 'table import 0 has no maximum length; required: 2' })],
    ['table maximum too large', '(module (import "env" "t" (table 1 2 funcref)))', { env: { t: new WA.Table({ element: 'anyfunc', initial: 1, maximum: 3 }) } }, WA.LinkError,
      "table import 0 has a larger maximum size 3 than the module's declared maximum 2"],
    ['table element type', '(module (import "env" "t" (table 1 externref)))', { env: { t: new WA.Table({ element: 'anyfunc', initial: 1 }) } }, WA.LinkError,
      `${L(0, 'env', 't')}: imported table does not match the expected type`],
  ];

  it('[#20] [#21] [#22] [#23] [#24] [#25] [#26] [#27] LinkError/TypeError texts of every link failure (new Instance)', () => {
    for (const [label, text, imports, cls, message] of LINK_CASES()) {
      assert.throws(
        () => new WA.Instance(mod(text), imports),
        (e) => {
          assert.ok(e instanceof cls, `${label}: ${e}`);
          assert.equal(e.message, `WebAssembly.Instance(): ${message}`, label);
          return true;
        },
      );
    }
  });

  it('[#21] [#22] [#27] the same texts with "WebAssembly.instantiate()" for both overloads', async () => {
    for (const [label, text, imports, cls, message] of LINK_CASES()) {
      const check = (e) => {
        assert.ok(e instanceof cls, `${label}: ${e}`);
        assert.equal(e.message, `WebAssembly.instantiate(): ${message}`, label);
        return true;
      };
      await assert.rejects(WA.instantiate(mod(text), imports), check);
      await assert.rejects(WA.instantiate(wat(text), imports), check);
    }
  });

  it('[#22] instantiateStreaming reports link errors as "WebAssembly.instantiate()" (as V8)', async () => {
    await assert.rejects(
      WA.instantiateStreaming(wasmResponse(wat('(module (import "m" "f" (func)))')), { m: { f: 1 } }),
      (e) =>
        e instanceof WA.LinkError &&
        e.message === `WebAssembly.instantiate(): ${importLabel(0, 'm', 'f')}: function import requires a callable`,
    );
  });

  it('[#27] a memory import without a maximum: V8 prints 4294967295 as the expected maximum, we print the declared one', () => {
    const m = mod('(module (import "env" "m" (memory 1 2)))');
    const expected = isV8 ? 4294967295 : 2;
    assert.throws(
      () => new WA.Instance(m, { env: { m: new WA.Memory({ initial: 1 }) } }),
      (e) =>
        e instanceof WA.LinkError &&
        e.message ===
          `WebAssembly.Instance(): ${memoryText(`memory import 0 has no maximum limit, expected at most ${expected}`, `memory import has no maximum limit, expected at most ${expected}`)}`,
    );
  });

  // ----- RuntimeError at instantiation --------------------------------------------------------

  it('[#29] segments out of bounds: RuntimeError prefixed with the API', async () => {
    const data = mod('(module (memory 1) (data (i32.const 65535) "ab"))');
    const elem = mod('(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))');
    const imported = mod('(module (import "env" "m" (memory 1)) (data (i32.const 65535) "ab"))');
    // V8 12.4+ (Node 22 on) names the segment and its bounds; ours follows the line. The
    // offset is unsigned, and a 64-bit memory's is 64-bit.
    const dataText =
      nodeMajor >= 22 ? 'data segment 0 is out of bounds (offset 65535, length 2, memory size 65536)' : 'data segment is out of bounds';
    const negative = mod('(module (memory 1) (data (i32.const 0) "a") (data (i32.const -1) "b"))');
    const negativeText =
      nodeMajor >= 22 ? 'data segment 1 is out of bounds (offset 4294967295, length 1, memory size 65536)' : 'data segment is out of bounds';
    const cases = [
      [negative, undefined, negativeText],
      [data, undefined, dataText],
      [elem, undefined, 'table index is out of bounds'],
      [imported, { env: { m: new WA.Memory({ initial: 1 }) } }, dataText],
    ];
    for (const [m, imports, text] of cases) {
      assert.throws(
        () => new WA.Instance(m, imports),
        (e) => e instanceof WA.RuntimeError && e.message === `WebAssembly.Instance(): ${text}`,
      );
      await assert.rejects(
        WA.instantiate(m, imports),
        (e) => e instanceof WA.RuntimeError && e.message === `WebAssembly.instantiate(): ${text}`,
      );
    }
  });

  it('[#28] a trap in the start function has the plain trap message', () => {
    for (const [text, message] of [
      ['(module (func $s unreachable) (start $s))', 'unreachable'],
      ['(module (func $s i32.const 1 i32.const 0 i32.div_s drop) (start $s))', 'divide by zero'],
      ['(module (memory 1) (func $s i32.const 70000 i32.load drop) (start $s))', 'memory access out of bounds'],
      ['(module (table 1 funcref) (func $s i32.const 5 call_indirect) (start $s))', 'table index is out of bounds'],
    ]) {
      assert.throws(() => new WA.Instance(mod(text)), (e) => e instanceof WA.RuntimeError && e.message === message, text);
    }
  });

  it('regression: an element segment out of bounds is prefixed in a module with a start function', async () => {
    // The binding used to guess a table trap's origin from the module having no start function.
    const text = '(module (table 1 funcref) (func $f) (func $s) (start $s) (elem (i32.const 1) $f))';
    assert.throws(
      () => new WA.Instance(mod(text)),
      (e) => e instanceof WA.RuntimeError && e.message === 'WebAssembly.Instance(): table index is out of bounds',
    );
    await assert.rejects(
      WA.instantiate(mod(text)),
      (e) => e instanceof WA.RuntimeError && e.message === 'WebAssembly.instantiate(): table index is out of bounds',
    );
  });

  // ----- stack traces -------------------------------------------------------------------------

  const STACK = `(module (import "m" "f" (func $f))
    (func $inner (export "inner") unreachable)
    (func $outer (export "outer") call $inner)
    (func (export "anon") i32.const 1 i32.const 0 i32.div_s drop)
    (func (export "callImport") call $f))`;
  const FRAME = (name, index, offset, module = '') =>
    new RegExp(`^    at ${name ? `${name} ` : ''}\\(?wasm://wasm/${module ? `${module}-` : ''}[0-9a-f]{8}:wasm-function\\[${index}\\]:0x${offset}\\)?$`);
  const stackOf = (fn) => {
    try {
      fn();
    } catch (err) {
      return err.stack.split('\n');
    }
    assert.fail('no exception');
  };

  it('[#48] RuntimeError.stack: wasm://wasm/<hash>:wasm-function[<index>]:0x<offset> frames, named from the name section', () => {
    const e = new WA.Instance(mod(STACK), { m: { f() { throw new Error('js'); } } }).exports;
    const inner = stackOf(e.inner);
    assert.equal(inner[0], 'RuntimeError: unreachable');
    assert.match(inner[1], FRAME('inner', 1, '4a'));
    assert.doesNotMatch(inner[2], /wasm:/);
    const outer = stackOf(e.outer);
    assert.match(outer[1], FRAME('inner', 1, '4a'));
    assert.match(outer[2], FRAME('outer', 2, '4e'));
    assert.equal(outer[1].slice(outer[1].indexOf('wasm://'), outer[1].indexOf(':wasm-function')),
      outer[2].slice(outer[2].indexOf('wasm://'), outer[2].indexOf(':wasm-function')));
    // Then the JS frames, starting with this file's caller of the export.
    assert.match(outer[3], /jsapi-errors\.spec\.mjs/);
    // Without a name: the location only.
    assert.match(stackOf(e.anon)[1], FRAME(null, 3, '57'));
  });

  // Like V8: the Error thrown by a JS import lists the Wasm frames that called it, between the
  // import's JS frames and the JS frames that called into Wasm.
  it('[#48] a JS error thrown by an import shows the Wasm frame that called it', () => {
    const e = new WA.Instance(mod(STACK), { m: { f() { throw new Error('js'); } } }).exports;
    const js = stackOf(e.callImport);
    assert.equal(js[0], 'Error: js');
    assert.match(js[1], /^    at f \(/);
    assert.match(js[2], FRAME(null, 4, '5c'));
    assert.match(js[3], /jsapi-errors\.spec\.mjs/);
    // Non-Error values are thrown through unchanged.
    const plain = { tag: 1 };
    const e2 = new WA.Instance(mod(STACK), { m: { f() { throw plain; } } }).exports;
    assert.throws(() => e2.callImport(), (x) => x === plain && !('stack' in x));
  });

  it('[#48] a trap in Wasm called from an import called from Wasm: both Wasm parts are listed', () => {
    let inst;
    inst = new WA.Instance(mod(`(module (import "m" "cb" (func $cb)) (func $outer (export "outer") call $cb)
      (func $inner (export "inner") unreachable))`), { m: { cb() { inst.exports.inner(); } } });
    const lines = stackOf(() => inst.exports.outer());
    assert.equal(lines[0], 'RuntimeError: unreachable');
    assert.match(lines[1], FRAME('inner', 2, '[0-9a-f]+'));
    assert.match(lines[2], /^    at cb \(/);
    assert.match(lines[3], FRAME('outer', 1, '[0-9a-f]+'));
  });

  it('[#48] a named module: wasm://wasm/<module>-<hash>, frames named <module>.<function> or <module>', () => {
    const e = new WA.Instance(mod('(module $lib (func $f (export "f") unreachable) (func (export "g") call $f))')).exports;
    const lines = stackOf(e.g);
    assert.match(lines[1], FRAME('lib\\.f', 0, '[0-9a-f]+', 'lib'));
    assert.match(lines[2], FRAME('lib', 1, '[0-9a-f]+', 'lib'));
  });

  it('[#48] Error.stackTraceLimit caps Wasm and JS frames together; stack overflow lists frames too', () => {
    const e = new WA.Instance(mod(`(module (func $a (export "a") call $b) (func $b call $c) (func $c unreachable)
      (func $r (export "r") call $r))`)).exports;
    const saved = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 2;
      const lines = stackOf(e.a);
      assert.equal(lines.length, 3);
      assert.match(lines[1], FRAME('c', 2, '[0-9a-f]+'));
      assert.match(lines[2], FRAME('b', 1, '[0-9a-f]+'));
      Error.stackTraceLimit = 0;
      assert.deepEqual(stackOf(e.a), ['RuntimeError: unreachable']);
    } finally {
      Error.stackTraceLimit = saved;
    }
    const overflow = stackOf(e.r);
    assert.equal(overflow[0], 'RangeError: Maximum call stack size exceeded');
    assert.equal(overflow.length, 1 + Error.stackTraceLimit);
    assert.match(overflow[2], FRAME('r', 3, '[0-9a-f]+'));
  });

  it('[#48] a trap in a start function shows the Wasm frames', () => {
    assert.throws(
      () => new WA.Instance(mod('(module (func $s (call $t)) (func $t unreachable) (start $s))')),
      (e) => {
        const lines = e.stack.split('\n');
        assert.match(lines[1], FRAME('t', 1, '20'));
        assert.match(lines[2], FRAME('s', 0, '1b'));
        return true;
      },
    );
  });
});

// Our wasm frame lines against V8's for the same modules (when V8's WebAssembly is here, i.e.
// not under --jitless): the same function names, indices and byte offsets, in the same order;
// only the module hash differs (V8 hashes the bytes its own way).
describe('[#48] wasm frames: ours vs V8, line by line', () => {
  const impls = implementations();
  const v8 = impls.find((i) => i.isV8);
  const ours = impls.find((i) => !i.isV8);
  const skip = v8.skip || ours.skip;
  const MODULES = [
    ['a named call chain with a division trap', `(module $m (import "js" "f" (func $f))
      (func $div (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)
      (func $mid (export "run") (result i32) nop i32.const 3 call $div i32.const 1 i32.add)
      (func (export "bad") i32.const 1 i32.const 8 call_indirect (param i32) (result i32) drop)
      (table 1 funcref))`, ['run', 'bad']],
    ['anonymous functions, memory and table traps', `(module (memory 1) (table 2 funcref)
      (func (param i32) (result i32) local.get 0 i32.load offset=4)
      (func (export "load") (result i32) i32.const 65534 call 0)
      (func (export "tbl") i32.const 5 table.get 0 drop)
      (func (export "trunc") (result i32) f64.const nan i32.trunc_f64_s)
      (func $loop (export "loop") (local i32)
        (loop $l local.get 0 i32.load drop local.get 0 i32.const 8192 i32.add local.set 0 br $l)))`,
    ['load', 'tbl', 'trunc', 'loop']],
    ['a start function', '(module (func $s (call $t)) (func $t unreachable) (start $s))', null],
    ['an Error thrown by an import', `(module (import "js" "f" (func $f)) (func $g (call $f))
      (func (export "h") nop (call $g)))`, ['h']],
  ];
  const wasmLines = (WA, text, exp) => {
    const bytes = wat(text);
    let err;
    try {
      const inst = new WA.Instance(new WA.Module(bytes), { js: { f() { throw new Error('from JS'); } } });
      inst.exports[exp]();
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'no exception');
    return err.stack.split('\n').filter((l) => l.includes('wasm://')).map((l) => l.replace(/[0-9a-f]{8}:wasm-function/, 'HASH:wasm-function'));
  };
  for (const [what, text, exports] of MODULES) {
    it(what, { skip }, () => {
      for (const exp of exports ?? [undefined]) {
        const expected = wasmLines(v8.WebAssembly, text, exp);
        assert.ok(expected.length > 0);
        assert.deepEqual(wasmLines(ours.WebAssembly, text, exp), expected, exp);
      }
    });
  }
});

// Regression (stack overflow frames): when Wasm recursion overflows the stack, V8 throws a
// RangeError whose top frame is the function being entered, at the start of its body (V8 checks
// the stack in the callee's prologue), then the caller at its call instruction. Ours listed the
// call site on top. Compared line by line with V8 (hash aside), at several
// Error.stackTraceLimit values, for direct recursion, mutual recursion and call_indirect.
describe('[#48] stack overflow: the top frame is the callee entry, as V8', () => {
  const impls = implementations();
  const v8 = impls.find((i) => i.isV8);
  const ours = impls.find((i) => !i.isV8);
  const skip = v8.skip || ours.skip;
  // $ping and $pong have the same shape, so V8's frames are the same size whichever is entered
  // first: entering from the other export flips which of the two is on top (see below).
  const TEXT = `(module $rec
    (type $t (func (param i32) (result i32)))
    (table 1 funcref) (elem (i32.const 0) $ind)
    (func $direct (export "direct") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $direct)
    (func $ping (export "ping") (param i32) (result i32) local.get 0 call $pong)
    (func $pong (export "pong") (param i32) (result i32) local.get 0 call $ping)
    (func $ind (export "ind") (param i32) (result i32) (local i64) local.get 0 i32.const 0 call_indirect (type $t)))`;
  const LIMITS = [undefined, 0, 1, 3, 30];
  /** The overflow error of export `exp` with Error.stackTraceLimit = `limit` (default if undefined). */
  const overflow = (WA, exp, limit) => {
    const inst = new WA.Instance(new WA.Module(wat(TEXT)));
    const saved = Error.stackTraceLimit;
    try {
      if (limit !== undefined) Error.stackTraceLimit = limit;
      inst.exports[exp](0);
    } catch (e) {
      return e;
    } finally {
      Error.stackTraceLimit = saved;
    }
    assert.fail('no exception');
  };
  const normalize = (stack) => stack.split('\n').map((l) => l.replace(/-[0-9a-f]{8}:wasm-function/, '-HASH:wasm-function'));
  const wasmLines = (lines) => lines.filter((l) => l.includes('wasm://'));

  for (const exp of ['direct', 'ping', 'ind']) {
    it(`${exp}: RangeError, message, frame count and top frames equal V8's`, { skip }, () => {
      for (const limit of LIMITS) {
        const label = `${exp}, Error.stackTraceLimit = ${limit ?? 'default'}`;
        const mine = overflow(ours.WebAssembly, exp, limit);
        const theirs = overflow(v8.WebAssembly, exp, limit);
        assert.ok(mine instanceof RangeError && theirs instanceof RangeError, label);
        assert.equal(Object.getPrototypeOf(mine), Object.getPrototypeOf(theirs), label);
        assert.equal(mine.message, theirs.message, label);
        assert.equal(mine.message, 'Maximum call stack size exceeded');
        const [a, b] = [normalize(mine.stack), normalize(theirs.stack)];
        assert.equal(a.length, b.length, `${label}: number of lines`);
        assert.equal(a[0], b[0], label);
        // All frames are Wasm frames within the limit (the recursion is deeper than 30).
        assert.equal(wasmLines(a).length, a.length - 1, label);
        if (exp !== 'ping') {
          assert.deepEqual(a, b, label);
          continue;
        }
        // Mutual recursion: which function is being entered when the stack runs out depends on
        // the depth reached (ours: 100,000 frames, V8: its stack size), so ours must equal V8's
        // frames for one of the two entry points.
        const other = normalize(overflow(v8.WebAssembly, 'pong', limit).stack);
        assert.ok(
          JSON.stringify(a) === JSON.stringify(b) || JSON.stringify(a) === JSON.stringify(other),
          `${label}:\n${a.join('\n')}\nV8:\n${b.join('\n')}\nor\n${other.join('\n')}`,
        );
      }
      // A limit that is not a number: V8 captures no stack at all (an own `stack` of undefined).
      for (const limit of ['5', null]) {
        const [mine, theirs] = [overflow(ours.WebAssembly, exp, limit), overflow(v8.WebAssembly, exp, limit)];
        assert.ok(mine instanceof RangeError, String(limit));
        assert.equal(mine.stack, theirs.stack, String(limit));
        assert.equal(mine.stack, undefined, String(limit));
      }
    });
  }
  // Two instances calling each other (through an imported function and a table): each frame
  // names its own module.
  it('mutual recursion across two instances', { skip }, () => {
    const A = `(module $a (import "t" "t" (table 1 funcref)) (type $s (func (param i32) (result i32)))
      (func $f (export "f") (param i32) (result i32) local.get 0 i32.const 0 call_indirect (type $s)))`;
    const B = `(module $b (import "a" "f" (func $f (param i32) (result i32)))
      (func $g (export "g") (param i32) (result i32) local.get 0 call $f))`;
    const run = (WA, entry) => {
      const t = new WA.Table({ element: 'anyfunc', initial: 1 });
      const a = new WA.Instance(new WA.Module(wat(A)), { t: { t } });
      const b = new WA.Instance(new WA.Module(wat(B)), { a: { f: a.exports.f } });
      t.set(0, b.exports.g);
      try {
        (entry === 'f' ? a.exports.f : b.exports.g)(0);
      } catch (e) {
        assert.ok(e instanceof RangeError);
        return normalize(e.stack);
      }
      assert.fail('no exception');
    };
    const mine = run(ours.WebAssembly, 'f');
    const candidates = [run(v8.WebAssembly, 'f'), run(v8.WebAssembly, 'g')].map((l) => JSON.stringify(l));
    assert.ok(candidates.includes(JSON.stringify(mine)), `${mine.join('\n')}\nV8:\n${candidates.join('\n')}`);
  });
});

forEachImpl(({ WebAssembly: WA }) => {
  it('[#48] stack overflow: the callee entry on top, then its caller at the call, capped by Error.stackTraceLimit', () => {
    const inst = new WA.Instance(new WA.Module(wat('(module (func $f (export "f") nop call $f))')));
    const saved = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 4;
      inst.exports.f();
      assert.fail('no exception');
    } catch (e) {
      assert.ok(e instanceof RangeError);
      const lines = e.stack.split('\n');
      assert.equal(lines.length, 5);
      const at = lines.slice(1).map((l) => l.match(/wasm-function\[(\d+)\]:0x([0-9a-f]+)\)$/));
      assert.ok(at.every((m) => m && m[1] === '0'), lines.join('\n'));
      // The body starts at the local declarations (0x1d); `nop` is at 0x1e, `call` at 0x1f.
      assert.deepEqual(at.map((m) => m[2]), ['1d', '1f', '1f', '1f']);
    } finally {
      Error.stackTraceLimit = saved;
    }
  });
});
