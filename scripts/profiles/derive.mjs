#!/usr/bin/env node
// Derives what each Node line's V8 accepts by default: the facts behind the feature profiles in
// crates/core/src/module/profile.rs. Run it with any node; it runs each Node binary it is given:
//
//   node scripts/profiles/derive.mjs [NODE_BINARY...]     (default: `node` and /work/wt/_node/*/bin/node,
//                                                          or $JITLESS_WASM_NODES, colon-separated)
//
// Two sources per line, printed as tables:
// 1. `node --v8-options`: every `--experimental-wasm-*` flag and its default (a feature whose flag
//    is gone has shipped and is on unconditionally; the probes below show that).
// 2. probes on that binary's WebAssembly: `WebAssembly.validate` of one small module per feature,
//    and the namespace members that come with a feature.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** Probe modules: feature → bytes (each is valid exactly when the feature is on). */
const H = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const sec = (id, body) => [id, body.length, ...body];
const VOID_TYPE = sec(1, [1, 0x60, 0, 0]);
const ONE_FUNC = sec(3, [1, 0]);
/** A module with one `() -> ()` function whose body (locals vector included) is `body`. */
const fn = (body) => [...H, ...VOID_TYPE, ...ONE_FUNC, ...sec(10, [1, body.length, ...body])];
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];

export const PROBES = {
  'simd (v128 local)': fn([1, 1, 0x7b, 0x0b]),
  'threads (shared memory)': [...H, ...sec(5, [1, 3, 1, 1])],
  'tail-call (return_call)': fn([0, 0x12, 0, 0x0b]),
  'legacy-eh (try)': fn([0, 0x06, 0x40, 0x0b, 0x0b]),
  'exnref (try_table)': fn([0, 0x1f, 0x40, 0, 0x0b, 0x0b]),
  'exnref (exnref local)': fn([1, 1, 0x69, 0x0b]),
  'multi-memory (two memories)': [...H, ...sec(5, [2, 0, 1, 0, 1])],
  'memory64 (i64 memory)': [...H, ...sec(5, [1, 4, 1])],
  'memory64 (i64 table)': [...H, ...sec(4, [1, 0x70, 4, 1])],
  'extended-const (i32.add in a global)': [...H, ...sec(6, [1, 0x7f, 0, 0x41, 1, 0x41, 2, 0x6a, 0x0b])],
  'typed-funcref ((ref null $t) local)': fn([1, 1, 0x63, 0, 0x0b]),
  'gc (struct type)': [...H, ...sec(1, [1, 0x5f, 0])],
  'relaxed-simd (i32x4.relaxed_trunc_f32x4_s)': fn([0, ...V128_ZERO, 0xfd, 0x81, 0x02, 0x1a, 0x0b]),
  'wide-arithmetic (i64.add128)': fn([0, 0x42, 0, 0x42, 0, 0x42, 0, 0x42, 0, 0xfc, 19, 0x1a, 0x1a, 0x0b]),
  'custom-page-sizes (page size 1)': [...H, ...sec(5, [1, 0x08, 1, 0])],
  'under-aligned atomic (i32.atomic.load align=1)': [...H, ...VOID_TYPE, ...ONE_FUNC, ...sec(5, [1, 3, 1, 1]),
    ...sec(10, [1, 9, 0, 0x41, 0, 0xfe, 0x10, 0, 0, 0x1a, 0x0b])],
  'stringref (stringref local)': fn([1, 1, 0x64, 0x0b]),
  'fp16 (f16x8.splat)': fn([0, 0x43, 0, 0, 0, 0, 0xfd, 0xa0, 0x02, 0x1a, 0x0b]),
};

/** The probe program run in each binary: prints one JSON object. */
const PROGRAM = `
const probes = ${JSON.stringify(PROBES)};
const W = globalThis.WebAssembly;
const out = { node: process.version, v8: process.versions.v8, validate: {}, members: {} };
for (const [k, bytes] of Object.entries(probes)) out.validate[k] = W.validate(new Uint8Array(bytes));
// js-string builtins: with the option honoured, a builtin import of the wrong type is invalid.
const jsString = new Uint8Array([0,97,115,109,1,0,0,0, 1,4,1,0x60,0,0, 2,25,1,14,...new TextEncoder().encode('wasm:js-string'),6,...new TextEncoder().encode('length'),0,0]);
out.validate['js-string builtins (validate honours builtins)'] = W.validate(jsString) && !W.validate(jsString, { builtins: ['js-string'] });
const m = (path) => { let o = W; for (const p of path.split('.')) { if (o == null || !(p in Object(o))) return false; o = o[p]; } return true; };
for (const p of ['Suspending', 'promising', 'SuspendError', 'JSTag', 'Exception', 'Tag', 'Function',
  'Memory.prototype.toResizableBuffer', 'Memory.prototype.toFixedLengthBuffer', 'Memory.prototype.type',
  'Table.prototype.type', 'Global.prototype.type']) out.members[p] = m(p);
console.log(JSON.stringify(out));
`;

/** `--experimental-wasm-*` flags and their defaults, from `node --v8-options`. */
function flags(node) {
  const text = spawnSync(node, ['--v8-options'], { encoding: 'utf8' }).stdout;
  const out = {};
  const re = /^\s+--(experimental-wasm-[\w-]+)\b[\s\S]*?default: (\S+)/gm;
  for (const m of text.matchAll(re)) out[m[1]] = !m[2].startsWith('--no-');
  return out;
}

function nodes() {
  if (process.argv.length > 2) return process.argv.slice(2);
  if (process.env.JITLESS_WASM_NODES) return process.env.JITLESS_WASM_NODES.split(':');
  const list = ['node'];
  const dir = '/work/wt/_node';
  if (existsSync(dir)) for (const d of readdirSync(dir).sort()) if (existsSync(`${dir}/${d}/bin/node`)) list.push(`${dir}/${d}/bin/node`);
  return list;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = [];
  for (const node of nodes()) {
    const r = spawnSync(node, ['-e', PROGRAM], { encoding: 'utf8' });
    if (r.status !== 0) { console.error(`${node}: ${r.stderr}`); continue; }
    results.push({ ...JSON.parse(r.stdout), flags: flags(node) });
  }
  const head = results.map((r) => `${r.node} (V8 ${r.v8.split('-')[0]})`);
  const table = (title, rows) => {
    console.log(`\n## ${title}\n\n| | ${head.join(' | ')} |\n|---|${head.map(() => '---').join('|')}|`);
    for (const [k, vals] of rows) console.log(`| ${k} | ${vals.map((v) => (v === undefined ? '(no flag)' : v ? '✓' : '–')).join(' | ')} |`);
  };
  const keys = (f) => [...new Set(results.flatMap((r) => Object.keys(f(r))))].sort();
  table('WebAssembly.validate probes', keys((r) => r.validate).map((k) => [k, results.map((r) => r.validate[k])]));
  table('Namespace members', keys((r) => r.members).map((k) => [k, results.map((r) => r.members[k])]));
  table('--experimental-wasm-* defaults (node --v8-options)', keys((r) => r.flags).map((k) => [k, results.map((r) => r.flags[k])]));
}
