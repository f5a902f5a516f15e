// @ts-check
// The form of the issue, in a JavaScript file checked by TypeScript (checkJs):
// `const WA: typeof WebAssembly = require('jitless-wasm')`.
/** @type {typeof WebAssembly} */
const WA = require('jitless-wasm');

/** @type {WebAssembly.Memory} */
const memory = new (require('jitless-wasm').Memory)({ initial: 1 });

module.exports = { WA, memory };
