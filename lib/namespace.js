'use strict';
// The WebAssembly namespace object (https://webassembly.github.io/spec/js-api/#webassembly-namespace).

const native = require('./native.js');
const util = require('./util.js');
const { CompileError, LinkError, RuntimeError } = require('./errors.js');
const { Module, unwrapModule, makeModule, bufferSource } = require('./module.js');
const { Instance, readImports, makeInstance } = require('./instance.js');
const { Memory, makeMemory } = require('./memory.js');
const { Table, makeTable } = require('./table.js');
const { Global, makeGlobal } = require('./global.js');
const { Tag, makeTag } = require('./tag.js');
const { Exception, makeException, unwrapException } = require('./exception.js');
const { readCompileOptions } = require('./compile-options.js');

const { isObject, argumentError } = util;

require('./profile.js').applyEnvironment();

native.init({
  CompileError,
  LinkError,
  RuntimeError,
  makeMemory,
  makeTable,
  makeGlobal,
  makeTag,
  makeException,
  unwrapException,
  retain: util.retain,
  toBigInt64: util.toBigInt64,
  toBigInt: util.toBigInt,
  iterate: util.iterate,
  bind: Function.prototype.bind,
  // The JS String Builtin `concat` (src/js_string.rs): two strings joined (no user code runs).
  concat: (a, b) => a + b,
  // The opaque JS object of a WasmGC struct or array (src/gc_values.rs).
  makeGcObject: require('./gc-object.js').makeGcObject,
});

// Modules and shared Memories in postMessage / workerData / structuredClone (lib/transfer.js).
require('./transfer.js').install();

// The promise operations of the spec ("upon fulfillment", "resolve"), immune to later patching
// of Promise.prototype.then and of the global Promise.
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const promiseResolve = (v) => PromiseCtor.resolve(v);
function upon(promise, onFulfilled, onRejected) {
  promiseThen.call(promise, onFulfilled, onRejected);
}
// "Queue a task" (a macrotask: after the current task and its microtasks).
const queueTask = setImmediate;

/**
 * https://webassembly.github.io/spec/js-api/#asynchronously-compile-a-webassembly-module
 * `bytes` is copied now (a TypeError for a bad argument is thrown synchronously: callers turn it
 * into a rejection); the decoding, validation and translation run on the libuv thread pool
 * (src/namespace.rs); the promise settles in a later task, with a Module or a CompileError.
 */
function asyncCompile(bytes, api, streaming = false, options = undefined) {
  // 1. Let promise be a new promise.  2. Run in parallel: compile, then queue a task …
  //    (JS String Builtins: the compile options were read by the caller, lib/compile-options.js;
  //    validating the builtins and imported strings runs with the compile.)
  const compiled = native.compileAsync(bufferSource(bytes), api, streaming, options?.jsString, options?.constants);
  return new PromiseCtor((resolve, reject) => {
    // 2.1.2–2.1.4 … reject with a CompileError, or resolve with a new Module object.
    upon(compiled, (h) => resolve(makeModule(h)), reject);
  });
}

/**
 * https://webassembly.github.io/spec/js-api/#asynchronously-instantiate-a-webassembly-module
 * The imports are read now (synchronously); the core is instantiated in a queued task.
 * AD-HOC (spec): V8 instantiates synchronously (a start function runs before `instantiate`
 * returns); only its promise settles later.
 */
function asyncInstantiate(moduleObject, importObject, api) {
  // 1. Let promise be a new promise.
  return new PromiseCtor((resolve, reject) => {
    // 2. Let module be moduleObject.[[Module]].
    const h = unwrapModule(moduleObject);
    // 5. Read the imports of module with imports importObject; on an exception, reject.
    let imports;
    try {
      imports = readImports(h, importObject, api);
    } catch (e) {
      reject(e);
      return;
    }
    // 6. Run in parallel: queue a task to instantiate the core, create the Instance object and
    //    resolve the promise with it (rejecting with any exception instead).
    queueTask(() => {
      let instance;
      try {
        instance = makeInstance(h, imports, api);
      } catch (e) {
        reject(e);
        return;
      }
      resolve(instance);
    });
  });
}

/**
 * https://webassembly.github.io/spec/js-api/#instantiate-a-promise-of-a-module
 * Settles with `{instance, module}` (a WebAssemblyInstantiatedSource dictionary converted to JS:
 * members in lexicographic order, so `instance` first; V8 creates `module` first).
 */
function instantiatePromiseOfModule(promiseOfModule, importObject, api) {
  // 1. Let promise be a new promise.
  return new PromiseCtor((resolve, reject) => {
    // 2. React to promiseOfModule:
    upon(
      promiseOfModule,
      (module) => {
        // 2.1 Instantiate the WebAssembly module module importing importObject …
        const innerPromise = asyncInstantiate(module, importObject, api);
        // … and resolve with {module, instance}, or reject with the reason.
        upon(innerPromise, (instance) => resolve({ instance, module }), reject);
      },
      // 2.2 If promiseOfModule was rejected with reason, reject promise with reason.
      reject,
    );
  });
}

/** Whether `v` is a fetch `Response` (duck-typed only where there is no global `Response`). */
function isResponse(v) {
  if (typeof Response === 'function') return v instanceof Response;
  return isObject(v) && isObject(v.headers) && typeof v.arrayBuffer === 'function';
}

/**
 * https://webassembly.github.io/spec/web-api/#compile-a-potential-webassembly-response
 * Settles with a Module compiled from the body of the Response `source` resolves to.
 */
function compilePotentialResponse(source, api, resolve, reject, options = undefined) {
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
            // 2.9 Asynchronously compile the bytes (copied now).
            let compiled;
            try {
              compiled = asyncCompile(body, api, true, options);
            } catch (e) {
              reject(e);
              return;
            }
            upon(compiled, resolve, reject);
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
  // https://webassembly.github.io/js-string-builtins/js-api/#dom-webassembly-validate
  validate(bytes) {
    const source = bufferSource(bytes);
    // (JS String Builtins) The options; V8 answers false when reading them throws.
    let options;
    try {
      options = readCompileOptions(arguments[1], bytes);
    } catch {
      return false;
    }
    return native.validate(source, options?.jsString, options?.constants);
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-compile
  // https://webassembly.github.io/js-string-builtins/js-api/#dom-webassembly-compile
  compile(bytes) {
    const api = 'WebAssembly.compile()';
    // (WebIDL) An operation returning a promise rejects instead of throwing.
    try {
      const options = readCompileOptions(arguments[1], bytes);
      // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
      // 2. Asynchronously compile a WebAssembly module from stableBytes and return the result.
      return asyncCompile(bytes, api, false, options);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  },

  // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate
  // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate-moduleobject-importobject
  instantiate(source) {
    const importObject = arguments[1];
    const api = 'WebAssembly.instantiate()';
    try {
      // (WebIDL) Overload resolution on the first argument, then `optional object importObject`.
      const moduleHandle = unwrapModule(source);
      if (importObject !== undefined && !isObject(importObject)) throw argumentError(api, 1, 'an object');
      if (moduleHandle === undefined) {
        // instantiate(bytes, importObject, options):
        const options = readCompileOptions(arguments[2], source);
        // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
        // 2. Asynchronously compile a WebAssembly module from stableBytes: promiseOfModule.
        const promiseOfModule = asyncCompile(source, api, false, options);
        // 3. Instantiate promiseOfModule with imports importObject and return the result (the
        //    imports are read only once the module is compiled).
        return instantiatePromiseOfModule(promiseOfModule, importObject, api);
      }
      // instantiate(moduleObject, importObject):
      // 1. Asynchronously instantiate the WebAssembly module moduleObject importing importObject
      //    (the imports are read now).
      return asyncInstantiate(source, importObject, api);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  },

  // https://webassembly.github.io/spec/web-api/#dom-webassembly-compilestreaming
  compileStreaming(source) {
    const compileOptions = arguments[1];
    return new PromiseCtor((resolve, reject) => {
      const options = readCompileOptions(compileOptions, undefined, true);
      compilePotentialResponse(source, 'WebAssembly.compileStreaming()', resolve, reject, options);
    });
  },

  // https://webassembly.github.io/spec/web-api/#dom-webassembly-instantiatestreaming
  instantiateStreaming(source) {
    const importObject = arguments[1];
    const api = 'WebAssembly.instantiateStreaming()';
    try {
      if (importObject !== undefined && !isObject(importObject)) throw argumentError(api, 1, 'an object');
      const options = readCompileOptions(arguments[2], undefined, true);
      // 1. Let promiseOfModule be the result of compiling a potential WebAssembly response.
      const promiseOfModule = new PromiseCtor((resolve, reject) => {
        compilePotentialResponse(source, api, resolve, reject, options);
      });
      // 2. Return the result of instantiating the promise of a module promiseOfModule (V8
      //    names "WebAssembly.instantiate()" in the errors of this step).
      return instantiatePromiseOfModule(promiseOfModule, importObject, 'WebAssembly.instantiate()');
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  },
};

// The interface objects: writable, non-enumerable, configurable (WebIDL [LegacyNamespace]).
const interfaces = {
  Module,
  Instance,
  Memory,
  Table,
  Global,
  Tag,
  Exception,
  CompileError,
  LinkError,
  RuntimeError,
};
for (const name of Object.keys(interfaces)) {
  Object.defineProperty(WebAssembly, name, {
    value: interfaces[name],
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
// https://webassembly.github.io/spec/js-api/#dom-webassembly-jstag
// `readonly attribute Tag JSTag` of the namespace. V8 (from 12.4, Node 22) installs it as a data
// property (not writable, not enumerable, configurable) rather than WebIDL's accessor; ours
// follows the V8 of the Node it runs on. The Tag object is made once, on first need, and it is
// the one the binding uses for the JavaScript exception tag (an exported JSTag import gives it
// back). A profile member (lib/profile.js): absent in the node20 profile, as in Node 20's V8.
require('./profile.js').defineProfileMember(
  WebAssembly,
  'JSTag',
  // 1. Let JSTagAddr be the result of getting the JavaScript exception tag.
  // 2. Let JSTagObject be the result of creating a Tag object from JSTagAddr.
  () => ({ value: native.jsTag(), writable: false, enumerable: false, configurable: true }),
  'jstag',
);
// `new Exception(tag, payload, options)`: V8 gives the constructor a length of 1 up to 12.4
// (Node 22), 2 (WebIDL's) from 13.6 (Node 24).
// Up to V8 13.6 (Node 24) the interface objects are sloppy functions, with own `arguments` and
// `caller` (null, read-only, non-configurable); from 14.6 (Node 26) they have none. Set by the
// profile at load (non-configurable: a later profile switch keeps them).
if (!require('./profile.js').profileAtLeast('node26')) {
  for (const C of [Module, Instance, Table, Memory, Global, Tag, Exception, require('./jspi.js').Suspending]) {
    for (const key of ['arguments', 'caller']) {
      if (!Object.hasOwn(C, key)) {
        Object.defineProperty(C, key, { value: null, writable: false, enumerable: false, configurable: false });
      }
    }
  }
}
// Memory.prototype.toFixedLengthBuffer/toResizableBuffer (V8 14.6, Node 26): profile members.
require('./memory-buffers.js').install(Memory);
// From 13.6 Module extends %AbstractModuleSource% (source phase imports; lib/module-source.js).
require('./profile.js').followProfile(() => {
  const node24 = require('./profile.js').profileAtLeast('node24');
  Object.defineProperty(Exception, 'length', { value: node24 ? 2 : 1, writable: false, enumerable: false, configurable: true });
  require('./module-source.js').linkModule(Module, node24);
});
Object.defineProperty(WebAssembly, Symbol.toStringTag, {
  value: 'WebAssembly',
  writable: false,
  enumerable: false,
  configurable: true,
});

// ----- JSPI (issue #12): Suspending, promising, SuspendError where the profile has them ------
require('./jspi.js').install(WebAssembly);
// ----- end JSPI -------------------------------------------------------------------------------

module.exports = WebAssembly;
