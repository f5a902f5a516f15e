// Runs a wasi-threads program (a module importing `wasi.thread-spawn` and a shared memory
// `env.memory`), with the glue the wasi-threads proposal describes and napi-rs/emnapi's runtime
// implements, for __test__/wasi-threads.spec.mjs:
//   node [--jitless] wasi-threads-run.mjs <impl> <file.wat> '<options JSON>'
// impl: 'node' — V8's WebAssembly and Node's node:wasi (not under --jitless); 'ours' —
// jitless-wasm and jitless-wasm/wasi. The main thread instantiates the module and calls
// `_start` through `wasi.start`; each `thread-spawn(arg)` gives the next thread id (1, 2, …) and
// starts a Worker with the module and the memory in its workerData; the Worker makes its own WASI
// (same options), instantiates the module over the same memory, `initialize`s the WASI with the
// instance's memory (hiding `_start`, as emnapi does) and calls `wasi_thread_start(tid, arg)`.
// A thread-spawn inside a thread is refused (-1): this glue spawns from the main thread only.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, isMainThread } from 'node:worker_threads';
import { wasiEngine as engine } from './wasi-engine.mjs';

const require = createRequire(import.meta.url);

/** The imports of one instance: its WASI's, the memory and thread-spawn. */
function importsFor(wasi, memory, spawn) {
  return { ...wasi.getImportObject(), env: { memory }, wasi: { 'thread-spawn': spawn } };
}

if (isMainThread) {
  const [impl, file, json] = process.argv.slice(2);
  const options = { version: 'preview1', returnOnExit: true, ...JSON.parse(json || '{}') };
  const { WA, WASI } = await engine(impl);
  const wat = require('../../wat.js');
  const module = new WA.Module(wat.parseWat(fs.readFileSync(file, 'utf8')));
  const memory = new WA.Memory({ initial: 1, maximum: 1, shared: true });
  let nextTid = 1;
  const spawn = (arg) => {
    const tid = nextTid++;
    const worker = new Worker(new URL(import.meta.url), { workerData: { impl, module, memory, options, tid, arg } });
    worker.on('error', (error) => {
      console.error(`thread ${tid}: ${error && error.stack}`);
      process.exitCode = 70;
    });
    return tid;
  };
  const wasi = new WASI(options);
  const instance = new WA.Instance(module, importsFor(wasi, memory, spawn));
  process.exitCode = wasi.start(instance);
} else {
  // workerData is read after jitless-wasm is loaded: it revives our Module and Memory in the
  // module object's `workerData` (an ESM named import would keep the tokens).
  const { WA, WASI } = await engine(require('node:worker_threads').workerData.impl);
  const { module, memory, options, tid, arg } = require('node:worker_threads').workerData;
  const wasi = new WASI(options);
  const instance = new WA.Instance(module, importsFor(wasi, memory, () => -1));
  wasi.initialize({ exports: { memory: instance.exports.memory } });
  instance.exports.wasi_thread_start(tid, arg);
}
