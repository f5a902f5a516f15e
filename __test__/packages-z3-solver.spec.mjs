// z3-solver 5.2.0 (the Z3 SMT solver, Emscripten pthreads build: `init()` starts a Worker pool
// and posts `{wasmModule, wasmMemory}` (a WebAssembly.Module and a shared WebAssembly.Memory) to
// each Worker; `solver.check()` runs on one of them, over the shared memory): integer,
// bit-vector and real problems, an unsatisfiable set and a 4x4 Sudoku — same results and
// models under `--jitless` (our namespace in every thread, through register.js) as under V8.
import { describe } from 'node:test';
import { createRequire } from 'node:module';
import { comparePackage, ROOT } from './helpers/packages.mjs';

const installed = (() => {
  try {
    createRequire(`${ROOT}package.json`).resolve('z3-solver');
    return true;
  } catch {
    return false;
  }
})();

describe('z3-solver under node --jitless', () => {
  comparePackage('SMT problems on the pthread pool: same results as V8', 'z3-solver.cjs', {
    skip: installed ? false : 'z3-solver is not installed (devDependency)',
  });
});
