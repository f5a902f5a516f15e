// jitless-wasm benchmark suite: our interpreter vs Node's V8 vs wasmi 2.x, in one run.
//
//   npm run bench                       (= node benchmark/bench.mjs)
//   node benchmark/bench.mjs --quick    (small sizes, 3 runs, no --jitless column)
//
// Options:
//   --quick              small kernel sizes (~1/8), 3 runs, smaller boundary loops
//   --filter=a,b         only kernels whose name contains one of the strings
//   --runs=N             timed runs per kernel and engine (median is reported; default 5, quick 3)
//   --json <file>        also write all results (every run's time) as JSON (or --json=<file>)
//   --svg <file>         also write the kernel chart of this run (time relative to V8, log scale)
//   --jitless / --no-jitless   add / drop the "ours under node --jitless" column (default: on
//                        unless --quick)
//   --no-wasmi           skip the wasmi column        --no-kernels / --no-boundary / --no-wasi  skip a section
//   --no-gc              skip the WasmGC table (V8 vs ours, one child process per engine per
//                        kernel with its peak RSS; V8 on Node 22+ when this Node's V8 lacks GC)
//   --wasmtime           add wasmtime's GC (Cranelift and its Pulley interpreter) to the WasmGC
//                        table; with --build, builds crates/bench-wasmtime first (a long build;
//                        on by default when that runner is built)
//   --no-wasmtime        leave wasmtime out of the WasmGC table
//   --no-coremark        skip CoreMark 1.0 (benchmark/coremark/; also runs with --filter=coremark)
//   --coremark-iterations=N   CoreMark iterations per timed run (default 2000, quick 300)
//   --build              build what is missing (npm run build; cargo build --release -p bench-wasmi)
//   --budget=S           stop repeating a kernel on one engine after S seconds (default 60)
//
// Every kernel's checksum must be equal on all engines that ran it; a mismatch or a failure
// (trap, error) is printed loudly, shown as FAIL in the table and makes the exit code 1.
// CoreMark must also validate (its list/matrix/state CRCs) on every engine, on every run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import { KERNELS, GC_KERNELS } from './kernels/index.mjs';
import {
  ROOT, OUT_DIR, median, geomean, loadOurs, kernelWasmPath, boundarySuite,
  compileSuite, BOUNDARY_WAT, BOUNDARY_CASES, firstLine, WASMI_BIN, watToWasm,
} from './lib/harness.mjs';
import { generateBigModule } from './lib/bigmodule.mjs';
import { kernelChart } from './lib/chart.mjs';
import { gcNode, runGcKernel, WASMTIME_BIN, runWasmtimeGcKernel, buildWasmtime, wasmtimeVersion } from './lib/gc.mjs';
import { COREMARK_WASM, coremarkBytes, coremarkInstance, coremarkVerdict } from './lib/coremark.mjs';

const WORKER = path.join(ROOT, 'benchmark', 'worker.mjs');

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = {
    quick: false, filter: null, runs: null, json: null, jitless: null, wasmi: true,
    kernels: true, boundary: true, wasi: true, gc: true, build: false, budget: 60, svg: null,
    coremark: true, coremarkIterations: null, wasmtime: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    switch (k) {
      case '--quick': o.quick = true; break;
      case '--filter': o.filter = (v ?? argv[++i]).split(',').filter(Boolean); break;
      case '--runs': o.runs = Math.max(1, parseInt(v ?? argv[++i], 10)); break;
      case '--json': o.json = v ?? argv[++i]; break;
      case '--svg': o.svg = v ?? argv[++i]; break;
      case '--jitless': o.jitless = true; break;
      case '--no-jitless': o.jitless = false; break;
      case '--no-wasmi': o.wasmi = false; break;
      case '--no-kernels': o.kernels = false; break;
      case '--no-boundary': o.boundary = false; break;
      case '--no-wasi': o.wasi = false; break;
      case '--no-gc': o.gc = false; break;
      case '--wasmtime': o.wasmtime = true; break;
      case '--no-wasmtime': o.wasmtime = false; break;
      case '--no-coremark': o.coremark = false; break;
      case '--coremark-iterations': o.coremarkIterations = Math.max(1, parseInt(v ?? argv[++i], 10)); break;
      case '--build': o.build = true; break;
      case '--budget': o.budget = Number(v ?? argv[++i]); break;
      case '--help': case '-h':
        console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
        process.exit(0);
        break;
      default:
        console.error(`unknown option ${a} (try --help)`);
        process.exit(2);
    }
  }
  o.runs ??= o.quick ? 3 : 5;
  o.jitless ??= !o.quick;
  o.coremarkIterations ??= o.quick ? 300 : 2000;
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (...a) => console.error(...a);

// ---------------------------------------------------------------------------------------------
// Prerequisites

function run(cmd, args) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0;
}

const notes = [];
const haveBinding = fs.readdirSync(ROOT).some((f) => f.endsWith('.node'));
if (!haveBinding) {
  if (opts.build) run('npm', ['run', 'build']);
  else notes.push('the native binding is not built: run `npm run build` (needed for ours and for wat2wasm)');
}

const wasmiBin = WASMI_BIN;
let wasmiOk = false;
if (opts.wasmi) {
  if (!fs.existsSync(wasmiBin) && opts.build) run('cargo', ['build', '--release', '-p', 'bench-wasmi']);
  wasmiOk = fs.existsSync(wasmiBin);
  if (!wasmiOk) notes.push('wasmi runner not built: run `cargo build --release -p bench-wasmi` (or pass --build)');
  else {
    const src = path.join(ROOT, 'crates', 'bench-wasmi', 'src', 'main.rs');
    if (fs.existsSync(src) && fs.statSync(src).mtimeMs > fs.statSync(wasmiBin).mtimeMs) {
      notes.push('bench-wasmi sources are newer than the binary: rebuild with `cargo build --release -p bench-wasmi`');
    }
  }
}

// wasmtime's GC, a second reference for the WasmGC table (issue #13): optional, never built by
// `npm test`; `--wasmtime --build` builds it.
let wasmtimeOk = false;
if (opts.gc && opts.wasmtime !== false) {
  if (!fs.existsSync(WASMTIME_BIN) && opts.wasmtime && opts.build) buildWasmtime(run);
  wasmtimeOk = fs.existsSync(WASMTIME_BIN);
  if (!wasmtimeOk && opts.wasmtime) notes.push('wasmtime runner not built: run `cargo build --release` in crates/bench-wasmtime (or pass --wasmtime --build)');
}

const ours = loadOurs();
const oursOk = !ours.error;
if (!oursOk) notes.push(`ours not measured: ${ours.error}`);

// ---------------------------------------------------------------------------------------------
// Helpers

function child(flags, task, timeoutMs = 15 * 60_000) {
  const r = spawnSync(process.execPath, [...flags, WORKER, JSON.stringify(task)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs,
  });
  const lines = (r.stdout || '').trim().split('\n').filter(Boolean);
  if (r.error) return { error: `worker: ${firstLine(r.error)}` };
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return { error: `worker ${why}: ${firstLine((r.stderr || '').trim().split('\n').pop() || 'no output')}` };
  }
}

function wasmi(args, timeoutMs = 15 * 60_000) {
  const r = spawnSync(wasmiBin, args, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: timeoutMs });
  if (r.error) return { error: `bench-wasmi: ${firstLine(r.error)}` };
  if (r.status !== 0) return { error: firstLine((r.stderr || '').trim() || `exit ${r.status}`) };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { error: `bench-wasmi printed: ${firstLine(r.stdout)}` };
  }
}

// A child process speaking the one-JSON-line-per-request protocol of `bench-wasmi serve` and
// `worker.mjs serve-kernel`.
class LineChild {
  constructor(cmd, args) {
    this.proc = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.waiters = [];
    this.queued = [];
    this.exit = null;
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.proc.stdin.on('error', () => {});
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.queued.push(line);
    });
    const done = (why) => {
      this.exit ??= why;
      for (const w of this.waiters.splice(0)) w(null);
    };
    this.proc.on('error', (e) => done(firstLine(e)));
    this.proc.on('close', (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`));
  }
  why() {
    const last = this.stderr.trim().split('\n').filter((l) => !l.startsWith('Warning: disabling flag')).pop();
    return `${this.exit ?? 'no answer'}${last ? `: ${last.slice(0, 200)}` : ''}`;
  }
  async next(timeoutMs) {
    const line = this.queued.length ? this.queued.shift() : this.exit ? null : await new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(done), 1);
        this.proc.kill('SIGKILL');
        resolve(undefined);
      }, timeoutMs);
      const done = (l) => { clearTimeout(timer); resolve(l); };
      this.waiters.push(done);
    });
    if (line === undefined) return { error: `no answer within ${timeoutMs / 1000} s (killed)` };
    if (line === null) return { error: `process ended (${this.why()})` };
    try {
      return JSON.parse(line);
    } catch {
      return { error: `unexpected output: ${line.slice(0, 200)}` };
    }
  }
  async request(line, timeoutMs) {
    if (this.exit) return { error: `process ended (${this.why()})` };
    this.proc.stdin.write(`${line}\n`);
    return this.next(timeoutMs);
  }
  close() {
    this.proc.stdin.end();
    setTimeout(() => { if (!this.exit) this.proc.kill('SIGKILL'); }, 5000).unref();
  }
}

const RUN_TIMEOUT_MS = 10 * 60_000;

// Engine runners for one kernel: prepare() compiles + instantiates, run(n) times one call.
function inProcessRunner(WA, bytes) {
  let fn;
  return {
    async prepare() {
      try {
        fn = new WA.Instance(new WA.Module(bytes), {}).exports.run;
        return {};
      } catch (e) {
        return { error: `instantiate: ${firstLine(e)}` };
      }
    },
    async run(n) {
      try {
        const t = process.hrtime.bigint();
        const v = fn(n);
        return { checksum: String(v), ms: Number(process.hrtime.bigint() - t) / 1e6 };
      } catch (e) {
        return { error: firstLine(e) };
      }
    },
    close() {},
  };
}

// CoreMark in this process: like inProcessRunner, with the port's imports and its score.
function coremarkRunner(WA) {
  let cm;
  return {
    async prepare() {
      try {
        cm = coremarkInstance(WA, coremarkBytes());
        return {};
      } catch (e) {
        return { error: `instantiate: ${firstLine(e)}` };
      }
    },
    async run(n) {
      try {
        return cm.run(n);
      } catch (e) {
        return { error: firstLine(e) };
      }
    },
    close() {},
  };
}

function childRunner(cmd, args) {
  let c;
  return {
    async prepare() {
      c = new LineChild(cmd, args);
      const r = await c.next(RUN_TIMEOUT_MS);
      return r.ready ? {} : { error: r.error ?? 'no ready line' };
    },
    run: (n) => c.request(String(n), RUN_TIMEOUT_MS),
    close: () => c?.close(),
  };
}

/**
 * Runs every engine `runs` times on kernel `k`, interleaved (round r runs the engines in a
 * rotated order), so that load from other processes hits all engines alike. `validate(checksum)`
 * (optional) returns why a result is wrong, or null: a wrong result fails that engine, untimed.
 * Answers carrying a `score` (CoreMark's own iterations/s) are collected in `scores`.
 */
async function measureKernel(k, file, n, runners, runs, budgetMs, validate = () => null) {
  const names = Object.keys(runners);
  const st = Object.fromEntries(names.map((e) => [e, { times_ms: [], scores: [], spent: 0 }]));
  for (const e of names) {
    const p = await runners[e].prepare();
    if (p.error) st[e].error = p.error;
  }
  for (let r = 0; r < runs; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const e of order) {
      const s = st[e];
      if (s.error || s.spent > budgetMs) continue;
      const res = await runners[e].run(n);
      const invalid = res.error ? null : validate(res.checksum);
      if (res.error || invalid) {
        s.error = `run ${r + 1}: ${res.error ?? `${invalid} (result ${res.checksum})`}`;
        continue;
      }
      s.times_ms.push(res.ms);
      if (Number.isFinite(res.score)) s.scores.push(res.score);
      s.spent += res.ms;
      if (s.checksum === undefined) s.checksum = res.checksum;
      else if (s.checksum !== res.checksum) s.error = `result changed between runs: ${s.checksum} then ${res.checksum}`;
    }
  }
  for (const e of names) runners[e].close();
  const out = {};
  for (const e of names) {
    const { spent, scores, ...rest } = st[e];
    out[e] = scores.length ? { ...rest, scores } : rest;
    log(`  ${e.padEnd(12)} ${rest.error ? `ERROR ${rest.error}` : `${fmtMs(median(rest.times_ms))} ms  ${rest.checksum}`}`);
  }
  return out;
}

const fmtMs = (x) => (!Number.isFinite(x) ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtX = (x) => (!Number.isFinite(x) ? '' : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const fmtNs = (x) => (!Number.isFinite(x) ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmtMB = (b) => (!Number.isFinite(b) ? '' : `${(b / 1048576).toFixed(1)}`);

// A Markdown table, padded so that it also reads well in a terminal.
function table(headers, rows) {
  const right = (i) => i > 0;
  const w = headers.map((h, i) => Math.max(3, String(h).length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => `| ${cells.map((c, i) => (right(i) ? String(c ?? '').padStart(w[i]) : String(c ?? '').padEnd(w[i]))).join(' | ')} |`;
  const sep = `|${w.map((n, i) => (right(i) ? `${'-'.repeat(n + 1)}:` : '-'.repeat(n + 2))).join('|')}|`;
  return [line(headers), sep, ...rows.map(line)].join('\n');
}

const failures = []; // [label, reason]
function failCell(who, kernel, reason) {
  failures.push([`${who} on ${kernel}`, reason]);
  return `FAIL#${failures.length}`;
}

// ---------------------------------------------------------------------------------------------
// Header

const results = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadavgStart: os.loadavg(),
  options: { ...opts },
  notes,
  kernels: [],
};
let exitCode = 0;

console.log(`jitless-wasm benchmarks — node ${process.version}, ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ` +
  `load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}${opts.quick ? ', --quick' : ''}, ${opts.runs} runs (median)`);
for (const n of notes) console.log(`NOTE: ${n}`);

// ---------------------------------------------------------------------------------------------
// Kernels

const selectedKernels = KERNELS.filter((k) => !opts.filter || opts.filter.some((f) => k.name.includes(f)));
const coremarkSelected = opts.coremark && (!opts.filter || opts.filter.some((f) => 'coremark'.includes(f)));
if (opts.kernels && !selectedKernels.length && !coremarkSelected) {
  console.log(`no kernel matches --filter=${opts.filter.join(',')}`);
  process.exit(2);
}
if (opts.kernels && selectedKernels.length) {
  const selected = selectedKernels;
  const budgetMs = opts.budget * 1000;
  const rows = [];
  for (const k of selected) {
    const n = opts.quick ? k.quickN : k.n;
    let file;
    try {
      file = kernelWasmPath(k.name);
    } catch (e) {
      console.log(`!!! ${k.name}: cannot compile the WAT: ${firstLine(e)}`);
      exitCode = 1;
      continue;
    }
    const bytes = fs.readFileSync(file);
    const rec = { name: k.name, n, what: k.what };
    log(`[${k.name}] n=${n}`);
    const runners = {};
    if (typeof WebAssembly === 'object') runners.v8 = inProcessRunner(WebAssembly, bytes);
    if (oursOk) runners.ours = inProcessRunner(ours.ns, bytes);
    if (oursOk && opts.jitless) {
      runners.ours_jitless = childRunner(process.execPath, ['--jitless', WORKER, JSON.stringify({ task: 'serve-kernel', engine: 'ours', name: k.name })]);
    }
    if (wasmiOk) runners.wasmi = childRunner(wasmiBin, ['serve', file]);
    Object.assign(rec, await measureKernel(k, file, n, runners, opts.runs, budgetMs));
    // Checksums: all engines that produced one must agree.
    const engines = ['v8', 'wasmi', 'ours', 'ours_jitless'].filter((e) => rec[e]);
    const sums = engines.filter((e) => !rec[e].error).map((e) => [e, rec[e].checksum]);
    const distinct = new Set(sums.map(([, s]) => s));
    rec.checksumsAgree = distinct.size <= 1;
    if (!rec.checksumsAgree) {
      exitCode = 1;
      console.log(`\n!!! CHECKSUM MISMATCH on ${k.name} (n=${n}): ${sums.map(([e, s]) => `${e}=${s}`).join('  ')}\n`);
      // The reference result is V8's (the production engine; check-kernels.mjs verifies the
      // kernels against independent JavaScript implementations), else wasmi's.
      const refEngine = ['v8', 'wasmi'].find((e) => rec[e] && !rec[e].error);
      const ref = rec[refEngine].checksum;
      for (const [e, s] of sums) {
        if (s !== ref) rec[e].mismatch = `checksum ${s}, expected ${ref} (${refEngine === 'v8' ? 'V8' : 'wasmi'})`;
      }
    }
    for (const e of engines) if (rec[e].error) exitCode = 1;
    rec.median = Object.fromEntries(engines.map((e) => [e, rec[e].error || rec[e].mismatch ? NaN : median(rec[e].times_ms)]));
    results.kernels.push(rec);

    const cell = (e) => {
      if (!rec[e]) return 'n/a';
      if (rec[e].error) return failCell(e, k.name, rec[e].error);
      if (rec[e].mismatch) return failCell(e, k.name, rec[e].mismatch);
      return fmtMs(rec.median[e]);
    };
    const m = new Proxy(rec.median, { get: (o, key) => o[key] ?? NaN });
    const row = [k.name, n.toLocaleString('en-US'), cell('v8'), cell('wasmi'), cell('ours')];
    if (opts.jitless) row.push(cell('ours_jitless'));
    row.push(fmtX(m.ours / m.v8), fmtX(m.ours / m.wasmi), fmtX(m.wasmi / m.v8), rec.checksumsAgree ? 'ok' : 'MISMATCH');
    rows.push(row);
  }
  // Geomeans over the kernels where both sides of a ratio have a number: the scalar kernels
  // (the main figure, comparable with earlier runs) and the SIMD kernels, each with its own row.
  const geoOf = (recs) => {
    const gm = (a, b) => geomean(recs.map((r) => r.median?.[a] / r.median?.[b]));
    const gmAbs = (a) => geomean(recs.map((r) => r.median?.[a]));
    const countOk = (e) => recs.filter((r) => Number.isFinite(r.median?.[e])).length;
    return {
      v8_ms: gmAbs('v8'), wasmi_ms: gmAbs('wasmi'), ours_ms: gmAbs('ours'), ours_jitless_ms: gmAbs('ours_jitless'),
      ours_over_v8: gm('ours', 'v8'), ours_over_wasmi: gm('ours', 'wasmi'), wasmi_over_v8: gm('wasmi', 'v8'),
      ours_jitless_over_wasmi: gm('ours_jitless', 'wasmi'),
      ours_kernels_ok: countOk('ours'), kernels: recs.length,
    };
  };
  const isSimd = (r) => KERNELS.find((k) => k.name === r.name)?.simd === true;
  const groups = [['geomean', results.kernels.filter((r) => !isSimd(r)), 'geomean'], ['geomean (SIMD)', results.kernels.filter(isSimd), 'geomeanSimd']];
  for (const [label, recs, key] of groups) {
    if (!recs.length) continue;
    const geo = geoOf(recs);
    results[key] = geo;
    const geoRow = [label, '', fmtMs(geo.v8_ms), fmtMs(geo.wasmi_ms), fmtMs(geo.ours_ms)];
    if (opts.jitless) geoRow.push(fmtMs(geo.ours_jitless_ms));
    geoRow.push(fmtX(geo.ours_over_v8), fmtX(geo.ours_over_wasmi), fmtX(geo.wasmi_over_v8), '');
    rows.push(geoRow);
  }
  const geo = results.geomean ?? results.geomeanSimd;

  const headers = ['kernel', 'n', 'V8 ms', 'wasmi ms', 'ours ms'];
  if (opts.jitless) headers.push('ours --jitless ms');
  headers.push('ours/V8', 'ours/wasmi', 'wasmi/V8', 'checksum');
  console.log(`\n## Kernels (median of ${opts.runs} runs, ms; lower is better)\n`);
  console.log(table(headers, rows));
  for (const g of [results.geomean, results.geomeanSimd]) {
    if (oursOk && g && g.ours_kernels_ok < g.kernels) {
      console.log(`(ours geomeans over the ${g.ours_kernels_ok} of ${g.kernels} kernels it passed)`);
    }
  }
  if (opts.svg) {
    fs.mkdirSync(path.dirname(path.resolve(opts.svg)), { recursive: true });
    const title = `Kernel time relative to V8 (log scale, lower is better): node ${process.version}, ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}`;
    fs.writeFileSync(opts.svg, kernelChart(results.kernels, { title }));
    console.log(`\nkernel chart written to ${opts.svg}`);
  }
}

// ---------------------------------------------------------------------------------------------
// WasmGC (#13): V8 vs ours, each engine in its own child process per kernel (peak RSS)

if (opts.gc) {
  const selected = GC_KERNELS.filter((k) => !opts.filter || opts.filter.some((f) => k.name.includes(f)));
  const gn = gcNode();
  if (selected.length && gn.error) {
    console.log(`\n## WasmGC\n\nnot measured: ${gn.error}`);
  } else if (selected.length) {
    const engines = [['v8', []], ['ours', []]];
    if (opts.jitless) engines.push(['ours_jitless', ['--jitless']]);
    const rows = [];
    results.gc = { node: gn.version, kernels: [] };
    for (const k of selected) {
      const n = opts.quick ? k.quickN : k.n;
      log(`[${k.name}] n=${n} (node ${gn.version})`);
      const rec = { name: k.name, n, what: k.what };
      for (const [e, flags] of engines) {
        if (e !== 'v8' && !oursOk) continue;
        rec[e] = runGcKernel(gn.node, flags, e === 'v8' ? 'v8' : 'ours', k.name, n, opts.runs, opts.budget * 1000);
        const r = rec[e];
        log(`  ${e.padEnd(12)} ${r.error ? `ERROR ${r.error}` : r.unsupported ? `not supported: ${r.unsupported}` : `${fmtMs(median(r.times_ms))} ms  ${r.checksum}  peak RSS ${fmtMB(r.max_rss_kb * 1024)} MB`}`);
      }
      if (wasmtimeOk) {
        for (const [e, pulley] of [['wasmtime', false], ['pulley', true]]) {
          rec[e] = runWasmtimeGcKernel(k.name, n, opts.runs, opts.budget * 1000, pulley);
          const r = rec[e];
          log(`  ${e.padEnd(12)} ${r.error ? `ERROR ${r.error}` : `${fmtMs(median(r.times_ms))} ms  ${r.checksum}  peak RSS ${fmtMB(r.max_rss_kb * 1024)} MB`}`);
        }
      }
      const ran = ['v8', 'ours', 'ours_jitless', 'wasmtime', 'pulley'].filter((e) => rec[e] && !rec[e].error && !rec[e].unsupported);
      const sums = new Set(ran.map((e) => rec[e].checksum));
      if (sums.size > 1) {
        exitCode = 1;
        console.log(`\n!!! CHECKSUM MISMATCH on ${k.name} (n=${n}): ${ran.map((e) => `${e}=${rec[e].checksum}`).join('  ')}\n`);
        for (const e of ran) if (e !== 'v8' && rec[e].checksum !== rec.v8?.checksum) rec[e].mismatch = `checksum ${rec[e].checksum}, expected ${rec.v8?.checksum} (V8)`;
      }
      const ms = (e) => (ran.includes(e) && !rec[e].mismatch ? median(rec[e].times_ms) : NaN);
      const rss = (e) => (ran.includes(e) && !rec[e].mismatch ? rec[e].max_rss_kb * 1024 : NaN);
      const cell = (e, f, fmt) => {
        const r = rec[e];
        if (!r) return 'n/a';
        if (r.unsupported) return 'GC not supported yet';
        if (r.error) { exitCode = 1; return failCell(e.replace('_', ' --'), k.name, r.error); }
        if (r.mismatch) { return failCell(e.replace('_', ' --'), k.name, r.mismatch); }
        return fmt(f(e));
      };
      rec.median = { v8: ms('v8'), ours: ms('ours'), ours_jitless: ms('ours_jitless'), wasmtime: ms('wasmtime'), pulley: ms('pulley') };
      rec.peak_rss_bytes = { v8: rss('v8'), ours: rss('ours'), ours_jitless: rss('ours_jitless'), wasmtime: rss('wasmtime'), pulley: rss('pulley') };
      const row = [k.name, n, cell('v8', ms, fmtMs), cell('ours', ms, fmtMs)];
      if (opts.jitless) row.push(cell('ours_jitless', ms, fmtMs));
      if (wasmtimeOk) row.push(cell('wasmtime', ms, fmtMs), cell('pulley', ms, fmtMs));
      row.push(fmtX(ms('ours') / ms('v8')));
      if (wasmtimeOk) row.push(fmtX(ms('ours') / ms('wasmtime')), fmtX(ms('ours') / ms('pulley')));
      row.push(fmtMB(rss('v8')), fmtMB(rss('ours')));
      if (opts.jitless) row.push(fmtMB(rss('ours_jitless')));
      if (wasmtimeOk) row.push(fmtMB(rss('wasmtime')), fmtMB(rss('pulley')));
      row.push(fmtX(rss('ours') / rss('v8')), rec.v8?.checksum ?? '');
      rows.push(row);
      results.gc.kernels.push(rec);
    }
    const headers = ['GC kernel', 'n', 'V8 ms', 'ours ms'];
    if (opts.jitless) headers.push('ours --jitless ms');
    if (wasmtimeOk) headers.push('wasmtime ms', 'Pulley ms');
    headers.push('ours/V8');
    if (wasmtimeOk) headers.push('ours/wasmtime', 'ours/Pulley');
    headers.push('V8 peak RSS MB', 'ours peak RSS MB');
    if (opts.jitless) headers.push('ours --jitless peak RSS MB');
    if (wasmtimeOk) headers.push('wasmtime peak RSS MB', 'Pulley peak RSS MB');
    headers.push('RSS ours/V8', 'checksum');
    const wt = wasmtimeOk ? `; wasmtime ${wasmtimeVersion()} with its DRC collector, compiled by Cranelift or run by Pulley, its interpreter` : '';
    console.log(`\n## WasmGC kernels (median of ${opts.runs} runs, ms; a child process per engine per kernel, all on node ${gn.version}${wt})\n`);
    console.log(table(headers, rows));
  }
}

// ---------------------------------------------------------------------------------------------
// CoreMark 1.0 (issue #16: ours ≥ 2× wasmi 2.0's iterations per second)

if (coremarkSelected) {
  const n = opts.coremarkIterations;
  log(`[coremark] ${n} iterations per run`);
  const runners = {};
  if (typeof WebAssembly === 'object') runners.v8 = coremarkRunner(WebAssembly);
  if (oursOk) runners.ours = coremarkRunner(ours.ns);
  if (oursOk && opts.jitless) {
    runners.ours_jitless = childRunner(process.execPath, ['--jitless', WORKER, JSON.stringify({ task: 'serve-coremark', engine: 'ours' })]);
  }
  if (wasmiOk) runners.wasmi = childRunner(wasmiBin, ['serve', COREMARK_WASM]);
  const rec = { n, ...(await measureKernel({ name: 'coremark' }, COREMARK_WASM, n, runners, opts.runs, opts.budget * 1000, coremarkVerdict)) };
  const engines = ['v8', 'wasmi', 'ours', 'ours_jitless'].filter((e) => rec[e]);
  const sums = engines.filter((e) => !rec[e].error).map((e) => [e, rec[e].checksum]);
  rec.checksumsAgree = new Set(sums.map(([, s]) => s)).size <= 1;
  if (!rec.checksumsAgree) {
    exitCode = 1;
    failures.push(['CoreMark', `crcfinal differs between engines: ${sums.map(([e, s]) => `${e}=${s}`).join('  ')}`]);
  }
  // iterations per second: host timing (median run) and CoreMark's own clock (median score)
  rec.ips = {};
  rec.score = {};
  const labels = { v8: 'V8', wasmi: 'wasmi 2', ours: 'ours', ours_jitless: 'ours --jitless' };
  const rows = [];
  for (const e of engines) {
    const r = rec[e];
    const bad = r.error ?? (rec.checksumsAgree ? null : 'crcfinal differs between engines');
    if (r.error) exitCode = 1;
    rec.ips[e] = bad ? NaN : n / (median(r.times_ms) / 1000);
    rec.score[e] = bad ? NaN : median(r.scores ?? []);
    const cell = (x) => (bad ? failCell(e, 'CoreMark', bad) : x.toFixed(0));
    rows.push([labels[e], cell(rec.ips[e]), bad ? '' : rec.score[e].toFixed(0), bad ? '' : `0x${Number(r.checksum).toString(16).padStart(4, '0')}`]);
  }
  const ratio = (a, b, key = 'ips') => rec[key][a] / rec[key][b];
  rec.ratios = {
    ours_over_wasmi: ratio('ours', 'wasmi'), ours_jitless_over_wasmi: ratio('ours_jitless', 'wasmi'),
    ours_over_v8: ratio('ours', 'v8'), ours_jitless_over_v8: ratio('ours_jitless', 'v8'), wasmi_over_v8: ratio('wasmi', 'v8'),
    score_ours_over_wasmi: ratio('ours', 'wasmi', 'score'), score_ours_jitless_over_wasmi: ratio('ours_jitless', 'wasmi', 'score'),
    score_ours_over_v8: ratio('ours', 'v8', 'score'),
  };
  console.log(`\n## CoreMark 1.0 (${n.toLocaleString('en-US')} iterations per run, median of ${opts.runs} interleaved runs; higher is better)\n`);
  console.log(table(['engine', 'iterations/s', 'CoreMark score (its clock)', 'crcfinal'], rows));
  const q = rec.ratios;
  console.log(`\nours/wasmi ${fmtX(q.ours_over_wasmi)} (score ${fmtX(q.score_ours_over_wasmi)})` +
    (opts.jitless ? `, ours --jitless/wasmi ${fmtX(q.ours_jitless_over_wasmi)} (score ${fmtX(q.score_ours_jitless_over_wasmi)})` : '') +
    `, ours/V8 ${fmtX(q.ours_over_v8)}` + (opts.jitless ? `, ours --jitless/V8 ${fmtX(q.ours_jitless_over_v8)}` : '') +
    `, wasmi/V8 ${fmtX(q.wasmi_over_v8)} (iterations/s ratios; CRCs validated by CoreMark on every run; short runs are not official CoreMark scores)`);
  results.coremark = rec;
}

// ---------------------------------------------------------------------------------------------
// Boundary

if (opts.boundary) {
  const N = opts.quick ? 200_000 : 1_000_000;
  const bRuns = 5;
  const b = { N };
  log('[boundary] calls');
  const guard = (f) => { try { return f(); } catch (e) { return { error: firstLine(e) }; } };
  const watBytes = watToWasm(BOUNDARY_WAT, 'the boundary module');
  if (typeof WebAssembly === 'object') b.v8 = guard(() => boundarySuite(WebAssembly, watBytes, { N, runs: bRuns }));
  if (oursOk) {
    b.ours = guard(() => boundarySuite(ours.ns, watBytes, { N, runs: bRuns }));
    if (opts.jitless) b.ours_jitless = child(['--jitless'], { task: 'boundary', engine: 'ours', N, runs: bRuns });
  }
  const cols = ['v8', 'ours'].concat(opts.jitless ? ['ours_jitless'] : []);
  for (const c of cols) {
    if (b[c]?.error) { exitCode = 1; console.log(`\n!!! boundary benchmark failed on ${c}: ${b[c].error}`); }
  }
  const v = (c, key) => (b[c] && !b[c].error ? b[c][key] : NaN);
  const cellNs = (c, key) => (!b[c] ? 'n/a' : b[c].error ? 'FAIL' : fmtNs(b[c][key]));
  const rows = BOUNDARY_CASES.map((c) => {
    const row = [c.label, cellNs('v8', c.key), cellNs('ours', c.key)];
    if (opts.jitless) row.push(cellNs('ours_jitless', c.key));
    row.push(fmtX(v('ours', c.key) / v('v8', c.key)), c.target ? `≤ ${c.target}` : '');
    return row;
  });

  // Compile + instantiate a generated multi-megabyte module.
  log('[boundary] generating the big module');
  const big = generateBigModule({ codeBytes: opts.quick ? 5 << 20 : 8 << 20, dataBytes: 1 << 20 });
  const bigFile = path.join(OUT_DIR, opts.quick ? 'big-module-quick.wasm' : 'big-module.wasm');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(bigFile, big.bytes);
  b.bigModule = big.stats;
  const cRuns = opts.quick ? 3 : 5;
  log(`[boundary] new Module + new Instance of ${fmtMB(big.stats.bytes)} MB`);
  if (typeof WebAssembly === 'object') b.compile_v8 = guard(() => compileSuite(WebAssembly, big.bytes, cRuns));
  if (oursOk) b.compile_ours = guard(() => compileSuite(ours.ns, big.bytes, cRuns));
  if (oursOk && opts.jitless) b.compile_ours_jitless = child(['--jitless'], { task: 'compile', engine: 'ours', file: bigFile, runs: cRuns });
  if (wasmiOk) b.compile_wasmi = wasmi(['compile', bigFile, String(cRuns)]);
  // Memory, each in a fresh process with --expose-gc.
  b.memory_v8 = child(['--expose-gc'], { task: 'memory', engine: 'v8', file: bigFile });
  if (oursOk) b.memory_ours = child(['--expose-gc'], { task: 'memory', engine: 'ours', file: bigFile });
  for (const c of ['compile_v8', 'compile_ours', 'compile_ours_jitless', 'compile_wasmi', 'memory_v8', 'memory_ours']) {
    if (b[c]?.error) { exitCode = 1; console.log(`\n!!! ${c.replace('_', ' ')} failed: ${b[c].error}`); }
  }
  const ok = (x) => x && !x.error;
  const modMs = (x) => (ok(x) ? median(x.module_ms) : NaN);
  const instMs = (x) => (ok(x) ? median(x.instance_ms) : NaN);
  const mb = `${fmtMB(big.stats.bytes)} MB`;
  const cellMs = (x, f) => (!x ? 'n/a' : x.error ? 'FAIL' : fmtMs(f(x)));
  const compileRow = [`new Module (${mb}, ${big.stats.functions} functions), ms`, cellMs(b.compile_v8, modMs), cellMs(b.compile_ours, modMs)];
  const instRow = ['new Instance of it, ms', cellMs(b.compile_v8, instMs), cellMs(b.compile_ours, instMs)];
  if (opts.jitless) {
    compileRow.push(cellMs(b.compile_ours_jitless, modMs));
    instRow.push(cellMs(b.compile_ours_jitless, instMs));
  }
  compileRow.push(fmtX(modMs(b.compile_ours) / modMs(b.compile_v8)), '≤ 2× V8');
  instRow.push(fmtX(instMs(b.compile_ours) / instMs(b.compile_v8)), '');
  rows.push(compileRow, instRow);

  const limit = 2 * (big.stats.codeSectionBytes + big.stats.dataSectionBytes) + big.stats.declaredMemoryBytes;
  const memTotal = (x) => (ok(x) ? x.total.rss : NaN);
  const cellMB = (x) => (!x ? 'n/a' : x.error ? 'FAIL' : fmtMB(memTotal(x)));
  const memRow = ['Module + Instance memory (RSS delta), MB', cellMB(b.memory_v8), cellMB(b.memory_ours)];
  if (opts.jitless) memRow.push('');
  memRow.push(fmtX(memTotal(b.memory_ours) / memTotal(b.memory_v8)), `≤ ${fmtMB(limit)}`);
  rows.push(memRow);
  b.memoryLimitBytes = limit;

  const headers = ['operation (ns per op unless stated)', 'V8', 'ours'];
  if (opts.jitless) headers.push('ours --jitless');
  headers.push('ours/V8', 'target');
  console.log(`\n## Boundary (median of ${bRuns} batches of ${N.toLocaleString('en-US')} operations)\n`);
  console.log(table(headers, rows));
  if (ok(b.compile_wasmi)) {
    const w = b.compile_wasmi;
    const lazy = median(w.times_ms);
    const eager = median(w.eager_times_ms);
    console.log(`\nwasmi 2 Module::new of the same ${mb}: ${fmtMs(lazy)} ms (default: validate, translate lazily), ` +
      `${fmtMs(eager)} ms (eager translation); instantiate ${fmtMs(w.instantiate_ms)} ms; RSS +${fmtMB(w.rss_delta_kb * 1024)} MB.` +
      (Number.isFinite(modMs(b.compile_ours))
        ? ` ours/wasmi new Module: ${fmtX(modMs(b.compile_ours) / lazy)} (vs lazy), ${fmtX(modMs(b.compile_ours) / eager)} (vs eager).`
        : ''));
  }
  console.log(`big module: ${big.stats.bytes} bytes = code section ${big.stats.codeSectionBytes} + data section ` +
    `${big.stats.dataSectionBytes} + rest; declared memory ${big.stats.declaredMemoryBytes} bytes; ` +
    `memory limit 2×(code+data)+declared = ${fmtMB(limit)} MB`);
  if (ok(b.memory_ours)) {
    const m = b.memory_ours;
    console.log(`ours memory: new Module RSS +${fmtMB(m.module.rss)} MB (external +${fmtMB(m.module.external)} MB), ` +
      `new Instance RSS +${fmtMB(m.instance.rss)} MB (external +${fmtMB(m.instance.external)} MB)`);
  }
  results.boundary = b;
}

// ---------------------------------------------------------------------------------------------
// WASI (#14): jitless-wasm/wasi under --jitless against node:wasi on V8 (scripts/wasi/bench.mjs)

if (opts.wasi && oursOk && opts.jitless && typeof WebAssembly === 'object') {
  log('WASI workloads…');
  try {
    const { measureWasi } = await import('../scripts/wasi/bench.mjs');
    const wasiRows = measureWasi(opts.quick ? { writes: 5000, treeWidth: 6, runs: 2, repeat: 2 } : { runs: 3, repeat: 3 });
    const rows = [];
    for (const { workload, node, ours } of wasiRows) {
      rows.push([`${workload}, whole process`, fmtMs(node.wallMs), fmtMs(ours.wallMs), fmtX(ours.wallMs / node.wallMs)]);
      rows.push([`${workload}, wasi.start()`, fmtMs(node.startMs), fmtMs(ours.startMs), fmtX(ours.startMs / node.startMs)]);
      rows.push([`${workload}, wasi.start() CPU`, fmtMs(node.startCpuMs), fmtMs(ours.startCpuMs), fmtX(ours.startCpuMs / node.startCpuMs)]);
    }
    console.log('\n## WASI (best of runs, ms; outputs compared)\n');
    console.log(table(['workload', 'node:wasi (V8)', 'ours --jitless', 'ours/V8'], rows));
    results.wasi = wasiRows;
  } catch (error) {
    failures.push(['WASI workloads', firstLine(error)]);
    exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Targets (informational) and failures

const targets = [];
const worstOf = (simd) => results.kernels
  .filter((r) => (KERNELS.find((k) => k.name === r.name)?.simd === true) === simd)
  .map((r) => [r.name, r.median?.ours / r.median?.wasmi])
  .filter(([, x]) => Number.isFinite(x))
  .sort((a, b) => b[1] - a[1])[0];
if (results.geomean && oursOk) {
  const g = results.geomean;
  const worst = worstOf(false);
  // Issue #16 (Speed II): geomean ≤ 0.6× wasmi 2.0's time, no kernel above 0.9×.
  targets.push(['kernels geomean ours/wasmi ≤ 0.6×', fmtX(g.ours_over_wasmi), g.ours_over_wasmi <= 0.6, Number.isFinite(g.ours_over_wasmi)]);
  if (worst) targets.push([`every kernel ours/wasmi ≤ 0.9× (worst: ${worst[0]})`, fmtX(worst[1]), worst[1] <= 0.9, true]);
}
if (results.geomeanSimd && oursOk) {
  // Issue #16: the SIMD kernel set ≤ 0.7× wasmi 2.0's time (geomean and every kernel shown).
  const g = results.geomeanSimd;
  const worst = worstOf(true);
  targets.push(['SIMD kernels geomean ours/wasmi ≤ 0.7×', fmtX(g.ours_over_wasmi), g.ours_over_wasmi <= 0.7, Number.isFinite(g.ours_over_wasmi)]);
  if (worst) targets.push([`every SIMD kernel ours/wasmi ≤ 0.7× (worst: ${worst[0]})`, fmtX(worst[1]), worst[1] <= 0.7, true]);
}
if (results.coremark && oursOk) {
  // Issue #16: CoreMark 1.0 ≥ 2× wasmi 2.0's iterations per second (the --jitless column when measured).
  const q = results.coremark.ratios;
  const x = opts.jitless ? q.ours_jitless_over_wasmi : q.ours_over_wasmi;
  targets.push([`CoreMark ours/wasmi iterations/s ≥ 2×${opts.jitless ? ' (--jitless)' : ''}`, fmtX(x), x >= 2, Number.isFinite(x)]);
}
if (results.boundary && oursOk) {
  const b = results.boundary;
  // Issue #16: the boundary targets hold under --jitless (that column when it was measured).
  const jitless = b.ours_jitless && !b.ours_jitless.error;
  const o = jitless ? b.ours_jitless : b.ours && !b.ours.error ? b.ours : {};
  const mode = jitless ? ' (--jitless)' : '';
  targets.push([`JS → export call ≤ 70 ns${mode}`, `${fmtNs(o.export_add)} ns`, o.export_add <= 70, Number.isFinite(o.export_add)]);
  targets.push([`wasm → import call ≤ 90 ns${mode}`, `${fmtNs(o.import_call)} ns`, o.import_call <= 90, Number.isFinite(o.import_call)]);
  targets.push([`Memory.buffer getter ≤ 10 ns${mode}`, `${fmtNs(o.memory_buffer)} ns`, o.memory_buffer <= 10, Number.isFinite(o.memory_buffer)]);
  const r = b.compile_ours && !b.compile_ours.error && b.compile_v8 && !b.compile_v8.error
    ? median(b.compile_ours.module_ms) / median(b.compile_v8.module_ms) : NaN;
  targets.push(['new Module of a 5–16 MB module ≤ 2× V8', fmtX(r), r <= 2, Number.isFinite(r)]);
  const mem = b.memory_ours && !b.memory_ours.error ? b.memory_ours.total.rss : NaN;
  targets.push(['instantiation memory ≤ 2×(data+code)+declared', `${fmtMB(mem)} MB of ${fmtMB(b.memoryLimitBytes)} MB`, mem <= b.memoryLimitBytes, Number.isFinite(mem)]);
}
if (results.gc && oursOk) {
  // Issue #13: binary-trees within 10× V8's time; peak memory within 2× V8's on every GC kernel.
  // Under --jitless when that column was measured, as for the boundary targets.
  const oursOf = (o) => (Number.isFinite(o.ours_jitless) ? o.ours_jitless : o.ours);
  const mode = results.gc.kernels.some((r) => Number.isFinite(r.median.ours_jitless)) ? ' (--jitless)' : '';
  const bt = results.gc.kernels.find((r) => r.name === 'gc_binary_trees');
  if (bt) {
    const x = oursOf(bt.median) / bt.median.v8;
    targets.push([`GC binary-trees ours/V8 time ≤ 10×${mode}`, fmtX(x), x <= 10, Number.isFinite(x)]);
  }
  for (const r of results.gc.kernels) {
    const x = oursOf(r.peak_rss_bytes) / r.peak_rss_bytes.v8;
    targets.push([`${r.name} peak RSS ours/V8 ≤ 2×${mode}`, fmtX(x), x <= 2, Number.isFinite(x)]);
  }
}
if (targets.length) {
  console.log('\n## Targets (for the engine work; informational)\n');
  console.log(table(['target', 'measured', 'met'], targets.map(([t, m, ok, known]) => [t, known ? m : 'n/a', known ? (ok ? 'yes' : 'NO') : 'n/a'])));
}
results.targets = targets.map(([target, measured, met, known]) => ({ target, measured: known ? measured : null, met: known ? met : null }));

if (failures.length) {
  console.log('\n## FAILURES\n');
  for (const [i, [who, why]] of failures.entries()) console.log(`#${i + 1} ${who}: ${why}`);
}
results.failures = failures.map(([who, reason]) => ({ who, reason }));
results.loadavgEnd = os.loadavg();
results.exitCode = exitCode;

if (opts.json) {
  fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
  fs.writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults written to ${opts.json}`);
}
if (exitCode) console.log('\nFAILED: see the mismatches / failures above (exit code 1)');
process.exitCode = exitCode;
