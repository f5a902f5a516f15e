// z3-solver 5.2.0 (the Z3 SMT solver, Emscripten pthreads build: `init()` starts a Worker pool
// and posts `{wasmModule, wasmMemory}` (a WebAssembly.Module and a shared WebAssembly.Memory) to
// each Worker; `solver.check()` runs on one of them, over the shared memory): integer,
// bit-vector and real problems, an unsatisfiable set and a 4x4 Sudoku — same results and
// models under `--jitless` (our namespace in every thread, through register.js) as under V8.
import { describe } from 'node:test';
import { comparePackage, unlessInstalled } from './helpers/packages.mjs';

describe('z3-solver under node --jitless', () => {
  comparePackage('SMT problems on the pthread pool: same results as V8', 'z3-solver.cjs', {
    skip: unlessInstalled('z3-solver'),
  });
});
