// WASI-heavy workload timing: fixtures/wasi/bench.wasm (small fd_write/fd_read calls, a directory
// walk with stat) on Node's node:wasi over V8 and on jitless-wasm/wasi under `node --jitless`,
// each in a child process, best of --runs. Prints the times and the ratio ours / V8.
//   node scripts/wasi/bench.mjs [--writes N] [--runs N] [--tree-width N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNNER = path.join(ROOT, '__test__', 'helpers', 'wasi-run.mjs');
const WASM = path.join(ROOT, '__test__', 'fixtures', 'wasi', 'bench.wasm');
const { values } = parseArgs({
  options: { writes: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' }, 'tree-width': { type: 'string', default: '6' } },
});

/** A tree of width^2 directories with width files each. */
function makeTree(root, width) {
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      const d = path.join(root, `d${i}`, `e${j}`);
      fs.mkdirSync(d, { recursive: true });
      for (let k = 0; k < width; k++) fs.writeFileSync(path.join(d, `f${k}.txt`), 'x'.repeat(k + 1));
    }
  }
}

function once(impl) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-bench-'));
  try {
    makeTree(path.join(root, 'tree'), Number(values['tree-width']));
    const options = { args: ['bench', values.writes], preopens: { '/sandbox': root } };
    const flags = impl === 'ours' ? ['--jitless'] : [];
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--no-warnings', ...flags, RUNNER, impl, WASM, JSON.stringify(options)], {
      encoding: 'utf8',
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${impl} failed: ${r.stderr}`);
    return { ms, out: r.stdout.trim() };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const best = {};
for (let i = 0; i < Number(values.runs); i++) {
  for (const impl of ['node', 'ours']) {
    const r = once(impl);
    if (!best[impl] || r.ms < best[impl].ms) best[impl] = r;
  }
}
if (best.node.out !== best.ours.out) throw new Error(`outputs differ:\n${best.node.out}\n${best.ours.out}`);
console.log(best.ours.out);
console.log(`node:wasi (V8)          ${best.node.ms.toFixed(0)} ms`);
console.log(`jitless-wasm/wasi (--jitless) ${best.ours.ms.toFixed(0)} ms`);
console.log(`ratio ours / V8         ${(best.ours.ms / best.node.ms).toFixed(2)}x`);
