// Measurement code shared by benchmark/bench.mjs (in-process) and benchmark/worker.mjs (child
// processes, e.g. under `node --jitless` or `--expose-gc`). Everything takes the WebAssembly
// namespace to measure as a parameter: `globalThis.WebAssembly` (V8) or ours (../../index.js).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KERNEL_DIR = path.join(ROOT, 'benchmark', 'kernels');
export const OUT_DIR = path.join(ROOT, 'target', 'bench');

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function geomean(xs) {
  const v = xs.filter((x) => Number.isFinite(x) && x > 0);
  if (!v.length) return NaN;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

/** Our WebAssembly namespace, or { error } when the binding is missing or does not work. */
export function loadOurs() {
  let W;
  try {
    W = require(path.join(ROOT, 'index.js'));
  } catch (e) {
    return { error: `cannot load ../index.js (${firstLine(e)}); build it with: npm run build` };
  }
  try {
    const { wat2wasm } = require(path.join(ROOT, 'wat.js'));
    const bytes = wat2wasm('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
    const r = new W.Instance(new W.Module(bytes)).exports.add(2, 3);
    if (r !== 5) return { error: `smoke test: add(2, 3) returned ${r}` };
  } catch (e) {
    return { error: `smoke test failed: ${firstLine(e)}` };
  }
  return { ns: W };
}

export function firstLine(e) {
  const s = e && e.message !== undefined ? `${e.name ?? 'Error'}: ${e.message}` : String(e);
  return s.split('\n')[0].slice(0, 160);
}

export const WASMI_BIN = path.join(
  process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target'),
  'release', process.platform === 'win32' ? 'bench-wasmi.exe' : 'bench-wasmi');

/**
 * WAT text to binary: with our wat.js when the binding loads, else with the wasmi runner's
 * `wat2wasm` mode (so V8 and wasmi can be measured while the binding is not built).
 */
export function watToWasm(text, label = 'module') {
  let first;
  try {
    const { wat2wasm } = require(path.join(ROOT, 'wat.js'));
    return wat2wasm(text);
  } catch (e) {
    first = e;
  }
  if (!fs.existsSync(WASMI_BIN)) throw new Error(`cannot convert ${label} to binary: ${firstLine(first)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.wat'), text);
    const r = spawnSync(WASMI_BIN, ['wat2wasm', path.join(dir, 'in.wat'), path.join(dir, 'out.wasm')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${label}: ${(r.stderr || '').trim()}`);
    return new Uint8Array(fs.readFileSync(path.join(dir, 'out.wasm')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The kernel's binary (compiled from WAT once, cached under target/bench/kernels/). */
export function kernelWasmPath(name) {
  const wat = path.join(KERNEL_DIR, `${name}.wat`);
  const out = path.join(OUT_DIR, 'kernels', `${name}.wasm`);
  const fresh = fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(wat).mtimeMs;
  if (!fresh) {
    const bytes = watToWasm(fs.readFileSync(wat, 'utf8'), `${name}.wat`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.tmp${process.pid}`, bytes);
    fs.renameSync(`${out}.tmp${process.pid}`, out);
  }
  return out;
}

/**
 * Compiles and instantiates once, then times `runs` calls of run(n). Stops early (after at least
 * one run) once `budgetMs` is spent. Returns { checksum, times_ms, compile_ms } or { error }.
 */
export function timeKernel(WA, bytes, n, runs, budgetMs = Infinity) {
  let stage = 'compile';
  try {
    let t = now();
    const module = new WA.Module(bytes);
    const compileMs = now() - t;
    stage = 'instantiate';
    const instance = new WA.Instance(module, {});
    const run = instance.exports.run;
    const times = [];
    let checksum;
    let spent = 0;
    stage = 'run';
    for (let r = 0; r < runs; r++) {
      t = now();
      const v = run(n);
      const dt = now() - t;
      times.push(dt);
      spent += dt;
      const s = String(v);
      if (checksum === undefined) checksum = s;
      else if (s !== checksum) return { error: `result changed between runs: ${checksum} then ${s}`, times_ms: times };
      if (spent > budgetMs) break;
    }
    return { checksum, times_ms: times, compile_ms: compileMs };
  } catch (e) {
    return { error: `${stage}: ${firstLine(e)}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Boundary microbenchmarks

export const BOUNDARY_WAT = `(module
  (import "js" "f" (func $f (param i32) (result i32)))
  (memory (export "mem") 1)
  (global (export "g") (mut i32) (i32.const 7))
  (table (export "tbl") 1 funcref)
  (elem (i32.const 0) $add)
  (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "nop"))
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "addf") (param f64 f64) (result f64) local.get 0 local.get 1 f64.add)
  ;; calls the JS import n times, summing the results
  (func (export "callImport") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (call $f (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  ;; the same loop without the call
  (func (export "emptyLoop") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s)))`;

export const BOUNDARY_CASES = [
  { key: 'export_add', label: 'JS → export add(i32,i32)', target: 70 },
  { key: 'export_nop', label: 'JS → export nop()' },
  { key: 'export_add64', label: 'JS → export add64(i64,i64) (BigInt)' },
  { key: 'export_addf', label: 'JS → export addf(f64,f64)' },
  { key: 'import_call', label: 'wasm → JS import (i32)→i32', target: 90 },
  { key: 'empty_loop', label: '(wasm loop iteration, subtracted above)' },
  { key: 'memory_buffer', label: 'Memory.prototype.buffer read', target: 10 },
  { key: 'global_value', label: 'Global.prototype.value read' },
  { key: 'table_get', label: 'Table.prototype.get(0)' },
];

/** ns per operation for each BOUNDARY_CASES key (median of `runs` batches of N operations). */
export function boundarySuite(WA, watBytes, { N = 1_000_000, runs = 5 } = {}) {
  let calls = 0;
  const e = new WA.Instance(new WA.Module(watBytes), {
    js: { f: (x) => { calls++; return x; } },
  }).exports;
  const { add, nop, add64, addf, mem, g, tbl } = e;
  const ns = (fn, n) => {
    fn(Math.min(n, 50_000)); // warm-up
    const per = [];
    for (let r = 0; r < runs; r++) {
      const t = process.hrtime.bigint();
      fn(n);
      per.push(Number(process.hrtime.bigint() - t) / n);
    }
    return median(per);
  };
  let sink = 0;
  const out = {};
  out.export_add = ns((n) => { let s = 0; for (let i = 0; i < n; i++) s = add(s, i); sink ^= s; }, N);
  out.export_nop = ns((n) => { for (let i = 0; i < n; i++) nop(); }, N);
  out.export_add64 = ns((n) => { let s = 0n; for (let i = 0; i < n; i++) s = add64(s, 1n); sink ^= Number(s & 1n); }, N >> 2);
  out.export_addf = ns((n) => { let s = 0; for (let i = 0; i < n; i++) s = addf(s, 0.5); sink ^= s; }, N);
  const loopNs = ns((n) => { sink ^= e.emptyLoop(n); }, N * 10);
  out.import_call = ns((n) => { sink ^= e.callImport(n); }, N) - loopNs;
  out.empty_loop = loopNs;
  out.memory_buffer = ns((n) => { let s = 0; for (let i = 0; i < n; i++) s += mem.buffer.byteLength; sink ^= s; }, N);
  out.global_value = ns((n) => { let s = 0; for (let i = 0; i < n; i++) s += g.value; sink ^= s; }, N);
  out.table_get = ns((n) => { let s = 0; for (let i = 0; i < n; i++) s += tbl.get(0) === null ? 0 : 1; sink ^= s; }, N >> 1);
  if (calls === 0) throw new Error('the import was never called');
  out._sink = sink & 1;
  return out;
}

/**
 * `bytes` with a custom section appended that holds `tag`: the same module, but different bytes,
 * so an engine's compiled-module cache (V8 has one keyed by the wire bytes) cannot answer.
 */
export function withNonce(bytes, tag) {
  const name = new TextEncoder().encode('bench-nonce');
  const payload = new TextEncoder().encode(String(tag));
  const size = 1 + name.length + payload.length; // < 128, so every LEB128 here is one byte
  const out = new Uint8Array(bytes.length + 2 + size);
  out.set(bytes, 0);
  let p = bytes.length;
  out[p++] = 0;
  out[p++] = size;
  out[p++] = name.length;
  out.set(name, p);
  out.set(payload, p + name.length);
  return out;
}

/** Times new Module and new Instance of `bytes` (`runs` times; each run gets unique bytes). */
export function compileSuite(WA, bytes, runs = 5) {
  const mod = [];
  const inst = [];
  const salt = `${process.pid}-${Date.now()}`;
  for (let r = 0; r < runs; r++) {
    const unique = withNonce(bytes, `${salt}-${r}`);
    let t = now();
    const m = new WA.Module(unique);
    mod.push(now() - t);
    t = now();
    const i = new WA.Instance(m, {});
    inst.push(now() - t);
    if (!i.exports.memory) throw new Error('instance has no exported memory');
  }
  return { module_ms: mod, instance_ms: inst };
}

/**
 * Memory added by new Module + new Instance of `bytes`, measured in a fresh process started
 * with --expose-gc (RSS and V8 external/ArrayBuffer memory, after a full GC at each point).
 */
export function memoryProbe(WA, bytes) {
  const gc = globalThis.gc ?? (() => {});
  const snap = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, external: m.external + m.arrayBuffers, heap: m.heapUsed };
  };
  const s0 = snap();
  const module = new WA.Module(bytes);
  const s1 = snap();
  const instance = new WA.Instance(module, {});
  const s2 = snap();
  const keep = [module, instance];
  const d = (a, b) => ({ rss: b.rss - a.rss, external: b.external - a.external, heap: b.heap - a.heap });
  return { module: d(s0, s1), instance: d(s1, s2), total: d(s0, s2), kept: keep.length, hasGc: !!globalThis.gc };
}
