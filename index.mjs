// jitless-wasm as an ES module: `import WebAssembly from 'jitless-wasm'` gives the namespace;
// the operations and interfaces are also named exports. Members the feature profile lacks (JSTag,
// JSPI's Suspending/promising/SuspendError before Node 24) are undefined named exports.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebAssembly = require('./index.js');

export default WebAssembly;
export const {
  validate,
  compile,
  instantiate,
  compileStreaming,
  instantiateStreaming,
  Module,
  Instance,
  Memory,
  Table,
  Global,
  Tag,
  Exception,
  CompileError,
  LinkError,
  RuntimeError,
  JSTag,
  Suspending,
  promising,
  SuspendError,
} = WebAssembly;
