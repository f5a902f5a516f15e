// jitless-wasm/register and node:wasi: with our namespace installed (`--jitless`),
// `require('node:wasi')`, `require('wasi')`, `process.getBuiltinModule('node:wasi')` and
// `import 'node:wasi'` give our WASI, in the main thread and in Workers, and a WASI program runs
// through them unmodified; with V8's WebAssembly, Node's own node:wasi is left alone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helpers/packages.mjs';
import { runFixture } from './helpers/wasi-compare.mjs';

const run = promisify(execFile);
const REGISTER = path.join(ROOT, 'register.js');
const REGISTER_MJS = path.join(ROOT, 'register.mjs');
const OUR_WASI = path.join(ROOT, 'wasi.js');

function env() {
  const e = { ...process.env };
  delete e.NODE_OPTIONS;
  delete e.NODE_TEST_CONTEXT;
  for (const k of Object.keys(e)) if (k.startsWith('JITLESS_WASM_')) delete e[k];
  return e;
}

async function node(args) {
  const { stdout } = await run(process.execPath, ['--no-warnings', ...args], { cwd: ROOT, env: env(), timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// A check script written to a temporary directory: which WASI each way of loading gives.
const CJS = `
const ours = require(${JSON.stringify(OUR_WASI)}).WASI;
const a = require('node:wasi'), b = require('wasi');
const g = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:wasi') : a;
import('node:wasi').then((m) => import('wasi').then((m2) => {
  const { Worker } = require('node:worker_threads');
  const w = new Worker(\`
    const { parentPort } = require('node:worker_threads');
    const ours = require(\${JSON.stringify(${JSON.stringify(OUR_WASI)})}).WASI;
    import('node:wasi').then((m) => parentPort.postMessage({ cjs: require('node:wasi').WASI === ours, esm: m.WASI === ours }));
  \`, { eval: true });
  w.on('message', (worker) => {
    console.log(JSON.stringify({ cjs: a.WASI === ours, bare: b === a, builtin: g === a, esm: m.WASI === ours, esmBare: m2.WASI === ours, worker }));
    w.terminate();
  });
}));
`;
const MJS = `
import { WASI } from 'node:wasi';
import wasiDefault from 'wasi';
import { createRequire } from 'node:module';
const ours = createRequire(import.meta.url)(${JSON.stringify(OUR_WASI)}).WASI;
console.log(JSON.stringify({ named: WASI === ours, default: wasiDefault.WASI === ours }));
`;

describe('register: node:wasi is ours while our namespace is installed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-reg-'));
  const cjs = path.join(dir, 'check.cjs');
  const mjs = path.join(dir, 'check.mjs');
  fs.writeFileSync(cjs, CJS);
  fs.writeFileSync(mjs, MJS);
  const ALL_OURS = { cjs: true, bare: true, builtin: true, esm: true, esmBare: true, worker: { cjs: true, esm: true } };

  it('--jitless --require register.js: require, getBuiltinModule, import, and in a Worker', async () => {
    assert.deepEqual(await node(['--jitless', '--require', REGISTER, cjs]), ALL_OURS);
  });
  it('--jitless --import register.mjs: the same', async () => {
    assert.deepEqual(await node(['--jitless', '--import', REGISTER_MJS, cjs]), ALL_OURS);
  });
  it('--jitless --require register.js, an ES module entry: named and default imports', async () => {
    assert.deepEqual(await node(['--jitless', '--require', REGISTER, mjs]), { named: true, default: true });
  });
  it('with V8 WebAssembly: Node’s node:wasi is left alone', async () => {
    const r = await node(['--require', REGISTER, cjs]);
    assert.deepEqual(r, { cjs: false, bare: true, builtin: true, esm: false, esmBare: false, worker: { cjs: false, esm: false } });
  });

  it('a WASI program through the hooked node:wasi: same output as Node’s on V8', () => {
    const opts = { options: () => ({ args: ['hello', '4', 'via hooks'], env: { GREETING: 'hooked' } }) };
    const theirs = runFixture('node', 'hello', opts);
    const ours = runFixture('hooked', 'hello', opts);
    assert.equal(ours.stdout, theirs.stdout);
    assert.equal(ours.stderr, theirs.stderr);
    assert.equal(ours.status, 4);
  });
});
