// What `import 'node:wasi'` resolves to under jitless-wasm/register when our namespace is
// installed (see hooks.js): node:wasi's exports (WASI, and the module object as default).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasi = require('./node-wasi.js');

export const { WASI } = wasi;
export default wasi;
