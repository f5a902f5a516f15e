// Runs a package workload (a script under __test__/packages/) in a child process on one engine
// and measures it; shared by the package tests (packages.mjs) and scripts/packages-bench.mjs.
// No node:test import here.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./engine-probe.cjs', import.meta.url));
const REGISTER_CJS = join(ROOT, 'register.js');
const REGISTER_MJS = join(ROOT, 'register.mjs');

/** The environment for a child: no inherited NODE_OPTIONS / JITLESS_WASM_* settings. */
function childEnv(extra) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const k of Object.keys(env)) if (k.startsWith('JITLESS_WASM_')) delete env[k];
  delete env.NODE_TEST_CONTEXT; // the child is not a test-runner subprocess
  return { ...env, ...extra };
}

/**
 * Runs `script` (a path under __test__/packages/) on one engine. `engine` is
 *   'v8'       → `node <script>`;
 *   'ours'     → `node --jitless --require ./register.js <script>`;
 *   'ours-jit' → `JITLESS_WASM_FORCE=1 node --require ./register.js <script>` (our wasm, V8's JS JIT);
 * `preload` ('require' | 'import') chooses how register is loaded for the last two.
 * Resolves { code, signal, stdout (Buffer), stderr (string), ms, counts, digest }.
 */
export function runWorkload(script, { engine, preload = 'require', env = {}, timeoutMs = 120_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jitless-wasm-pkg-'));
  const probeOut = join(dir, 'probe.json');
  const args = [];
  const extraEnv = {};
  if (engine === 'ours') args.push('--jitless');
  else if (engine === 'ours-jit') extraEnv.JITLESS_WASM_FORCE = '1';
  else if (engine !== 'v8') throw new TypeError(`engine must be 'v8', 'ours' or 'ours-jit', not ${engine}`);
  const oursEngine = engine !== 'v8';
  if (oursEngine) {
    if (preload === 'import') args.push('--import', pathToFileURL(REGISTER_MJS).href);
    else args.push('--require', REGISTER_CJS);
  }
  // The probe runs after register: `--require` preloads run before `--import` ones.
  if (oursEngine && preload === 'import') args.push('--import', pathToFileURL(PROBE).href);
  else args.push('--require', PROBE);
  args.push(join(ROOT, '__test__', 'packages', script));
  const childEnvironment = childEnv({ ...env, ...extraEnv, JITLESS_WASM_PROBE_EXPECT: engine, JITLESS_WASM_PROBE_OUT: probeOut });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnvironment, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let counts = null;
      try {
        counts = JSON.parse(readFileSync(probeOut, 'utf8'));
      } catch {
        // no probe output: the child died early; reported through code/stderr
      }
      rmSync(dir, { recursive: true, force: true });
      const stdout = Buffer.concat(out);
      resolve({
        code,
        signal,
        stdout,
        stderr: Buffer.concat(err).toString('utf8'),
        ms,
        counts,
        digest: createHash('sha256').update(stdout).digest('hex'),
      });
    });
  });
}

