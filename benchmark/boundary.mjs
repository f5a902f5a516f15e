// Boundary costs of jitless-wasm vs V8's own WebAssembly (when present):
//   node benchmark/boundary.mjs            (JIT on; compares with V8)
//   node --jitless benchmark/boundary.mjs  (ours only)
// Prints ns per operation (median of 5 runs). With `--cpu`, the process's CPU time
// (`process.cpuUsage()`, user + system) instead of the wall clock: steadier on a shared machine,
// where other processes take the CPU away in the middle of a run.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ours = require('../index.js');
const { wat2wasm } = require('../wat.js');

const bytes = wat2wasm(`(module
  (import "js" "f" (func $f (param i32) (result i32)))
  (import "js" "nop" (func $nop))
  (memory (export "mem") 1)
  (global (export "g") (mut i32) (i32.const 0))
  (table (export "tbl") 2 funcref)
  (elem (i32.const 0) $add $f)
  (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "nop") )
  (func (export "getf") (result funcref) (ref.func $add))
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "addf") (param f64 f64) (result f64) local.get 0 local.get 1 f64.add)
  ;; calls the JS import n times
  (func (export "callImport") (param $n i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (drop (call $f (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "callNop") (param $n i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $nop)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
  (func (export "loop") (param $n i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))))`);

const cpuClock = process.argv.includes('--cpu');
/** Nanoseconds on the chosen clock. */
function now() {
  if (!cpuClock) return Number(process.hrtime.bigint());
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function time(fn, n) {
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t = now();
    fn(n);
    runs.push((now() - t) / n);
  }
  runs.sort((a, b) => a - b);
  return runs[2];
}

function suite(WA) {
  const e = new WA.Instance(new WA.Module(bytes), { js: { f: (x) => x, nop: () => {} } }).exports;
  const { add, nop, add64, addf, mem, g, tbl } = e;
  const N = 300_000;
  // Warm up.
  for (let i = 0; i < 50_000; i++) add(i, 1);
  const loopNs = time((n) => e.loop(n), N * 10);
  return {
    'add(i32,i32) call': time((n) => { let s = 0; for (let i = 0; i < n; i++) s += add(i, 1); return s; }, N),
    'nop() call': time((n) => { for (let i = 0; i < n; i++) nop(); }, N),
    'add64(i64,i64) call': time((n) => { let s = 0n; for (let i = 0; i < n; i++) s = add64(s, 1n); return s; }, N),
    'addf(f64,f64) call': time((n) => { let s = 0; for (let i = 0; i < n; i++) s = addf(s, 0.5); return s; }, N),
    'wasm→JS import call (i32→i32)': time((n) => e.callImport(n), N) - loopNs,
    'wasm→JS import call (nop)': time((n) => e.callNop(n), N) - loopNs,
    'Memory.prototype.buffer': time((n) => { let s = 0; for (let i = 0; i < n; i++) s += mem.buffer.byteLength; return s; }, N),
    'Global.prototype.value get': time((n) => { let s = 0; for (let i = 0; i < n; i++) s += g.value; return s; }, N),
    'Table.prototype.get': time((n) => { for (let i = 0; i < n; i++) tbl.get(0); }, N),
    // The Exported Function identity lookup: of a wasm function, and of a JS import.
    'funcref result (same function)': time((n) => { for (let i = 0; i < n; i++) e.getf(); }, N),
    'Table.prototype.get (JS import)': time((n) => { for (let i = 0; i < n; i++) tbl.get(1); }, N),
    '(wasm loop iteration)': loopNs,
  };
}

const results = { 'jitless-wasm': suite(ours) };
if (typeof WebAssembly === 'object') results['V8'] = suite(WebAssembly);
const rows = Object.keys(results['jitless-wasm']);
const cols = Object.keys(results);
console.log(['node', process.version, ...process.execArgv, ...(cpuClock ? ['(CPU time)'] : [])].join(' '));
console.log(['ns/op'.padEnd(34), ...cols.map((c) => c.padStart(14))].join(''));
for (const r of rows) {
  console.log([r.padEnd(34), ...cols.map((c) => results[c][r].toFixed(1).padStart(14))].join(''));
}
