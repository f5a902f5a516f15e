// The WasmGC part of the benchmarks (issue #13): which Node runs V8's side, and one child
// process per engine per kernel (benchmark/worker.mjs, task 'gc-kernel'), so that each engine's
// peak RSS is its own. Node 20's V8 (11.3) rejects the final GC encoding even with
// --experimental-wasm-gc, so when the running Node's V8 does not validate GC, the newest of the
// Node 22/24/26 binaries in ~/.cache/jitless-wasm/node runs the GC table (all columns).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, firstLine, kernelWasmPath } from './harness.mjs';

const WORKER = path.join(ROOT, 'benchmark', 'worker.mjs');

/** (module (type (struct)) (func (result anyref) struct.new 0)): validates only with WasmGC. */
export const GC_PROBE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x02, 0x5f, 0x00, 0x60, 0x00, 0x01, 0x6e, // types: struct {}, [] -> [anyref]
  0x03, 0x02, 0x01, 0x01, // one function of type 1
  0x0a, 0x07, 0x01, 0x05, 0x00, 0xfb, 0x00, 0x00, 0x0b, // body: struct.new 0
]);

/** Node binaries to try for V8's GC side, newest line first. */
function candidates() {
  const cache = path.join(os.homedir(), '.cache', 'jitless-wasm', 'node');
  return [process.execPath, ...[26, 24, 22].map((m) => path.join(cache, String(m), 'bin', 'node'))];
}

let cached;
/**
 * { node, version } of a Node whose V8 validates WasmGC by default (the running one when it
 * does), or { error } naming what was tried.
 */
export function gcNode() {
  if (cached) return cached;
  const tried = [];
  for (const node of candidates()) {
    if (!fs.existsSync(node)) continue;
    const r = spawnSync(node, ['-e', `process.stdout.write(process.version + ' ' + WebAssembly.validate(new Uint8Array([${GC_PROBE}])))`], { encoding: 'utf8' });
    const [version, ok] = (r.stdout || '').split(' ');
    tried.push(`${version || node}: ${ok === 'true' ? 'GC' : 'no GC'}`);
    if (ok === 'true') return (cached = { node, version });
  }
  return (cached = { error: `no Node with WasmGC found (${tried.join(', ') || 'none'})` });
}

/**
 * Runs GC kernel `name` `runs` times at size n in a fresh `node [flags] worker.mjs` process.
 * Returns the worker's { checksum, times_ms, max_rss_kb, base_rss_kb }, { unsupported } (the
 * engine's CompileError while its validate says no) or { error }.
 */
export function runGcKernel(node, flags, engine, name, n, runs, budgetMs, timeoutMs = 15 * 60_000) {
  const task = { task: 'gc-kernel', engine, name, n, runs, budgetMs };
  const r = spawnSync(node, [...flags, WORKER, JSON.stringify(task)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20, timeout: timeoutMs,
  });
  if (r.error) return { error: `worker: ${firstLine(r.error)}` };
  const last = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return { error: `worker ${why}: ${firstLine((r.stderr || '').trim().split('\n').pop() || 'no output')}` };
  }
}

const WASMTIME_DIR = path.join(ROOT, 'crates', 'bench-wasmtime');
/** The wasmtime GC runner (crates/bench-wasmtime: its own workspace, built only on request). */
export const WASMTIME_BIN = path.join(WASMTIME_DIR, 'target', 'release', 'bench-wasmtime');

/** Builds the wasmtime runner with `run(cmd, args)` (a long build: Cranelift). */
export function buildWasmtime(run) {
  return run('cargo', ['build', '--release', '--manifest-path', path.join(WASMTIME_DIR, 'Cargo.toml')]);
}

/** The wasmtime version the runner was built with (from its Cargo.lock), or '?'. */
export function wasmtimeVersion() {
  try {
    const lock = fs.readFileSync(path.join(WASMTIME_DIR, 'Cargo.lock'), 'utf8');
    return /name = "wasmtime"\nversion = "([^"]+)"/.exec(lock)?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/**
 * Runs GC kernel `name` with wasmtime (Cranelift, or its Pulley interpreter with `pulley`) in
 * its own process: { checksum, times_ms, max_rss_kb, base_rss_kb } or { error }.
 */
export function runWasmtimeGcKernel(name, n, runs, budgetMs, pulley, timeoutMs = 15 * 60_000) {
  const args = ['gc', kernelWasmPath(name), String(n), String(runs), String(budgetMs)];
  if (pulley) args.push('--pulley');
  const r = spawnSync(WASMTIME_BIN, args, { encoding: 'utf8', maxBuffer: 16 << 20, timeout: timeoutMs });
  if (r.error) return { error: `bench-wasmtime: ${firstLine(r.error)}` };
  const last = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    return { error: `bench-wasmtime ${why}: ${firstLine((r.stderr || '').trim().split('\n').pop() || 'no output')}` };
  }
}
