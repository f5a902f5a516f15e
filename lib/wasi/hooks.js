'use strict';
// Under jitless-wasm/register with our namespace installed, `node:wasi` is ours, so packages
// that use Node's WASI run unmodified (Node's takes only V8's Memory):
// - CommonJS: `require('node:wasi')` / `require('wasi')` through a Module._load hook, and
//   `process.getBuiltinModule('node:wasi')` (Node >= 22.3);
// - ES modules: `import 'node:wasi'` through `module.registerHooks` (Node >= 22.15, in-thread)
//   or else `module.register` (Node >= 20.6, a hooks thread).
// Worker threads preload register.js (see there), so each thread installs these itself.

const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const IDS = new Set(['wasi', 'node:wasi']);
const INSTALLED = Symbol.for('jitless-wasm.wasi.hooks');
const ESM_TARGET = pathToFileURL(path.join(__dirname, 'node-wasi.mjs')).href;

const ours = () => require('./node-wasi.js');

function install() {
  if (globalThis[INSTALLED]) return;
  Object.defineProperty(globalThis, INSTALLED, { value: true });

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

  if (typeof Module.registerHooks === 'function') {
    Module.registerHooks({
      resolve(specifier, context, next) {
        if (IDS.has(specifier)) return { url: ESM_TARGET, format: 'module', shortCircuit: true };
        return next(specifier, context);
      },
    });
  } else if (typeof Module.register === 'function') {
    Module.register(pathToFileURL(path.join(__dirname, 'esm-hooks.mjs')).href);
  }
}

module.exports = { install };
