// MDN "Using the WebAssembly JavaScript API" (de: "Verwendung der WebAssembly
// JavaScript API"), section "Streaming des WebAssembly-Moduls": simple.wasm
// loaded with WebAssembly.instantiateStreaming().
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT; everything else is the article's code.
// Expected output: 42
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

// The article's text representation of simple.wasm.
const files = {
  'simple.wasm': wat2wasm(`(module
  (func $i (import "my_namespace" "imported_func") (param i32))
  (func (export "exported_func")
    i32.const 42
    call $i))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

const importObject = {
  my_namespace: { imported_func: (arg) => console.log(arg) },
};

WebAssembly.instantiateStreaming(fetch("simple.wasm"), importObject).then(
  (obj) => obj.instance.exports.exported_func(),
);
