#!/usr/bin/env node
// Soak tests (`npm run soak`): each workload of workloads.mjs runs for many rounds in its own
// `node --jitless --expose-gc` process on ours, with memory sampled after every round (after
// a full GC). A workload leaks when its RSS keeps growing once it has warmed up: the verdict
// compares the highest RSS of the last quarter of the rounds with the highest of the second
// quarter (the first quarter is warm-up), and fails past --limit MiB (default 16).
//
//   node scripts/soak/run.mjs [--rounds N] [--only a,b] [--limit MiB] [--json FILE]
//
// Prints a Markdown table; exits 1 if a workload failed or grew past the limit.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './workloads.mjs';

/** Parses `--name value` / `--name=value` options. */
function option(argv, name, fallback) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return fallback;
}

/** Runs workload `name` for `rounds` rounds; returns its samples or an error. */
export function soak(name, rounds) {
  const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
  const r = spawnSync(process.execPath, ['--jitless', '--expose-gc', child, name, String(rounds)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 1_800_000,
  });
  const samples = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  if (r.status !== 0 || samples.length !== rounds) {
    return { name, error: `exit ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`, samples };
  }
  return { name, samples };
}

/** Growth of the highest RSS from the second quarter to the last quarter, in MiB. */
export function verdict(samples) {
  const q = Math.max(1, Math.floor(samples.length / 4));
  const peak = (xs) => Math.max(...xs.map((s) => s.rss));
  const warm = peak(samples.slice(q, 2 * q));
  const late = peak(samples.slice(samples.length - q));
  const mib = (b) => b / 2 ** 20;
  return {
    warmMiB: mib(warm),
    lateMiB: mib(late),
    peakMiB: mib(peak(samples)),
    growthMiB: mib(late - warm),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const rounds = Number(option(argv, 'rounds', '200'));
  const limit = Number(option(argv, 'limit', '16'));
  const only = (option(argv, 'only', '') || '').split(',').filter(Boolean);
  const json = option(argv, 'json', null);
  const names = Object.keys(WORKLOADS).filter((n) => !only.length || only.includes(n));
  console.log(`soak: ${rounds} rounds per workload, ours under node ${process.version} --jitless; limit ${limit} MiB growth\n`);
  console.log('| workload | what a round does | RSS after warm-up | RSS at the end | peak | growth | verdict |');
  console.log('|---|---|--:|--:|--:|--:|---|');
  const results = [];
  let failed = 0;
  for (const name of names) {
    const started = Date.now();
    const r = soak(name, rounds);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (r.error) {
      failed++;
      console.log(`| ${name} | ${WORKLOADS[name].what} | | | | | FAIL: ${r.error} |`);
      results.push({ name, error: r.error });
      continue;
    }
    const v = verdict(r.samples);
    const ok = v.growthMiB <= limit;
    if (!ok) failed++;
    const f = (x) => `${x.toFixed(1)} MiB`;
    console.log(`| ${name} | ${WORKLOADS[name].what} | ${f(v.warmMiB)} | ${f(v.lateMiB)} | ${f(v.peakMiB)} | ${v.growthMiB >= 0 ? '+' : ''}${f(v.growthMiB)} | ${ok ? 'ok' : 'LEAK?'} (${seconds} s) |`);
    results.push({ name, rounds, ...v, ok, seconds: Number(seconds), rss: r.samples.map((s) => s.rss) });
  }
  if (json) writeFileSync(json, JSON.stringify({ node: process.version, rounds, limit, results }, null, 2));
  if (failed) {
    console.error(`soak: ${failed} workload(s) failed or grew past ${limit} MiB`);
    process.exitCode = 1;
  }
}
