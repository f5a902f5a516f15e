'use strict';
// Access to the instance's linear memory. The buffer is read again whenever it may have changed:
// a grow detaches a non-shared memory's buffer (byteLength 0), and a shared memory's buffer can
// grow on any thread, so for those `memory.buffer` is read on every call.

const { errors } = require('./errors.js');

const SAB = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;

/** Views of the memory's current buffer: `u8`, `dv` (little-endian accessors), `size`. */
class MemoryView {
  constructor(memory) {
    this.memory = memory;
    this.buffer = null;
    this.u8 = null;
    this.dv = null;
    this.size = 0;
    this.shared = false;
  }

  /** Makes `u8`/`dv` current (call at the start of each function and after anything that can grow). */
  refresh() {
    const b = this.buffer;
    if (b !== null && !this.shared && b.byteLength !== 0) return this;
    const next = this.memory.buffer;
    if (next !== b || this.size !== next.byteLength) {
      this.buffer = next;
      this.shared = SAB !== undefined && next instanceof SAB;
      this.u8 = new Uint8Array(next);
      this.dv = new DataView(next);
      this.size = next.byteLength;
    }
    return this;
  }

  /**
   * Whether [offset, offset + length) is outside the memory, as Node checks it: an offset at or
   * past the end is outside even for a length of 0.
   */
  oob(offset, length) {
    return offset >= this.size || offset + length > this.size;
  }

  /** The bytes of [offset, offset + length) as a latin1 string (one char per byte). */
  latin1(offset, length) {
    return Buffer.from(this.buffer, offset, length).toString('latin1');
  }

  u32(offset) {
    return this.dv.getUint32(offset, true);
  }
  setU8(offset, v) {
    this.u8[offset] = v;
  }
  setU16(offset, v) {
    this.dv.setUint16(offset, v, true);
  }
  setU32(offset, v) {
    this.dv.setUint32(offset, v, true);
  }
  /** Writes a u64 given as a number (< 2^53) or a bigint. */
  setU64(offset, v) {
    if (typeof v === 'bigint') {
      this.dv.setBigUint64(offset, v, true);
    } else {
      this.dv.setUint32(offset, v >>> 0, true);
      this.dv.setUint32(offset + 4, Math.floor(v / 4294967296) >>> 0, true);
    }
  }
  u64(offset) {
    return this.dv.getBigUint64(offset, true);
  }
}

/**
 * Checks what `memory` is: our WebAssembly.Memory, or V8's (when both exist). Throws Node's
 * TypeError for anything else.
 */
function checkMemory(memory, isMemory) {
  if (!isMemory(memory)) throw errors.memoryType();
  return new MemoryView(memory);
}

module.exports = { MemoryView, checkMemory };
