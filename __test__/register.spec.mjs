// `register.js` / `register.mjs`: `node --require jitless-wasm/register` and
// `node --import jitless-wasm/register` install jitless-wasm as `globalThis.WebAssembly` before
// user code when the engine has none (`--jitless`), or when JITLESS_WASM_FORCE=1; worker_threads
// Workers started by user code get it too, however they are started.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helpers/packages.mjs';

const run = promisify(execFile);
const FIXTURES = join(ROOT, '__test__', 'fixtures', 'register');
const REGISTER = join(ROOT, 'register.js');
const REGISTER_MJS = join(ROOT, 'register.mjs');

function env(extra = {}) {
  const e = { ...process.env };
  delete e.NODE_OPTIONS;
  delete e.NODE_TEST_CONTEXT;
  for (const k of Object.keys(e)) if (k.startsWith('JITLESS_WASM_')) delete e[k];
  return { ...e, ...extra };
}

async function node(args, extraEnv) {
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: env(extraEnv), timeout: 60_000 });
  return stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const OURS = { isMainThread: true, type: 'object', ours: true, add: 42, descriptor: [true, false, true] };

describe('register: the main thread', () => {
  it('--jitless --require ./register.js: ours is globalThis.WebAssembly before user code', async () => {
    assert.deepEqual(await node(['--jitless', '--require', REGISTER, join(FIXTURES, 'check.cjs')]), [OURS]);
  });

  it('--jitless --import ./register.mjs: the same', async () => {
    assert.deepEqual(await node(['--jitless', '--import', REGISTER_MJS, join(FIXTURES, 'check.cjs')]), [OURS]);
  });

  it('with V8 WebAssembly present: leaves it alone and does not wrap Worker', async () => {
    const [result] = await node([
      '--require',
      REGISTER,
      '-e',
      `const r = require(${JSON.stringify(REGISTER)});
       const { Worker } = require('node:worker_threads');
       console.log(JSON.stringify({ installed: r.installed, native: String(WebAssembly.Module).includes('[native code]'),
         loaded: Object.keys(require.cache).some((f) => f.endsWith('index.js') && f.startsWith(${JSON.stringify(ROOT)})),
         wrapped: Boolean(Worker[Symbol.for('jitless-wasm.register.Worker')]) }))`,
    ]);
    assert.deepEqual(result, { installed: false, native: true, loaded: false, wrapped: false });
  });

  it('JITLESS_WASM_FORCE=1: replaces V8 WebAssembly (--require and --import)', async () => {
    const check = join(FIXTURES, 'check.cjs');
    assert.deepEqual(await node(['--require', REGISTER, check], { JITLESS_WASM_FORCE: '1' }), [OURS]);
    assert.deepEqual(await node(['--import', REGISTER_MJS, check], { JITLESS_WASM_FORCE: '1' }), [OURS]);
  });

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const exported = pkg.exports && pkg.exports['./register'];
  it('by package name: --require jitless-wasm/register and --import jitless-wasm/register', {
    skip: exported ? false : 'package.json "exports" has no "./register" entry yet',
  }, async () => {
    const check = join(FIXTURES, 'check.cjs');
    assert.deepEqual(await node(['--jitless', '--require', 'jitless-wasm/register', check]), [OURS]);
    assert.deepEqual(await node(['--jitless', '--import', 'jitless-wasm/register', check]), [OURS]);
  });
});

describe('register: worker_threads Workers started by user code see WebAssembly', () => {
  const expected = [
    'eval, default options',
    'eval, execArgv: []',
    'eval, env: {}',
    'eval, env with NODE_OPTIONS',
    'eval, SHARE_ENV + execArgv',
    'file (CommonJS)',
    'file (ES module)',
    'nested Worker',
  ].map((name) => ({
    name,
    code: 0,
    message: { ...OURS, isMainThread: false, ...(name === 'nested Worker' ? { nested: true } : {}) },
  }));

  for (const [how, flag, file] of [
    ['--require', '--require', REGISTER],
    ['--import', '--import', REGISTER_MJS],
  ]) {
    it(`--jitless ${how} register: every way of starting a Worker`, async () => {
      const lines = await node(['--jitless', flag, file, join(FIXTURES, 'workers.cjs')]);
      assert.deepEqual(lines, expected);
    });
  }

  it('--jitless --import register with an ES-module app: `import { Worker }` is wrapped too', async () => {
    const [result] = await node(['--jitless', '--import', REGISTER_MJS, join(FIXTURES, 'app.mjs')]);
    assert.deepEqual(result, { main: OURS, worker: { ...OURS, isMainThread: false } });
  });

  it('the wrapped Worker rejects bad arguments like the original', async () => {
    const [result] = await node([
      '--jitless',
      '--require',
      REGISTER,
      '-e',
      `const { Worker } = require('node:worker_threads');
       const Original = Object.getPrototypeOf(Worker);
       const code = (C, args) => { try { new C(...args).terminate(); return 'no error'; } catch (e) { return e.code; } };
       const r = [];
       for (const args of [['1', 5], ['1', { eval: true, execArgv: ['--jitless'] }], ['1', { eval: true, env: 5 }],
                           ['1', { eval: true, execArgv: 'x' }], [5]]) {
         r.push([code(Worker, args), code(Original, args)]);
       }
       console.log(JSON.stringify({ wrapped: Worker !== Original, r }));`,
    ]);
    assert.equal(result.wrapped, true);
    for (const [wrapped, original] of result.r) assert.equal(wrapped, original);
  });
});
