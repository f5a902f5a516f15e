'use strict';
// `node --require jitless-wasm/register app.js` (or `--import jitless-wasm/register`, see
// register.mjs): installs jitless-wasm as `globalThis.WebAssembly` before any user code runs when
// the engine has none (`node --jitless`), or always when JITLESS_WASM_FORCE=1.
//
// worker_threads: a Worker inherits `--require` preloads from its parent's execArgv, but not
// `--import` ones (Node 20), nor anything when it is given its own `execArgv`. So once installed,
// this module also wraps `worker_threads.Worker` so that every Worker preloads this file: it adds
// `--require <this file>` to the NODE_OPTIONS of the Worker's environment, which Node parses for a
// Worker created with an explicit `env` (on top of the inherited or given execArgv). A Worker
// created with `env: SHARE_ENV` has no environment of its own: there the file is added to its
// `execArgv` when one is given (otherwise it relies on inherited `--require` preloads).

const FORCE = process.env.JITLESS_WASM_FORCE === '1';
const PATCHED = Symbol.for('jitless-wasm.register.Worker');

/** Quotes a path for NODE_OPTIONS (double quotes, `\` escapes). */
function quoteOption(value) {
  return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Whether a NODE_OPTIONS string already preloads this file. */
function preloadsThisFile(nodeOptions) {
  return typeof nodeOptions === 'string' && nodeOptions.includes(quoteOption(__filename));
}

/** The options for the original Worker constructor with this file preloaded. */
function withPreload(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') return options; // let Worker report the bad argument
  const { SHARE_ENV } = require('node:worker_threads');
  if (options.env === SHARE_ENV) {
    if (!Array.isArray(options.execArgv)) return options;
    return { ...options, execArgv: [...options.execArgv, '--require', __filename] };
  }
  const base = options.env !== undefined && options.env !== null ? options.env : process.env;
  if (typeof base !== 'object') return options; // let Worker report the bad argument
  const env = { ...base };
  if (!preloadsThisFile(env.NODE_OPTIONS)) {
    const previous = typeof env.NODE_OPTIONS === 'string' ? env.NODE_OPTIONS.trim() : '';
    env.NODE_OPTIONS = `${previous ? `${previous} ` : ''}--require ${quoteOption(__filename)}`;
  }
  return { ...options, env };
}

function patchWorker() {
  const workerThreads = require('node:worker_threads');
  const Original = workerThreads.Worker;
  if (typeof Original !== 'function' || Original[PATCHED]) return;
  class Worker extends Original {
    constructor(filename, options) {
      super(filename, withPreload(options));
    }
  }
  Object.defineProperty(Worker, PATCHED, { value: true });
  workerThreads.Worker = Worker;
  // Let `import { Worker } from 'node:worker_threads'` see the wrapper too.
  require('node:module').syncBuiltinESMExports();
}

/** Whether this realm (the main thread or a Worker) got our namespace from this module. */
let installed = false;
if (FORCE || typeof globalThis.WebAssembly === 'undefined') {
  // polyfill.js installs on load (and honours JITLESS_WASM_FORCE itself).
  installed = require('./polyfill.js').WebAssembly === globalThis.WebAssembly;
  if (installed) patchWorker();
  // `node:wasi` is ours too while ours is installed (lib/wasi/hooks.js).
  if (installed) require('./lib/wasi/hooks.js').install();
}

module.exports = { installed, WebAssembly: installed ? globalThis.WebAssembly : undefined };
