// Element segments up to the JS API's limit of 10,000,000 per module
// (https://webassembly.github.io/spec/js-api/#limits): ours validates the segments beyond
// wasmparser's own limit of 100,000 itself; function bodies see every segment.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachImpl } from './helpers/impls.mjs';
import { wat } from './helpers/wat.mjs';
import { uleb } from './helpers/wasm-binary.mjs';

/** An empty active segment `(elem (i32.const 0) func)` for table 0. */
const EMPTY = [0x00, 0x41, 0x00, 0x0b, 0x00];

/** Reads an unsigned LEB128 at `pos.at`. */
function readUleb(bytes, pos) {
  let n = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[pos.at++];
    n += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return n;
    scale *= 128;
  }
}

/**
 * The module `text` (which must have an element section) with `filler` empty active segments
 * before its own (which then start at index `filler`) and the raw segments `extra` after them.
 */
function withSegments(text, filler, extra = []) {
  const bytes = wat(text);
  const parts = [bytes.subarray(0, 8)];
  const pos = { at: 8 };
  while (pos.at < bytes.length) {
    const start = pos.at;
    const id = bytes[pos.at++];
    const size = readUleb(bytes, pos);
    const end = pos.at + size;
    if (id !== 9) {
      parts.push(bytes.subarray(start, end));
    } else {
      const count = readUleb(bytes, pos);
      const own = bytes.subarray(pos.at, end);
      const tail = Uint8Array.from(extra.flat());
      const head = Uint8Array.from(uleb(count + filler + extra.length));
      const contents = new Uint8Array(head.length + EMPTY.length * filler + own.length + tail.length);
      contents.set(head, 0);
      let at = head.length;
      for (let i = 0; i < filler; i++) {
        for (let k = 0; k < EMPTY.length; k++) contents[at + k] = EMPTY[k];
        at += EMPTY.length;
      }
      contents.set(own, at);
      contents.set(tail, at + own.length);
      parts.push(Uint8Array.from([9, ...uleb(contents.length)]), contents);
    }
    pos.at = end;
  }
  return Buffer.concat(parts);
}

/** The JS-API limit test's module: a one-element table and `count` empty active segments. */
const limitModule = (count) => withSegments('(module (table 1 1 funcref) (elem (i32.const 0) func))', count - 1);

// Segment 100,000 is passive and used by `table.init`/`elem.drop`; `$late` is declared only by
// segment 100,001.
const LATE = `(module
  (type $t (func (result i32)))
  (table 2 funcref)
  (func (export "main") (result i32)
    (table.init 100000 (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop 100000)
    (table.set (i32.const 1) (ref.func $late))
    (i32.add (call_indirect (type $t) (i32.const 0)) (call_indirect (type $t) (i32.const 1))))
  (func (export "again") (table.init 100000 (i32.const 0) (i32.const 0) (i32.const 1)))
  (func $f42 (result i32) (i32.const 42))
  (func $late (result i32) (i32.const 7))
  (elem func $f42)
  (elem declare func $late))`;

forEachImpl(({ WebAssembly: WA }) => {
  it('10,000,000 element segments validate, compile and instantiate', async () => {
    const bytes = limitModule(10_000_000);
    assert.equal(WA.validate(bytes), true);
    const module = new WA.Module(bytes);
    assert.ok(new WA.Instance(module) instanceof WA.Instance);
    assert.ok((await WA.compile(bytes)) instanceof WA.Module);
  });

  it('10,000,001 element segments are a CompileError', async () => {
    const bytes = limitModule(10_000_001);
    assert.equal(WA.validate(bytes), false);
    const message = 'segment count of 10000001 exceeds internal limit of 10000000 @+20';
    assert.throws(() => new WA.Module(bytes), (e) => e instanceof WA.CompileError && e.message === `WebAssembly.Module(): ${message}`);
    await assert.rejects(WA.compile(bytes), (e) => e instanceof WA.CompileError && e.message === `WebAssembly.compile(): ${message}`);
  });

  it('table.init, elem.drop and ref.func see the segments beyond the first 100,000', () => {
    const { exports } = new WA.Instance(new WA.Module(withSegments(LATE, 100_000)));
    assert.equal(exports.main(), 49);
    // Segment 100,000 was dropped: one element from it is out of bounds.
    assert.throws(() => exports.again(), WA.RuntimeError);
  });

  it('an invalid segment beyond the first 100,000 is a CompileError', () => {
    const base = '(module (table 1 funcref) (func) (elem (i32.const 0) func 0))';
    for (const segment of [
      [0x02, 0x05, 0x41, 0x00, 0x0b, 0x00, 0x00], // table 5
      [0x00, 0x41, 0x00, 0x0b, 0x01, 0x09], // function 9
      [0x00, 0x42, 0x00, 0x0b, 0x00], // an i64 offset
      [0x00, 0x41, 0x00, 0x45, 0x0b, 0x00], // a non-constant offset
    ]) {
      const bytes = withSegments(base, 100_000, [segment]);
      assert.equal(WA.validate(bytes), false);
      assert.throws(() => new WA.Module(bytes), WA.CompileError);
    }
  });

  it('an undeclared ref.func beyond the first 100,000 segments is a CompileError', () => {
    const bytes = withSegments(LATE.replace('(elem declare func $late)', '(elem declare func $f42)'), 100_000);
    assert.throws(() => new WA.Module(bytes), WA.CompileError);
  });
});
