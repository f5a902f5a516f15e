// `node --import jitless-wasm/register app.mjs`: the ES-module form of register.js (installs
// jitless-wasm as `globalThis.WebAssembly` when the engine has none, or when
// JITLESS_WASM_FORCE=1, and makes worker_threads Workers preload it as well).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { installed, WebAssembly } = require('./register.js');

export { installed, WebAssembly };
