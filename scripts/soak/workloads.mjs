// The soak workloads (scripts/soak/run.mjs): each is a function that does one round of work
// and drops everything it made, so that memory after a round should not grow with the rounds.
// They run on ours (index.js) in the "latest" profile, under `node --jitless`.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { wat2wasm } = require('../../wat.js');

const root = new URL('../../', import.meta.url);
const kernel = (name) => wat2wasm(readFileSync(new URL(`benchmark/kernels/${name}.wat`, root), 'utf8'));

/** Emscripten's shape: the import closes over the exports, the table holds a function. */
const CYCLIC = `(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (memory (export "mem") 1)
  (table (export "tbl") 1 funcref)
  (elem (i32.const 0) $callf)
  (func $callf (export "callf") (param i32) (result i32) local.get 0 call $f))`;

/** Every GC toolchain's shape: a vtable struct of the module's own functions in a global. */
const VTABLE = `(module
  (type $fn (func (param i32) (result i32)))
  (type $vt (struct (field (ref $fn)) (field (ref $fn))))
  (import "env" "log" (func $log (param i32) (result i32)))
  (global $vtable (ref $vt) (struct.new $vt (ref.func $inc) (ref.func $log)))
  (table (export "t") 1 anyref)
  (memory 1)
  (func $inc (type $fn) (i32.add (local.get 0) (i32.const 1)))
  (func (export "run") (param i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 1) (i32.const 65536))
    (table.set (i32.const 0) (global.get $vtable))
    (call_ref $fn (call_ref $fn (local.get 0) (struct.get $vt 0 (global.get $vtable)))
      (struct.get $vt 1 (global.get $vtable)))))`;

/** Structs and arrays handed to JS and back. */
const OBJECTS = `(module
  (type $a (array (mut i8)))
  (type $s (struct (field (mut i32)) (field (ref null $a))))
  (func (export "make") (param i32) (result (ref $s))
    (struct.new $s (local.get 0) (array.new_default $a (i32.const 64))))
  (func (export "get") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0))))`;

/**
 * The workloads: `setup(WA)` compiles once and returns `round()`, which does one round.
 * `what` says what a round does.
 */
export const WORKLOADS = {
  'gc-alloc': {
    what: 'binary-trees of depth 12 (GC structs made and dropped by wasm)',
    setup(WA) {
      const { run } = new WA.Instance(new WA.Module(kernel('gc_binary_trees'))).exports;
      return () => run(12);
    },
  },
  'gc-arrays': {
    what: 'the gc_array kernel (array.new_data / fill / copy)',
    setup(WA) {
      const { run } = new WA.Instance(new WA.Module(kernel('gc_array'))).exports;
      return () => run(500);
    },
  },
  'gc-instances': {
    what: '50 instances whose vtable struct (global) holds their own functions (64 KiB memory each, written)',
    setup(WA) {
      const module = new WA.Module(wat2wasm(VTABLE));
      return () => {
        for (let i = 0; i < 50; i++) {
          const log = (x) => x * 2;
          const { exports } = new WA.Instance(module, { env: { log } });
          if (exports.run(i) !== (i + 1) * 2) throw new Error('wrong result');
        }
      };
    },
  },
  'gc-objects-to-js': {
    what: '5,000 structs (each with an array) returned to JS and passed back',
    setup(WA) {
      const { make, get } = new WA.Instance(new WA.Module(wat2wasm(OBJECTS))).exports;
      return () => {
        let sum = 0;
        for (let i = 0; i < 5_000; i++) sum += get(make(i));
        if (sum !== (4_999 * 5_000) / 2) throw new Error('wrong sum');
      };
    },
  },
  instances: {
    what: '100 instances whose import closes over their exports (64 KiB memory each)',
    setup(WA) {
      const module = new WA.Module(wat2wasm(CYCLIC));
      return () => {
        for (let i = 0; i < 100; i++) {
          const glue = {};
          glue.f = (x) => glue.exports.mem.buffer.byteLength + x;
          glue.exports = new WA.Instance(module, { env: { f: glue.f } }).exports;
          if (glue.exports.callf(1) !== 65_537) throw new Error('wrong result');
        }
      };
    },
  },
  'memory-grow': {
    what: 'a memory grown 1 page at a time to 4 MiB, its buffer read after each grow',
    setup(WA) {
      return () => {
        const memory = new WA.Memory({ initial: 1, maximum: 64 });
        for (let i = 1; i < 64; i++) {
          memory.grow(1);
          new Uint8Array(memory.buffer)[i * 65_536] = 1;
        }
      };
    },
  },
};
