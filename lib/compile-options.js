'use strict';
// The compile options of the JS String Builtins proposal (`WebAssemblyCompileOptions`:
// https://github.com/WebAssembly/js-string-builtins/blob/main/proposals/js-string-builtins/Overview.md,
// https://webassembly.github.io/js-string-builtins/js-api/#dictdef-webassemblycompileoptions),
// read as V8 reads them.

const { isObject } = require('./util.js');
const { hasFeature, profileAtLeast } = require('./profile.js');

const isWellFormed = Function.prototype.call.bind(String.prototype.isWellFormed);

const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;

/**
 * Whether `bytes` can be a BufferSource for the native side (an ArrayBuffer, or a view): V8
 * rejects other first arguments with its TypeError before it reads the options, so the options
 * are not read then (the native side throws that TypeError).
 */
function mayBeBufferSource(bytes) {
  if (ArrayBuffer.isView(bytes)) return true;
  try {
    arrayBufferByteLength.call(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The largest length V8 looks at (it saturates the array-like length to a uint32). */
const MAX_UINT32 = 4294967295;

/**
 * Reads the compile options `options` (for the first argument `bytes`, unless `streaming`: the
 * streaming forms read them before they have bytes) of validate / compile / new Module / instantiate (bytes
 * form) / compileStreaming / instantiateStreaming. Returns `undefined` when none is enabled,
 * else `{ jsString, constants }` (`constants`: the importedStringConstants module name, or
 * `undefined`). Exceptions of getters propagate (`validate` turns them into `false`).
 *
 * AD-HOC (spec, as V8 12.4–14.6): the spec converts `options` to the WebIDL dictionary
 * `{ USVString? importedStringConstants; sequence<USVString> builtins; }` (TypeErrors for a
 * non-object, a non-iterable `builtins`, a Symbol; strings by ToString; duplicate builtin
 * names are a CompileError). V8 instead ignores a non-object `options`; reads `builtins`
 * first, as an array-like (`length`, then each present index), keeping only String elements
 * (duplicates and unknown names are ignored); then, if `options` has an
 * `importedStringConstants` property, reads it and keeps it only if it is a String. Ours does
 * what V8 does. In the node20 profile the options are not read at all (Node 20's V8); in the
 * node22 profile only `builtins` is (V8 12.4 has no imported string constants).
 */
function readCompileOptions(options, bytes, streaming = false) {
  if (!hasFeature('js-string') || !isObject(options) || (!streaming && !mayBeBufferSource(bytes))) return undefined;
  let jsString = false;
  let constants;
  const builtins = options.builtins;
  if (isObject(builtins)) {
    // GetLengthFromArrayLike: ToLength(? Get(builtins, "length")) (ToNumber may throw).
    let length = +builtins.length;
    length = Number.isNaN(length) || length <= 0 ? 0 : Math.min(Math.floor(length), MAX_UINT32);
    for (let i = 0; i < length; i++) {
      if (!(i in builtins)) continue;
      const name = builtins[i];
      if (name === 'js-string') jsString = true;
    }
  }
  // V8 12.4 (Node 22) has no imported string constants: it does not look at the member.
  if (profileAtLeast('node24') && 'importedStringConstants' in options) {
    const value = options.importedStringConstants;
    // A name with a lone surrogate matches no import (import names are UTF-8): dropped here,
    // before the native side converts it to UTF-8 (which would make it U+FFFD).
    if (typeof value === 'string' && isWellFormed(value)) constants = value;
  }
  if (!jsString && constants === undefined) return undefined;
  return { jsString, constants };
}

module.exports = { readCompileOptions };
