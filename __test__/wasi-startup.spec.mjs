// Start-up cost of jitless-wasm/wasi (#14): requiring it must not load Node's `tty` (which
// brings in `net` and the streams) nor `crypto`; they are required on first use
// (lib/wasi/lazy-modules.js), and random_get still fills memory once `crypto` is loaded.
// Each case runs in a fresh child process (this runner has loaded much of Node already).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HELPER = fileURLToPath(new URL('./helpers/wasi-load-list.cjs', import.meta.url));

/** The helper's report, run with `flags` (stdio piped: not a terminal). */
function report(flags = []) {
  const r = spawnSync(process.execPath, [...flags, '--no-warnings', HELPER], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

for (const flags of [[], ['--jitless']]) {
  test(`requiring jitless-wasm/wasi loads neither node:tty nor node:crypto ${flags.join(' ') || '(JIT)'}`, () => {
    const { atLoad, atRun, out, code } = report(flags);
    for (const name of ['NativeModule tty', 'NativeModule net', 'NativeModule crypto']) {
      assert.ok(!atLoad.includes(name), `${name} loaded by require: ${atLoad.join(', ')}`);
    }
    // random_get is the first use of crypto: it loads there, and the program's checks pass.
    assert.ok(atRun.includes('NativeModule crypto'), `crypto not loaded by random_get: ${atRun.join(', ')}`);
    assert.equal(code, 0);
    assert.match(out, /^random_get rc=0$/m);
    assert.match(out, /^not all zero: 1$/m);
    assert.match(out, /^differ: 1$/m);
    assert.match(out, /^1 MiB mostly non-zero: 1$/m);
  });
}
