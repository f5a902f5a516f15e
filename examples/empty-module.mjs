// MDN "Understanding the text format" (ru: "Описание текстового формата
// WebAssembly"), section "Самый простой модуль": the empty module `(module)`
// is valid, and its binary is just the 8-byte header, which the article shows
// as a wabt dump.
//
// Changes for Node: the article converts the text with wabt; here it is
// converted with jitless-wasm/wat and dumped in the article's layout.
// Expected output:
//   0000000: 0061 736d              ; WASM_BINARY_MAGIC
//   0000004: 0100 0000              ; WASM_BINARY_VERSION
//   true
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const bytes = wat2wasm(`(module)`);

const hex = (b) => b.toString(16).padStart(2, '0');
const labels = ['WASM_BINARY_MAGIC', 'WASM_BINARY_VERSION'];
for (let offset = 0; offset < bytes.length; offset += 4) {
  const word = bytes.subarray(offset, offset + 4);
  const text = `${hex(word[0])}${hex(word[1])} ${hex(word[2])}${hex(word[3])}`;
  console.log(`${offset.toString(16).padStart(7, '0')}: ${text.padEnd(23)}; ${labels[offset / 4]}`);
}

// "Этот модуль полностью пуст, но является допустимым" (empty, but valid).
console.log(WebAssembly.validate(bytes));
