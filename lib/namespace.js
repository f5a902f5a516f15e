'use strict';
// The WebAssembly namespace object (https://webassembly.github.io/spec/js-api/#webassembly-namespace).

const native = require('./native.js');
const util = require('./util.js');
const { CompileError, LinkError, RuntimeError } = require('./errors.js');
const { Module, unwrapModule, makeModule } = require('./module.js');
const { Instance, readImports, makeInstance } = require('./instance.js');
const { Memory, makeMemory } = require('./memory.js');
const { Table, makeTable } = require('./table.js');
const { Global, makeGlobal } = require('./global.js');

const { isObject, argumentError } = util;

native.init({
  CompileError,
  LinkError,
  RuntimeError,
  makeMemory,
  makeTable,
  makeGlobal,
  retain: util.retain,
  toBigInt64: util.toBigInt64,
  iterate: util.iterate,
  bind: Function.prototype.bind,
});

// The promise operations of the spec ("upon fulfillment"), immune to later patching of
// Promise.prototype.then.
const promiseThen = Promise.prototype.then;
const promiseResolve = (v) => Promise.resolve(v);
function upon(promise, onFulfilled, onRejected) {
  promiseThen.call(promise, onFulfilled, onRejected);
}

/**
 * Compiles the copied bytes (a native handle) in a later task and settles with a Module.
 * (The compile runs on the JS thread for now; a thread-pool compile can replace `setImmediate`.)
 */
function compileLater(bytes, api, resolve, reject) {
  setImmediate(() => {
    let module;
    try {
      module = makeModule(native.moduleNew(bytes, api));
    } catch (e) {
      reject(e);
      return;
    }
    resolve(module);
  });
}

/**
 * https://webassembly.github.io/spec/js-api/#asynchronously-instantiate-a-webassembly-module
 * AD-HOC (as V8): the imports are read and the core instantiated synchronously; only the
 * settlement of the promise is asynchronous.
 */
function instantiateModule(moduleHandle, importObject, api) {
  try {
    const imports = readImports(moduleHandle, importObject, api);
    return promiseResolve(makeInstance(moduleHandle, imports, api));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Whether `v` is a fetch `Response` (duck-typed only where there is no global `Response`). */
function isResponse(v) {
  if (typeof Response === 'function') return v instanceof Response;
  return isObject(v) && isObject(v.headers) && typeof v.arrayBuffer === 'function';
}

/**
 * https://webassembly.github.io/spec/js-api/#compile-a-potential-webassembly-response
 * Settles with a Module compiled from the body of the Response `source` resolves to.
 */
function compilePotentialResponse(source, api, resolve, reject) {
  // 2. Upon fulfillment of source with value unwrappedSource:
  upon(
    promiseResolve(source),
    (response) => {
      try {
        // 2.1 The value must be a Response.
        if (!isResponse(response)) {
          throw new TypeError(`${api}: Argument 0 must be provided and must be a Response`);
        }
        // 2.2–2.5 Let mimeType be the Content-Type; null or not `application/wasm` → TypeError.
        let mimeType = response.headers.get('Content-Type');
        if (mimeType === null || mimeType === undefined) {
          throw new TypeError(`${api}: Incorrect response MIME type. Expected 'application/wasm'.`);
        }
        mimeType = String(mimeType).replace(/^[\t ]+|[\t ]+$/g, '');
        if (mimeType.toLowerCase() !== 'application/wasm') {
          throw new TypeError(`${api}: Incorrect response MIME type. Expected 'application/wasm'.`);
        }
        // 2.7 If response's status is not an ok status, reject with a TypeError.
        if (!response.ok) {
          throw new TypeError(`${api}: HTTP status code is not ok`);
        }
        // 2.8 Consume response's body as an ArrayBuffer.
        upon(
          promiseResolve(response.arrayBuffer()),
          (body) => {
            // 2.9 Copy the bytes, then compile asynchronously.
            let bytes;
            try {
              bytes = native.copyBytes(body, api);
            } catch (e) {
              reject(e);
              return;
            }
            compileLater(bytes, api, resolve, reject);
          },
          reject,
        );
      } catch (e) {
        reject(e);
      }
    },
    // 3. Upon rejection of source with reason reason: reject returnValue with reason.
    reject,
  );
}

const WebAssembly = {
  // https://webassembly.github.io/spec/js-api/#dom-webassembly-validate
  validate(bytes) {
    return native.validate(bytes);
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-compile
  compile(bytes) {
    const api = 'WebAssembly.compile()';
    return new Promise((resolve, reject) => {
      // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
      // (A bad argument rejects: the executor turns the throw into a rejection.)
      const stable = native.copyBytes(bytes, api);
      // 2. Asynchronously compile a WebAssembly module from stableBytes and return the result.
      compileLater(stable, api, resolve, reject);
    });
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate
  // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate-moduleobject-importobject
  instantiate(source) {
    const importObject = arguments[1];
    const api = 'WebAssembly.instantiate()';
    const moduleHandle = unwrapModule(source);
    if (importObject !== undefined && !isObject(importObject)) {
      return Promise.reject(argumentError(api, 1, 'an object'));
    }
    if (moduleHandle !== undefined) {
      // Module overload: asynchronously instantiate (the imports are read now).
      return instantiateModule(moduleHandle, importObject, api);
    }
    return new Promise((resolve, reject) => {
      // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
      const stable = native.copyBytes(source, api);
      // 2. Let promiseOfModule be the result of asynchronously compiling stableBytes.
      // 3. Instantiate the promise of a module: the imports are read after the compile.
      compileLater(
        stable,
        api,
        (module) => {
          let instance;
          try {
            const h = unwrapModule(module);
            instance = makeInstance(h, readImports(h, importObject, api), api);
          } catch (e) {
            reject(e);
            return;
          }
          resolve({ module, instance });
        },
        reject,
      );
    });
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-compilestreaming
  compileStreaming(source) {
    return new Promise((resolve, reject) => {
      compilePotentialResponse(source, 'WebAssembly.compileStreaming()', resolve, reject);
    });
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiatestreaming
  instantiateStreaming(source) {
    const importObject = arguments[1];
    const api = 'WebAssembly.instantiateStreaming()';
    return new Promise((resolve, reject) => {
      if (importObject !== undefined && !isObject(importObject)) {
        throw argumentError(api, 1, 'an object');
      }
      // 1. Let promiseOfModule be the result of compiling a potential WebAssembly response.
      // 2. Return the result of instantiating the promise of a module promiseOfModule.
      compilePotentialResponse(
        source,
        api,
        (module) => {
          let instance;
          try {
            const h = unwrapModule(module);
            instance = makeInstance(h, readImports(h, importObject, api), api);
          } catch (e) {
            reject(e);
            return;
          }
          resolve({ module, instance });
        },
        reject,
      );
    });
  },
};

// The interface objects: writable, non-enumerable, configurable (WebIDL [LegacyNamespace]).
const interfaces = { Module, Instance, Memory, Table, Global, CompileError, LinkError, RuntimeError };
for (const name of Object.keys(interfaces)) {
  Object.defineProperty(WebAssembly, name, {
    value: interfaces[name],
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
Object.defineProperty(WebAssembly, Symbol.toStringTag, {
  value: 'WebAssembly',
  writable: false,
  enumerable: false,
  configurable: true,
});

module.exports = WebAssembly;
