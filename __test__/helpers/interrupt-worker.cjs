'use strict';
// Long-running wasm for the interruption tests (__test__/interrupt.spec.mjs) and the latency
// probe (scripts/probes/terminate.mjs). As a Worker's script (workerData: { impl, indexPath,
// watPath, kind }) it instantiates the module of `kind` with the built-in WebAssembly
// (impl 'v8') or ours ('jitless'), posts 'running' and calls its `run` export, which never
// returns on its own; required from the main thread it only exports the kinds.

/** kind → { wat, args, imports(getExports) }: `run(...args)` does not return by itself. */
const KINDS = {
  // A tight loop (`br` back-edge).
  loop: { wat: '(module (func (export "run") (loop $l (br $l))))' },
  // A counting loop (the fused add-compare-branch latch), then a `br_if` loop.
  latch: {
    wat: `(module (func (export "run") (local i32)
      (loop $l (br_if $l (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 0))))
      (loop $m (br_if $m (i32.eqz (i32.const 0))))))`,
  },
  // Recursion with no loop at all: fib(60) makes ~10^12 calls.
  recursion: {
    wat: `(module (func $fib (export "run") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`,
    args: [60],
  },
  // 5,000 wasm frames, then a loop at the bottom.
  deep: {
    wat: `(module (func $d (export "run") (param i32)
      (if (local.get 0) (then (call $d (i32.sub (local.get 0) (i32.const 1)))) (else (loop $l (br $l))))))`,
    args: [5000],
  },
  // wasm → JS → wasm 100 times, then a loop at the bottom.
  reentry: {
    wat: `(module (import "m" "f" (func $f (param i32)))
      (func (export "run") (param i32)
        (if (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1)))) (else (loop $l (br $l))))))`,
    args: [100],
    imports: (exports) => ({ m: { f: (n) => exports().run(n) } }),
  },
  // A loop calling a JS import.
  js: {
    wat: '(module (import "m" "f" (func $f (result i32))) (func (export "run") (loop $l (drop (call $f)) (br $l))))',
    imports: () => {
      let n = 0;
      return { m: { f: () => n++ } };
    },
  },
  // `memory.atomic.wait32` with an infinite timeout.
  wait: {
    wat: `(module (memory 1 1 shared)
      (func (export "run") (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))`,
  },
  // `memory.fill` and `memory.copy` of 1 GiB, repeated.
  bulk: {
    wat: `(module (memory 16385)
      (func (export "run") (local i32)
        (loop $l
          (memory.fill (i32.const 0) (local.get 0) (i32.const 0x40000000))
          (memory.copy (i32.const 1) (i32.const 0) (i32.const 0x40000000))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $l))))`,
  },
  // `table.fill` and `table.copy` of 10,000,000 elements, repeated.
  table: {
    wat: `(module (table $t 10000000 funcref) (elem declare func $g) (func $g)
      (func (export "run")
        (loop $l
          (table.fill $t (i32.const 0) (ref.func $g) (i32.const 10000000))
          (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 9999999))
          (br $l))))`,
  },
};

/** The imports object and the module bytes of `kind`. */
function build(kind, WA, wat2wasm) {
  const spec = KINDS[kind];
  let instance;
  const imports = spec.imports ? spec.imports(() => instance.exports) : {};
  instance = new WA.Instance(new WA.Module(wat2wasm(spec.wat)), imports);
  return { instance, args: spec.args ?? [] };
}

const { parentPort, workerData } = require('node:worker_threads');
if (parentPort && workerData && workerData.kind) {
  const { impl, indexPath, watPath, kind, exitAfter } = workerData;
  const WA = impl === 'v8' ? globalThis.WebAssembly : require(indexPath);
  const { wat2wasm } = require(watPath);
  if (exitAfter) {
    // `process.exit()` from an import while wasm is on the stack (below several frames).
    let calls = 0;
    const tick = () => {
      if (++calls === exitAfter) process.exit(5);
    };
    const bytes = wat2wasm(`(module (import "m" "tick" (func $t))
      (func $r (param i32) (if (local.get 0) (then (call $r (i32.sub (local.get 0) (i32.const 1))))
        (else (loop $l (call $t) (br $l)))))
      (func (export "run") (call $r (i32.const 50))))`);
    const instance = new WA.Instance(new WA.Module(bytes), { m: { tick } });
    parentPort.postMessage('running');
    instance.exports.run();
  } else {
    const { instance, args } = build(kind, WA, wat2wasm);
    parentPort.postMessage('running');
    instance.exports.run(...args);
  }
  parentPort.postMessage('returned');
}

module.exports = { KINDS };
