// The cost of jitless-wasm/limits (issue #15) as instruction counts, which machine load does
// not disturb: each benchmark kernel (at --quick size / DIV) under `valgrind --tool=cachegrind`
// with the core's kernel_bench example, plain and in each limits mode (JITLESS_LIMITS).
//   cargo build --release -p jitless-wasm-core --examples
//   node scripts/probes/limits-icount.mjs [--div=2] [--jobs=2] [--filter=a,b]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KERNELS } from '../../benchmark/kernels/index.mjs';

const run = promisify(execFile);
const args = process.argv.slice(2);
const div = Number(args.find((a) => a.startsWith('--div='))?.slice(6) ?? 2);
const jobs = Number(args.find((a) => a.startsWith('--jobs='))?.slice(7) ?? 2);
const filter = args.find((a) => a.startsWith('--filter='))?.slice(9).split(',');
const root = new URL('../../', import.meta.url).pathname;
const MODES = ['plain', 'none', 'fuel', 'deadline', 'interrupt', 'deterministic'];

async function icount(kernel, n, mode) {
  const env = { ...process.env };
  if (mode !== 'plain') env.JITLESS_LIMITS = mode;
  const { stderr } = await run(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', `${root}target/release/examples/kernel_bench`, `${root}benchmark/kernels/${kernel}.wat`, String(n), '1'],
    { env, maxBuffer: 1 << 24 },
  );
  const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  return Number(m[1].replace(/,/g, ''));
}

const tasks = [];
for (const k of KERNELS) {
  if (filter && !filter.some((f) => k.name.includes(f))) continue;
  for (const mode of MODES) tasks.push({ k, mode });
}
const results = new Map();
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < tasks.length) {
      const { k, mode } = tasks[next++];
      const n = Math.max(1, Math.round(k.quickN / div));
      results.set(`${k.name}/${mode}`, await icount(k.name, n, mode));
      process.stderr.write(`${k.name} ${mode} done\n`);
    }
  }),
);
const names = [...new Set(tasks.map((t) => t.k.name))];
console.log(`| kernel | plain instructions | ${MODES.slice(1).map((m) => `${m} ×`).join(' | ')} |`);
console.log(`|---|---:|${MODES.slice(1).map(() => '---:').join('|')}|`);
const ratios = MODES.slice(1).map(() => []);
for (const name of names) {
  const base = results.get(`${name}/plain`);
  const row = MODES.slice(1).map((m, j) => {
    const r = results.get(`${name}/${m}`) / base;
    ratios[j].push(r);
    return r.toFixed(3);
  });
  console.log(`| ${name} | ${base.toLocaleString('en-US')} | ${row.join(' | ')} |`);
}
const geo = ratios.map((rs) => Math.exp(rs.reduce((s, r) => s + Math.log(r), 0) / rs.length).toFixed(3));
console.log(`| geomean | | ${geo.join(' | ')} |`);
