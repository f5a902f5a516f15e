// The cost of jitless-wasm/limits (issue #15) on the benchmark kernels, in one process and one
// run: each kernel on the plain namespace and on limited namespaces with no limits, with fuel,
// with a deadline, with an interrupt flag, and deterministic; runs interleaved round-robin
// (so machine noise hits every mode alike), median per mode, ratios to the plain namespace.
//   node benchmark/limits.mjs [--quick] [--runs=N] [--filter=a,b]
// Targets: fuel ≤ 1.15×, deadline/interrupt ≤ 1.03×, no limits = 1.00×.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { KERNELS } from './kernels/index.mjs';
import { kernelWasmPath, median, geomean } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const plain = require('../index.js');
const { createWebAssembly } = require('../limits.js');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? (quick ? 3 : 5));
const filter = args.find((a) => a.startsWith('--filter='))?.slice(9).split(',');

const FUEL = 1n << 62n;
const modes = {
  plain: () => plain,
  'no limits': () => createWebAssembly({}),
  fuel: () => createWebAssembly({ fuel: FUEL }),
  deadline: () => createWebAssembly({ deadline: 1e9 }),
  interrupt: () => createWebAssembly({ interrupt: new Int32Array(new SharedArrayBuffer(4)) }),
  deterministic: () => createWebAssembly({ deterministic: true }),
};
const names = Object.keys(modes);

const rows = [];
for (const k of KERNELS) {
  if (filter && !filter.some((f) => k.name.includes(f))) continue;
  const n = quick ? k.quickN : k.n;
  const bytes = fs.readFileSync(kernelWasmPath(k.name));
  const runners = names.map((m) => {
    const ns = modes[m]();
    return new ns.Instance(new ns.Module(bytes), {}).exports.run;
  });
  const times = names.map(() => []);
  const sums = names.map(() => new Set());
  // One warm-up round, then `runs` interleaved rounds.
  for (let r = -1; r < runs; r++) {
    runners.forEach((run, i) => {
      const t = process.hrtime.bigint();
      const v = run(n);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r >= 0) times[i].push(ms);
      sums[i].add(String(v));
    });
  }
  const med = times.map(median);
  const agree = new Set(sums.flatMap((s) => [...s])).size === 1;
  rows.push({ name: k.name, med, agree });
  process.stderr.write(`${k.name}: ${med.map((m, i) => `${names[i]} ${m.toFixed(1)}`).join(', ')}${agree ? '' : ' CHECKSUM MISMATCH'}\n`);
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
console.log(`\n## Limits cost (median of ${runs} interleaved runs; ratio to the plain namespace)\n`);
console.log(`| kernel | plain ms | ${names.slice(1).map((m) => `${m} ×`).join(' | ')} | checksums |`);
console.log(`|---|---:|${names.slice(1).map(() => '---:').join('|')}|---|`);
for (const r of rows) {
  const ratios = r.med.slice(1).map((m) => fmt(m / r.med[0]));
  console.log(`| ${r.name} | ${r.med[0].toFixed(1)} | ${ratios.join(' | ')} | ${r.agree ? 'ok' : 'MISMATCH'} |`);
}
const geo = names.slice(1).map((_, j) => fmt(geomean(rows.map((r) => r.med[j + 1] / r.med[0]))));
console.log(`| geomean | | ${geo.join(' | ')} | |`);
