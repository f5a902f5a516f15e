// MDN "Understanding the text format" (ru), section "Изменяющиеся таблицы и
// динамическое связывание" (the shared-address-space example): shared0.wasm
// puts a function into an imported table, shared1.wasm stores 42 into the
// imported memory and calls that function through the table.
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's shared0.wat and shared1.wat (pre-2018 names kept).
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
   i32.const 0
   i32.const 42
   i32.store  ;; store 42 at address 0
   i32.const 0
   call_indirect (type $void_to_i32))
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
