'use strict';
// WebAssembly.Memory (https://webassembly.github.io/spec/js-api/#memories) over a native handle.

const { memoryNew, memoryGrow, memoryBuffer } = require('./native.js');
const { INTERNAL, defineInterface, receiverError, made } = require('./util.js');

const EMPTY = new ArrayBuffer(0);
const SAB = SharedArrayBuffer;
let unwrap;

// Brand checks: hot methods read a private field directly, which throws V8's TypeError on a
// foreign receiver. (A try/catch for a "Receiver is not a ..." message costs more than the
// whole getter under --jitless; cold methods do use that message.)

class Memory {
  #h;
  // The last buffer handed out. A zero length means "ask the native side": the buffer was
  // detached (by a grow, which the native grow hook does, or by the user) or the memory is
  // empty. So the getter costs one private load and one `byteLength` while nothing changes.
  #buffer = EMPTY;

  // https://webassembly.github.io/spec/js-api/#dom-memory-memory
  constructor(descriptor) {
    made.any = true;
    if (descriptor === INTERNAL) {
      this.#h = arguments[1];
      return;
    }
    this.#h = memoryNew(this, descriptor);
  }

  // https://webassembly.github.io/spec/js-api/#dom-memory-grow
  grow(delta) {
    let h;
    try {
      h = this.#h;
    } catch {
      throw receiverError('WebAssembly.Memory');
    }
    // The native grow runs the grow hook, which detaches the current buffer.
    return memoryGrow(h, delta);
  }

  // https://webassembly.github.io/spec/js-api/#dom-memory-buffer
  get buffer() {
    const buffer = this.#buffer; // brand check
    if (buffer.byteLength) return buffer;
    const b = memoryBuffer(this.#h);
    // A shared memory's SharedArrayBuffer is never detached, and a grow (maybe in wasm, maybe
    // on another thread) is not visible here: the native side decides each time.
    if (!(b instanceof SAB)) this.#buffer = b;
    return b;
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Memory, 'WebAssembly.Memory');

module.exports = {
  Memory,
  /** The native handle of a Memory, or undefined. */
  unwrapMemory: (o) => unwrap(o),
  /** A Memory over an existing native handle. */
  makeMemory: (h) => new Memory(INTERNAL, h),
};
