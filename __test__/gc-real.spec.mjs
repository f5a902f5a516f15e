// A real WasmGC toolchain's output (issue #13): fixtures/gc/p2w-program.wasm, a Python program
// compiled to WasmGC by p2w 0.2.3 (PyPI; MIT; see fixtures/gc/README.md). Its output on ours
// under `node --jitless` must equal its output on Node 26's V8 (or the running Node's from 22
// on). Skipped with ours's CompileError while ours's validate() says no (GC not executed yet).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runGcFixture, v8GcNode } from './helpers/gc-fixtures.mjs';

const SOURCE = fileURLToPath(new URL('./fixtures/gc/p2w-program.py', import.meta.url));
const noV8 = v8GcNode() ? false : 'no Node with WasmGC (22+) to compare with: Node 20 rejects the final GC encoding';

/** CPython's output of the program's source, or null when there is no python3. */
function cpython() {
  try {
    return execFileSync('python3', [SOURCE], { encoding: 'utf8' });
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

describe('WasmGC: a p2w-compiled Python program', () => {
  it('V8 prints what CPython prints for the source (the fixture is a faithful compile)', { skip: noV8 }, async (t) => {
    const v8 = await runGcFixture('p2w-host.mjs', 'v8');
    assert.equal(v8.unsupported, undefined, v8.unsupported);
    const want = cpython();
    if (want === null) {
      t.skip('python3 is not installed');
      return;
    }
    assert.equal(v8.output, want);
  });

  it('ours under --jitless prints what V8 prints', { skip: noV8 }, async (t) => {
    const [v8, ours] = await Promise.all([runGcFixture('p2w-host.mjs', 'v8'), runGcFixture('p2w-host.mjs', 'ours')]);
    assert.equal(v8.unsupported, undefined, v8.unsupported);
    assert.ok(v8.output.length > 0);
    if (ours.unsupported) {
      t.skip(`ours does not validate the module yet: ${ours.unsupported}`);
      return;
    }
    assert.equal(ours.output, v8.output);
  });
});
