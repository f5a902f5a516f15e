// MDN "Understanding the text format" (ru), section "Использование таблицы":
// wasm-table.wasm's callByIndex(i) calls table entry i with call_indirect.
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT (pre-2018 names `anyfunc`, `get_local` kept). The
// article notes that callByIndex(2) "returns an error"; the .catch() that
// prints that error is added so the script ends normally.
// Expected output:
//   42
//   13
//   RuntimeError: table index is out of bounds
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'wasm-table.wasm': wat2wasm(`(module
  (table 2 anyfunc)
  (func $f1 (result i32)
    i32.const 42)
  (func $f2 (result i32)
    i32.const 13)
  (elem (i32.const 0) $f1 $f2)
  (type $return_i32 (func (result i32)))
  (func (export "callByIndex") (param $i i32) (result i32)
    get_local $i
    call_indirect (type $return_i32))
)`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

WebAssembly.instantiateStreaming(fetch('wasm-table.wasm'))
.then(obj => {
  console.log(obj.instance.exports.callByIndex(0)); // returns 42
  console.log(obj.instance.exports.callByIndex(1)); // returns 13
  console.log(obj.instance.exports.callByIndex(2)); // returns an error, because there is no index position 2 in the table
})
.catch((error) => console.log(String(error))); // Added: print the error.
