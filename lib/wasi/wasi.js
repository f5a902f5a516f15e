'use strict';
// The `WASI` class of `node:wasi` (Node's lib/wasi.js: the same options, checks, errors and
// methods) over our bindings, for instances of our WebAssembly namespace.
// https://nodejs.org/api/wasi.html

const { WASI: Bindings } = require('./bindings.js');
const {
  errors,
  invalidArgValue,
  validateArray,
  validateBoolean,
  validateFunction,
  validateInt32,
  validateObject,
  validateString,
  validateUndefined,
} = require('./errors.js');
const { Memory: OurMemory, unwrapMemory } = require('../memory.js');
const warning = require('./warning.js');

const kExitCode = Symbol('kExitCode');
const kSetMemory = Symbol('kSetMemory');
const kStarted = Symbol('kStarted');
const kInstance = Symbol('kInstance');
const kBindingName = Symbol('kBindingName');

// Node 24 split `finalizeBindings` out of start/initialize (checks first, then "started");
// before, `start`/`initialize` marked the object started before checking the instance.
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const HAS_FINALIZE_BINDINGS = NODE_MAJOR >= 24;

// V8's own WebAssembly.Memory, when this process has it: Node's WASI takes only those; ours
// takes ours and V8's.
const v8Buffer = (() => {
  const ns = globalThis.WebAssembly;
  if (typeof ns !== 'object' || ns === null || typeof ns.Memory !== 'function' || ns.Memory === OurMemory) {
    return undefined;
  }
  const d = Object.getOwnPropertyDescriptor(ns.Memory.prototype, 'buffer');
  return d && typeof d.get === 'function' ? d.get : undefined;
})();

function isMemory(m) {
  if (unwrapMemory(m) !== undefined) return true;
  if (v8Buffer === undefined || typeof m !== 'object' || m === null) return false;
  try {
    v8Buffer.call(m);
    return true;
  } catch {
    return false;
  }
}

const emptyObject = Object.freeze({ __proto__: null });

class WASI {
  constructor(options = emptyObject) {
    warning.constructed();
    validateObject(options, 'options');

    validateString(options.version, 'options.version');
    switch (options.version) {
      case 'unstable':
        this[kBindingName] = 'wasi_unstable';
        break;
      case 'preview1':
        this[kBindingName] = 'wasi_snapshot_preview1';
        break;
      default:
        throw invalidArgValue('options.version', options.version, 'unsupported WASI version');
    }

    if (options.args !== undefined) validateArray(options.args, 'options.args');
    const args = (options.args || []).map(String);

    const env = [];
    if (options.env !== undefined) {
      validateObject(options.env, 'options.env');
      for (const [key, value] of Object.entries(options.env)) {
        if (value !== undefined) env.push(`${key}=${value}`);
      }
    }

    const preopens = [];
    if (options.preopens !== undefined) {
      validateObject(options.preopens, 'options.preopens');
      for (const [key, value] of Object.entries(options.preopens)) preopens.push(String(key), String(value));
    }

    const { stdin = 0, stdout = 1, stderr = 2 } = options;
    validateInt32(stdin, 'options.stdin', 0);
    validateInt32(stdout, 'options.stdout', 0);
    validateInt32(stderr, 'options.stderr', 0);

    const wrap = new Bindings(args, env, preopens, [stdin, stdout, stderr], isMemory);
    for (const prop in wrap) wrap[prop] = wrap[prop].bind(wrap);
    // fd_read, fd_write, …: native when our instance links them (lib/wasi/native-table.js).
    if (wrap.table.mirror !== null) wrap.table.mirror.bindFunctions(wrap);

    let returnOnExit = true;
    if (options.returnOnExit !== undefined) {
      validateBoolean(options.returnOnExit, 'options.returnOnExit');
      returnOnExit = options.returnOnExit;
    }
    if (returnOnExit) wrap.proc_exit = wasiReturnOnProcExit.bind(this);

    this[kSetMemory] = wrap._setMemory;
    delete wrap._setMemory;
    this.wasiImport = wrap;
    this[kStarted] = false;
    this[kExitCode] = 0;
    this[kInstance] = undefined;
  }

  // Node >= 24: binds the instance (and its memory, or `options.memory`) without running it.
  finalizeBindings(instance, { memory = instance?.exports?.memory } = {}) {
    if (this[kStarted]) throw errors.wasiAlreadyStarted();
    validateObject(instance, 'instance');
    validateObject(instance.exports, 'instance.exports');
    this[kSetMemory](memory);
    this[kInstance] = instance;
    this[kStarted] = true;
  }

  // Must not export _initialize, must export _start.
  start(instance) {
    setup(this, instance);
    const { _start, _initialize } = this[kInstance].exports;
    validateFunction(_start, 'instance.exports._start');
    validateUndefined(_initialize, 'instance.exports._initialize');
    try {
      _start();
    } catch (err) {
      if (err !== kExitCode) throw err;
    }
    return this[kExitCode];
  }

  // Must not export _start, may export _initialize.
  initialize(instance) {
    setup(this, instance);
    const { _start, _initialize } = this[kInstance].exports;
    validateUndefined(_start, 'instance.exports._start');
    if (_initialize !== undefined) {
      validateFunction(_initialize, 'instance.exports._initialize');
      _initialize();
    }
  }

  getImportObject() {
    return { [this[kBindingName]]: this.wasiImport };
  }
}

/** What start/initialize do first: Node >= 24 calls finalizeBindings; before, marked started first. */
function setup(self, instance) {
  if (HAS_FINALIZE_BINDINGS) {
    self.finalizeBindings(instance);
    return;
  }
  if (self[kStarted]) throw errors.wasiAlreadyStarted();
  self[kStarted] = true;
  validateObject(instance, 'instance');
  validateObject(instance.exports, 'instance.exports');
  self[kInstance] = instance;
  self[kSetMemory](instance.exports.memory);
}

if (!HAS_FINALIZE_BINDINGS) delete WASI.prototype.finalizeBindings;

/**
 * proc_exit with returnOnExit: records the code and throws a value wasm cannot catch, so that
 * `start()` returns the code.
 */
function wasiReturnOnProcExit(rval) {
  this[kExitCode] = rval;
  throw kExitCode;
}

module.exports = { WASI };
