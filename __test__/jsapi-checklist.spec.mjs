// The coverage index of the JS-API checklist (js-api-checklist.md §1, 64 rows): every row has at
// least one test that runs against V8 and ours. Tests written for a row carry "[#<row>]" in their
// title; rows covered by earlier tests are mapped below to the file and title that cover them.
// This file fails when a row loses its last test.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const ROWS = 64;

// Rows covered by tests without a "[#n]" tag: [file, a substring of the test title].
const MAPPED = {
  1: ['namespace.spec.mjs', 'is an ordinary object with @@toStringTag "WebAssembly"'],
  2: ['namespace.spec.mjs', 'is an enumerable, writable, configurable function of length 1'],
  8: ['namespace.spec.mjs', 'validate: false for malformed or invalid bytes'],
  16: ['module.spec.mjs', 'Module.exports: every export in order with its kind'],
  17: ['module.spec.mjs', 'Module.imports: every import in order with module, name and kind'],
  18: ['module.spec.mjs', 'Module.customSections: every call returns new copies'],
  20: ['instance.spec.mjs', 'imports: TypeError when the module has imports and no import object'],
  30: ['instance.spec.mjs', 'exports: an accessor on the prototype returning the same object each time'],
  31: ['instance.spec.mjs', 'exports object: null prototype and frozen'],
  32: ['exported-function.spec.mjs', 'name: the function index as a string, counting imports'],
  33: ['exported-function.spec.mjs', 'length: the number of parameters'],
  34: ['exported-function.spec.mjs', 'identity: one JS function per Wasm function'],
  35: ['exported-function.spec.mjs', 'identity: a JS function imported and re-exported is a new Exported Function'],
  36: ['exported-function.spec.mjs', 'not a constructor'],
  37: ['exported-function.spec.mjs', 'arguments: i32 via ToInt32'],
  38: ['exported-function.spec.mjs', 'arguments and results: i64 as BigInt (ToBigInt64)'],
  39: ['exported-function.spec.mjs', 'results: i32 is signed'],
  40: ['exported-function.spec.mjs', 'multi-value results are a fresh Array'],
  41: ['exported-function.spec.mjs', 'host function: multi-value results from any iterable of the right length'],
  42: ['exported-function.spec.mjs', 'v128 at the boundary is a TypeError on every call'],
  43: ['exported-function.spec.mjs', 'externref: any JS value round-trips with identity'],
  44: ['exported-function.spec.mjs', 'funcref: Exported Functions and null pass; other values are TypeErrors'],
  45: ['errors.spec.mjs', 'trap: "null function or function signature mismatch"'],
  46: ['errors.spec.mjs', 'deep recursion is a RangeError like a JS stack overflow'],
  47: ['errors.spec.mjs', 'a JS exception from an import reaches the caller as the same object'],
  51: ['memory.spec.mjs', 'buffer: the same ArrayBuffer object until the memory grows'],
  52: ['memory.spec.mjs', 'grow from JS: returns the old size, detaches the old buffer, keeps the contents'],
  53: ['memory.spec.mjs', 'memory.grow in Wasm: detaches the old buffer, JS sees the new size'],
  54: ['memory.spec.mjs', 'transferring the buffer never breaks the memory'],
  61: ['instance.spec.mjs', 'exports: the same defined global exported twice'],
};

/** Every `it('...')` title of every spec file: [file, title]. */
function titles() {
  const out = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.spec.mjs'))) {
    const text = readFileSync(DIR + file, 'utf8');
    for (const m of text.matchAll(/\bit\(\s*(['`])((?:\\.|(?!\1).)*)\1/g)) out.push([file, m[2]]);
  }
  return out;
}

it('every row of the JS-API checklist §1 has a test', () => {
  const all = titles();
  const missing = [];
  for (let row = 1; row <= ROWS; row++) {
    const tagged = all.some(([, t]) => t.includes(`[#${row}]`));
    const mapped = MAPPED[row] && all.some(([f, t]) => f === MAPPED[row][0] && t.includes(MAPPED[row][1]));
    if (!tagged && !mapped) missing.push(row);
  }
  assert.deepEqual(missing, [], `rows without a test: ${missing.join(', ')}`);
});

it('the mapped tests exist', () => {
  const all = titles();
  for (const [row, [file, title]] of Object.entries(MAPPED)) {
    assert.ok(
      all.some(([f, t]) => f === file && t.includes(title)),
      `row ${row}: no test "${title}" in ${file}`,
    );
  }
});
