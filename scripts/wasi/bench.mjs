// WASI-heavy workloads on Node's node:wasi over V8 and on jitless-wasm/wasi under `node
// --jitless`, each in child processes, in the same run (fixtures/wasi/bench.c):
//   - "fd_write/fd_read": N small unbuffered writes to a file (one fd_write each), then reading
//     it back 16 bytes per fd_read;
//   - "directory walk": a recursive walk of a tree of width^2 directories with width files each
//     (path_open, fd_readdir, path_filestat_get per entry, fd_close).
// Three times per workload and engine, best of --runs: the whole process (wall: start-up, compile
// and the run), and the run alone (`wasi.start()`, best of --repeat in one process) as wall and
// as CPU time (user + system: steadier on a loaded machine). The ratio is ours / V8; the outputs
// of both must be the same.
//   node scripts/wasi/bench.mjs [--writes N] [--tree-width N] [--runs N] [--repeat N]
// `measureWasi()` is what benchmark/bench.mjs prints as its WASI table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNNER = path.join(ROOT, 'scripts', 'wasi', 'bench-run.mjs');
const WASM = path.join(ROOT, '__test__', 'fixtures', 'wasi', 'bench.wasm');

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

/** One child process of `impl` on a fresh sandbox: { wallMs, startMs, startCpuMs, out }. */
function once(impl, writes, width, repeat) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-bench-'));
  try {
    makeTree(path.join(root, 'tree'), width);
    const options = { args: ['bench', String(writes)], preopens: { '/sandbox': root } };
    const flags = impl === 'ours' ? ['--jitless'] : [];
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--no-warnings', ...flags, RUNNER, impl, WASM, JSON.stringify(options), String(repeat)], {
      encoding: 'utf8',
      env,
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${impl} failed (${r.status}): ${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    const [, startMs, startCpuMs] = lines.pop().split(' ').map(Number);
    return { wallMs, startMs, startCpuMs, out: lines[0] };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Measures both workloads on both engines, alternating. Returns rows of
 * { workload, node: { wallMs, startMs, startCpuMs }, ours: { … }, out }.
 */
export function measureWasi({ writes = 20000, treeWidth = 10, runs = 3, repeat = 3 } = {}) {
  const workloads = [
    { workload: `fd_write/fd_read (${writes} writes, 16-byte reads)`, writes, width: 1 },
    { workload: `directory walk (${treeWidth ** 3} files, ${treeWidth ** 2 + treeWidth} dirs)`, writes: 0, width: treeWidth },
  ];
  return workloads.map(({ workload, writes: n, width }) => {
    const best = {};
    for (let i = 0; i < runs; i++) {
      for (const impl of ['node', 'ours']) {
        const r = once(impl, n, width, repeat);
        const b = best[impl];
        if (!b) best[impl] = r;
        else {
          b.wallMs = Math.min(b.wallMs, r.wallMs);
          b.startMs = Math.min(b.startMs, r.startMs);
          b.startCpuMs = Math.min(b.startCpuMs, r.startCpuMs);
        }
      }
    }
    if (best.node.out !== best.ours.out) throw new Error(`outputs differ:\n${best.node.out}\n${best.ours.out}`);
    return { workload, node: best.node, ours: best.ours, out: best.ours.out };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      writes: { type: 'string', default: '20000' },
      'tree-width': { type: 'string', default: '10' },
      runs: { type: 'string', default: '3' },
      repeat: { type: 'string', default: '3' },
    },
  });
  const rows = measureWasi({
    writes: Number(values.writes),
    treeWidth: Number(values['tree-width']),
    runs: Number(values.runs),
    repeat: Number(values.repeat),
  });
  for (const { workload, node, ours, out } of rows) {
    console.log(`${workload}: ${out}`);
    console.log(`  whole process  node:wasi (V8) ${node.wallMs.toFixed(0)} ms, ours (--jitless) ${ours.wallMs.toFixed(0)} ms: ${(ours.wallMs / node.wallMs).toFixed(2)}x`);
    console.log(`  wasi.start()   node:wasi (V8) ${node.startMs.toFixed(1)} ms, ours (--jitless) ${ours.startMs.toFixed(1)} ms: ${(ours.startMs / node.startMs).toFixed(2)}x`);
    console.log(`  its CPU time   node:wasi (V8) ${node.startCpuMs.toFixed(1)} ms, ours (--jitless) ${ours.startCpuMs.toFixed(1)} ms: ${(ours.startCpuMs / node.startCpuMs).toFixed(2)}x`);
  }
}
