// MDN "Using the WebAssembly JavaScript API" (de), sections "Speicher",
// "Speicher erweitern" and "Aufwändigeres Speicherbeispiel": a Memory written
// through a DataView, grown (which detaches the old ArrayBuffer), then
// imported by memory.wasm whose accumulate() sums an i32 array.
//
// Changes for Node: fetch() is a local stand-in; the console lines marked
// "Added" print what the article describes in prose (the value read back, the
// detached old buffer, the RangeError past the maximum).
// Expected output:
//   42
//   old buffer byteLength after grow: 0
//   new buffer byteLength after grow: 720896
//   RangeError
//   45
import '../polyfill.js';
import { createRequire } from 'node:module';

const { wat2wasm } = createRequire(import.meta.url)('../wat.js');

// The article links memory.wat without showing it. Written for this example:
// it imports js.mem and exports accumulate(ptr, len), the sum of the len
// little-endian i32 values stored from byte ptr on.
const files = {
  'memory.wasm': wat2wasm(`(module
  (import "js" "mem" (memory 1))
  (func (export "accumulate") (param $ptr i32) (param $len i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
    (local.get $sum)))`),
};

function fetch(url) {
  return Promise.resolve(new Response(files[url], { headers: { 'Content-Type': 'application/wasm' } }));
}

const memory = new WebAssembly.Memory({ initial: 10, maximum: 100 });

const data = new DataView(memory.buffer);
data.setUint32(0, 42, true);

console.log(data.getUint32(0, true)); // Added: print the value read back.

memory.grow(1);

// Added: after grow() the old ArrayBuffer is detached and buffer is a new one.
console.log(`old buffer byteLength after grow: ${data.buffer.byteLength}`);
console.log(`new buffer byteLength after grow: ${memory.buffer.byteLength}`);
// Added: growing past the maximum (100 pages) throws a RangeError.
try {
  memory.grow(100);
} catch (e) {
  console.log(e instanceof RangeError ? 'RangeError' : `unexpected: ${e}`);
}

WebAssembly.instantiateStreaming(fetch("memory.wasm"), {
  js: { mem: memory },
}).then((results) => {
  const summands = new DataView(memory.buffer);
  for (let i = 0; i < 10; i++) {
    summands.setUint32(i * 4, i, true);
  }
  const sum = results.instance.exports.accumulate(0, 10);
  console.log(sum);
});
