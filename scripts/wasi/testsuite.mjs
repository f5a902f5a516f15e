// Runs the WebAssembly/wasi-testsuite preview1 tests on node:wasi over V8 and on ours under
// `--jitless`, each test in its own processes, and compares them with each other and with the
// test's expectations (exit code, and stdout where the test names one):
//   node scripts/wasi/testsuite.mjs [--register] <tests dir> <wasm dir> <source extension>
// --register runs ours as unmodified programs get it: `node --jitless --require
// jitless-wasm/register`, the runner taking `node:wasi` and `globalThis.WebAssembly`.
// <tests dir> holds the sources (`name.rs`, `name.ts`, `name.c`) and the optional `name.json`
// ({ args, env, root, exit_code, stdout }); <wasm dir> holds the built `name.wasm`. The testsuite
// is not part of this repository (nothing is downloaded in tests): check it out and build it
// yourself, e.g. the Rust tests with a Cargo.toml (deps libc, once_cell, wasip1) and
// `cargo build --release --target wasm32-wasip1`, or the AssemblyScript ones with `asc` and
// `@assemblyscript/wasi-shim` from npm. Exit status 1 if ours and node:wasi differ anywhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testsuite-run.mjs');
const argv = process.argv.slice(2);
const REGISTER = argv.includes('--register') ? path.join(path.dirname(RUNNER), '..', '..', 'register.js') : null;
const [testsDir, wasmDir, ext] = argv.filter((a) => a !== '--register');
if (!testsDir || !wasmDir || !ext) {
  console.error('usage: node scripts/wasi/testsuite.mjs [--register] <tests dir> <wasm dir> <source extension>');
  process.exit(2);
}

/** One run of `impl` on a fresh copy of the test's root: { code, stdout, stderr }. */
function run(impl, name, config) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-testsuite-'));
  try {
    let root = '-';
    if (config.root) {
      root = path.join(tmp, 'root');
      fs.cpSync(path.join(testsDir, config.root), root, { recursive: true, verbatimSymlinks: true });
    }
    const env = { ...process.env, WASI_TEST_ENV: JSON.stringify(config.env ?? {}) };
    delete env.NODE_OPTIONS;
    // --register: ours as packages get it, `node:wasi` and `WebAssembly` under jitless-wasm/register.
    const flags = impl !== 'ours' ? [] : REGISTER ? ['--jitless', '--require', REGISTER] : ['--jitless'];
    const as = impl === 'ours' && REGISTER ? 'node' : impl;
    const wasm = path.join(wasmDir, `${name}.wasm`);
    const r = spawnSync(process.execPath, ['--no-warnings', ...flags, RUNNER, as, wasm, root, ...(config.args ?? [])], {
      encoding: 'utf8', env, input: '', timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Deliberate differences: without LOOKUP_SYMLINK_FOLLOW ours opens the last component with
 * O_NOFOLLOW (ELOOP on a link), as the WASI spec and the test expect, so a link cannot lead the
 * host out of a preopen; uvwasi lets the kernel follow it.
 */
const DELIBERATE = new Set(['dangling_symlink', 'nofollow_errors']);

const names = fs.readdirSync(testsDir).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();
const passed = { node: 0, ours: 0 };
const differ = [];
for (const name of names) {
  const file = path.join(testsDir, `${name}.json`);
  const config = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const result = {};
  for (const impl of ['node', 'ours']) {
    const r = run(impl, name, config);
    result[impl] = r;
    if (r.code === (config.exit_code ?? 0) && (config.stdout === undefined || r.stdout === config.stdout)) passed[impl]++;
  }
  // The suite checks the exit code, and stdout where the test names one (others may print in
  // a random order: Rust's HashMap is seeded by random_get).
  const same = result.node.code === result.ours.code && (config.stdout === undefined || result.node.stdout === result.ours.stdout);
  if (!same) {
    differ.push(name);
    const note = DELIBERATE.has(name) ? ' (deliberate, see DELIBERATE)' : '';
    const first = (s) => s.split('\n').find((l) => l.includes('panicked') || l.includes('expected') || l.includes('Error')) ?? '';
    console.log(`DIFFERENT ${name}${note}: node:wasi exit ${result.node.code} ${first(result.node.stderr)}`);
    console.log(`          ours exit ${result.ours.code} ${first(result.ours.stderr)}`);
  }
}
console.log(`${names.length} tests on Node ${process.versions.node}: as expected node:wasi ${passed.node}, ours ${passed.ours}; same result ${names.length - differ.length}, different ${differ.length}`);
process.exitCode = differ.some((name) => !DELIBERATE.has(name)) ? 1 : 0;
