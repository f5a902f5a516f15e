'use strict';
// Under jitless-wasm/register with our namespace installed, `node:wasi` is ours, so packages
// that use Node's WASI run unmodified (Node's takes only V8's Memory):
// - CommonJS: `require('node:wasi')` / `require('wasi')` through a Module._load hook, and
//   `process.getBuiltinModule('node:wasi')` (Node >= 22.3);
// - ES modules: `import 'node:wasi'` through `module.registerHooks` (Node >= 22.15, in-thread).
//   Before Node 22.15 the built-in module's `WASI` export becomes a getter for ours instead,
//   which its ES-module facade reads when it is first imported: `module.register` would start
//   a hooks thread, which costs a few hundred milliseconds at every start under --jitless. The
//   built-in's ExperimentalWarning is held back while it loads; ours is emitted when the first
//   WASI is constructed (an `import` is not seen there).
// Worker threads preload register.js (see there), so each thread installs these itself.

const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const warning = require('./warning.js');

const IDS = new Set(['wasi', 'node:wasi']);
const INSTALLED = Symbol.for('jitless-wasm.wasi.hooks');
const ESM_TARGET = pathToFileURL(path.join(__dirname, 'node-wasi.mjs')).href;

const ours = () => require('./node-wasi.js');

/** Replaces the built-in node:wasi's `WASI` export by ours, for `import` before Node 22.15. */
function patchBuiltin() {
  const emitWarning = process.emitWarning;
  let builtin;
  process.emitWarning = function heldBack() {};
  try {
    builtin = require('node:wasi');
  } finally {
    process.emitWarning = emitWarning;
  }
  // Loaded on first use, so that a process that never uses WASI does not load it.
  Object.defineProperty(builtin, 'WASI', {
    get: () => require('./wasi.js').WASI,
    enumerable: true,
    configurable: true,
  });
  warning.warnOnConstruct();
}

function install() {
  if (globalThis[INSTALLED]) return;
  Object.defineProperty(globalThis, INSTALLED, { value: true });

  if (typeof Module.registerHooks === 'function') {
    Module.registerHooks({
      resolve(specifier, context, next) {
        if (IDS.has(specifier)) return { url: ESM_TARGET, format: 'module', shortCircuit: true };
        return next(specifier, context);
      },
    });
  } else {
    patchBuiltin();
  }

  const load = Module._load;
  Module._load = function _load(request, parent, isMain) {
    if (IDS.has(request)) return ours();
    return Reflect.apply(load, this, arguments);
  };

  if (typeof process.getBuiltinModule === 'function') {
    const getBuiltinModule = process.getBuiltinModule;
    process.getBuiltinModule = function getBuiltinModuleHooked(id) {
      if (IDS.has(id)) return ours();
      return Reflect.apply(getBuiltinModule, this, arguments);
    };
  }
}

module.exports = { install };
