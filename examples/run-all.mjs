// Runs every example in this folder as a child process, `node --jitless
// <file>` by default (WebAssembly is then ours, installed by polyfill.js),
// and prints each example's name and output. Exits non-zero if any example
// fails (non-zero exit, a signal, or a timeout).
//
//   node examples/run-all.mjs          # under --jitless (ours)
//   node examples/run-all.mjs --v8     # under plain node (V8's WebAssembly)
//   node examples/run-all.mjs add memory   # only these examples

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const useV8 = args.includes('--v8');
const only = args.filter((a) => !a.startsWith('--'));

/** The example files: every .mjs here except this runner. */
function exampleFiles() {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mjs') && f !== basename(fileURLToPath(import.meta.url)))
    .sort();
}

const files = exampleFiles().filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));
if (files.length === 0) {
  console.error(`no examples match ${only.join(', ')}`);
  process.exit(2);
}

const flags = useV8 ? [] : ['--jitless'];
const failed = [];
console.log(`Running ${files.length} examples with node ${flags.join(' ') || '(V8 WebAssembly)'}\n`);
for (const file of files) {
  const name = file.replace(/\.mjs$/, '');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...flags, join(dir, file)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  const ok = r.status === 0 && !r.error;
  console.log(`=== ${name} ${ok ? 'ok' : 'FAILED'} (${ms} ms)`);
  process.stdout.write(r.stdout ?? '');
  if (!ok) {
    failed.push(name);
    // Node prints a harmless warning for --jitless; show the rest of stderr.
    const stderr = (r.stderr ?? '')
      .split('\n')
      .filter((line) => !line.includes('disabling flag --expose_wasm'))
      .join('\n')
      .trim();
    if (r.error) console.log(`  error: ${r.error.message}`);
    if (r.signal) console.log(`  killed by ${r.signal}`);
    if (r.status !== null && r.status !== 0) console.log(`  exit code ${r.status}`);
    if (stderr) console.log(stderr.replace(/^/gm, '  | '));
  }
  console.log();
}

if (failed.length > 0) {
  console.log(`${failed.length} of ${files.length} examples failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`All ${files.length} examples ran.`);
