'use strict';
// node:wasi's ExperimentalWarning, emitted once per thread when our WASI stands in for Node's
// (under jitless-wasm/register): when `node:wasi` is loaded, or, where an `import` cannot be
// seen (see hooks.js), when the first WASI is constructed.

let emitted = false;
let onConstruct = false;

/** Emits the warning unless it was emitted already. */
function warnOnce() {
  if (emitted) return;
  emitted = true;
  process.emitWarning('WASI is an experimental feature and might change at any time', 'ExperimentalWarning');
}

module.exports = {
  warnOnce,
  /** From now on, constructing a WASI emits the warning (once). */
  warnOnConstruct() {
    onConstruct = true;
  },
  /** Called by the WASI constructor. */
  constructed() {
    if (onConstruct) warnOnce();
  },
};
