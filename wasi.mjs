// `import { WASI } from 'jitless-wasm/wasi'`: node:wasi's WASI class over jitless-wasm.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WASI } = require('./wasi.js');

export { WASI };
export default { WASI };
