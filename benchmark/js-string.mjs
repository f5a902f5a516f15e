// JS String Builtins costs: a `wasm:js-string` builtin against the same import as a JS function
// (https://github.com/WebAssembly/js-string-builtins), on ours or on V8.
//
//   node [--jitless] benchmark/js-string.mjs [--engine=ours|v8] [--runs=3]
//
// Measures, in ns per call (median of the runs): `length` on one string; `charCodeAt` in a wasm
// loop over strings of 100, 1,000 and 10,000 code units (linear: the code units are read once
// per string); building a string of N code units with `fromCharCode` and `concat` (linear: long
// results are joined by V8). Ours runs under `--jitless` as jitless-wasm is meant to (V8 has no
// WebAssembly there: run `--engine=v8` without it).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const opt = (name, fallback) => argv.find((s) => s.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const engine = opt('engine', 'ours');
const runs = Number(opt('runs', '3'));
const WA = engine === 'v8' ? globalThis.WebAssembly : require('../index.js');
const { wat2wasm } = require('../wat.js');

const bytes = wat2wasm(`(module
  (import "wasm:js-string" "charCodeAt" (func $cca (param externref i32) (result i32)))
  (import "wasm:js-string" "length" (func $len (param externref) (result i32)))
  (import "wasm:js-string" "concat" (func $cat (param externref externref) (result (ref extern))))
  (import "wasm:js-string" "fromCharCode" (func $fcc (param i32) (result (ref extern))))
  (func (export "sum") (param $s externref) (result i32) (local $i i32) (local $n i32) (local $acc i32)
    (local.set $n (call $len (local.get $s)))
    (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $cca (local.get $s) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
    (local.get $acc))
  (func (export "lengths") (param $s externref) (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (call $len (local.get $s))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    (local.get $acc))
  (func (export "build") (param $n i32) (result externref) (local $s externref)
    (local.set $s (call $fcc (i32.const 97)))
    (block $done (loop $l (br_if $done (i32.le_s (local.get $n) (i32.const 1)))
      (local.set $s (call $cat (local.get $s) (call $fcc (i32.const 98))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    (local.get $s)))`);

// The same functions as JS imports (what a module uses without the builtins).
const polyfill = {
  charCodeAt: (s, i) => s.charCodeAt(i),
  length: (s) => s.length,
  concat: (a, b) => a + b,
  fromCharCode: (c) => String.fromCharCode(c),
};

/** ns per call of `f(reps)` doing `perRep` calls per repetition, median of `runs`. */
function measure(f, calls) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - t) / calls);
  }
  return Math.round(times.sort((a, b) => a - b)[runs >> 1]);
}

for (const mode of ['builtin', 'js-import']) {
  const m = mode === 'builtin' ? new WA.Module(bytes, { builtins: ['js-string'] }) : new WA.Module(bytes);
  const x = new WA.Instance(m, mode === 'builtin' ? {} : { 'wasm:js-string': polyfill }).exports;
  const row = { engine, mode, length: measure(() => x.lengths('hello', 100_000), 100_000) };
  for (const n of [100, 1000, 10_000]) {
    const s = 'x'.repeat(n);
    const reps = Math.max(1, Math.floor(100_000 / n));
    row[`charCodeAt n=${n}`] = measure(() => {
      for (let r = 0; r < reps; r++) x.sum(s);
    }, reps * n);
  }
  for (const n of [10_000, 100_000]) row[`build n=${n} (2 calls/unit)`] = measure(() => x.build(n), n);
  console.log(JSON.stringify(row));
}
