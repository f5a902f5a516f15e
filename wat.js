'use strict';
// jitless-wasm/wat: the WebAssembly text format (WAT) to binary.
//
// Both exports take WAT source as a string, or as a Buffer / Uint8Array /
// ArrayBuffer holding UTF-8 text, and return the module bytes as a
// Uint8Array. The pre-2018 instruction names (`get_local`, `anyfunc`,
// `grow_memory`, `i32.trunc_s/f32`, ...) are accepted as well as the current
// ones. A syntax error throws a SyntaxError whose message starts with
// "<line>:<column>: " (1-based). The conversion is done by the Rust core
// (the `wat` crate) through the native binding; it does not need a
// WebAssembly engine, so it works under `node --jitless`.

const { watToWasm } = require('./lib/native.js');

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
let decoder;

function toText(source) {
  if (typeof source === 'string') return source;
  let bytes;
  if (ArrayBuffer.isView(source)) {
    bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  } else if (source instanceof ArrayBuffer) {
    bytes = new Uint8Array(source);
  } else {
    throw new TypeError(
      'The WAT source must be a string, a Buffer, a TypedArray, a DataView or an ArrayBuffer',
    );
  }
  if (bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b)) {
    // Already a binary module: hand back a copy, like `wat::parse_bytes`.
    return bytes.slice();
  }
  decoder ??= new TextDecoder('utf-8', { fatal: true });
  return decoder.decode(bytes);
}

/**
 * Converts WebAssembly text to a binary module.
 * @param {string | ArrayBufferView | ArrayBuffer} source
 * @returns {Uint8Array}
 */
function wat2wasm(source) {
  const text = toText(source);
  if (typeof text !== 'string') return text;
  return watToWasm(text);
}

/**
 * An alias of `wat2wasm`.
 * @param {string | ArrayBufferView | ArrayBuffer} source
 * @returns {Uint8Array}
 */
function parseWat(source) {
  return wat2wasm(source);
}

module.exports = { wat2wasm, parseWat };
