#!/usr/bin/env node
// `npm run fuzz -- --seed N --count M [--kind differential|malformed] [--from K] [--keep DIR]`:
// the differential runner (wasm-smith modules, V8 vs ours) and/or the malformed-input runner
// (mutated real modules). Without --kind, both run. Exits 1 if either reports a finding.

import { buildGenerator, differential } from './differential.mjs';
import { malformed } from './malformed.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const kind = opt('kind');
if (kind && kind !== 'differential' && kind !== 'malformed') {
  console.error(`unknown --kind ${kind} (differential or malformed)`);
  process.exit(2);
}
const common = {
  seed: Number(opt('seed', 1)),
  from: Number(opt('from', 0)),
  timeoutMs: Number(opt('timeout', 20)) * 1000,
  keep: opt('keep'),
  quiet: args.includes('--quiet'),
};
let findings = 0;
if (!kind || kind === 'differential') {
  if (!args.includes('--no-build')) buildGenerator();
  const { tally } = await differential({ ...common, count: Number(opt('count', 100)) });
  console.log(`differential: ${JSON.stringify(tally)}`);
  findings += tally.finding;
}
if (!kind || kind === 'malformed') {
  const { tally } = await malformed({ ...common, count: Number(opt('count', 500)), maxSize: Number(opt('max-size', 1 << 20)) });
  console.log(`malformed: ${JSON.stringify(tally)}`);
  findings += tally.finding;
}
process.exitCode = findings ? 1 : 0;
