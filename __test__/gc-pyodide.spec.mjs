// pyodide's WasmGC feature test (issue #13): pyodide 314.0.8 compiles a tiny module with
// `ref.test` on function types (fixtures/gc/pyodide-trampoline.wasm, extracted from its
// pyodide.asm.mjs; see fixtures/gc/README.md) and falls back to a JavaScript trampoline when
// that throws. Ours must answer `validate` as V8 does on this Node line, so that pyodide takes
// the same path; while ours rejects a module V8 accepts (GC not executed yet), the case is
// skipped with ours's CompileError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadOurs } from './helpers/impls.mjs';
import { runGcFixture, v8GcNode } from './helpers/gc-fixtures.mjs';

const FIXTURE = fileURLToPath(new URL('./fixtures/gc/pyodide-trampoline.wasm', import.meta.url));
const bytes = new Uint8Array(readFileSync(FIXTURE));

/** V8's validate() of the fixture on this Node line (in a child when this process is --jitless). */
function v8Validate() {
  if (typeof WebAssembly === 'object') return WebAssembly.validate(bytes);
  const out = execFileSync(process.execPath, ['-e',
    `process.stdout.write(String(WebAssembly.validate(require('fs').readFileSync(${JSON.stringify(FIXTURE)}))))`],
  { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return out === 'true';
}

/** Ours's CompileError for the fixture, or 'none'. */
function oursError(ns) {
  try {
    new ns.Module(bytes);
    return 'none';
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

describe("WasmGC: pyodide's feature-test module", () => {
  it(`validate() equals V8's on this Node line (${process.version})`, (t) => {
    const ours = loadOurs();
    assert.ifError(ours.error);
    const want = v8Validate();
    const got = ours.ns.validate(bytes);
    if (want && !got) {
      t.skip(`V8 validates it, ours does not yet: ${oursError(ours.ns)}`);
      return;
    }
    assert.equal(got, want, `ours ${got}, V8 ${want} (ours: ${oursError(ours.ns)})`);
  });

  it('trampoline_call dispatches on the function type as on V8 with GC', {
    skip: v8GcNode() ? false : 'no Node with WasmGC (22+) to compare with',
  }, async (t) => {
    const [v8, ours] = await Promise.all([runGcFixture('pyodide-trampoline.mjs', 'v8'), runGcFixture('pyodide-trampoline.mjs', 'ours')]);
    assert.equal(v8.unsupported, undefined, v8.unsupported);
    // The four arities are called, the other type and the null entry are not.
    assert.deepEqual(v8.calls.map((c) => c.flag), [1, 1, 1, 1, 0, 0]);
    if (ours.unsupported) {
      t.skip(`ours does not validate the module yet: ${ours.unsupported}`);
      return;
    }
    assert.deepEqual(ours.calls, v8.calls);
  });
});
