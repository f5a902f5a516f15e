// MDN "Understanding the text format" (ru), section "Использование таблицы":
// the same module as wasm-table.mjs, with call_indirect written in the
// explicit (folded) form the article also shows:
//   (call_indirect (type $return_i32) (get_local $i))
//
// Changes for Node: as in wasm-table.mjs.
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
    (call_indirect (type $return_i32) (get_local $i)))
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
