// Memory.prototype.toFixedLengthBuffer() / toResizableBuffer() (the JS-API's resizable buffer
// integration), as V8 14.6 (Node 26) has them; ours has them in the node26 and latest profiles.
//
// Deliberate difference: ours cannot make the resizable buffer (V8's API makes resizable
// ArrayBuffers only over memory it allocates itself; see lib/memory-buffers.js): after V8's checks,
// toResizableBuffer() throws a TypeError saying so. The V8 side of each case is the oracle on
// Node 26; the cases that need the resizable buffer run on V8 only.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl, withProfile } from './helpers/impls.mjs';
import { nodeMajor } from './helpers/node-line.mjs';

const PAGE = 65536;

forEachImpl(({ WebAssembly: WA, isV8 }) => {
  // Ours on older lines: the cases run with the "latest" profile, which has the members.
  const inProfile = (body) => (isV8 ? body : withProfile(nodeMajor >= 26 ? 'node26' : 'latest', body));
  const skip = isV8 && nodeMajor < 26 ? 'V8 has them from Node 26' : undefined;

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

  if (!isV8) {
    it('toResizableBuffer() with a maximum: a TypeError saying ours cannot (deliberate difference)', inProfile(() => {
      const m = new WA.Memory({ initial: 1, maximum: 4 });
      const b = m.buffer;
      assert.throws(() => m.toResizableBuffer(), (e) => e instanceof TypeError && /not supported by jitless-wasm/.test(e.message));
      // Nothing changed: the memory keeps its fixed-length buffer.
      assert.equal(m.buffer, b);
      assert.equal(b.byteLength, PAGE, 'not detached');
    }));
    return;
  }

  // V8 (Node 26): what ours would have to do.
  it('V8: a resizable buffer whose resize grows the memory (page multiples only)', { skip }, () => {
    const m = new WA.Memory({ initial: 1, maximum: 4 });
    const fixed = m.buffer;
    const r = m.toResizableBuffer();
    assert.equal(fixed.detached, true);
    assert.deepEqual([r.resizable, r.byteLength, r.maxByteLength], [true, PAGE, 4 * PAGE]);
    assert.equal(m.buffer, r);
    assert.equal(m.toResizableBuffer(), r);
    assert.throws(() => r.resize(PAGE + 1), RangeError);
    assert.throws(() => r.resize(0), RangeError, 'no shrinking');
    r.resize(2 * PAGE);
    assert.equal(m.grow(0), 2);
    assert.equal(m.grow(1), 2);
    assert.equal(r.detached, false, 'a grow keeps the resizable buffer');
    assert.equal(r.byteLength, 3 * PAGE);
    const f = m.toFixedLengthBuffer();
    assert.equal(r.detached, true);
    assert.equal(f.resizable, false);
    assert.equal(m.buffer, f);
  });

  it('V8: a shared memory gives a growable SharedArrayBuffer', { skip }, () => {
    const s = new WA.Memory({ initial: 1, maximum: 3, shared: true });
    const before = s.buffer;
    const g = s.toResizableBuffer();
    assert.deepEqual([g instanceof SharedArrayBuffer, g.growable, g.maxByteLength], [true, true, 3 * PAGE]);
    assert.equal(before.growable, false);
    assert.equal(s.buffer, g);
    g.grow(2 * PAGE);
    assert.equal(s.grow(0), 2);
    assert.throws(() => g.grow(2 * PAGE + 1), RangeError);
    assert.equal(s.toFixedLengthBuffer().growable, false);
  });
});
