'use strict';
// Preloaded (`--require`) into the child processes of the package tests, after register.js.
// 1. Checks that the process runs the engine the test expects (JITLESS_WASM_PROBE_EXPECT):
//    'ours' → `globalThis.WebAssembly` is jitless-wasm and V8's JIT is off (`--jitless`);
//    'ours-jit' → the same without `--jitless` (JITLESS_WASM_FORCE=1);
//    'v8'   → `globalThis.WebAssembly` is V8's own.
//    A mismatch exits with status 70 before any user code runs.
// 2. Counts the WebAssembly modules the workload compiles and instantiates (so that a package
//    silently falling back to a JavaScript implementation cannot pass), and writes the counts as
//    JSON to JITLESS_WASM_PROBE_OUT at exit. Counting wraps the namespace functions and the
//    Module/Instance constructors (a Proxy; `instanceof` and statics are unchanged).

const fs = require('node:fs');
const path = require('node:path');

const expect = process.env.JITLESS_WASM_PROBE_EXPECT;
const outFile = process.env.JITLESS_WASM_PROBE_OUT;
const WA = globalThis.WebAssembly;

function fail(message) {
  process._rawDebug(`engine-probe: ${message}`);
  process.exit(70);
}

if (typeof WA !== 'object' || WA === null) fail('globalThis.WebAssembly is missing');
const isV8 = Function.prototype.toString.call(WA.Module).includes('[native code]');
if (expect === 'ours' || expect === 'ours-jit') {
  if (isV8) fail('expected jitless-wasm, found V8 WebAssembly');
  if (WA !== require(path.join(__dirname, '..', '..', 'index.js'))) fail('WebAssembly is not ../../index.js');
  // A Worker cannot take --jitless in its execArgv (a per-process flag: loaders that pass the
  // parent's execArgv drop it on ERR_WORKER_INVALID_EXEC_ARGV), so only the main thread says so.
  const { isMainThread } = require('node:worker_threads');
  if (expect === 'ours' && isMainThread && !process.execArgv.includes('--jitless')) fail('expected a --jitless process');
} else if (expect === 'v8') {
  if (!isV8) fail('expected V8 WebAssembly, found another implementation');
} else {
  fail(`JITLESS_WASM_PROBE_EXPECT must be 'ours', 'ours-jit' or 'v8', not ${JSON.stringify(expect)}`);
}

const counts = { compiled: 0, instantiated: 0, compileErrors: [] };

function note(promise, kind) {
  promise.then(
    (result) => {
      if (kind === 'compile') counts.compiled++;
      else {
        if (result && result.module) counts.compiled++;
        counts.instantiated++;
      }
    },
    (error) => counts.compileErrors.push(String(error && error.message).slice(0, 200)),
  );
  return promise;
}

for (const [name, kind] of [
  ['compile', 'compile'],
  ['compileStreaming', 'compile'],
  ['instantiate', 'instantiate'],
  ['instantiateStreaming', 'instantiate'],
]) {
  const original = WA[name];
  if (typeof original !== 'function') continue;
  Object.defineProperty(WA, name, {
    ...Object.getOwnPropertyDescriptor(WA, name),
    value: {
      [name](...args) {
        return note(Reflect.apply(original, this, args), kind);
      },
    }[name],
  });
}
for (const [name, field] of [
  ['Module', 'compiled'],
  ['Instance', 'instantiated'],
]) {
  const original = WA[name];
  const counted = new Proxy(original, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target, args, newTarget === counted ? target : newTarget);
      counts[field]++;
      return made;
    },
  });
  Object.defineProperty(WA, name, { ...Object.getOwnPropertyDescriptor(WA, name), value: counted });
}

// Workers inherit the probe (with `--require`): each writes its counts next to the main
// thread's file, and the main thread adds them up when it exits (after its Workers).
const { isMainThread, threadId } = require('node:worker_threads');
process.on('exit', () => {
  if (!outFile) return;
  if (!isMainThread) {
    fs.writeFileSync(`${outFile}.${threadId}`, JSON.stringify(counts));
    return;
  }
  const dir = path.dirname(outFile);
  const prefix = `${path.basename(outFile)}.`;
  for (const f of fs.readdirSync(dir)) {
    if (!f.startsWith(prefix)) continue;
    const c = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    counts.compiled += c.compiled;
    counts.instantiated += c.instantiated;
    counts.compileErrors.push(...c.compileErrors);
  }
  fs.writeFileSync(outFile, JSON.stringify(counts));
});
