// Child-process entry for benchmark/bench.mjs (runs one task, prints one JSON line):
//   node [--jitless] [--expose-gc] benchmark/worker.mjs '<task json>'
// task: { task: 'kernel', engine, name, n, runs, budgetMs }
//     | { task: 'boundary', engine, N, runs }
//     | { task: 'compile', engine, file, runs }
//     | { task: 'memory', engine, file }
//     | { task: 'gc-kernel', engine, name, n, runs, budgetMs }   (a WasmGC kernel: timeKernel
//       plus this process's peak RSS; { unsupported } while the engine's validate says no)
//     | { task: 'serve-kernel', engine, name }   (prints {"ready":true}, then answers every
//       stdin line `n` with one timed run(n): {"checksum":"...","ms":...} or {"error":"..."})
//     | { task: 'serve-coremark', engine }   (the same for CoreMark; answers also carry "score")
// engine: 'ours' (../index.js) or 'v8' (globalThis.WebAssembly).
import fs from 'node:fs';
import readline from 'node:readline';
import {
  loadOurs, kernelWasmPath, timeKernel, boundarySuite, compileSuite, memoryProbe,
  BOUNDARY_WAT, firstLine, watToWasm,
} from './lib/harness.mjs';
import { coremarkInstance } from './lib/coremark.mjs';

function main() {
  const task = JSON.parse(process.argv[2]);
  let WA;
  if (task.engine === 'v8') {
    if (typeof WebAssembly !== 'object') return { error: 'globalThis.WebAssembly is not available' };
    WA = WebAssembly;
  } else {
    const ours = loadOurs();
    if (ours.error) return { error: ours.error };
    WA = ours.ns;
  }
  switch (task.task) {
    case 'kernel': {
      const bytes = fs.readFileSync(kernelWasmPath(task.name));
      return timeKernel(WA, bytes, task.n, task.runs, task.budgetMs ?? Infinity);
    }
    case 'boundary': {
      return boundarySuite(WA, watToWasm(BOUNDARY_WAT), { N: task.N, runs: task.runs });
    }
    case 'compile':
      return compileSuite(WA, fs.readFileSync(task.file), task.runs);
    case 'memory':
      return memoryProbe(WA, fs.readFileSync(task.file));
    case 'gc-kernel':
      return gcKernel(WA, fs.readFileSync(kernelWasmPath(task.name)), task);
    case 'serve-kernel':
      return serveKernel(WA, fs.readFileSync(kernelWasmPath(task.name)));
    case 'serve-coremark':
      return serveCoremark(WA);
    default:
      return { error: `unknown task ${task.task}` };
  }
}

// A WasmGC kernel with this process's peak RSS (kB, from getrusage) before and after it ran.
function gcKernel(WA, bytes, task) {
  const base_rss_kb = process.resourceUsage().maxRSS;
  if (!WA.validate(bytes)) {
    let why = 'validate() is false';
    try {
      new WA.Module(bytes);
    } catch (e) {
      why = firstLine(e);
    }
    return { unsupported: why, base_rss_kb };
  }
  const r = timeKernel(WA, bytes, task.n, task.runs, task.budgetMs ?? Infinity);
  return { ...r, base_rss_kb, max_rss_kb: process.resourceUsage().maxRSS };
}

const SERVING = Symbol('serving');
const say = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

function serveKernel(WA, bytes) {
  let run;
  try {
    run = new WA.Instance(new WA.Module(bytes), {}).exports.run;
  } catch (e) {
    return { error: `instantiate: ${firstLine(e)}` };
  }
  return serve((n) => {
    const t = process.hrtime.bigint();
    const v = run(n);
    return { checksum: String(v), ms: Number(process.hrtime.bigint() - t) / 1e6 };
  });
}

function serveCoremark(WA) {
  let cm;
  try {
    cm = coremarkInstance(WA);
  } catch (e) {
    return { error: `instantiate: ${firstLine(e)}` };
  }
  return serve((n) => cm.run(n));
}

// Prints {"ready":true}, then answers every stdin line `n` with timedRun(n) (or an error).
function serve(timedRun) {
  say({ ready: true });
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const n = Number(line.trim());
    if (!line.trim()) return;
    try {
      say(timedRun(n));
    } catch (e) {
      say({ error: firstLine(e) });
    }
  });
  return SERVING;
}

let result;
try {
  result = main();
} catch (e) {
  result = { error: firstLine(e) };
}
if (result !== SERVING) say(result);
