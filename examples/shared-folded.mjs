// MDN "Understanding the text format" (ru): the shared-address-space example
// (see shared.mjs) with shared1's instructions written in the explicit
// (folded) form the article also shows:
//   (i32.store (i32.const 0) (i32.const 42))
//   (call_indirect (type $void_to_i32) (i32.const 0))
//
// Changes for Node: as in shared.mjs.
// Expected output: 42
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'shared0.wasm': wat2wasm(`(module
  (import "js" "memory" (memory 1))
  (import "js" "table" (table 1 anyfunc))
  (elem (i32.const 0) $shared0func)
  (func $shared0func (result i32)
   i32.const 0
   i32.load)
)`),
  'shared1.wasm': wat2wasm(`(module
  (import "js" "memory" (memory 1))
  (import "js" "table" (table 1 anyfunc))
  (type $void_to_i32 (func (result i32)))
  (func (export "doIt") (result i32)
   (i32.store (i32.const 0) (i32.const 42))
   (call_indirect (type $void_to_i32) (i32.const 0)))
)`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

var importObj = {
  js: {
    memory : new WebAssembly.Memory({ initial: 1 }),
    table : new WebAssembly.Table({ initial: 1, element: "anyfunc" })
  }
};

Promise.all([
  WebAssembly.instantiateStreaming(fetch('shared0.wasm'), importObj),
  WebAssembly.instantiateStreaming(fetch('shared1.wasm'), importObj)
]).then(function(results) {
  console.log(results[1].instance.exports.doIt());  // prints 42
});
