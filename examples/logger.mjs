// MDN "Understanding the text format" (ru), section "Импорт функций из
// JavaScript": logger.wasm calls the imported console.log with 13.
//
// Changes for Node: fetch() is a local stand-in that serves the bytes compiled
// from the article's WAT.
// Expected output: 13
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

const files = {
  'logger.wasm': wat2wasm(`(module
  (import "console" "log" (func $log (param i32)))
  (func (export "logIt")
    i32.const 13
    call $log))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

var importObject = {
  console: {
    log: function(arg) {
      console.log(arg);
    }
  }
};

WebAssembly.instantiateStreaming(fetch('logger.wasm'), importObject)
.then(obj => {
  obj.instance.exports.logIt();
});
