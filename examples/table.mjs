// MDN "Using the WebAssembly JavaScript API" (de), section "Ein
// Tabellenbeispiel": table.wasm exports a table of two functions.
//
// Changes for Node: fetch() is a local stand-in.
// Expected output: 13, 42 (one per line)
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

// The article links table.wat without showing it. Written for this example
// from the article's description: an exported two-element table whose
// element 0 returns 13 and element 1 returns 42.
const files = {
  'table.wasm': wat2wasm(`(module
  (func $thirteen (result i32) i32.const 13)
  (func $fortyTwo (result i32) i32.const 42)
  (table (export "tbl") funcref (elem $thirteen $fortyTwo)))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

WebAssembly.instantiateStreaming(fetch("table.wasm")).then((results) => {
  const tbl = results.instance.exports.tbl;
  console.log(tbl.get(0)()); // 13
  console.log(tbl.get(1)()); // 42
});
