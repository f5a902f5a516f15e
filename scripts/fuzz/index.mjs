#!/usr/bin/env node
// `npm run fuzz -- --seed N --count M [--kind differential|malformed] [--from K] [--keep DIR]`:
// the differential runner (wasm-smith modules, V8 vs ours) and/or the malformed-input runner
// (mutated real modules). Without --kind, both run. Exits 1 if either reports a finding.

import { buildGenerator, differential } from './differential.mjs';
import { malformed } from './malformed.mjs';
import { parseOptions } from './options.mjs';

const args = process.argv.slice(2);
const { kind, build, ...common } = parseOptions(args, undefined);
if (kind && kind !== 'differential' && kind !== 'malformed') {
  console.error(`unknown --kind ${kind} (differential or malformed)`);
  process.exit(2);
}
let findings = 0;
if (!kind || kind === 'differential') {
  if (build) buildGenerator();
  const { tally } = await differential({ ...common, count: common.count || 100 });
  console.log(`differential: ${JSON.stringify(tally)}`);
  findings += tally.finding;
}
if (!kind || kind === 'malformed') {
  const { tally } = await malformed({ ...common, count: common.count || 500 });
  console.log(`malformed: ${JSON.stringify(tally)}`);
  findings += tally.finding;
}
process.exitCode = findings ? 1 : 0;
