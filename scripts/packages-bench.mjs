#!/usr/bin/env node
// Times the real-package workloads of __test__/packages/ on three configurations, in the same run:
//   v8        `node <workload>`                                     (V8's WebAssembly and JS JIT)
//   jitless   `node --jitless --require ./register.js <workload>`   (ours; no JIT anywhere)
//   ours+JIT  `JITLESS_WASM_FORCE=1 node --require ./register.js`   (our wasm, V8's JS JIT)
// Each configuration runs --runs times (default 3; the median wall-clock time of the whole child
// process, startup included, is reported) and the output digests must agree. Prints a Markdown
// table (and --json for machine-readable results).
//
//   node scripts/packages-bench.mjs [--runs 3] [--only sql.js,wabt] [--no-ours-jit] [--json]
//
// Needs the devDependencies installed (`npm install`) and the addon built (`npm run build`).

import { runWorkload } from '../__test__/helpers/run-workload.mjs';

const WORKLOADS = [
  { name: 'sql.js', script: 'sql.js.cjs' },
  { name: 'hash-wasm', script: 'hash-wasm.mjs' },
  { name: 'web-tree-sitter', script: 'web-tree-sitter.mjs' },
  { name: 'brotli-wasm', script: 'brotli-wasm.cjs' },
  { name: 'wabt', script: 'wabt.cjs' },
  { name: 'fetch (undici)', script: 'fetch.mjs' },
  { name: 'tiktoken', script: 'tiktoken.cjs' },
  { name: 'yoga-layout', script: 'yoga-layout.mjs' },
  { name: 'esbuild-wasm', script: 'esbuild-wasm.cjs' },
  { name: '@automerge/automerge', script: 'automerge.cjs' },
  { name: 'meshoptimizer', script: 'meshoptimizer.mjs' },
  { name: '3 packages in Workers', script: 'in-workers.cjs' },
];

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const runs = Math.max(1, Number(option('--runs', '3')));
const only = option('--only', '')
  .split(',')
  .filter(Boolean);
const engines = flag('--no-ours-jit') ? ['v8', 'ours'] : ['v8', 'ours', 'ours-jit'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = (ms) => (ms / 1000).toFixed(2);

const results = [];
for (const w of WORKLOADS) {
  if (only.length && !only.includes(w.name) && !only.includes(w.script)) continue;
  const row = { name: w.name, script: w.script, times: {}, digests: {}, ok: true };
  // Interleave the configurations so that machine noise affects them alike.
  for (let i = 0; i < runs; i++) {
    for (const engine of engines) {
      const r = await runWorkload(w.script, { engine, timeoutMs: 600_000 });
      if (r.code !== 0) {
        row.ok = false;
        row.error = `${engine} exited with ${r.code}: ${r.stderr.slice(-500)}`;
      }
      (row.times[engine] ||= []).push(r.ms);
      (row.digests[engine] ||= new Set()).add(r.digest);
    }
  }
  const all = new Set(engines.flatMap((e) => [...row.digests[e]]));
  row.sameOutput = all.size === 1;
  row.median = Object.fromEntries(engines.map((e) => [e, median(row.times[e])]));
  results.push(row);
  process.stderr.write(`${w.name}: ${engines.map((e) => `${e} ${seconds(row.median[e])} s`).join(', ')}` +
    `${row.sameOutput ? '' : ' — OUTPUTS DIFFER'}${row.ok ? '' : ` — FAILED: ${row.error}`}\n`);
}

if (flag('--json')) {
  process.stdout.write(JSON.stringify(results.map((r) => ({ ...r, digests: Object.fromEntries(Object.entries(r.digests).map(([k, v]) => [k, [...v]])) })), null, 2) + '\n');
} else {
  const header = ['workload', 'V8 (JIT)', 'ours, --jitless', 'ratio'];
  if (engines.includes('ours-jit')) header.push('ours + JS JIT', 'ratio');
  header.push('same output');
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of results) {
    const cells = [r.name, `${seconds(r.median.v8)} s`, `${seconds(r.median.ours)} s`, `${(r.median.ours / r.median.v8).toFixed(1)}×`];
    if (engines.includes('ours-jit')) cells.push(`${seconds(r.median['ours-jit'])} s`, `${(r.median['ours-jit'] / r.median.v8).toFixed(1)}×`);
    cells.push(r.ok && r.sameOutput ? 'yes' : r.ok ? '**no**' : '**failed**');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  process.stdout.write(`Median of ${runs} run(s), wall clock of the whole process (Node ${process.version}).\n\n${lines.join('\n')}\n`);
}
process.exitCode = results.every((r) => r.ok && r.sameOutput) ? 0 : 1;
