'use strict';
// `Memory.prototype.toFixedLengthBuffer()` and `toResizableBuffer()` (the JS-API's resizable
// buffer integration, https://webassembly.github.io/spec/js-api/#dom-memory-tofixedlengthbuffer),
// as V8 14.6 (Node 26) has them: members of the node26 and latest profiles (lib/profile.js).
//
// toFixedLengthBuffer() is exact: a memory's buffer is fixed-length until toResizableBuffer()
// switches it, so it returns the current fixed-length `buffer` (the same object, detached by a
// grow as before).
//
// toResizableBuffer() cannot be made faithfully over ours: V8's API makes resizable ArrayBuffers
// (and growable SharedArrayBuffers) only over memory V8 allocates itself
// (`ArrayBuffer::NewResizableBackingStore`); one over external bytes (the memory's mapping, which
// never moves: crates/core/src/runtime/memory.rs) is fixed-length
// (`ArrayBuffer::NewBackingStore(data, length, …)`), and V8 ties `resize` growing a memory to its
// own wasm memories. A copy would not alias the memory; wrapping a buffer in a Proxy would not be
// an ArrayBuffer. So it checks what V8 checks (receiver, maximum) and then throws a TypeError
// saying so (a deliberate difference, marked in memory-buffers.spec.mjs), rather than hand out a
// buffer that silently diverges from the memory.

const { memoryHasMaximum } = require('./native.js');
const { unwrapMemory } = require('./memory.js');

/** The handle of `o` as a Memory, or V8's TypeError for method `name`. */
function handleOf(o, name) {
  const h = unwrapMemory(o);
  if (h === undefined) throw new TypeError(`WebAssembly.Memory.${name}(): Receiver is not a WebAssembly.Memory`);
  return h;
}

/** `Memory.prototype.buffer`'s getter (set by `install`). */
let bufferGetter;

const methods = {
  // https://webassembly.github.io/spec/js-api/#dom-memory-tofixedlengthbuffer
  toFixedLengthBuffer() {
    handleOf(this, 'toFixedLengthBuffer');
    // The buffer is fixed-length (ours never switches to resizable): return it.
    return bufferGetter.call(this);
  },
  // https://webassembly.github.io/spec/js-api/#dom-memory-toresizablebuffer
  toResizableBuffer() {
    const h = handleOf(this, 'toResizableBuffer');
    // 1. If the memory has no maximum, throw a TypeError (V8's text).
    if (!memoryHasMaximum(h)) {
      throw new TypeError('WebAssembly.Memory.toResizableBuffer(): Memory must have a maximum');
    }
    throw new TypeError(
      'WebAssembly.Memory.toResizableBuffer(): resizable buffers over a memory are not supported by jitless-wasm ' +
        "(V8's API cannot make a resizable ArrayBuffer over the memory's bytes)",
    );
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
