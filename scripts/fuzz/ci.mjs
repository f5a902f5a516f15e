#!/usr/bin/env node
// `npm run test:fuzz`: a short fixed fuzz run for CI (fixed seeds, small counts: a few tens of
// seconds on 2 cores). Fails on any finding; reproduce one with the command it prints.
// The WasmGC run (issue #13: node26 modules, V8 of Node 26 against ours under --jitless on the
// same binary) needs Node 26 in the node-lines cache (scripts/node-lines.sh; .ci/run fetches it
// first): without it that run is skipped and the reason printed.

import { buildGenerator, differential } from './differential.mjs';
import { malformed } from './malformed.mjs';
import { runnerProfile } from './profiles.mjs';

const RUNS = [
  ['differential', { seed: 1, count: 100 }],
  ['differential', { seed: 7, count: 50 }],
  ['differential', { seed: 1, count: 500, profile: 'node26' }],
  ['differential', { seed: 7, count: 200, profile: 'node26' }],
  ['malformed', { seed: 1, count: 400 }],
];

buildGenerator();
let findings = 0;
let checked = 0;
for (const [kind, options] of RUNS) {
  const label = `${kind}${options.profile ? ` ${options.profile}` : ''} seed ${options.seed}`;
  const missing = options.profile && runnerProfile(options.profile).missing;
  if (missing) {
    console.log(`${label}: skipped: ${missing}`);
    continue;
  }
  const started = Date.now();
  const run = kind === 'differential' ? differential : malformed;
  const { tally } = await run({ ...options, quiet: true });
  console.log(`${label}: ${JSON.stringify(tally)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  findings += tally.finding;
  checked += tally.modules ?? tally.inputs;
}
// One closing line in the plain form test runners print (each module or input is one check).
console.log(`test:fuzz: ${checked - findings} passed, ${findings} failed`);
if (findings) {
  console.error(`test:fuzz: ${findings} finding(s)`);
  process.exitCode = 1;
}
