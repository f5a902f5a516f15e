'use strict';
// WebAssembly.Module (https://webassembly.github.io/spec/js-api/#modules) over a native handle.

const native = require('./native.js');
const { INTERNAL, defineInterface, argumentError, made } = require('./util.js');
const { readCompileOptions } = require('./compile-options.js');

let unwrap;

/** Handle of the Module argument `o` of `api`, else a TypeError. */
function moduleHandle(o, api) {
  const h = unwrap(o);
  if (h === undefined) throw argumentError(api, 0, 'a WebAssembly.Module');
  return h;
}

// The brand-checking getter of SharedArrayBuffer.prototype.byteLength (throws for anything else).
const sharedByteLength =
  typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get
    : undefined;

const dataViewByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
const arrayBufferMaxByteLength = (() => {
  const get = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'maxByteLength')?.get;
  return function () {
    if (get === undefined) return 1;
    try {
      return get.call(this);
    } catch {
      return 1; // a SharedArrayBuffer: never detached
    }
  };
})();

/**
 * The bytes argument as the native side reads it, which accepts what V8 (Node 20) accepts: an
 * ArrayBuffer (resizable too) or a typed array (over a SharedArrayBuffer too). A bare
 * SharedArrayBuffer and a DataView over one are TypeErrors as in V8 (issue #11): they are
 * passed as `null`, which the native side rejects with V8's "Argument 0 must be a buffer
 * source" for the calling method.
 * AD-HOC (spec): a DataView over an ArrayBuffer is a BufferSource and is accepted; V8 rejects
 * every DataView. The JS-API's newer `[AllowResizable] AllowSharedBufferSource` would accept a
 * SharedArrayBuffer; V8 does not.
 */
function bufferSource(bytes) {
  if (bytes instanceof DataView) {
    if (isShared(dataViewBuffer.call(bytes))) return null;
    // WebIDL "byte length" of a DataView: its byteLength getter, which throws a TypeError for a
    // view out of bounds of a shrunk resizable buffer (a detached buffer reads as empty, and
    // detaching leaves maxByteLength 0). Typed arrays report 0 instead and need nothing here.
    try {
      dataViewByteLength.call(bytes);
    } catch (e) {
      if (arrayBufferMaxByteLength.call(bytes.buffer) !== 0) throw e;
    }
    return bytes;
  }
  if (typeof bytes === 'object' && bytes !== null && !ArrayBuffer.isView(bytes) && isShared(bytes)) return null;
  return bytes;
}

/** Whether `buffer` is a SharedArrayBuffer (its brand-checking byteLength getter accepts it). */
function isShared(buffer) {
  if (sharedByteLength === undefined) return false;
  try {
    sharedByteLength.call(buffer);
    return true;
  } catch {
    return false;
  }
}

class Module {
  #h;

  // https://webassembly.github.io/spec/js-api/#dom-module-module
  // https://webassembly.github.io/js-string-builtins/js-api/#dom-module-module
  constructor(bytes) {
    made.any = true;
    if (bytes === INTERNAL) {
      this.#h = arguments[1];
      return;
    }
    const source = bufferSource(bytes);
    // (JS String Builtins) The compile options (lib/compile-options.js).
    const options = readCompileOptions(arguments[1], bytes);
    // 1–3. Copy the bytes and compile them synchronously; CompileError on failure (and when the
    //    builtins and imported strings do not validate).
    this.#h = native.moduleNew(source, 'WebAssembly.Module()', options?.jsString, options?.constants);
  }

  // https://webassembly.github.io/spec/js-api/#dom-module-exports
  static exports(moduleObject) {
    return native.moduleExports(moduleHandle(moduleObject, 'WebAssembly.Module.exports()'));
  }

  // https://webassembly.github.io/spec/js-api/#dom-module-imports
  static imports(moduleObject) {
    return native.moduleImports(moduleHandle(moduleObject, 'WebAssembly.Module.imports()'));
  }

  // https://webassembly.github.io/spec/js-api/#dom-module-customsections
  static customSections(moduleObject, sectionName) {
    const h = moduleHandle(moduleObject, 'WebAssembly.Module.customSections()');
    if (arguments.length < 2) {
      throw argumentError('WebAssembly.Module.customSections()', 1, 'a string');
    }
    // DOMString: ToString here (a Symbol throws). A custom section's name is decoded UTF-8 and
    // never holds a lone surrogate, so a name with one matches nothing (converting it to UTF-8
    // would turn the surrogate into U+FFFD and match a section named with a real U+FFFD).
    const name = `${sectionName}`;
    if (!name.isWellFormed()) return [];
    return native.moduleCustomSections(h, name);
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Module, 'WebAssembly.Module');

module.exports = {
  Module,
  bufferSource,
  /** The native handle of a Module, or undefined. */
  unwrapModule: (o) => unwrap(o),
  /** A Module over an existing native handle. */
  makeModule: (h) => new Module(INTERNAL, h),
};
