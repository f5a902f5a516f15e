#!/usr/bin/env node
// Determinism check for jitless-wasm/limits (issue #15): random modules (the differential
// fuzzer's wasm-smith plans) run in a `deterministic: true` namespace on two builds/runtimes
// (by default `node` and `node --jitless`; `--other <node binary>` for another Node, e.g. 22)
// and their traces are compared exactly, memory bytes included (`--dump`): results, NaN bits
// seen through reinterpretation and memory, traps, host calls. Also counts, per module, whether
// the plain namespace's trace differs (it may: NaN payloads), which shows the mode mattered.
//
// Usage: node scripts/fuzz/deterministic.mjs --seed N [--count M] [--other /path/to/node]
// Exits 1 if two deterministic traces differ.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runResumable } from './child.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const RUN_PLAN = join(here, 'run-plan.mjs');
const GEN = join(root, 'target/debug/jitless-wasm-fuzz-gen');

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const seed = Number(opt('--seed', 1));
const count = Number(opt('--count', 200));
const other = opt('--other', undefined);

const plan = JSON.parse(
  execFileSync(GEN, ['--seed', String(seed), '--from', '0', '--count', String(count)], { maxBuffer: 1 << 30, encoding: 'utf8' }),
);
const dir = mkdtempSync(join(tmpdir(), 'jw-det-'));
const file = join(dir, 'plan.json');
writeFileSync(file, JSON.stringify(plan));
const ids = plan.modules.map((m) => m.index);
const run = (impl, nodeFlags, env) =>
  runResumable({ nodeFlags, script: RUN_PLAN, args: (from) => [impl, file, '--from', String(from), '--dump'], ids, timeoutMs: 30000, env });

const runs = await Promise.all([
  run('ours-deterministic', []),
  other ? runOn(other) : run('ours-deterministic', ['--jitless']),
  run('ours', ['--jitless']),
]);
rmSync(dir, { recursive: true, force: true });

/** The same, with another node binary. */
function runOn(node) {
  return new Promise((resolvePromise, reject) => {
    try {
      const out = execFileSync(node, [RUN_PLAN, 'ours-deterministic', file, '--dump'], { maxBuffer: 1 << 30, encoding: 'utf8' });
      const m = new Map();
      for (const line of out.split('\n')) {
        if (!line.startsWith('{"index"')) continue;
        const r = JSON.parse(line);
        m.set(r.index, r);
      }
      resolvePromise(m);
    } catch (e) {
      reject(e);
    }
  });
}

const strip = (r) => (r && r.trace ? JSON.stringify(r.trace) : JSON.stringify(r));
let same = 0;
let differ = 0;
let plainDiffers = 0;
let crashes = 0;
for (const id of ids) {
  const [a, b, p] = runs.map((m) => m.get(id));
  if (!a?.trace || !b?.trace) {
    crashes++;
    const what = (r) => JSON.stringify(r && (r.trace ? 'trace' : r)).slice(0, 160);
    console.log(`module ${id}: no trace: ${what(a)} / ${what(b)} (plain: ${what(p)})`);
  }
  if (strip(a) === strip(b)) same++;
  else {
    differ++;
    console.log(`module ${id}: deterministic traces differ`);
  }
  if (strip(a) !== strip(p)) plainDiffers++;
}
console.log(JSON.stringify({ seed, modules: ids.length, identical: same, differ, plainDiffers, crashesOrTimeouts: crashes }));
process.exitCode = differ ? 1 : 0;
