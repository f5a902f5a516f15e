// JSPI costs: ours vs V8 (https://github.com/WebAssembly/js-promise-integration).
//
//   node benchmark/jspi.mjs [--node=/path/to/node] [--runs=5] [--n=20000] [--stacks=10000] [--json file]
//
// Runs three children with the given Node binary (default: this one): V8's own WebAssembly (when
// that Node has JSPI: Node 24+), ours with the JIT (JS glue compiled), and ours under
// `--jitless` (the configuration jitless-wasm exists for). Each measures:
// - round trip: one suspend/resume of a promising function at a Suspending import whose value
//   is already there (a wasm loop awaiting it N times), ns per round trip, median of the runs;
// - sync import call: the same loop with a plain import (the boundary cost without JSPI);
// - memory per suspended stack: `--stacks` promising calls suspended at once, each 10 wasm frames
//   deep, on promises that settle only later: the growth of RSS and of V8's heap (after GC)
//   divided by the number of stacks.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const a = argv.find((s) => s.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};

/** A function `name(n)` summing `callee(i)` for i in 0..n. */
const loop = (name, callee) => `(func (export "${name}") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (call ${callee} (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))`;

const WAT = `(module
  (import "m" "await" (func $await (param i32) (result i32)))
  (import "m" "sync" (func $sync (param i32) (result i32)))
  (func $deep (param $d i32) (param $x i32) (result i32)
    (if (result i32) (local.get $d)
      (then (i32.add (i32.const 1) (call $deep (i32.sub (local.get $d) (i32.const 1)) (local.get $x))))
      (else (call $await (local.get $x)))))
${loop('awaitLoop', '$await')}
${loop('syncLoop', '$sync')}
  (func (export "deep") (param $x i32) (result i32) (call $deep (i32.const 10) (local.get $x))))`;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function child(impl) {
  const { setFlagsFromString } = require('node:v8');
  const { runInNewContext } = require('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const WA = impl === 'v8' ? globalThis.WebAssembly : require('../index.js');
  const J = typeof WA.Suspending === 'function' ? WA : require('../lib/jspi.js');
  const bytes = require('../wat.js').wat2wasm(WAT);
  const runs = Number(opt('runs', 5));
  const n = Number(opt('n', 20000));
  const stacks = Number(opt('stacks', 10000));
  let mode = 'value';
  let pending = [];
  const awaitFn = (x) => (mode === 'value' ? x : new Promise((r) => pending.push(() => r(x))));
  const e = new WA.Instance(new WA.Module(bytes), { m: { await: new J.Suspending(awaitFn), sync: (x) => x } }).exports;
  const awaitLoop = J.promising(e.awaitLoop);
  const deep = J.promising(e.deep);
  // Round trips.
  await awaitLoop(100);
  const rt = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    await awaitLoop(n);
    rt.push(Number(process.hrtime.bigint() - t) / n);
  }
  e.syncLoop(100);
  const sync = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    e.syncLoop(n);
    sync.push(Number(process.hrtime.bigint() - t) / n);
  }
  // Memory per suspended stack.
  mode = 'later';
  const measure = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed + m.external };
  };
  const warm = deep(0);
  pending.splice(0).forEach((f) => f());
  await warm;
  const before = measure();
  const ps = [];
  for (let i = 0; i < stacks; i++) ps.push(deep(i));
  const during = measure();
  pending.splice(0).forEach((f) => f());
  const sum = (await Promise.all(ps)).reduce((a, b) => a + b, 0);
  if (sum !== (stacks * (stacks - 1)) / 2 + stacks * 10) throw new Error(`wrong sum ${sum}`);
  return {
    roundTripNs: Math.round(median(rt)),
    syncImportNs: Math.round(median(sync)),
    rssPerStack: Math.round((during.rss - before.rss) / stacks),
    heapPerStack: Math.round((during.heap - before.heap) / stacks),
  };
}

function parent() {
  const node = opt('node', process.execPath);
  const self = fileURLToPath(import.meta.url);
  const pass = argv.filter((a) => !a.startsWith('--node=') && !a.startsWith('--json'));
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const rows = [];
  for (const [label, flags, impl] of [
    ['V8', [], 'v8'],
    ['ours (JIT on)', [], 'ours'],
    ['ours --jitless', ['--jitless'], 'ours'],
  ]) {
    const r = spawnSync(node, [...flags, self, '--child', `--impl=${impl}`, ...pass], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop();
    let data;
    try {
      data = JSON.parse(line);
    } catch {
      data = { error: (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' ') };
    }
    rows.push({ engine: label, ...data });
  }
  console.log(`JSPI on ${version} (${node})`);
  console.table(rows);
  const json = argv.indexOf('--json');
  if (json >= 0) writeFileSync(argv[json + 1], JSON.stringify({ node: version, rows }, null, 1));
}

if (argv.includes('--child')) {
  const impl = opt('impl', 'ours');
  if (impl === 'v8' && (typeof globalThis.WebAssembly !== 'object' || typeof WebAssembly.Suspending !== 'function')) {
    console.log(JSON.stringify({ skipped: 'this Node has no JSPI in V8' }));
  } else {
    console.log(JSON.stringify(await child(impl)));
  }
} else {
  parent();
}
