// Loads jitless-wasm in the current host and prints what it chose and a few checks, as JSON.
// Run under Deno, Bun or Node by scripts/hosts/run.mjs and __test__/hosts.spec.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WA = require('../../index.js');
const native = require('../../lib/native.js');
const { wat2wasm } = require('../../wat.js');

const out = { features: native.hostFeatures() };
const bytes = wat2wasm(`(module
  (memory (export "shared") 1 4 shared)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`);
const { instance } = await WA.instantiate(bytes);
out.add = instance.exports.add(2, 3);
let constructed;
try {
  new instance.exports.add(1, 2);
  constructed = 'no error';
} catch (e) {
  constructed = `${e.constructor.name}: ${e.message}`;
}
out.constructAdd = constructed;
const mem = instance.exports.shared;
const before = mem.buffer;
mem.grow(1);
out.shared = {
  isSAB: before instanceof SharedArrayBuffer,
  growable: before.growable,
  lengths: [before.byteLength, mem.buffer.byteLength],
};
out.memory = (() => {
  const m = new WA.Memory({ initial: 1, maximum: 2 });
  const b = m.buffer;
  new Uint8Array(b)[0] = 7;
  m.grow(1);
  return { detached: b.byteLength === 0, first: new Uint8Array(m.buffer)[0], length: m.buffer.byteLength };
})();
console.log(JSON.stringify(out));
