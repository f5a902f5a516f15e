#!/usr/bin/env node
// Child of the malformed-input runner (malformed.mjs): for each input of a batch file (one JSON
// line per input: {index, b64}), prints `{"begin": index}` then
// `{"index", validate, module}`: WebAssembly.validate's answer and `new WebAssembly.Module`'s
// outcome ('ok' or the error's class), on ours (`ours`, run under --jitless) or V8 (`v8`).
//
// Usage: node [--jitless] scripts/fuzz/check-bytes.mjs <v8|ours> <batch.jsonl> [--from K]

import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The class of a compile failure, as the runner compares it. */
export function errorClass(WA, e) {
  if (e instanceof WA.CompileError) return 'CompileError';
  if (e instanceof TypeError) return 'TypeError';
  if (e instanceof RangeError) return 'RangeError';
  return `other:${e && e.constructor && e.constructor.name}: ${e && e.message}`;
}

/** Checks `bytes` on namespace `WA`. */
export function check(WA, bytes) {
  let validate;
  try {
    validate = WA.validate(bytes);
  } catch (e) {
    validate = `threw ${errorClass(WA, e)}`;
  }
  let module;
  let message;
  try {
    new WA.Module(bytes);
    module = 'ok';
  } catch (e) {
    module = errorClass(WA, e);
    message = e && e.message;
  }
  return { validate, module, message };
}

function main() {
  const [impl, file, ...rest] = process.argv.slice(2);
  const from = rest.includes('--from') ? Number(rest[rest.indexOf('--from') + 1]) : 0;
  const WA = impl === 'ours' ? createRequire(import.meta.url)(join(root, 'index.js')) : globalThis.WebAssembly;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(from);
  for (const line of lines) {
    const input = JSON.parse(line);
    writeSync(1, `${JSON.stringify({ begin: input.index })}\n`);
    writeSync(1, `${JSON.stringify({ index: input.index, ...check(WA, Buffer.from(input.b64, 'base64')) })}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
