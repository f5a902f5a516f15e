// Packages in worker_threads: sql.js, web-tree-sitter and hash-wasm run at the same time in
// Workers that user code starts with default options; under `--jitless --require ./register.js`
// the Workers get jitless-wasm from register and must produce what V8 produces.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('packages in Workers under node --jitless', () => {
  comparePackage('three workloads in concurrent Workers: same digests as V8', 'in-workers.cjs');
});
