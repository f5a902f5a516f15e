// The differential runner's profiles (issue #13): which Node binary runs both sides, which
// modules the generator writes, and the feature profile ours runs with.
//   node20  the running `node` (Node 20 in CI), node20 modules (no GC)
//   node26  Node 26's official binary from the node-lines cache (scripts/node-lines.sh:
//           $JITLESS_WASM_NODE_CACHE/26/bin/node, default ~/.cache/jitless-wasm/node), node26
//           modules with WasmGC; ours with JITLESS_WASM_FEATURES=node26

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The node-lines cache directory. */
function nodeCache() {
  return process.env.JITLESS_WASM_NODE_CACHE || join(homedir(), '.cache/jitless-wasm/node');
}

/**
 * The profile called `name`: {name, node, generatorArgs, env}, or {name, missing: reason} when
 * its Node binary is not there. Throws on an unknown name.
 */
export function runnerProfile(name = 'node20') {
  if (name === 'node20') return { name, node: process.execPath, generatorArgs: [], env: {} };
  if (name !== 'node26') throw new Error(`unknown --profile ${name} (node20 or node26)`);
  const node = join(nodeCache(), '26', 'bin', 'node');
  if (!existsSync(node)) {
    return { name, missing: `no Node 26 binary at ${node} (scripts/node-lines.sh 26 fetches it)` };
  }
  return { name, node, generatorArgs: ['--profile', 'node26'], env: { JITLESS_WASM_FEATURES: 'node26' } };
}
