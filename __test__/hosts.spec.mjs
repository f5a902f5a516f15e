// The addon in hosts other than this machine's Node (issue #18): Deno (V8, `--v8-flags=--jitless`),
// Bun (JavaScriptCore, `BUN_JSC_useJIT=0`), Node for linux-arm64 under qemu-user and Node for
// Windows under Wine (scripts/hosts/hosts.mjs). Each host's tests run when what it needs is
// present (scripts/hosts/fetch.sh puts the binaries in .hosts/), and are skipped with the reason
// otherwise. The V8 shim's symbols are weak and checked at run
// time (src/v8_probe.cc): elsewhere than Node the addon loads, uses no part of the shim, and
// takes the fallbacks (growable SharedArrayBuffers for shared memories).

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { host, hosts, root, runUnder } from '../scripts/hosts/hosts.mjs';

const require = createRequire(import.meta.url);

const run = runUnder;

const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs');

describe('Node', () => {
  test('hostFeatures: under Node (Linux, shim built) every part of the V8 shim is used', () => {
    const f = require('../lib/native.js').hostFeatures();
    if (!f.shimBuilt) {
      assert.deepEqual([f.node, f.sharedArrayBuffers], [false, false]);
      return;
    }
    assert.deepEqual(f, { shimBuilt: true, node: true, sharedArrayBuffers: true, stackLimit: true, terminate: true, gc: true });
  });

  test('JITLESS_WASM_V8_SHIM=0 turns the shim off: shared buffers are then growable SABs', () => {
    const r = spawnSync(process.execPath, ['--jitless', join(root, 'scripts/hosts/probe.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, JITLESS_WASM_V8_SHIM: '0' },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.features.sharedArrayBuffers, false);
    assert.equal(out.shared.growable, true);
    assert.equal(out.add, 5);
  });
});

for (const name of Object.keys(hosts)) {
  const h = host(name);
  const skip = h ? false : `${name} not present (needs ${hosts[name].need.join(', ')}: scripts/hosts/fetch.sh)`;
  describe(name, { skip }, () => {
    test(`the addon loads under ${name}, uses the V8 shim only in Node on Linux, and runs wasm`, () => {
      const r = run(h, join(root, 'scripts/hosts/probe.mjs'));
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop());
      assert.equal(out.features.node, h.expect.node);
      assert.equal(out.features.sharedArrayBuffers, h.expect.sharedArrayBuffers);
      assert.equal(out.add, 5);
      // With the shim a shared memory's buffer is a fixed-length SAB over our bytes, a new one
      // after a grow; without it (the fallback) a growable SAB over the host's bytes.
      const shared = h.expect.sharedArrayBuffers
        ? { isSAB: true, growable: false, lengths: [65536, 131072] }
        : { isSAB: true, growable: true, lengths: [131072, 131072] };
      assert.deepEqual(out.shared, shared);
      assert.deepEqual(out.memory, { detached: true, first: 7, length: 131072 });
    });

    test(`deno_plain_call_is_not_a_construct: a plain call of an Exported Function works and new throws (${name})`, () => {
      const r = run(h, join(root, 'scripts/hosts/probe.mjs'));
      const out = JSON.parse(r.stdout.trim().split('\n').pop());
      assert.equal(out.add, 5);
      assert.equal(out.constructAdd, 'TypeError: WebAssembly function is not a constructor');
    });

    for (const f of examples) {
      test(`MDN example ${f} under ${name}`, () => {
        const r = run(h, join(root, 'examples', f));
        assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      });
    }
  });
}
