// Verifies the benchmark kernels: for each kernel, run(checkN) on V8, wasmi (if built) and ours
// (if it works) must equal an independent plain-JavaScript reference (kernels/reference.mjs).
// The WasmGC kernels (kernels/reference-gc.mjs) run on V8 in a Node whose V8 has GC (the
// running one, else Node 22+: lib/gc.mjs) and on ours, skipped with the reason while ours
// does not validate them.
// Also checks a few published facts: the n-body energies, SHA-256 of known strings (through
// node:crypto, which the reference uses), and the number of primes below 10^6.
//
//   node benchmark/check-kernels.mjs [--filter=a,b]
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { KERNELS, GC_KERNELS } from './kernels/index.mjs';
import * as REF from './kernels/reference.mjs';
import * as REF_GC from './kernels/reference-gc.mjs';
import { gcNode, runGcKernel } from './lib/gc.mjs';
import { loadOurs, kernelWasmPath, timeKernel, WASMI_BIN } from './lib/harness.mjs';

const filter = process.argv.find((a) => a.startsWith('--filter='))?.slice(9).split(',');
let bad = 0;
const check = (label, got, want) => {
  const ok = got === want;
  if (!ok) bad++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${got}${ok ? '' : ` (expected ${want})`}`);
};

// Published facts, independent of anything written here.
check('n-body initial energy (published: -0.169075164)', REF.nbodyEnergyAfter(0).toFixed(9), '-0.169075164');
check('n-body energy after 1000 steps (published: -0.169087605)', REF.nbodyEnergyAfter(1000).toFixed(9), '-0.169087605');
check('SHA-256("abc") via node:crypto', createHash('sha256').update('abc').digest('hex'),
  'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
// pi(10^6) = 78498, and the sum of the primes below 10^6 is 37550402023:
// sieve(1) = 78498 * 31 + (37550402023 mod 2^32)
check('sieve(1) from pi(10^6) = 78498 and sum = 37550402023', REF.sieve(1),
  String(78498 * 31 + (37550402023 % 2 ** 32)));

const ours = loadOurs();
if (ours.error) console.log(`(ours skipped: ${ours.error})`);
const bin = WASMI_BIN;
const haveWasmi = fs.existsSync(bin);
if (!haveWasmi) console.log('(wasmi skipped: build it with cargo build --release -p bench-wasmi)');

for (const k of KERNELS) {
  if (filter && !filter.some((f) => k.name.includes(f))) continue;
  const n = k.checkN;
  const want = REF[k.name](n);
  const file = kernelWasmPath(k.name);
  const bytes = fs.readFileSync(file);
  const v8 = timeKernel(WebAssembly, bytes, n, 1);
  check(`${k.name}(${n}) V8   `, v8.error ?? v8.checksum, want);
  if (haveWasmi) {
    const r = spawnSync(bin, ['run', file, String(n), '1'], { encoding: 'utf8' });
    let got;
    try { got = JSON.parse(r.stdout).checksum; } catch { got = `error: ${r.stderr.trim()}`; }
    check(`${k.name}(${n}) wasmi`, got, want);
  }
  if (!ours.error) {
    const o = timeKernel(ours.ns, bytes, n, 1);
    check(`${k.name}(${n}) ours `, o.error ?? o.checksum, want);
  }
}
const gn = gcNode();
for (const k of GC_KERNELS) {
  if (filter && !filter.some((f) => k.name.includes(f))) continue;
  const n = k.checkN;
  const want = REF_GC[k.name](n);
  if (gn.error) {
    check(`${k.name}(${n}) V8   `, gn.error, want);
  } else {
    const v8 = runGcKernel(gn.node, [], 'v8', k.name, n, 1);
    check(`${k.name}(${n}) V8 (node ${gn.version})`, v8.error ?? v8.unsupported ?? v8.checksum, want);
  }
  if (ours.error) continue;
  const bytes = fs.readFileSync(kernelWasmPath(k.name));
  if (!ours.ns.validate(bytes)) {
    let why = 'validate() is false';
    try { new ours.ns.Module(bytes); } catch (e) { why = e.message; }
    console.log(`skip ${k.name}(${n}) ours: ${why}`);
    continue;
  }
  const o = timeKernel(ours.ns, bytes, n, 1);
  check(`${k.name}(${n}) ours `, o.error ?? o.checksum, want);
}
console.log(bad ? `\n${bad} check(s) FAILED` : '\nall checks passed');
process.exitCode = bad ? 1 : 0;
