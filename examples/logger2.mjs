// MDN "Understanding the text format" (ru), section "Память WebAssembly":
// logger2.wasm writes "Hi" into an imported memory with a data segment and
// passes its offset and length to JS, which decodes it with TextDecoder.
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT.
// Expected output: Hi
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'logger2.wasm': wat2wasm(`(module
  (import "console" "log" (func $log (param i32 i32)))
  (import "js" "mem" (memory 1))
  (data (i32.const 0) "Hi")
  (func (export "writeHi")
    i32.const 0  ;; pass offset 0 to log
    i32.const 2  ;; pass length 2 to log
    call $log))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

function consoleLogString(offset, length) {
  var bytes = new Uint8Array(memory.buffer, offset, length);
  var string = new TextDecoder('utf8').decode(bytes);
  console.log(string);
}

var memory = new WebAssembly.Memory({initial:1});

var importObject = { console: { log: consoleLogString }, js: { mem: memory } };

WebAssembly.instantiateStreaming(fetch('logger2.wasm'), importObject)
.then(obj => {
  obj.instance.exports.writeHi();
});
