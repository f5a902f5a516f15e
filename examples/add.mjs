// MDN "Understanding the text format" (ru), section "Вызов функции": add.wasm
// exports add(lhs, rhs).
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT (pre-2018 instruction names kept).
// Expected output: 3
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'add.wasm': wat2wasm(`(module
  (func $add (param $lhs i32) (param $rhs i32) (result i32)
    get_local $lhs
    get_local $rhs
    i32.add)
  (export "add" (func $add))
)`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

WebAssembly.instantiateStreaming(fetch('add.wasm'))
.then(obj => {
   console.log(obj.instance.exports.add(1, 2));  // "3"
});
