// Memory.prototype.toFixedLengthBuffer() / toResizableBuffer() (the JS-API's resizable buffer
// integration), as V8 14.6 (Node 26) has them; ours has them in the node26 and latest profiles,
// so on Node 20–24 our cases run with the latest profile and V8's are skipped.
//
// Ours makes the resizable buffer as a V8 resizable ArrayBuffer (growable SharedArrayBuffer)
// with the memory's pages mapped over its reservation (src/memory_resizable.rs). Deliberate
// differences, each marked where tested: the wrapped ArrayBuffer.prototype.resize /
// SharedArrayBuffer.prototype.grow / transfer methods are JS functions (`toString()`), and
// transfer lists are refused only in `structuredClone` and `postMessage` (Array lists).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { forEachImpl, needsFixedSharedBuffers, withProfile } from './helpers/impls.mjs';
import { nodeMajor } from './helpers/node-line.mjs';
import { wat } from './helpers/wat.mjs';

const PAGE = 65536;

// An imported memory: byte load/store, and a grow that calls back into JS right after it.
const OPS = `(module
  (import "js" "mem" (memory 0 4))
  (import "js" "after" (func $after (param i32)))
  (func (export "load8") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "store8") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "growThenCall") (param i32) (result i32)
    (local $r i32)
    (local.set $r (memory.grow (local.get 0)))
    (call $after (local.get $r))
    local.get $r))`;

const SHARED_OPS = OPS.replace('(memory 0 4)', '(memory 0 4 shared)');

const latestPath = fileURLToPath(new URL('../latest.js', import.meta.url));

// Runs in a Worker: grows the shared memory it is sent by one page and writes a byte there.
const growerSource = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.impl !== 'v8') require(workerData.latestPath);
parentPort.once('message', (mem) => {
  const old = mem.grow(1);
  new Uint8Array(mem.buffer)[old * 65536] = 42;
  parentPort.postMessage(old);
});
`;

/** `f()`'s error as `Class: message` (or its result). */
function outcome(f) {
  try {
    return f();
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
}

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  // Ours on older lines: the cases run with the "latest" profile, which has the members.
  const inProfile = (body) => (isV8 ? body : withProfile(nodeMajor >= 26 ? 'node26' : 'latest', body));
  const skip = isV8 && nodeMajor < 26 ? 'V8 has them from Node 26' : undefined;
  const withOps = (mem, after = () => {}, text = OPS) =>
    new WA.Instance(new WA.Module(wat(text)), { js: { mem, after } }).exports;
  const resizeError = 'RangeError: ArrayBuffer.prototype.resize: Invalid length parameter';
  const growError = 'RangeError: SharedArrayBuffer.prototype.grow: Invalid length parameter';

  it('only from Node 26: absent before (V8, and ours in the node20…node24 profiles)', () => {
    const has = 'toResizableBuffer' in WA.Memory.prototype;
    assert.equal(has, nodeMajor >= 26);
    assert.equal('toFixedLengthBuffer' in WA.Memory.prototype, has);
  });

  it('both are operations: writable, enumerable, configurable, length 0, not constructors', { skip }, inProfile(() => {
    for (const name of ['toFixedLengthBuffer', 'toResizableBuffer']) {
      const d = Object.getOwnPropertyDescriptor(WA.Memory.prototype, name);
      assert.deepEqual([d.writable, d.enumerable, d.configurable], [true, true, true]);
      assert.equal(d.value.name, name);
      assert.equal(d.value.length, 0);
      assert.throws(() => new d.value(), TypeError);
    }
  }));

  it('brand checks: a TypeError with V8\'s text for another receiver', { skip }, inProfile(() => {
    for (const name of ['toFixedLengthBuffer', 'toResizableBuffer']) {
      for (const bad of [{}, null, undefined, WA.Memory.prototype]) {
        assert.throws(
          () => WA.Memory.prototype[name].call(bad),
          (e) => e instanceof TypeError && e.message === `WebAssembly.Memory.${name}(): Receiver is not a WebAssembly.Memory`,
        );
      }
    }
  }));

  it('toFixedLengthBuffer() of a fresh memory is its buffer, the same object every time', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1 });
    const b = m.buffer;
    assert.equal(m.toFixedLengthBuffer(), b);
    assert.equal(m.toFixedLengthBuffer(), b);
    assert.equal(b.resizable, false);
    m.grow(1);
    assert.equal(b.byteLength, 0, 'a grow detaches the fixed-length buffer');
    const after = m.toFixedLengthBuffer();
    assert.equal(after, m.buffer);
    assert.equal(after.byteLength, 2 * PAGE);
  }));

  it('toResizableBuffer() without a maximum is a TypeError', { skip }, inProfile(() => {
    assert.throws(
      () => new WA.Memory({ initial: 1 }).toResizableBuffer(),
      (e) => e instanceof TypeError && e.message === 'WebAssembly.Memory.toResizableBuffer(): Memory must have a maximum',
    );
  }));

  it('toResizableBuffer(): a resizable ArrayBuffer up to the maximum; the fixed one is detached', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 4 });
    const fixed = m.buffer;
    const r = m.toResizableBuffer();
    assert.equal(fixed.byteLength, 0, 'detached');
    assert.ok(r instanceof ArrayBuffer);
    assert.deepEqual([r.resizable, r.byteLength, r.maxByteLength], [true, PAGE, 4 * PAGE]);
    assert.equal(Object.isFrozen(r), false);
    assert.equal(m.buffer, r);
    assert.equal(m.buffer, r, 'the getter keeps it');
    assert.equal(m.toResizableBuffer(), r, 'not changing resizability makes no new object');
  }));

  it('the resizable buffer and the memory are the same bytes (contents kept, both ways)', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 3 });
    const ops = withOps(m);
    ops.store8(100, 7);
    new Uint8Array(m.buffer)[200] = 8;
    const r = m.toResizableBuffer();
    const u = new Uint8Array(r);
    assert.deepEqual([u[100], u[200]], [7, 8], 'written before the switch');
    u[300] = 9;
    assert.equal(ops.load8(300), 9, 'JS → wasm');
    ops.store8(400, 10);
    assert.equal(u[400], 10, 'wasm → JS');
    r.resize(3 * PAGE);
    assert.equal(u.length, 3 * PAGE, 'a length-tracking view follows');
    u[2 * PAGE + 5] = 11;
    assert.equal(ops.load8(2 * PAGE + 5), 11, 'grown pages are shared too');
    ops.store8(3 * PAGE - 1, 12);
    assert.equal(u[3 * PAGE - 1], 12);
  }));

  it('resize(n): a multiple of 64 KiB from the current length to the maximum grows the memory; else V8\'s RangeError', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 4 });
    const r = m.toResizableBuffer();
    for (const bad of [PAGE + 1, 0, 5 * PAGE, -1, undefined, NaN, Infinity, PAGE / 2]) {
      assert.equal(outcome(() => r.resize(bad)), resizeError, `resize(${bad})`);
    }
    assert.equal(outcome(() => r.resize(Symbol())), 'TypeError: Cannot convert a Symbol value to a number');
    assert.equal(outcome(() => r.resize(1n)), 'TypeError: Cannot convert a BigInt value to a number');
    assert.equal(r.resize(PAGE), undefined, 'the same length');
    assert.equal(m.grow(0), 1);
    assert.equal(r.resize(2 * PAGE + 0.5), undefined, 'ToIndex truncates');
    assert.equal(r.byteLength, 2 * PAGE);
    assert.equal(m.grow(0), 2);
    assert.equal(r.resize({ valueOf: () => String(4 * PAGE) }), undefined);
    assert.deepEqual([r.byteLength, m.grow(0)], [4 * PAGE, 4]);
    assert.equal(m.buffer, r);
  }));

  it('Memory.prototype.grow keeps the resizable buffer and sets its length', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 3 });
    const r = m.toResizableBuffer();
    assert.equal(m.grow(1), 1);
    assert.deepEqual([r.byteLength, r.resizable, m.buffer === r], [2 * PAGE, true, true]);
    assert.equal(m.grow(0), 2);
    assert.equal(m.buffer, r, 'even a grow by 0');
    assert.throws(() => m.grow(2), (e) => e instanceof RangeError && e.message === 'WebAssembly.Memory.grow(): Maximum memory size exceeded');
    assert.equal(r.byteLength, 2 * PAGE);
  }));

  it('wasm memory.grow sets the resizable buffer\'s length before the next import call sees it', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 4 });
    const r = m.toResizableBuffer();
    let seen;
    const ops = withOps(m, () => {
      seen = [r.byteLength, m.buffer === r, new Uint8Array(r).length];
    });
    assert.equal(ops.growThenCall(2), 1);
    assert.deepEqual(seen, [3 * PAGE, true, 3 * PAGE]);
    assert.equal(r.byteLength, 3 * PAGE);
    assert.equal(ops.growThenCall(5), -1, 'beyond the maximum');
    assert.equal(r.byteLength, 3 * PAGE);
  }));

  it('toResizableBuffer() from an import while wasm runs: the running code keeps the same bytes', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 3 });
    let r;
    const ops = withOps(m, () => {
      r = m.toResizableBuffer();
      new Uint8Array(r)[5] = 9;
    });
    ops.store8(6, 8);
    assert.equal(ops.growThenCall(1), 1);
    assert.deepEqual([ops.load8(5), ops.load8(6), r.byteLength, m.buffer === r], [9, 8, 2 * PAGE, true]);
    ops.store8(PAGE + 1, 7);
    assert.equal(new Uint8Array(r)[PAGE + 1], 7);
  }));

  it('toFixedLengthBuffer() after toResizableBuffer() detaches the resizable buffer; both switches make new objects', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 4 });
    const r = m.toResizableBuffer();
    new Uint8Array(r)[10] = 5;
    const f = m.toFixedLengthBuffer();
    assert.equal(r.byteLength, 0, 'detached');
    assert.deepEqual([f.resizable, f.byteLength, m.buffer === f, m.toFixedLengthBuffer() === f], [false, PAGE, true, true]);
    assert.equal(new Uint8Array(f)[10], 5);
    assert.equal(
      outcome(() => r.resize(2 * PAGE)),
      'TypeError: Cannot perform ArrayBuffer.prototype.resize on a detached ArrayBuffer',
    );
    assert.equal(m.grow(1), 1, 'the memory is unchanged by it');
    assert.equal(f.byteLength, 0, 'a grow detaches the fixed-length buffer again');
    const r2 = m.toResizableBuffer();
    assert.notEqual(r2, r);
    assert.deepEqual([r2.byteLength, new Uint8Array(r2)[10]], [2 * PAGE, 5]);
  }));

  it('a memory with maximum 0, and one with initial 0, give resizable buffers too', { skip }, inProfile(() => {
    const z = new WA.Memory({ initial: 0, maximum: 0 }).toResizableBuffer();
    assert.deepEqual([z.byteLength, z.maxByteLength], [0, 0]);
    assert.equal(z.resize(0), undefined);
    assert.equal(outcome(() => z.resize(PAGE)), resizeError);
    const m = new WA.Memory({ initial: 0, maximum: 2 });
    const r = m.toResizableBuffer();
    assert.deepEqual([r.byteLength, r.maxByteLength], [0, 2 * PAGE]);
    assert.equal(m.buffer, r);
    r.resize(PAGE);
    assert.equal(m.grow(0), 1);
    new Uint8Array(r)[3] = 4;
    assert.equal(withOps(m).load8(3), 4);
  }));

  it('a 64-bit memory\'s resizable buffer', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1n, maximum: 4n, address: 'i64' });
    const r = m.toResizableBuffer();
    assert.deepEqual([r.byteLength, r.maxByteLength], [PAGE, 4 * PAGE]);
    r.resize(2 * PAGE);
    assert.equal(m.grow(0n), 2n);
  }));

  it('a resizable memory buffer is not detachable: transfer() and transferToFixedLength() throw V8\'s TypeError', {
    skip: skip ?? (typeof ArrayBuffer.prototype.transfer !== 'function' && 'no ArrayBuffer.prototype.transfer on this line'),
  }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 2 });
    const r = m.toResizableBuffer();
    for (const name of ['transfer', 'transferToFixedLength']) {
      assert.equal(outcome(() => r[name]()), 'TypeError: ArrayBuffer is not detachable and could not be cloned.');
    }
    assert.deepEqual([r.byteLength, m.buffer === r], [PAGE, true]);
    // Once detached by toFixedLengthBuffer() it is an ordinary detached buffer.
    m.toFixedLengthBuffer();
    assert.equal(outcome(() => r.transfer()), 'TypeError: Cannot perform ArrayBuffer.prototype.transfer on a detached ArrayBuffer');
  }));

  it('structuredClone and postMessage refuse to transfer it (DataCloneError) and copy it', { skip }, inProfile(() => {
    const m = new WA.Memory({ initial: 1, maximum: 2 });
    const r = m.toResizableBuffer();
    new Uint8Array(r)[1] = 3;
    const isDataCloneError = (e) => e.name === 'DataCloneError' && e.message === 'Cannot transfer object of unsupported type.';
    assert.throws(() => structuredClone(r, { transfer: [r] }), isDataCloneError);
    const { port1, port2 } = new MessageChannel();
    try {
      assert.throws(() => port1.postMessage(r, [r]), isDataCloneError);
      assert.throws(() => port1.postMessage(r, { transfer: [r] }), isDataCloneError);
    } finally {
      port1.close();
      port2.close();
    }
    assert.deepEqual([r.byteLength, m.buffer === r], [PAGE, true]);
    const copy = structuredClone(r);
    assert.deepEqual([copy.resizable, copy.byteLength, copy.maxByteLength, new Uint8Array(copy)[1]], [true, PAGE, 2 * PAGE, 3]);
    copy.resize(0);
    assert.equal(m.grow(0), 1, 'the copy is not the memory');
  }));

  it('resize/grow/transfer keep working on every other buffer (V8\'s own methods)', inProfile(() => {
    const ab = new ArrayBuffer(8, { maxByteLength: 16 });
    ab.resize(3);
    assert.equal(ab.byteLength, 3);
    assert.equal(outcome(() => ab.resize(17)), resizeError);
    assert.equal(outcome(() => ArrayBuffer.prototype.resize.call(new ArrayBuffer(1), 0)),
      'TypeError: Method ArrayBuffer.prototype.resize called on incompatible receiver #<ArrayBuffer>');
    const sab = new SharedArrayBuffer(8, { maxByteLength: 16 });
    sab.grow(12);
    assert.equal(sab.byteLength, 12);
    assert.equal(outcome(() => sab.grow(4)), growError);
    const moved = structuredClone(ab, { transfer: [ab] });
    assert.deepEqual([moved.byteLength, ab.byteLength], [3, 0]);
    if (typeof moved.transfer === 'function') assert.equal(moved.transfer(5).byteLength, 5);
    for (const [proto, name, length] of [
      [ArrayBuffer.prototype, 'resize', 1],
      [SharedArrayBuffer.prototype, 'grow', 1],
    ]) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      assert.deepEqual([d.writable, d.enumerable, d.configurable, d.value.name, d.value.length], [true, false, true, name, length]);
      assert.throws(() => new d.value(1), TypeError, 'not a constructor');
    }
  }));

  it('the other kind\'s methods on a memory\'s buffers: V8\'s incompatible-receiver TypeError', {
    skip: skip ?? (typeof ArrayBuffer.prototype.transfer !== 'function' && 'no ArrayBuffer.prototype.transfer on this line'),
  }, inProfile(() => {
    const r = new WA.Memory({ initial: 1, maximum: 2 }).toResizableBuffer();
    const g = new WA.Memory({ initial: 1, maximum: 2, shared: true }).toResizableBuffer();
    assert.equal(outcome(() => SharedArrayBuffer.prototype.grow.call(r, 2 * PAGE)),
      'TypeError: Method SharedArrayBuffer.prototype.grow called on incompatible receiver #<ArrayBuffer>');
    assert.equal(outcome(() => ArrayBuffer.prototype.resize.call(g, 2 * PAGE)),
      'TypeError: Method ArrayBuffer.prototype.resize called on incompatible receiver #<SharedArrayBuffer>');
    assert.equal(outcome(() => ArrayBuffer.prototype.transfer.call(g)),
      'TypeError: Method ArrayBuffer.prototype.transfer called on incompatible receiver #<SharedArrayBuffer>');
    assert.equal(r.byteLength, PAGE);
    assert.equal(g.byteLength, PAGE);
  }));

  if (!isV8) {
    it('deliberate difference: once toResizableBuffer() was called, the wrapped buffer methods are JS functions (toString)', inProfile(() => {
      new WA.Memory({ initial: 0, maximum: 0 }).toResizableBuffer();
      assert.doesNotMatch(Function.prototype.toString.call(ArrayBuffer.prototype.resize), /\[native code\]/);
    }));
  }

  it('a shared memory gives a frozen growable SharedArrayBuffer over its bytes', { skip }, inProfile(() => {
    // (Ours without the V8 shim: a shared memory's fixed-length buffers are growable too, a
    // known difference of that fallback, src/memory_shared_growable.rs.)
    const fixedGrowable = !isV8 && needsFixedSharedBuffers(WA) !== false;
    const s = new WA.Memory({ initial: 1, maximum: 3, shared: true });
    const before = s.buffer;
    const g = s.toResizableBuffer();
    assert.deepEqual([g instanceof SharedArrayBuffer, g.growable, g.byteLength, g.maxByteLength], [true, true, PAGE, 3 * PAGE]);
    assert.equal(Object.isFrozen(g), true);
    assert.deepEqual([before.growable, before.byteLength], [fixedGrowable, PAGE], 'the fixed one stays usable');
    assert.equal(s.buffer, g);
    assert.equal(s.toResizableBuffer(), g);
    const ops = withOps(s, () => {}, SHARED_OPS);
    new Uint8Array(g)[7] = 1;
    assert.equal(ops.load8(7), 1);
    ops.store8(8, 2);
    assert.equal(new Uint8Array(before)[8], 2);
    assert.equal(new Uint8Array(g)[8], 2);
    for (const bad of [PAGE + 1, 0, 4 * PAGE]) assert.equal(outcome(() => g.grow(bad)), growError, `grow(${bad})`);
    assert.equal(g.grow(PAGE), undefined, 'the same length');
    g.grow(2 * PAGE);
    assert.equal(s.grow(0), 2);
    new Uint8Array(g)[PAGE + 1] = 6;
    assert.equal(ops.load8(PAGE + 1), 6);
    s.grow(1);
    assert.deepEqual([g.byteLength, s.buffer === g], [3 * PAGE, true]);
    const f = s.toFixedLengthBuffer();
    assert.deepEqual([f.growable, f.byteLength, Object.isFrozen(f), s.buffer === f], [fixedGrowable, 3 * PAGE, true, true]);
    assert.equal(g.byteLength, 3 * PAGE, 'a SharedArrayBuffer is never detached');
    const g2 = s.toResizableBuffer();
    assert.notEqual(g2, g);
  }));

  it('a shared memory\'s growable buffers follow grows from wasm, and earlier ones keep following', { skip }, inProfile(() => {
    const s = new WA.Memory({ initial: 1, maximum: 4, shared: true });
    const g = s.toResizableBuffer();
    let seen;
    const ops = withOps(s, () => {
      seen = g.byteLength;
    }, SHARED_OPS);
    assert.equal(ops.growThenCall(1), 1);
    assert.equal(seen, 2 * PAGE);
    s.toFixedLengthBuffer();
    s.grow(1);
    assert.equal(g.byteLength, 3 * PAGE, 'an earlier growable buffer');
    g.grow(4 * PAGE);
    assert.equal(s.grow(0), 4, 'and it still grows the memory');
  }));

  const noThreads = !isV8 && needsFixedSharedBuffers(WA) !== false && 'without the V8 shim shared Memories do not cross threads';
  it('a shared memory grown by another thread: this thread\'s growable buffer has the new length by its next buffer', { skip: skip ?? noThreads }, inProfile(async () => {
    const s = new WA.Memory({ initial: 1, maximum: 4, shared: true });
    const g = s.toResizableBuffer();
    const w = new Worker(growerSource, { eval: true, workerData: { impl: isV8 ? 'v8' : 'jitless', latestPath } });
    try {
      const old = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage(s);
      });
      assert.equal(old, 1);
      // (V8: at once; ours: at this thread's next `buffer` or toResizableBuffer(), here.)
      assert.equal(s.buffer, g);
      assert.equal(g.byteLength, 2 * PAGE);
      assert.equal(new Uint8Array(g)[PAGE], 42);
    } finally {
      await w.terminate();
    }
  }));
});
