// Runs the MDN examples (examples/*.mjs) and a probe of the addon under another host
// (scripts/hosts/hosts.mjs: deno, bun, node-arm64, node-win).
//
//   node scripts/hosts/run.mjs <host> [example ...]
//
// Prints each example's status and output, then the host features the addon chose
// (`hostFeatures()`: which parts of the V8 shim are used); exits non-zero if any failed.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { host, hosts, root, runUnder } from './hosts.mjs';

const [name, ...only] = process.argv.slice(2);
const h = host(name ?? '');
if (!h) {
  console.error(`usage: run.mjs <host> [example ...], host one of ${Object.keys(hosts).join(', ')} (present: see scripts/hosts/fetch.sh)`);
  process.exit(2);
}

const probe = runUnder(h, join(root, 'scripts/hosts/probe.mjs'));
console.log(`=== probe (${name}) ${probe.status === 0 ? 'ok' : 'FAILED'}`);
process.stdout.write(probe.stdout + probe.stderr);

const dir = join(root, 'examples');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs')
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')))
  .sort();
const failed = [];
for (const f of files) {
  const r = runUnder(h, join(dir, f));
  const ok = r.status === 0 && !r.error;
  if (!ok) failed.push(f);
  console.log(`=== ${f} ${ok ? 'ok' : 'FAILED'}`);
  process.stdout.write(r.stdout);
  if (!ok) process.stdout.write((r.stderr || String(r.error)).replace(/^/gm, '  | ') + '\n');
}
console.log(failed.length ? `${failed.length} of ${files.length} failed: ${failed.join(', ')}` : `All ${files.length} examples ran.`);
process.exit(failed.length || probe.status ? 1 : 0);
