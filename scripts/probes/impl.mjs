// Shared by the lifecycle probes: which WebAssembly to use and how to report.
//
// Under `node --jitless` V8's WebAssembly is absent and the probes use ours (`index.js`);
// without `--jitless` they use V8's own, unless `--ours` is given. Each probe prints one JSON
// line: `{ probe, impl, ...numbers }`.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wantOurs = process.argv.includes('--ours') || typeof globalThis.WebAssembly !== 'object';

/** The namespace under test. */
export const WA = wantOurs ? require('../../index.js') : globalThis.WebAssembly;
/** 'jitless' or 'v8'. */
export const impl = wantOurs ? 'jitless' : 'v8';

/** The numeric value of `--name=value` (or `fallback`). */
export function arg(name, fallback) {
  const a = process.argv.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
}

/** Resident set size in MiB. */
export const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

/** Prints the probe's result line. */
export function report(probe, fields) {
  console.log(JSON.stringify({ probe, impl, ...fields }));
}

/** A tiny module: a memory (initial 1, no maximum: 4 GiB of address space), a table holding its
 * own function (an instance ↔ table cycle), an exported function and global. */
export const MODULE_BYTES = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type: () -> i32
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  // func: 1 of type 0
  0x03, 0x02, 0x01, 0x00,
  // table: funcref min 1
  0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
  // memory: min 1, no max
  0x05, 0x03, 0x01, 0x00, 0x01,
  // global: mut i32 = 0
  0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b,
  // export "f" func 0, "m" memory 0, "g" global 0
  0x07, 0x0d, 0x03, 0x01, 0x66, 0x00, 0x00, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x67, 0x03, 0x00,
  // elem: table 0 at 0: [func 0]
  0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
  // code: i32.const 42
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);

/** The same module without its memory (so that 20k instances fit in V8's address-space budget). */
export const MODULE_NO_MEMORY = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
  0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b,
  // export "f" func 0, "g" global 0
  0x07, 0x09, 0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x67, 0x03, 0x00,
  0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);
