// The cost of a WasmGC object reaching JS (issue #13): ToJSValue of a struct, on ours or on V8.
//
//   node [--jitless] benchmark/gc-objects.mjs [--engine=ours|v8] [--runs=5] [--n=100000] [--case=NAME]
//
// Measures, in ns of the process's CPU time per call (steadier than wall time on a busy
// machine; median of the runs, and the fastest run): an export returning an i32 (the call alone);
// an export returning a new struct each call (a new JS object per call: what this bench is
// about); an export returning the same struct (the identity cache hit); passing a struct's JS
// object back to wasm. Ours runs in the "latest" profile (the only one that executes GC), and
// under `--jitless` as jitless-wasm is meant to (V8 has no WebAssembly there: run
// `--engine=v8` without it). `--case=NAME` runs one case only.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const opt = (name, fallback) => argv.find((s) => s.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const engine = opt('engine', 'ours');
const runs = Number(opt('runs', '5'));
const n = Number(opt('n', '100000'));
if (engine !== 'v8') require('../lib/profile.js').setProfile('latest');
const WA = engine === 'v8' ? globalThis.WebAssembly : require('../index.js');
const { wat2wasm } = require('../wat.js');

const bytes = wat2wasm(`(module
  (type $s (struct (field i32)))
  (global $kept (ref $s) (struct.new $s (i32.const 7)))
  (func (export "int") (param i32) (result i32) (local.get 0))
  (func (export "fresh") (param i32) (result (ref $s)) (struct.new $s (local.get 0)))
  (func (export "same") (param i32) (result (ref $s)) (global.get $kept))
  (func (export "get") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))`);
const x = new WA.Instance(new WA.Module(bytes)).exports;

/** `[median, fastest]` ns per call of `f`, called `n` times per run, over `runs` runs. */
function measure(f) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) f(i);
    const { user, system } = process.cpuUsage(t);
    times.push(((user + system) * 1000) / n);
  }
  times.sort((a, b) => a - b);
  return [Math.round(times[runs >> 1]), Math.round(times[0])];
}

const kept = x.same(0);
const cases = {
  'i32 result': x.int,
  'new struct result': x.fresh,
  'same struct result': x.same,
  'struct argument': () => x.get(kept),
};
const only = opt('case', undefined);
const row = { engine, jitless: process.execArgv.includes('--jitless'), node: process.versions.node };
for (const [name, f] of Object.entries(cases)) if (only === undefined || only === name) row[name] = measure(f);
console.log(JSON.stringify(row));
