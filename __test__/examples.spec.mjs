// The MDN examples (examples/*.mjs): each runs as a child process under
// `node --jitless` (WebAssembly is ours, installed by polyfill.js) and under
// plain `node` (V8's WebAssembly; polyfill.js leaves it alone), and its stdout
// must be the output the articles state.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ONLY_V8 } from './helpers/impls.mjs';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

// What the articles say each example prints.
const EXPECTED = {
  // "Самый простой модуль": the wabt dump of (module), and "valid".
  'empty-module': [
    '0000000: 0061 736d              ; WASM_BINARY_MAGIC',
    '0000004: 0100 0000              ; WASM_BINARY_VERSION',
    'true',
  ],
  // "...die den innerhalb der WebAssembly-Instanz übergebenen Wert (42) in die Konsole protokolliert."
  simple: ['42'],
  'simple-no-streaming': ['42'],
  // 42 written and read back; grow() detaches the old buffer (10 + 1 pages
  // now); growing past the maximum throws RangeError; the sum of 0..9 is 45.
  memory: ['42', 'old buffer byteLength after grow: 0', 'new buffer byteLength after grow: 720896', 'RangeError', '45'],
  // console.log(tbl.get(0)()); // 13   console.log(tbl.get(1)()); // 42
  table: ['13', '42'],
  global: [
    'Testing WebAssembly.Global exists: SUCCESS! Got: function',
    'Testing getting initial value from wasm: SUCCESS! Got: 0',
    'Testing getting JS-updated value from wasm: SUCCESS! Got: 42',
    'Testing getting wasm-updated value from JS: SUCCESS! Got: 43',
  ],
  add: ['3'], // console.log(obj.instance.exports.add(1, 2));  // "3"
  call: ['43'], // console.log(obj.instance.exports.getAnswerPlus1());  // "43"
  logger: ['13'], // i32.const 13 / call $log
  logger2: ['Hi'], // "Результатом работы этого кода будет вывод “Hi” в консоль"
  // returns 42 / returns 13 / returns an error (no index position 2)
  'wasm-table': ['42', '13', 'RuntimeError: table index is out of bounds'],
  'wasm-table-folded': ['42', '13', 'RuntimeError: table index is out of bounds'],
  shared: ['42'], // console.log(results[1].instance.exports.doIt());  // prints 42
  'shared-folded': ['42'],
};

function run(file, flags) {
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, join(EXAMPLES, file)], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    );
  });
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs');

it('every example has an expected output, and every expected output an example', () => {
  assert.deepEqual(files.map((f) => f.replace(/\.mjs$/, '')).sort(), Object.keys(EXPECTED).sort());
});

const variants = [
  { name: 'v8', flags: [], skip: false },
  { name: 'jitless', flags: ['--jitless'], skip: ONLY_V8 ? 'JITLESS_WASM_ONLY_V8=1' : false },
];

for (const { name, flags, skip } of variants) {
  describe(name, { skip }, () => {
    for (const file of files) {
      const example = file.replace(/\.mjs$/, '');
      it(`${example} prints what the article says`, async () => {
        const { error, stdout, stderr } = await run(file, flags);
        const expected = EXPECTED[example];
        assert.ok(expected, `no expected output for ${example}`);
        assert.equal(error, null, `${example} failed: ${error?.message}\n${stderr}`);
        assert.equal(stdout, expected.map((line) => `${line}\n`).join(''));
      });
    }
  });
}
