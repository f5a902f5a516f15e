'use strict';
// `require('jitless-wasm/limits').createWebAssembly(options)` (issue #15): a complete
// WebAssembly namespace whose modules and instances run under limits: fuel, a deadline per
// call, an interrupt flag, caps on memory bytes, table elements, instances and call depth, and
// deterministic NaNs.
//
// Design:
// - The namespace's classes are subclasses of the plain ones (lib/*.js): the same brand checks,
//   methods and property attributes; `new ns.Module(bytes)` etc. run with the namespace
//   *active* on the native side (`limitsEnter`/`limitsExit`, src/limits.rs), which compiles,
//   instantiates and allocates under its limits. The error classes are the plain ones (traps
//   are thrown as `WebAssembly.RuntimeError`, which is `ns.RuntimeError`).
// - A Module belongs to the namespace that compiled it: its code carries that namespace's fuel
//   charges and NaN handling. Another namespace's Instance constructor (the plain one included)
//   throws a TypeError for it, and this namespace's for a plain Module, as a cross-namespace
//   module could otherwise escape the limits. (V8 accepts Modules of another realm: realms
//   share one engine; namespaces here do not share limits.)
// - Fuel, caps and depth live in the native namespace object; modules, memories, tables and
//   instances keep it alive. Everything is per thread (create a namespace in each Worker);
//   the `interrupt` Int32Array may be shared with any thread.

const native = require('./native.js');
const plain = require('./namespace.js');
const util = require('./util.js');
const { bufferSource, unwrapModule } = require('./module.js');
const { readImports } = require('./instance.js');
const { readCompileOptions } = require('./compile-options.js');

const { INTERNAL, isObject, argumentError } = util;

/** The options `createWebAssembly` accepts. */
const OPTION_NAMES = [
  'fuel',
  'deadline',
  'interrupt',
  'maxMemoryBytes',
  'maxTableElements',
  'maxInstances',
  'maxStackDepth',
  'deterministic',
];

const MAX_U64 = (1n << 64n) - 1n;

/** `fuel` (or an `addFuel` amount) as a decimal string: a non-negative integer Number or BigInt. */
function fuelAmount(v, what) {
  if (typeof v === 'bigint') {
    if (v < 0n || v > MAX_U64) throw new RangeError(`${what} must be between 0 and 2^64 - 1, got ${v}`);
    return v.toString();
  }
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number or a bigint, got ${typeof v}`);
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer (or a bigint), got ${v}`);
  }
  return String(v);
}

/** An optional cap: a non-negative safe integer, or -1 when absent. */
function cap(options, name) {
  const v = options[name];
  if (v === undefined) return -1;
  if (typeof v !== 'number') throw new TypeError(`createWebAssembly(): options.${name} must be a number, got ${typeof v}`);
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`createWebAssembly(): options.${name} must be a non-negative integer, got ${v}`);
  }
  return v;
}

/** The native namespace handle for validated `options`. */
function makeHandle(options) {
  if (options === undefined) options = {};
  if (!isObject(options)) throw new TypeError('createWebAssembly(): options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new TypeError(`createWebAssembly(): unknown option ${JSON.stringify(key)} (expected one of ${OPTION_NAMES.join(', ')})`);
    }
  }
  const fuel = options.fuel === undefined ? undefined : fuelAmount(options.fuel, 'createWebAssembly(): options.fuel');
  let deadline = -1;
  if (options.deadline !== undefined) {
    deadline = options.deadline;
    if (typeof deadline !== 'number') {
      throw new TypeError(`createWebAssembly(): options.deadline must be a number of milliseconds, got ${typeof deadline}`);
    }
    if (!(deadline > 0) || !Number.isFinite(deadline)) {
      throw new RangeError(`createWebAssembly(): options.deadline must be a positive finite number of milliseconds, got ${deadline}`);
    }
  }
  const interrupt = options.interrupt;
  if (interrupt !== undefined) {
    if (!(interrupt instanceof Int32Array) || !(interrupt.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError('createWebAssembly(): options.interrupt must be an Int32Array over a SharedArrayBuffer');
    }
    if (interrupt.length === 0) throw new RangeError('createWebAssembly(): options.interrupt must have at least one element');
  }
  const deterministic = options.deterministic;
  if (deterministic !== undefined && typeof deterministic !== 'boolean') {
    throw new TypeError(`createWebAssembly(): options.deterministic must be a boolean, got ${typeof deterministic}`);
  }
  return native.limitsNew(
    fuel,
    deadline,
    interrupt,
    cap(options, 'maxMemoryBytes'),
    cap(options, 'maxTableElements'),
    cap(options, 'maxInstances'),
    cap(options, 'maxStackDepth'),
    deterministic === true,
  );
}

/**
 * https://github.com/jitless-wasm (issue #15): a WebAssembly namespace running under `options`
 * (see limits.d.ts for each option).
 */
function createWebAssembly(options) {
  const handle = makeHandle(options);

  /** Runs `f` with this namespace active on the native side. */
  function run(f) {
    native.limitsEnter(handle);
    try {
      return f();
    } finally {
      native.limitsExit();
    }
  }

  /**
   * The interface class of this namespace for plain class `Base`: a subclass whose constructor
   * runs with the namespace active (then `after(object, args)`, if given).
   */
  function inNamespace(Base, after) {
    return class extends Base {
      constructor() {
        const args = arguments;
        native.limitsEnter(handle);
        try {
          super(...args);
        } finally {
          native.limitsExit();
        }
        if (after) after(this, args);
      }
    };
  }

  // The interface classes: subclasses of the plain ones whose constructors run in the namespace.
  const Module = inNamespace(plain.Module);
  // (Instances made for WebAssembly.instantiate are adopted there, with their imports.)
  const Instance = inNamespace(plain.Instance, (self, args) => {
    if (args[0] !== INTERNAL) adoptExports(self, args[1]);
  });
  const Memory = inNamespace(plain.Memory);
  const Table = inNamespace(plain.Table);
  class Global extends plain.Global {}
  class Tag extends plain.Tag {}
  class Exception extends plain.Exception {}
  const classes = { Module, Instance, Memory, Table, Global, Tag, Exception };
  for (const [name, cls] of Object.entries(classes)) {
    Object.defineProperty(cls, 'name', { value: name });
    Object.defineProperty(cls, 'length', { value: plain[name].length });
  }
  const own = new Map([
    [plain.Memory.prototype, Memory.prototype],
    [plain.Table.prototype, Table.prototype],
    [plain.Global.prototype, Global.prototype],
    [plain.Tag.prototype, Tag.prototype],
  ]);

  /**
   * The Memories, Tables, Globals and Tags an instance defined and exports are made by the
   * binding with the plain classes: they become this namespace's (same object, prototype
   * switched), unless they were imported (those keep their own class).
   */
  function adoptExports(instance, importObject) {
    const imported = new Set();
    if (isObject(importObject)) {
      for (const m of Object.values(importObject)) {
        if (isObject(m)) for (const v of Object.values(m)) imported.add(v);
      }
    }
    for (const v of Object.values(instance.exports)) {
      if (!isObject(v) || imported.has(v)) continue;
      const to = own.get(Object.getPrototypeOf(v));
      if (to !== undefined) Object.setPrototypeOf(v, to);
    }
  }

  /** https://webassembly.github.io/spec/js-api/#asynchronously-compile-a-webassembly-module */
  function asyncCompile(bytes, api, compileOptions) {
    // The compile options are read now (the compile itself runs on the thread pool), with the
    // JS String Builtins options (lib/compile-options.js).
    const options = readCompileOptions(compileOptions, bytes);
    const compiled = run(() => native.compileAsync(bufferSource(bytes), api, false, options?.jsString, options?.constants));
    return compiled.then((h) => new Module(INTERNAL, h));
  }

  /** https://webassembly.github.io/spec/js-api/#asynchronously-instantiate-a-webassembly-module */
  function asyncInstantiate(moduleObject, importObject, api) {
    return new Promise((resolve, reject) => {
      const h = unwrapModule(moduleObject);
      let imports;
      try {
        imports = readImports(h, importObject, api);
      } catch (e) {
        reject(e);
        return;
      }
      setImmediate(() => {
        try {
          const instance = new Instance(INTERNAL, h, imports, api);
          adoptExports(instance, importObject);
          resolve(instance);
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  /** The body of a `Response` for compileStreaming/instantiateStreaming (web-api checks). */
  function responseBytes(source, api) {
    return Promise.resolve(source).then((response) => {
      if (!isObject(response) || typeof response.arrayBuffer !== 'function' || !isObject(response.headers)) {
        throw new TypeError(`${api}: Argument 0 must be provided and must be a Response`);
      }
      const mime = String(response.headers.get('Content-Type') ?? '').trim().toLowerCase();
      if (mime !== 'application/wasm') throw new TypeError(`${api}: Incorrect response MIME type. Expected 'application/wasm'.`);
      if (!response.ok) throw new TypeError(`${api}: HTTP status code is not ok`);
      return response.arrayBuffer();
    });
  }

  const WebAssembly = {
    // https://webassembly.github.io/spec/js-api/#dom-webassembly-validate
    validate(bytes) {
      const options = arguments[1];
      return run(() => plain.validate(bytes, options));
    },
    // https://webassembly.github.io/spec/js-api/#dom-webassembly-compile
    compile(bytes) {
      try {
        return asyncCompile(bytes, 'WebAssembly.compile()', arguments[1]);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    // https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate
    instantiate(source) {
      const importObject = arguments[1];
      const api = 'WebAssembly.instantiate()';
      try {
        const h = unwrapModule(source);
        if (importObject !== undefined && !isObject(importObject)) throw argumentError(api, 1, 'an object');
        if (h !== undefined) return asyncInstantiate(source, importObject, api);
        return asyncCompile(source, api, arguments[2]).then((module) =>
          asyncInstantiate(module, importObject, api).then((instance) => ({ instance, module })),
        );
      } catch (e) {
        return Promise.reject(e);
      }
    },
    // https://webassembly.github.io/spec/web-api/#dom-webassembly-compilestreaming
    compileStreaming(source) {
      const api = 'WebAssembly.compileStreaming()';
      const options = arguments[1];
      return responseBytes(source, api).then((bytes) => asyncCompile(bytes, api, options));
    },
    // https://webassembly.github.io/spec/web-api/#dom-webassembly-instantiatestreaming
    instantiateStreaming(source) {
      const importObject = arguments[1];
      const api = 'WebAssembly.instantiateStreaming()';
      if (importObject !== undefined && !isObject(importObject)) return Promise.reject(argumentError(api, 1, 'an object'));
      const options = arguments[2];
      return responseBytes(source, api).then((bytes) => WebAssembly.instantiate(bytes, importObject, options));
    },
  };

  // The interface objects (writable, non-enumerable, configurable), as on the plain namespace.
  const interfaces = {
    ...classes,
    CompileError: plain.CompileError,
    LinkError: plain.LinkError,
    RuntimeError: plain.RuntimeError,
  };
  for (const name of Object.keys(interfaces)) {
    Object.defineProperty(WebAssembly, name, { value: interfaces[name], writable: true, enumerable: false, configurable: true });
  }
  // Every other member of the plain namespace (JSTag, and what later features add) is shared.
  for (const key of Reflect.ownKeys(plain)) {
    if (Object.prototype.hasOwnProperty.call(WebAssembly, key)) continue;
    Object.defineProperty(WebAssembly, key, Object.getOwnPropertyDescriptor(plain, key));
  }
  // The limits' own members (non-enumerable, so the enumerable shape stays the standard one).
  Object.defineProperty(WebAssembly, 'fuel', {
    get() {
      const left = BigInt(native.limitsFuel(handle));
      return left <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(left) : left;
    },
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(WebAssembly, 'addFuel', {
    value: function addFuel(n) {
      native.limitsAddFuel(handle, fuelAmount(n, 'addFuel()'));
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return WebAssembly;
}

module.exports = { createWebAssembly };
