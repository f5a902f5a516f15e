// MDN "Understanding the text format" (ru), section "Вызов функций из других
// функций в том же модуле": call.wasm's getAnswerPlus1 calls $getAnswer.
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT.
// Expected output: 43
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'call.wasm': wat2wasm(`(module
  (func $getAnswer (result i32)
    i32.const 42)
  (func (export "getAnswerPlus1") (result i32)
    call $getAnswer
    i32.const 1
    i32.add))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

WebAssembly.instantiateStreaming(fetch('call.wasm'))
.then(obj => {
   console.log(obj.instance.exports.getAnswerPlus1());  // "43"
});
