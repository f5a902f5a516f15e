// `import WebAssembly from 'jitless-wasm/latest'`: the namespace (default and named exports, as
// from 'jitless-wasm'), with the process-wide feature profile switched to "latest"
// (WebAssembly 3.0 without GC; see lib/profile.js).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./lib/profile.js').setProfile('latest');

export { default } from './index.mjs';
export * from './index.mjs';
