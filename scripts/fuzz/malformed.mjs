#!/usr/bin/env node
// Malformed-input fuzzing: seeded mutations of real modules (corpus.mjs; mutate.mjs) checked on
// V8 (this process: run it on Node 20, whose V8 is the oracle of the default `node20` profile)
// and on ours (a `node --jitless` child, so that a crash or abort is seen as one, with a
// watchdog for hangs): `WebAssembly.validate` must give V8's answer, `new WebAssembly.Module`
// must accept what V8 accepts and reject what it rejects with a CompileError, and validate must
// agree with the constructor.
//
// Usage: node scripts/fuzz/malformed.mjs --seed N [--count M] [--from K] [--batch B]
//          [--max-size BYTES] [--timeout S] [--keep DIR] [--quiet]
//   Input i of seed N is reproduced by `--seed N --from i --count 1` (--keep writes the
//   inputs with findings to DIR). Exits 1 if there is a finding.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from './check-bytes.mjs';
import { runResumable } from './child.mjs';
import { loadCorpus } from './corpus.mjs';
import { mutate, rng } from './mutate.mjs';
import { parseOptions } from './options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const CHECK = join(here, 'check-bytes.mjs');

/** Input `index` of `seed`: [bytes, corpus name, mutations]. */
function input(corpus, seed, index) {
  const r = rng(BigInt(seed) * 1000003n + BigInt(index));
  // Small modules are cheap: pick them as often as the large ones together.
  const small = corpus.filter((c) => c.bytes.length < 64 << 10);
  const large = corpus.filter((c) => c.bytes.length >= 64 << 10);
  const pool = large.length && r.below(4) === 0 ? large : small.length ? small : large;
  const base = pool[r.below(pool.length)];
  const [bytes, what] = mutate(r, base.bytes);
  return [bytes, base.name, what];
}

/** Runs `count` inputs of `seed` from `from`; returns the tally and the findings. */
export async function malformed({ seed, count, from = 0, batch = 500, maxSize = 1 << 20, timeoutMs = 20000, keep, quiet = false }) {
  const WA = globalThis.WebAssembly;
  if (!WA) throw new Error('malformed.mjs needs V8 WebAssembly: run it with node, not node --jitless');
  const corpus = loadCorpus(root, maxSize);
  const dir = mkdtempSync(join(tmpdir(), 'jitless-malformed-'));
  const tally = { inputs: 0, v8Accepted: 0, v8Rejected: 0, finding: 0 };
  const findings = [];
  try {
    for (let start = from; start < from + count; start += batch) {
      const n = Math.min(batch, from + count - start);
      const inputs = [];
      for (let i = start; i < start + n; i++) inputs.push([i, ...input(corpus, seed, i)]);
      const file = join(dir, `batch-${start}.jsonl`);
      writeFileSync(file, inputs.map(([index, bytes]) => JSON.stringify({ index, b64: bytes.toString('base64') })).join('\n'));
      const ours = await runResumable({
        nodeFlags: ['--jitless'],
        script: CHECK,
        args: (k) => ['ours', file, '--from', String(k)],
        ids: inputs.map(([i]) => i),
        timeoutMs,
      });
      for (const [index, bytes, base, what] of inputs) {
        const v8 = check(WA, bytes);
        const o = ours.get(index);
        tally.inputs++;
        tally[v8.module === 'ok' ? 'v8Accepted' : 'v8Rejected']++;
        const problems = [];
        if (o.crash || o.timeout) problems.push(o.crash ? `crash (${o.crash}): ${o.stderr.slice(-600)}` : `timeout after ${o.timeout} ms`);
        else {
          if (o.validate !== v8.validate) problems.push(`validate: v8 ${v8.validate}, ours ${o.validate}`);
          if (o.module !== v8.module) problems.push(`new Module: v8 ${v8.module}, ours ${o.module}`);
          if (o.validate !== (o.module === 'ok')) problems.push(`ours: validate ${o.validate} but new Module ${o.module}`);
        }
        if (!problems.length) continue;
        tally.finding++;
        const entry = {
          seed,
          index,
          base,
          mutations: what,
          problems,
          v8: v8.message,
          ours: o.message,
          repro: `npm run fuzz -- --kind malformed --seed ${seed} --from ${index} --count 1 --keep fuzz-out`,
        };
        findings.push(entry);
        console.log(JSON.stringify(entry));
        if (keep) {
          mkdirSync(keep, { recursive: true });
          writeFileSync(join(keep, `malformed-${seed}-${index}.wasm`), bytes);
        }
      }
      if (!quiet) console.error(`malformed seed ${seed}: ${tally.inputs}/${count} inputs, ${tally.finding} findings`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { tally, findings };
}

async function main() {
  const { tally } = await malformed(parseOptions(process.argv.slice(2), 500));
  console.log(`malformed: ${JSON.stringify(tally)}`);
  process.exitCode = tally.finding ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
