// `import { createWebAssembly } from 'jitless-wasm/limits'` (see limits.js).
import { createRequire } from 'node:module';

const limits = createRequire(import.meta.url)('./lib/limits.js');

export const createWebAssembly = limits.createWebAssembly;
export default limits;
