'use strict';
// Workload for z3-solver (Emscripten pthreads build: the main thread posts
// `{wasmModule, wasmMemory}` to its Workers, which instantiate the module over the shared memory;
// `solver.check()` runs on one of them). Solves a few small problems (linear integer arithmetic,
// bit-vectors, reals, an unsatisfiable set, a 4x4 Sudoku) and prints the results and models; the
// test compares the sha256 of this output with a native run.
const { init } = require('z3-solver');

async function main() {
  const { Context, em } = await init();
  const Z3 = Context('main');
  const out = (...a) => console.log(...a);

  // Linear integer arithmetic.
  {
    const x = Z3.Int.const('x');
    const y = Z3.Int.const('y');
    const s = new Z3.Solver();
    s.add(x.add(y).eq(10), x.sub(y).eq(4), x.gt(0));
    out('lia', await s.check(), s.model().eval(x).toString(), s.model().eval(y).toString());
  }
  // Bit-vectors: a 32-bit x with x * 0x9E3779B1 == 0x12345678 (mod 2^32) and x even.
  {
    const x = Z3.BitVec.const('x', 32);
    const s = new Z3.Solver();
    const bv = (v) => Z3.BitVec.val(v, 32);
    s.add(x.mul(bv(0x9e3779b1)).eq(bv(0x12345678)), x.and(bv(1)).eq(bv(0)));
    const r = await s.check();
    out('bv', r, r === 'sat' ? s.model().eval(x).toString() : '');
  }
  // Reals.
  {
    const a = Z3.Real.const('a');
    const b = Z3.Real.const('b');
    const s = new Z3.Solver();
    s.add(a.mul(3).add(b.mul(2)).eq(7), a.sub(b).eq(Z3.Real.val('1/2')));
    out('real', await s.check(), s.model().eval(a).toString(), s.model().eval(b).toString());
  }
  // Unsatisfiable.
  {
    const p = Z3.Int.const('p');
    const s = new Z3.Solver();
    s.add(p.gt(5), p.lt(3));
    out('unsat', await s.check());
  }
  // A 4x4 Sudoku (digits 1..4; rows, columns and 2x2 boxes distinct).
  {
    const givens = [
      [1, 0, 0, 0],
      [0, 0, 3, 0],
      [0, 4, 0, 0],
      [0, 0, 0, 2],
    ];
    const cell = givens.map((row, r) => row.map((_, c) => Z3.Int.const(`c${r}${c}`)));
    const s = new Z3.Solver();
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        s.add(cell[r][c].ge(1), cell[r][c].le(4));
        if (givens[r][c]) s.add(cell[r][c].eq(givens[r][c]));
      }
      s.add(Z3.Distinct(...cell[r]));
      s.add(Z3.Distinct(...cell.map((row) => row[r])));
    }
    for (const [r0, c0] of [[0, 0], [0, 2], [2, 0], [2, 2]]) {
      s.add(Z3.Distinct(cell[r0][c0], cell[r0][c0 + 1], cell[r0 + 1][c0], cell[r0 + 1][c0 + 1]));
    }
    out('sudoku', await s.check());
    const m = s.model();
    for (const row of cell) out(row.map((v) => m.eval(v).toString()).join(' '));
  }
  em.PThread.terminateAllThreads();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
