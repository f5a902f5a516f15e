// wasi-threads: a module importing `wasi.thread-spawn` and a shared `env.memory` (fixtures/wasi/
// threads.wat) run with the glue the wasi-threads proposal describes and emnapi's runtime
// implements (helpers/wasi-threads-run.mjs): every thread a Worker with the module and the
// memory in its workerData, its own WASI, `wasi_thread_start(tid, arg)`; the main thread waits
// with memory.atomic.wait32 for the threads' notify. Ours (jitless-wasm + jitless-wasm/wasi under
// `node --jitless`: the Module and the shared Memory cross to the Workers through lib/transfer.js)
// against V8's WebAssembly with Node's node:wasi through the same glue, and against the sums the
// program must print.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNNER = path.join(here, 'helpers', 'wasi-threads-run.mjs');
const WAT = path.join(here, 'fixtures', 'wasi', 'threads.wat');
const NOISE = /^Warning: disabling flag --expose_wasm due to conflicting flags\n/gm;

/** Runs the program with `impl` in a child process (ours under --jitless). */
function run(impl) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const flags = impl === 'ours' ? ['--jitless'] : [];
  const r = spawnSync(process.execPath, ['--no-warnings', ...flags, RUNNER, impl, WAT, '{}'], {
    encoding: 'utf8',
    timeout: 60000,
    env,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.replace(NOISE, '') };
}

/** What the program prints: a line per thread, then each thread's tids and sum 1..(arg+1)*1000. */
function expected() {
  const lines = ['hello from a thread\n'.repeat(4)];
  for (let arg = 0; arg < 4; arg++) {
    const n = (arg + 1) * 1000;
    lines.push(`thread ${arg} tid=${arg + 1}/${arg + 1} sum=${(n * (n + 1)) / 2}\n`);
  }
  return lines.join('');
}

describe('wasi-threads: thread-spawn with a shared memory and Workers', () => {
  test('4 threads spawned from _start: ours under --jitless, V8 + node:wasi, and the expected output', () => {
    const ours = run('ours');
    assert.equal(ours.stderr, '');
    assert.equal(ours.signal, null, 'ours finished (a thread that failed would leave _start waiting)');
    assert.equal(ours.status, 0);
    assert.equal(ours.stdout, expected());
    const theirs = run('node');
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.equal(ours.stdout, theirs.stdout);
  });
});
