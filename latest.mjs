// `import WebAssembly from 'jitless-wasm/latest'`: the namespace (default and named exports, as
// from 'jitless-wasm'), with the process-wide feature profile switched to "latest"
// (WebAssembly 3.0 without GC; see lib/profile.js). The profile is set by the first import, so
// that `index.mjs` reads the namespace's members (JSTag, Suspending, …) under it.
import './lib/latest-profile.mjs';

export { default } from './index.mjs';
export * from './index.mjs';
