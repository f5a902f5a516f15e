// Runs a WASI fixture on Node's node:wasi (V8) and on ours (`--jitless`) in fresh sandboxes and
// returns both results, for __test__/wasi.spec.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const RUNNER = path.join(here, 'wasi-run.mjs');
export const FIXTURES = path.join(here, '..', 'fixtures', 'wasi');
export const REGISTER = path.join(here, '..', '..', 'register.js');

/** Lines V8 prints under --jitless on some versions, not from the program. */
const NOISE = /^Warning: disabling flag --expose_wasm due to conflicting flags\n/gm;

/** A snapshot of a directory tree: type, size, content and link target of every entry. */
export function snapshot(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const rel = path.relative(root, p);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.push(`l ${rel} -> ${fs.readlinkSync(p).split(root).join('<root>')}`);
      else if (st.isDirectory()) {
        out.push(`d ${rel}`);
        walk(p);
      } else out.push(`f ${rel} ${st.size} ${JSON.stringify(fs.readFileSync(p, 'latin1'))}`);
    }
  };
  walk(root);
  return out;
}

/**
 * Runs `fixture` with `impl` ('node', 'ours' or 'hooked') in a new temporary root prepared by
 * `setup(root)`; `options(root)` gives the WASI options. Returns status, stdout, stderr, tree.
 */
export function runFixture(impl, fixture, { setup, options = () => ({}), input, stdin, flags = [] } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-'));
  try {
    fs.mkdirSync(path.join(root, 'sandbox'));
    if (setup) setup(root);
    const opts = options(root);
    const nodeFlags = ['--no-warnings', ...flags];
    if (impl !== 'node') nodeFlags.push('--jitless');
    if (impl === 'hooked') nodeFlags.push('--require', REGISTER);
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(
      process.execPath,
      [...nodeFlags, RUNNER, impl, path.join(FIXTURES, `${fixture}.wasm`), JSON.stringify(opts)],
      {
        input,
        stdio: [stdin === undefined ? 'pipe' : stdin, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 120000,
        env,
      },
    );
    return {
      status: r.status,
      signal: r.signal,
      stdout: r.stdout,
      stderr: r.stderr.replace(NOISE, ''),
      tree: snapshot(root),
      root,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Runs `fixture` with `impl` like runFixture (no sandbox), its stdin a pipe fed by `steps`:
 * `{ after: ms, write: text }` or `{ after: ms, end: true }`, each `after` ms after the previous
 * one. Resolves to status, stdout, stderr.
 */
export function runFixtureFed(impl, fixture, steps, { options = () => ({}) } = {}) {
  const nodeFlags = ['--no-warnings'];
  if (impl !== 'node') nodeFlags.push('--jitless');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const args = [...nodeFlags, RUNNER, impl, path.join(FIXTURES, `${fixture}.wasm`), JSON.stringify(options())];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  let delay = 0;
  for (const step of steps) {
    delay += step.after;
    setTimeout(() => (step.end ? child.stdin.end() : child.stdin.write(step.write)), delay);
  }
  const killer = setTimeout(() => child.kill(), 120000);
  return new Promise((resolve) => {
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      resolve({ status, signal, stdout, stderr: stderr.replace(NOISE, '') });
    });
  });
}

/** The sandbox preopen options for a root. */
export const sandboxed = (extra = {}) => (root) => ({ preopens: { '/sandbox': path.join(root, 'sandbox') }, ...extra });
