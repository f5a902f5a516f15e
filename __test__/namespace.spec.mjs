// The WebAssembly namespace object: validate, compile, instantiate,
// compileStreaming, instantiateStreaming, property attributes, @@toStringTag.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { forEachImpl } from './helpers/impls.mjs';
import { nodeMajor } from './helpers/node-line.mjs';
import { wat } from './helpers/wat.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SEVEN = `(module (func (export "seven") (result i32) i32.const 7))`;
const WITH_IMPORT = `(module
  (import "env" "f" (func $f (param i32)))
  (func (export "run") (param i32) local.get 0 call $f))`;
const TRAPPING_START = `(module (func $s unreachable) (start $s))`;
const INVALID = `(module (func (result i32) i64.const 1))`; // parses, does not validate

// Under `node --jitless`, the first use of Response loads undici, which at
// once compiles its llhttp parser with the global WebAssembly; with none that
// is an unhandled rejection failing this file. So install ours first (as a
// user of the polyfill would have).
function response(body, init) {
  if (typeof globalThis.WebAssembly === 'undefined') {
    createRequire(import.meta.url)('../polyfill.js');
  }
  return new Response(body, init);
}

const wasmResponse = (bytes, init = {}) =>
  response(bytes, { headers: { 'Content-Type': 'application/wasm' }, ...init });

const isPlainObject = (o) => Object.getPrototypeOf(o) === Object.prototype;

forEachImpl(({ name, WebAssembly: WA, isV8 }) => {
  it('is an ordinary object with @@toStringTag "WebAssembly"', () => {
    assert.equal(typeof WA, 'object');
    assert.equal(Object.prototype.toString.call(WA), '[object WebAssembly]');
    assert.deepEqual(Object.getOwnPropertyDescriptor(WA, Symbol.toStringTag), {
      value: 'WebAssembly',
      writable: false,
      enumerable: false,
      configurable: true,
    });
    assert.equal(Object.getPrototypeOf(WA), Object.prototype);
  });

  it('is installed on globalThis as writable, non-enumerable, configurable', () => {
    if (isV8) {
      const d = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
      assert.equal(d.value, WA);
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
      return;
    }
    // Ours is installed by polyfill.js; check it where WebAssembly is missing.
    const out = execFileSync(
      process.execPath,
      [
        '--jitless',
        '-e',
        `require('./polyfill.js');
         const d = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
         const ns = require('./index.js');
         const ours = ns.WebAssembly && typeof ns.WebAssembly === 'object' ? ns.WebAssembly : ns;
         console.log(JSON.stringify([d.writable, d.enumerable, d.configurable, d.value === ours]));`,
      ],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    assert.deepEqual(JSON.parse(out), [true, false, true, true]);
  });

  for (const fn of ['validate', 'compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    it(`${fn} is an enumerable, writable, configurable function of length 1`, () => {
      const d = Object.getOwnPropertyDescriptor(WA, fn);
      assert.equal(typeof d.value, 'function');
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [true, true, true]);
      assert.equal(d.value.length, 1);
      assert.equal(d.value.name, fn);
    });

    it(`${fn} is not a constructor`, () => {
      assert.throws(() => new WA[fn](new Uint8Array(0)), TypeError);
      assert.equal(Object.hasOwn(WA[fn], 'prototype'), false);
    });
  }

  for (const ctor of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'CompileError', 'LinkError', 'RuntimeError']) {
    it(`${ctor} is a non-enumerable, writable, configurable constructor of length 1`, () => {
      const d = Object.getOwnPropertyDescriptor(WA, ctor);
      assert.equal(typeof d.value, 'function');
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [true, false, true]);
      assert.equal(d.value.length, 1);
      assert.equal(d.value.name, ctor);
    });
  }

  it('validate: true for a valid module (Uint8Array, ArrayBuffer, other typed arrays)', () => {
    const bytes = wat(SEVEN);
    assert.equal(WA.validate(bytes), true);
    assert.equal(WA.validate(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), true);
    assert.equal(WA.validate(wat('(module)')), true);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    assert.equal(WA.validate(new Uint8Array(padded.buffer, 3)), true);
    const even = new Uint8Array(8);
    even.set(wat('(module)'));
    assert.equal(WA.validate(new Uint16Array(even.buffer)), true);
  });

  it('validate: false for malformed or invalid bytes', () => {
    assert.equal(WA.validate(new Uint8Array(0)), false);
    assert.equal(WA.validate(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), false);
    assert.equal(WA.validate(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), false);
    assert.equal(WA.validate(wat(INVALID)), false);
    const trailing = new Uint8Array([...wat('(module)'), 0x01]);
    assert.equal(WA.validate(trailing), false);
  });

  it('validate: false for a detached buffer', () => {
    const ab = new ArrayBuffer(8);
    new Uint8Array(ab).set(wat('(module)'));
    ab.transfer?.() ?? structuredClone(ab, { transfer: [ab] });
    assert.equal(ab.byteLength, 0);
    assert.equal(WA.validate(ab), false);
  });

  it('validate: TypeError when the argument is not a BufferSource', () => {
    for (const bad of [undefined, null, 42, 'abc', {}, [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]]) {
      assert.throws(() => WA.validate(bad), TypeError, String(bad));
    }
  });

  it('validate: a DataView is a BufferSource', () => {
    const bytes = wat(SEVEN);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (isV8) {
      // V8 deviation: Node 20 rejects a DataView although BufferSource includes it.
      assert.throws(() => WA.validate(dv), TypeError);
    } else {
      // We follow the spec.
      assert.equal(WA.validate(dv), true);
    }
  });

  // WPT constructor/buffer-source.any.js: a DataView out of bounds of a shrunk resizable buffer
  // is a TypeError (its byteLength getter throws); a detached one reads as empty.
  it('validate/compile: an out-of-bounds DataView is a TypeError, a detached one is empty', async () => {
    const rab = new ArrayBuffer(8, { maxByteLength: 8 });
    const dv = new DataView(rab, 4);
    rab.resize(2);
    assert.throws(() => WA.validate(dv), TypeError);
    await assert.rejects(WA.compile(dv), TypeError);
    assert.throws(() => new WA.Module(dv), TypeError);
    const ab = new ArrayBuffer(8);
    const detached = new DataView(ab);
    structuredClone(ab, { transfer: [ab] });
    if (isV8) {
      assert.throws(() => WA.validate(detached), TypeError); // V8 rejects every DataView
    } else {
      assert.equal(WA.validate(detached), false);
      await assert.rejects(WA.compile(detached), WA.CompileError);
    }
  });

  it('compile: resolves a Module', async () => {
    const p = WA.compile(wat(SEVEN));
    assert.ok(p instanceof Promise);
    const m = await p;
    assert.ok(m instanceof WA.Module);
    assert.equal(Object.prototype.toString.call(m), '[object WebAssembly.Module]');
  });

  it('compile: rejects with CompileError for invalid bytes', async () => {
    await assert.rejects(WA.compile(wat(INVALID)), WA.CompileError);
    await assert.rejects(WA.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0])), WA.CompileError);
  });

  it('compile: a bad argument gives a rejected promise, not a throw', async () => {
    let p;
    assert.doesNotThrow(() => {
      p = WA.compile(42);
    });
    assert.ok(p instanceof Promise);
    await assert.rejects(p, TypeError);
    await assert.rejects(WA.compile(), TypeError);
  });

  it('compile: copies the bytes at call time', async () => {
    const bytes = wat(SEVEN);
    const p = WA.compile(bytes);
    bytes.fill(0);
    const m = await p;
    assert.equal(new WA.Instance(m).exports.seven(), 7);
  });

  it('instantiate(bytes): resolves a plain { module, instance } object', async () => {
    const result = await WA.instantiate(wat(SEVEN));
    assert.ok(isPlainObject(result));
    assert.deepEqual(Object.keys(result).sort(), ['instance', 'module']);
    assert.ok(result.module instanceof WA.Module);
    assert.ok(result.instance instanceof WA.Instance);
    assert.equal(result.instance.exports.seven(), 7);
  });

  it('instantiate(bytes, imports): passes imports to the instance', async () => {
    const seen = [];
    const { instance } = await WA.instantiate(wat(WITH_IMPORT), { env: { f: (x) => seen.push(x) } });
    instance.exports.run(5);
    instance.exports.run(-1);
    assert.deepEqual(seen, [5, -1]);
  });

  it('instantiate(Module): resolves an Instance (not a pair)', async () => {
    const m = new WA.Module(wat(SEVEN));
    const instance = await WA.instantiate(m);
    assert.ok(instance instanceof WA.Instance);
    assert.equal(instance.exports.seven(), 7);
  });

  it('instantiate(Module, imports) reads the imports synchronously', async () => {
    const m = new WA.Module(wat(WITH_IMPORT));
    let read = false;
    const imports = {
      get env() {
        read = true;
        return { f() {} };
      },
    };
    const p = WA.instantiate(m, imports);
    assert.equal(read, true);
    await p;
  });

  it('instantiate(bytes, imports) reads the imports only after compiling', async () => {
    let read = false;
    const imports = {
      get env() {
        read = true;
        return { f() {} };
      },
    };
    const p = WA.instantiate(wat(WITH_IMPORT), imports);
    assert.equal(read, false);
    await p;
    assert.equal(read, true);
  });

  it('instantiate: a non-object import argument is a rejected TypeError', async () => {
    for (const bad of [42, 'x', null, true]) {
      await assert.rejects(WA.instantiate(wat(SEVEN), bad), TypeError, String(bad));
      await assert.rejects(WA.instantiate(new WA.Module(wat(SEVEN)), bad), TypeError, String(bad));
    }
  });

  it('instantiate: missing import object for a module with imports is a TypeError', async () => {
    await assert.rejects(WA.instantiate(wat(WITH_IMPORT)), TypeError);
    await assert.rejects(WA.instantiate(wat(WITH_IMPORT), {}), TypeError);
  });

  it('instantiate: rejects with LinkError, CompileError, RuntimeError as appropriate', async () => {
    await assert.rejects(WA.instantiate(wat(WITH_IMPORT), { env: { f: 42 } }), WA.LinkError);
    await assert.rejects(WA.instantiate(wat(INVALID)), WA.CompileError);
    await assert.rejects(WA.instantiate(wat(TRAPPING_START)), WA.RuntimeError);
  });

  it('instantiate: a bad first argument is a rejected TypeError', async () => {
    let p;
    assert.doesNotThrow(() => {
      p = WA.instantiate(42);
    });
    await assert.rejects(p, TypeError);
    await assert.rejects(WA.instantiate(), TypeError);
    await assert.rejects(WA.instantiate({}), TypeError);
  });

  it('compileStreaming: compiles a Response or a promise of one', async () => {
    const m1 = await WA.compileStreaming(wasmResponse(wat(SEVEN)));
    assert.ok(m1 instanceof WA.Module);
    const m2 = await WA.compileStreaming(Promise.resolve(wasmResponse(wat(SEVEN))));
    assert.ok(m2 instanceof WA.Module);
    assert.deepEqual(WA.Module.exports(m2), [{ name: 'seven', kind: 'function' }]);
  });

  it('instantiateStreaming: resolves { module, instance } and uses the imports', async () => {
    const seen = [];
    const result = await WA.instantiateStreaming(Promise.resolve(wasmResponse(wat(WITH_IMPORT))), {
      env: { f: (x) => seen.push(x) },
    });
    assert.ok(isPlainObject(result));
    assert.ok(result.module instanceof WA.Module);
    assert.ok(result.instance instanceof WA.Instance);
    result.instance.exports.run(42);
    assert.deepEqual(seen, [42]);
  });

  it('compileStreaming: rejects a Response without the application/wasm MIME type', async () => {
    await assert.rejects(WA.compileStreaming(response(wat(SEVEN))), TypeError);
    await assert.rejects(
      WA.compileStreaming(response(wat(SEVEN), { headers: { 'Content-Type': 'text/plain' } })),
      TypeError,
    );
  });

  if (!isV8) {
    // Node 20 compares the whole Content-Type header case-sensitively, and for
    // a direct Response it throws the error outside the promise (an uncaught
    // exception that kills the process), so this runs for ours only. The Web
    // API spec (https://webassembly.github.io/spec/web-api/#compile-a-potential-webassembly-response,
    // step 3) strips HTTP whitespace and compares the rest of the header
    // byte-case-insensitively with `application/wasm`: case and surrounding
    // whitespace are ignored, parameters are not allowed (as in the WPT list
    // of invalid content types).
    it('compileStreaming: the MIME check ignores case and whitespace, rejects parameters', async () => {
      for (const type of ['Application/WASM', ' application/wasm\t']) {
        const m = await WA.compileStreaming(response(wat(SEVEN), { headers: { 'Content-Type': type } }));
        assert.ok(m instanceof WA.Module, type);
      }
      for (const type of ['application/wasm; charset=utf-8', 'application/wasm;', 'application/octet-stream']) {
        await assert.rejects(
          WA.compileStreaming(response(wat(SEVEN), { headers: { 'Content-Type': type } })),
          TypeError,
          type,
        );
      }
    });
  }

  it('compileStreaming: rejects a non-OK response, a used body, and non-Responses', async () => {
    await assert.rejects(WA.compileStreaming(wasmResponse(wat(SEVEN), { status: 404 })), TypeError);
    const used = wasmResponse(wat(SEVEN));
    await used.arrayBuffer();
    await assert.rejects(WA.compileStreaming(used), TypeError);
    await assert.rejects(WA.compileStreaming(42), TypeError);
    await assert.rejects(WA.compileStreaming(), TypeError);
    await assert.rejects(WA.compileStreaming(Promise.resolve(wat(SEVEN))), TypeError);
  });

  it('compileStreaming/instantiateStreaming: invalid bytes reject with CompileError', async () => {
    await assert.rejects(WA.compileStreaming(wasmResponse(wat(INVALID))), WA.CompileError);
    await assert.rejects(WA.instantiateStreaming(wasmResponse(new Uint8Array([1, 2, 3]))), WA.CompileError);
  });

  it('instantiateStreaming: a failing fetch promise rejects with the same reason', async () => {
    const reason = new Error('network down');
    await assert.rejects(WA.instantiateStreaming(Promise.reject(reason)), (e) => e === reason);
  });

  it(`the namespace has no unexpected extra enumerable members (${name})`, () => {
    const enumerable = Object.keys(WA).sort();
    const operations = ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming', 'validate'];
    // JSPI's `promising` from V8 13.6 (Node 24). JSTag (Node 22 on) is not enumerable in V8, nor
    // in ours.
    if (nodeMajor >= 24) operations.splice(4, 0, 'promising');
    assert.deepEqual(enumerable, operations);
  });
});
