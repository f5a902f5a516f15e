// onnxruntime-web's wasm backend (SIMD, one thread) on ours under `node --jitless` against V8,
// in one run (issue #16: inference within 8× of V8).
//
//   npm run bench:onnx [-- --runs=30 --rounds=3 --node=/path/to/node --json file]
//
// The model is built in JS (benchmark/lib/onnx-model.mjs: two convolutions, pooling, two dense
// layers on a 64×64 RGB input). onnxruntime-web (the version below) is installed from the npm
// registry into ~/.cache/jitless-wasm/ on first use, not into this project. Each round starts one
// child per engine (interleaved): it creates the session and runs the model --runs times; the
// steady time is the median of the second half of the runs (V8 has tiered up by then). Both
// engines' outputs must agree (to 1e-4, relative).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ORT_VERSION = '1.31.1';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNNER = path.join(ROOT, 'benchmark', 'lib', 'onnx-run.mjs');

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const a = argv.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};
const runs = Math.max(2, Number(opt('runs', 30)));
const rounds = Math.max(1, Number(opt('rounds', 3)));
const node = opt('node', process.execPath);
const jsonOut = opt('json', null);

/** The directory onnxruntime-web is installed in, installing it first when missing. */
function install() {
  const dir = path.join(os.homedir(), '.cache', 'jitless-wasm', `onnxruntime-web-${ORT_VERSION}`);
  if (fs.existsSync(path.join(dir, 'node_modules', 'onnxruntime-web', 'package.json'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"ort-bench","private":true}\n');
  console.error(`installing onnxruntime-web@${ORT_VERSION} into ${dir}`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', `onnxruntime-web@${ORT_VERSION}`], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm install onnxruntime-web@${ORT_VERSION} failed`);
  return dir;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const ENGINES = {
  v8: { label: "V8 (Node's WebAssembly)", flags: [] },
  ours: { label: 'ours under --jitless', flags: ['--jitless', '--require', path.join(ROOT, 'register.js')] },
};

function child(engine, dir) {
  const r = spawnSync(node, [...ENGINES[engine].flags, RUNNER, dir, String(runs)], { encoding: 'utf8', timeout: 30 * 60_000 });
  const last = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${engine}: exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}

const dir = install();
const results = { v8: [], ours: [] };
for (let round = 0; round < rounds; round++) {
  for (const engine of Object.keys(ENGINES)) {
    const r = child(engine, dir);
    const steady = median(r.times_ms.slice(Math.floor(r.times_ms.length / 2)));
    results[engine].push({ ...r, steady_ms: steady, first_ms: r.times_ms[0] });
    console.error(`round ${round + 1} ${engine.padEnd(4)} create ${r.create_ms.toFixed(0)} ms, first ${r.times_ms[0].toFixed(1)} ms, steady ${steady.toFixed(2)} ms`);
  }
}

// The outputs must agree: same model, same input, IEEE arithmetic (relaxed SIMD aside).
const ref = results.v8[0].y;
for (const engine of Object.keys(results)) {
  for (const r of results[engine]) {
    const worst = Math.max(...r.y.map((v, i) => Math.abs(v - ref[i]) / Math.max(1e-6, Math.abs(ref[i]))));
    if (!(worst <= 1e-4)) {
      console.error(`OUTPUT MISMATCH: ${engine} gives [${r.y.slice(0, 4)}…], V8 [${ref.slice(0, 4)}…]`);
      process.exitCode = 1;
    }
  }
}

const m = (engine, key) => median(results[engine].map((r) => r[key]));
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const ratio = (key) => m('ours', key) / m('v8', key);
console.log(`\n## onnxruntime-web ${ORT_VERSION}, wasm backend (SIMD, 1 thread): node ${spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim()}, ${rounds} rounds × ${runs} inferences, medians (ms)\n`);
console.log('| | session create | first inference | steady inference |');
console.log('|---|--:|--:|--:|');
for (const engine of Object.keys(ENGINES)) {
  console.log(`| ${ENGINES[engine].label} | ${fmt(m(engine, 'create_ms'))} | ${fmt(m(engine, 'first_ms'))} | ${fmt(m(engine, 'steady_ms'))} |`);
}
console.log(`| ours / V8 | ${ratio('create_ms').toFixed(2)}× | ${ratio('first_ms').toFixed(2)}× | ${ratio('steady_ms').toFixed(2)}× |`);
const met = ratio('steady_ms') <= 8;
console.log(`\nIssue #16 target, steady inference within 8× of V8: ${met ? 'met' : 'NOT met'} (${ratio('steady_ms').toFixed(2)}×)`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ort: ORT_VERSION, runs, rounds, results }, null, 1));
