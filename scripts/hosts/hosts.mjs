// The non-Node hosts the addon is tried under, and how each is run with its JIT off.
//
// Found at $JITLESS_WASM_DENO / $JITLESS_WASM_BUN, else in .hosts/ (scripts/hosts/fetch.sh).
// - Deno: V8 with `--v8-flags=--jitless` (V8's WebAssembly is then undefined, as in Node);
//   `--unstable-detect-cjs` lets ESM import our CommonJS files (polyfill.js) from a folder whose
//   package.json has no "type".
// - Bun: JavaScriptCore. `BUN_JSC_useJIT=0` turns its JITs off, but JSC keeps its own
//   WebAssembly (an interpreter), so ours is installed over it with JITLESS_WASM_FORCE=1.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A host: its binary, the arguments before a script, and extra environment. */
export const hosts = {
  deno: {
    bin: process.env.JITLESS_WASM_DENO || join(root, '.hosts/deno/deno'),
    args: ['run', '-A', '--unstable-detect-cjs', '--v8-flags=--jitless'],
    env: { NO_COLOR: '1' },
  },
  bun: {
    bin: process.env.JITLESS_WASM_BUN || join(root, '.hosts/bun/bun'),
    args: [],
    env: { BUN_JSC_useJIT: '0', JITLESS_WASM_FORCE: '1', NO_COLOR: '1' },
  },
};

/** The named host if its binary is present, else undefined. */
export function host(name) {
  const h = hosts[name];
  return h && existsSync(h.bin) ? h : undefined;
}
