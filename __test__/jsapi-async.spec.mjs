// The asynchronous operations: compile and instantiate reject (never throw) on bad arguments,
// promise ordering (when the imports are read, when the core is instantiated, what resolves
// first), compiling off the main thread (the event loop keeps running during a large compile),
// the accepted buffer sources and the ignored compile options.
//
// Checklist rows (js-api-checklist.md §1): #8–#14.

import { it } from 'node:test';
import { nodeMajor } from './helpers/node-line.mjs';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { bigModule } from './helpers/wasm-binary.mjs';

const SEVEN = '(module (func (export "seven") (result i32) i32.const 7))';
const START_IMPORT = '(module (import "m" "f" (func $f)) (start $f))';
const BAD_BYTES = [undefined, null, 1, 'abc', {}, [0, 97, 115, 109, 1, 0, 0, 0], Symbol('x')];

const nextTask = () => new Promise((resolve) => setImmediate(resolve));

let big;
/** A 4 MB module of 20,000 exported functions (made once). */
const BIG = () => (big ??= bigModule(20_000, 60));

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  it('[#9] [#12] compile and instantiate never throw: bad arguments give rejected promises', async () => {
    const module = new WA.Module(wat(SEVEN));
    const calls = [];
    for (const bad of BAD_BYTES) {
      calls.push(['compile', () => WA.compile(bad)]);
      calls.push(['instantiate', () => WA.instantiate(bad)]);
    }
    for (const bad of [1, 'x', true, null, Symbol('i')]) {
      calls.push(['instantiate(bytes, bad)', () => WA.instantiate(wat(SEVEN), bad)]);
      calls.push(['instantiate(module, bad)', () => WA.instantiate(module, bad)]);
    }
    calls.push(['compile()', () => WA.compile()]);
    calls.push(['instantiate()', () => WA.instantiate()]);
    calls.push(['instantiateStreaming(bad imports)', () => WA.instantiateStreaming(Promise.resolve(), 1)]);
    for (const [label, call] of calls) {
      let p;
      assert.doesNotThrow(() => (p = call()), label);
      assert.ok(p instanceof Promise, label);
      await assert.rejects(p, TypeError, label);
    }
  });

  it('[#9] compile: the promise is a new Promise that settles in a later task', async () => {
    const log = [];
    const p = WA.compile(wat(SEVEN));
    assert.equal(Object.getPrototypeOf(p), Promise.prototype);
    p.then(() => log.push('compiled'));
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(log, []);
    await p;
    assert.deepEqual(log, ['compiled']);
  });

  it('[#9] compile/instantiate ignore a patched Promise.prototype.then', async () => {
    const then = Promise.prototype.then;
    let calls = 0;
    Promise.prototype.then = function (...args) {
      calls++;
      return then.apply(this, args);
    };
    try {
      // (`await` on a native promise does not call `then`.)
      const m = await WA.compile(wat(SEVEN));
      const { instance } = await WA.instantiate(wat(SEVEN));
      const i2 = await WA.instantiate(m);
      Promise.prototype.then = then;
      assert.ok(m instanceof WA.Module);
      assert.equal(instance.exports.seven(), 7);
      assert.equal(i2.exports.seven(), 7);
      assert.equal(calls, 0);
    } finally {
      Promise.prototype.then = then;
    }
  });

  it('[#10] instantiate(bytes): imports are read after the compile, in a later task', async () => {
    const log = [];
    const imports = {
      get m() {
        log.push('read imports');
        return { f: () => log.push('start') };
      },
    };
    const p = WA.instantiate(wat(START_IMPORT), imports);
    log.push('returned');
    await Promise.resolve();
    log.push('microtask');
    const result = await p;
    assert.deepEqual(log, ['returned', 'microtask', 'read imports', 'start']);
    assert.ok(result.instance instanceof WA.Instance);
  });

  it('[#10] instantiate(bytes): a CompileError rejects before the imports are read', async () => {
    let read = false;
    const imports = {
      get m() {
        read = true;
        return {};
      },
    };
    await assert.rejects(WA.instantiate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]), imports), WA.CompileError);
    assert.equal(read, false);
  });

  it('[#10] instantiate(bytes): an import getter that throws rejects with its error', async () => {
    const boom = new Error('getter');
    const imports = {
      get m() {
        throw boom;
      },
    };
    await assert.rejects(WA.instantiate(wat(START_IMPORT), imports), (e) => e === boom);
    await assert.rejects(WA.instantiate(new WA.Module(wat(START_IMPORT)), imports), (e) => e === boom);
  });

  it('[#10] instantiate(bytes) resolves {instance, module} (WebIDL dictionary order; V8: module first)', async () => {
    const result = await WA.instantiate(wat(SEVEN));
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.keys(result), isV8 ? ['module', 'instance'] : ['instance', 'module']);
    for (const key of ['instance', 'module']) {
      assert.deepEqual(Object.getOwnPropertyDescriptor(result, key), {
        value: result[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  });

  it('[#11] instantiate(module): imports are read synchronously; the core is instantiated in a queued task (V8: at once)', async () => {
    const log = [];
    const imports = {
      get m() {
        log.push('read imports');
        return { f: () => log.push('start') };
      },
    };
    const p = WA.instantiate(new WA.Module(wat(START_IMPORT)), imports);
    log.push('returned');
    const instance = await p;
    assert.ok(instance instanceof WA.Instance);
    if (isV8) {
      assert.deepEqual(log, ['read imports', 'start', 'returned']);
    } else {
      // https://webassembly.github.io/spec/js-api/#asynchronously-instantiate-a-webassembly-module
      // step 6: "Queue a task" to instantiate the core.
      assert.deepEqual(log, ['read imports', 'returned', 'start']);
    }
  });

  it('[#11] instantiate(module): a trap in the start function and a LinkError reject', async () => {
    await assert.rejects(WA.instantiate(new WA.Module(wat('(module (func $s unreachable) (start $s))'))), WA.RuntimeError);
    await assert.rejects(WA.instantiate(new WA.Module(wat(START_IMPORT)), { m: { f: 1 } }), WA.LinkError);
    const boom = new Error('from start');
    await assert.rejects(
      WA.instantiate(new WA.Module(wat(START_IMPORT)), { m: { f: () => { throw boom; } } }),
      (e) => e === boom,
    );
  });

  it('[#9] [#10] instantiate(bytes) copies the bytes at call time', async () => {
    const bytes = wat(SEVEN);
    const p = WA.instantiate(bytes);
    bytes.fill(0);
    const { instance } = await p;
    assert.equal(instance.exports.seven(), 7);
  });

  it('[#9] compile off the main thread: the event loop keeps running during a 4 MB compile', async () => {
    const bytes = BIG();
    assert.ok(bytes.length > 3_000_000);
    let spins = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      spins++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const module = await WA.compile(bytes);
    done = true;
    assert.ok(module instanceof WA.Module);
    if (!isV8) {
      // The compile runs on the libuv thread pool; the loop turned meanwhile.
      assert.ok(spins >= 2, `only ${spins} event-loop turns during the compile`);
    }
  });

  it('[#9] the asynchronous compile gives the same module as the synchronous one', async () => {
    const bytes = BIG();
    const [asyncModule, { module: fromInstantiate, instance }] = await Promise.all([
      WA.compile(bytes),
      WA.instantiate(bytes),
    ]);
    const syncModule = new WA.Module(bytes);
    const exportsOf = (m) => WA.Module.exports(m);
    assert.deepEqual(exportsOf(asyncModule), exportsOf(syncModule));
    assert.deepEqual(exportsOf(fromInstantiate), exportsOf(syncModule));
    const a = new WA.Instance(asyncModule).exports;
    const s = new WA.Instance(syncModule).exports;
    for (const i of [0, 1, 777, 19_999]) {
      assert.equal(a[`f${i}`](), i + 60);
      assert.equal(s[`f${i}`](), i + 60);
      assert.equal(instance.exports[`f${i}`](), i + 60);
    }
  });

  it('[#9] concurrent compiles all settle, each with its own result', async () => {
    const good = Array.from({ length: 8 }, (_, i) => wat(`(module (func (export "f") (result i32) i32.const ${i}))`));
    const results = await Promise.allSettled([
      ...good.map((b) => WA.compile(b)),
      WA.compile(new Uint8Array([1, 2, 3, 4])),
      WA.compile(BIG()),
    ]);
    for (let i = 0; i < 8; i++) {
      assert.equal(results[i].status, 'fulfilled');
      assert.equal(new WA.Instance(results[i].value).exports.f(), i);
    }
    assert.equal(results[8].status, 'rejected');
    assert.ok(results[8].reason instanceof WA.CompileError);
    assert.equal(results[9].status, 'fulfilled');
  });

  it('[#9] a compile still settles when the event loop has nothing else to do', async () => {
    // (No timers or immediates keep the loop alive: the pending work must.)
    const m = await WA.compile(wat(SEVEN));
    assert.ok(m instanceof WA.Module);
    await nextTask();
  });

  it('[#13] resizable ArrayBuffers and views of SharedArrayBuffers are accepted', async () => {
    const bytes = wat(SEVEN);
    const resizable = new ArrayBuffer(bytes.length, { maxByteLength: bytes.length * 2 });
    new Uint8Array(resizable).set(bytes);
    assert.equal(WA.validate(resizable), true);
    assert.ok(new WA.Module(resizable) instanceof WA.Module);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const view = new Uint8Array(shared);
    assert.equal(WA.validate(view), true);
    assert.ok((await WA.compile(view)) instanceof WA.Module);
  });

  it('[#11] a bare SharedArrayBuffer is a TypeError, as in V8', async () => {
    const bytes = wat(SEVEN);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    assert.throws(() => WA.validate(shared), TypeError);
    assert.throws(() => new WA.Module(shared), TypeError);
    await assert.rejects(WA.compile(shared), TypeError);
    await assert.rejects(WA.instantiate(shared), TypeError);
  });

  it('[#14] WebAssemblyCompileOptions: the JS String Builtins from Node 22, ignored on Node 20 (V8 11.3 and ours in the node20 profile)', async () => {
    const bytes = wat('(module (import "wasm:js-string" "length" (func (param externref) (result i32))))');
    const options = { builtins: ['js-string'], importedStringConstants: "'" };
    assert.equal(WA.validate(bytes, options), true);
    if (nodeMajor >= 22) {
      // V8 12.4+ and ours (node22+ profiles) provide the builtin: it is no import any more
      // (__test__/js-string.spec.mjs has the rest).
      assert.deepEqual(WA.Module.imports(new WA.Module(bytes, options)), []);
      return;
    }
    const m = new WA.Module(bytes, options);
    assert.deepEqual(WA.Module.imports(m), [{ module: 'wasm:js-string', name: 'length', kind: 'function' }]);
    await WA.compile(bytes, options);
    // The builtin is not provided: the import object must have it.
    await assert.rejects(WA.instantiate(bytes, {}, options), TypeError);
  });
});
