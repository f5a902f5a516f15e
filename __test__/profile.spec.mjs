// Feature profiles (lib/profile.js): the default ("node20") validates what Node 20's V8
// validates; JITLESS_WASM_FEATURES=latest or `jitless-wasm/latest` switches the process to every
// feature ours executes. V8 has no such switch: the V8 side of each case is the oracle for the
// default profile only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import { hostProfile, nodeMajor } from './helpers/node-line.mjs';

const require = createRequire(import.meta.url);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// (module (memory 1) (memory 1)): multi-memory, WebAssembly 3.0.
const MULTI_MEMORY = '[0,97,115,109,1,0,0,0,5,5,2,0,1,0,1]';

/** Runs `code` (CommonJS, cwd = the repository) in a fresh `node` with `flags` and `env`. */
function run(code, { flags = ['--jitless'], env = {}, esm = false } = {}) {
  const childEnv = { ...process.env, ...env };
  if (!('JITLESS_WASM_FEATURES' in env)) delete childEnv.JITLESS_WASM_FEATURES;
  const r = spawnSync(process.execPath, [...flags, ...(esm ? ['--input-type=module'] : []), '-e', code], {
    cwd: ROOT,
    env: childEnv,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr };
}

const VALIDATE = `console.log(W.validate(new Uint8Array(${MULTI_MEMORY})))`;

describe('feature profiles', () => {
  it(`the default profile is this Node's line (${hostProfile}) and answers multi-memory as its V8 does`, () => {
    // Multi-memory: V8 validates it from 12.4 (Node 22) on.
    const expected = String(nodeMajor >= 22);
    const v8 = run(`const W = WebAssembly; ${VALIDATE}`, { flags: [] });
    assert.equal(v8.out, expected, v8.err);
    const ours = run(`const W = require('./index.js'); ${VALIDATE}; console.log(require('./lib/profile.js').profile())`);
    assert.equal(ours.out, `${expected}\n${hostProfile}`, ours.err);
  });

  it('the default profile follows the Node major: 20, 22, 24, 26; a newer one gets the newest, an older node20', () => {
    const { profileForNodeMajor } = require('../lib/profile.js');
    const table = { 18: 'node20', 20: 'node20', 21: 'node20', 22: 'node22', 23: 'node22', 24: 'node24', 25: 'node24', 26: 'node26', 27: 'node26', 40: 'node26' };
    for (const [major, name] of Object.entries(table)) assert.equal(profileForNodeMajor(Number(major)), name, major);
  });

  it('JITLESS_WASM_FEATURES=node20 on a newer Node gives Node 20\'s feature set and namespace', () => {
    const r = run(`const W = require('./index.js'); ${VALIDATE}; console.log('JSTag' in W, W.Exception.length)`, {
      env: { JITLESS_WASM_FEATURES: 'node20' },
    });
    assert.equal(r.out, 'false\nfalse 1', r.err);
  });

  it('JITLESS_WASM_FEATURES=latest accepts it (deliberate difference: Node 20 has no multi-memory)', () => {
    const r = run(`const W = require('./index.js'); ${VALIDATE}`, { env: { JITLESS_WASM_FEATURES: 'latest' } });
    assert.equal(r.out, 'true', r.err);
  });

  it('JITLESS_WASM_FEATURES=node20 is the default, spelled out', () => {
    const r = run(`const W = require('./index.js'); ${VALIDATE}`, { env: { JITLESS_WASM_FEATURES: 'node20' } });
    assert.equal(r.out, 'false', r.err);
  });

  it('an unknown JITLESS_WASM_FEATURES value is a TypeError at load', () => {
    const r = run(`try { require('./index.js'); console.log('loaded') } catch (e) { console.log(e.constructor.name, e.message) }`, {
      env: { JITLESS_WASM_FEATURES: 'wasm4' },
    });
    assert.match(r.out, /^TypeError .*unknown feature profile "wasm4"/, r.err);
  });

  it("require('jitless-wasm/latest') is the same namespace, switched to latest", () => {
    const r = run(`const W = require('./latest.js'); console.log(W === require('./index.js')); ${VALIDATE}`);
    assert.equal(r.out, 'true\ntrue', r.err);
  });

  it("import from 'jitless-wasm/latest' (ESM) gives the default and named exports", () => {
    const r = run(
      `import W, { Module } from './latest.mjs'; import D from './index.mjs';
       console.log(W === D, Module === W.Module); ${VALIDATE}`,
      { esm: true },
    );
    assert.equal(r.out, 'true true\ntrue', r.err);
  });

  it("regression (latest_esm_named_exports_follow_profile): 'jitless-wasm/latest' named exports are read under latest", () => {
    // ES imports evaluate before the importer's body: the profile must be switched by an import
    // that precedes index.mjs, or JSTag and the JSPI members are undefined named exports on Node 20.
    const r = run(
      `import W, { JSTag, Suspending, promising, SuspendError } from './latest.mjs';
       console.log(JSTag === W.JSTag, typeof JSTag, Suspending === W.Suspending, typeof Suspending,
         promising === W.promising, typeof promising, SuspendError === W.SuspendError, typeof SuspendError);`,
      { esm: true },
    );
    assert.equal(r.out, 'true object true function true function true function', r.err);
  });

  it('the default entry names JSPI members as the profile has them (undefined before node24)', () => {
    const r = run(
      `import W, { Suspending, promising, SuspendError } from './index.mjs';
       console.log(Suspending === W.Suspending, promising === W.promising, SuspendError === W.SuspendError,
         typeof W.Suspending);`,
      { esm: true },
    );
    const has = hostProfile !== 'node20' && hostProfile !== 'node22';
    assert.equal(r.out, `true true true ${has ? 'function' : 'undefined'}`, r.err);
  });

  it('compiled modules keep their profile; compile() uses the profile current at the call', () => {
    const r = run(`
      const W = require('./index.js'); const P = require('./lib/profile.js');
      const bytes = new Uint8Array(${MULTI_MEMORY});
      P.setProfile('latest'); const m = new W.Module(bytes); const p = W.compile(bytes);
      P.setProfile('node20');
      console.log(new W.Instance(m).exports !== undefined);
      p.then((mod) => console.log(mod instanceof W.Module), (e) => console.log('rejected', e.message))
       .then(() => W.compile(bytes)).then(() => console.log('accepted'), (e) => console.log(e.constructor.name));`);
    assert.equal(r.out, 'true\ntrue\nCompileError', r.err);
  });

  it('the profile is process-wide: a Worker started later compiles with it', () => {
    const r = run(`
      require('./latest.js');
      const { Worker } = require('node:worker_threads');
      const w = new Worker("const W = require('./index.js'); const { parentPort } = require('node:worker_threads');" +
        "parentPort.postMessage(W.validate(new Uint8Array(${MULTI_MEMORY})))", { eval: true });
      w.on('message', (v) => { console.log(v); w.terminate(); });`);
    assert.equal(r.out, 'true', r.err);
  });
});
