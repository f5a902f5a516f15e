'use strict';
// `Memory.prototype.toFixedLengthBuffer()` and `toResizableBuffer()` (the JS-API's resizable
// buffer integration, https://webassembly.github.io/spec/js-api/#dom-memory-tofixedlengthbuffer),
// as V8 14.6 (Node 26) has them: members of the node26 and latest profiles (lib/profile.js).
//
// The resizable buffer is one V8 makes (`make` below: a resizable ArrayBuffer, or a growable
// SharedArrayBuffer for a shared memory, with maxByteLength = the memory's maximum), over whose
// reservation the native side maps the memory's own pages (src/memory_resizable.rs): the buffer
// and the memory are the same bytes. Its length follows the memory's grows (the native grow
// hook calls V8's own resize/grow, `sync` below), and `ArrayBuffer.prototype.resize` /
// `SharedArrayBuffer.prototype.grow` are wrapped (once per thread, at its first
// toResizableBuffer() call) so that on a memory's buffer they grow the memory, as the JS-API's
// HostResizeArrayBuffer / HostGrowSharedArrayBuffer hooks say; `transfer()` and
// `transferToFixedLength()` of a memory's resizable buffer throw V8's TypeError (its memory
// buffers are not detachable). On every other buffer the wrappers run V8's own methods.
//
// Deliberate differences (marked in memory-buffers.spec.mjs): the wrapped methods are JS
// functions (their `toString()` is not "[native code]"); `structuredClone` and
// `MessagePort.prototype.postMessage` (every postMessage of Node) refuse a memory's resizable
// buffer in an Array transfer list with V8's DataCloneError, but other iterables and other
// transferring APIs move it like any resizable buffer, detaching it from the memory (whose next
// `buffer` is then a new one); a shared memory grown by another thread shows its new length in this thread's growable
// buffers at the next `buffer`/`toResizableBuffer()` (V8: at once; so does ours when V8 allocated
// the shared memory's bytes: Deno, Bun, builds without the V8 shim). Where the pages cannot be
// mapped (not Linux), toResizableBuffer() of an unshared memory throws a TypeError saying so.

const native = require('./native.js');
const { memoryHasMaximum, memoryToResizable, memoryToFixed, memoryResizeBuffer, memoryOwnsBuffer } = native;
const { unwrapMemory } = require('./memory.js');

const { apply } = Reflect;
const { freeze } = Object;
const { isArray } = Array;
const { trunc } = Math;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const OriginalArrayBuffer = ArrayBuffer;
const OriginalSharedArrayBuffer = SharedArrayBuffer;
const OriginalUint8Array = Uint8Array;
const abProto = ArrayBuffer.prototype;
const sabProto = SharedArrayBuffer.prototype;
const abResize = abProto.resize;
const sabGrow = sabProto.grow;
const abByteLength = Object.getOwnPropertyDescriptor(abProto, 'byteLength').get;
const sabByteLength = Object.getOwnPropertyDescriptor(sabProto, 'byteLength').get;

/** Each resizable buffer made here → its memory's native handle (read with `ownerOf`). */
const owners = new WeakMap();
const ownerOf = (b) => apply(weakGet, owners, [b]);
/** How many were made (transfer lists are only searched once there is one). */
let made = 0;

/** The handle of `o` as a Memory, or V8's TypeError for method `name`. */
function handleOf(o, name) {
  const h = unwrapMemory(o);
  if (h === undefined) throw new TypeError(`WebAssembly.Memory.${name}(): Receiver is not a WebAssembly.Memory`);
  return h;
}

/**
 * `make(handle, length, maxByteLength, shared, existing)`: a view over a new buffer of the
 * memory (or over `existing`, a growable SharedArrayBuffer over a V8-allocated shared memory).
 */
function make(h, length, maxByteLength, shared, existing) {
  // (V8 freezes a shared memory's buffers, growable ones too.)
  const b = shared
    ? freeze(existing ?? new OriginalSharedArrayBuffer(length, { maxByteLength }))
    : new OriginalArrayBuffer(length, { maxByteLength });
  apply(weakSet, owners, [b, h]);
  made++;
  return new OriginalUint8Array(b);
}

/**
 * `sync(buffer, length, shared)`: V8's own resize/grow of a memory's buffer to the memory's
 * length. (Runs in the grow hook: no user code may run here.)
 */
function sync(b, length, shared) {
  if (shared) {
    if (apply(sabByteLength, b, []) < length) apply(sabGrow, b, [length]);
  } else if (apply(abByteLength, b, []) !== length) {
    apply(abResize, b, [length]);
  }
}

/** ToIntegerOrInfinity (ToNumber throws V8's TypeError for a Symbol or a BigInt). */
function toIntegerOrInfinity(v) {
  const n = +v;
  return n !== n ? 0 : trunc(n) + 0;
}

/** Replaces the method `name` of `proto` by `make(original)`, keeping its name, length and attributes. */
function wrap(proto, name, make) {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  if (d === undefined || typeof d.value !== 'function') return;
  const original = d.value;
  const wrapper = make(original);
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  Object.defineProperty(proto, name, { ...d, value: wrapper });
}

/** Whether this thread's prototypes are wrapped. */
let wrapped = false;

/**
 * Wraps resize/grow/transfer on this thread's prototypes (see the header), once: at the first
 * toResizableBuffer() of the thread, so a process that never calls it keeps V8's methods.
 */
function wrapBufferMethods() {
  if (wrapped) return;
  wrapped = true;
  // Mapping pages into a buffer's reservation relies on V8's resizable buffers (Node's).
  const isNode = typeof globalThis.Bun === 'undefined' && typeof globalThis.Deno === 'undefined';
  native.memoryResizableInit(make, sync, isNode);
  wrapTransferLists();
  for (const [proto, name, shared] of [
    [abProto, 'resize', false],
    [sabProto, 'grow', true],
  ]) {
    wrap(proto, name, (original) => ({
      // https://webassembly.github.io/spec/js-api/#sec-hostresizearraybuffer
      [name](newLength) {
        const h = ownerOf(this);
        if (h === undefined) return apply(original, this, arguments);
        // ToIndex's conversion, then the memory's rules (page multiples, no shrinking); a
        // buffer that is no longer the memory's (detached), or of the other kind, gets V8's
        // own checks.
        const n = toIntegerOrInfinity(newLength);
        return memoryResizeBuffer(h, this, n, shared) ? undefined : apply(original, this, [n]);
      },
    })[name]);
  }
  for (const name of ['transfer', 'transferToFixedLength']) {
    wrap(abProto, name, (original) => ({
      [name]() {
        const h = ownerOf(this);
        if (h !== undefined && memoryOwnsBuffer(h, this)) {
          throw new TypeError('ArrayBuffer is not detachable and could not be cloned.');
        }
        return apply(original, this, arguments);
      },
    })[name]);
  }
}

/**
 * Throws V8's DataCloneError when the transfer list `list` (of structuredClone or postMessage)
 * holds a live resizable ArrayBuffer of a memory (V8's memory buffers are not detachable).
 */
function refuseMemoryBuffers(list) {
  if (made === 0 || !isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    const h = typeof x === 'object' && x !== null ? ownerOf(x) : undefined;
    if (h !== undefined && memoryOwnsBuffer(h, x)) {
      throw new DOMException('Cannot transfer object of unsupported type.', 'DataCloneError');
    }
  }
}

/**
 * Wraps structuredClone(value, options) and MessagePort.prototype.postMessage(value, transfer)
 * (every postMessage of Node) to check their transfer lists (an Array, or `options.transfer`).
 */
function wrapTransferLists() {
  const listOf = (o) => (typeof o === 'object' && o !== null && !isArray(o) ? o.transfer : o);
  let port;
  try {
    port = require('node:worker_threads').MessagePort.prototype;
  } catch {
    port = undefined; // (a host without worker_threads)
  }
  for (const [target, name] of [
    [globalThis, 'structuredClone'],
    [port, 'postMessage'],
  ]) {
    if (target === undefined) continue;
    wrap(target, name, (original) => ({
      [name](value, transfer) {
        if (made !== 0 && arguments.length > 1) refuseMemoryBuffers(listOf(transfer));
        return apply(original, this, arguments);
      },
    })[name]);
  }
}

/** `Memory.prototype.buffer`'s getter (set by `install`). */
let bufferGetter;

const methods = {
  // https://webassembly.github.io/spec/js-api/#dom-memory-tofixedlengthbuffer
  toFixedLengthBuffer() {
    const h = handleOf(this, 'toFixedLengthBuffer');
    // 1–2. A fixed-length buffer is returned as it is; else the resizable one is detached (an
    // ArrayBuffer's) and a new fixed-length buffer becomes the memory's buffer.
    memoryToFixed(h);
    return bufferGetter.call(this);
  },
  // https://webassembly.github.io/spec/js-api/#dom-memory-toresizablebuffer
  toResizableBuffer() {
    const h = handleOf(this, 'toResizableBuffer');
    // 1. If the memory has no maximum, throw a TypeError (V8's text).
    if (!memoryHasMaximum(h)) {
      throw new TypeError('WebAssembly.Memory.toResizableBuffer(): Memory must have a maximum');
    }
    // 2–5. The current resizable buffer, or a new one over the memory's pages (the
    // fixed-length buffer of an unshared memory is detached).
    wrapBufferMethods();
    return memoryToResizable(h);
  },
};

/** Installs both methods on `Memory.prototype` as profile members (feature "rab-integration"). */
function install(Memory) {
  const { defineProfileMember } = require('./profile.js');
  bufferGetter = Object.getOwnPropertyDescriptor(Memory.prototype, 'buffer').get;
  for (const name of ['toFixedLengthBuffer', 'toResizableBuffer']) {
    const value = methods[name];
    defineProfileMember(
      Memory.prototype,
      name,
      () => ({ value, writable: true, enumerable: true, configurable: true }),
      'rab-integration',
    );
  }
}

module.exports = { install };
