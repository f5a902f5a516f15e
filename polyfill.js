'use strict';
// `require('jitless-wasm/polyfill')`: installs jitless-wasm as `globalThis.WebAssembly` when the
// engine has none (e.g. under `node --jitless`). Set JITLESS_WASM_FORCE=1, or call
// `install({ force: true })`, to replace an existing WebAssembly as well.

const WebAssembly = require('./index.js');

/**
 * Installs the namespace as `globalThis.WebAssembly` (writable, non-enumerable, configurable,
 * like the built-in one). Returns whether it was installed.
 * @param {{ force?: boolean }} [options]
 */
function install(options) {
  const force = Boolean(options && options.force) || process.env.JITLESS_WASM_FORCE === '1';
  if (!force && typeof globalThis.WebAssembly !== 'undefined') return false;
  Object.defineProperty(globalThis, 'WebAssembly', {
    value: WebAssembly,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return true;
}

install();

module.exports = { install, WebAssembly };
