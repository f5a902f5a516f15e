// Runs the WasmGC fixtures (__test__/fixtures/gc/*.mjs) in child processes: V8's side on a
// Node whose V8 executes WasmGC by default (the running Node from 22 on, else Node 26 from
// ~/.cache/jitless-wasm/node), ours under `node --jitless`. Each fixture prints one JSON line:
// its result, or {"unsupported": "<CompileError>"} while the engine's validate() says no.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeMajor } from './node-line.mjs';

const DIR = fileURLToPath(new URL('../fixtures/gc/', import.meta.url));

/** The Node binary whose V8 is the oracle for WasmGC, or null when there is none. */
export function v8GcNode() {
  if (nodeMajor >= 22) return process.execPath;
  const node26 = join(homedir(), '.cache', 'jitless-wasm', 'node', '26', 'bin', 'node');
  return existsSync(node26) ? node26 : null;
}

/** The environment of a child: no NODE_OPTIONS, not a test-runner subprocess. */
function childEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/**
 * Runs fixture `script` on `engine` ('v8' or 'ours') and resolves its JSON line plus
 * { node: the binary's version }; rejects with the child's stderr when it fails.
 */
export function runGcFixture(script, engine) {
  const node = engine === 'v8' ? v8GcNode() : process.execPath;
  const flags = engine === 'v8' ? [] : ['--jitless'];
  return new Promise((resolve, reject) => {
    execFile(node, [...flags, join(DIR, script), engine], { env: childEnv(), timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop();
        try {
          if (error) throw error;
          resolve(JSON.parse(last));
        } catch (e) {
          reject(new Error(`${engine} run of ${script} on ${node} failed: ${e.message}\n--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-4000)}`));
        }
      });
  });
}
