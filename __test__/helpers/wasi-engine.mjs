// The WebAssembly namespace and WASI class a WASI runner uses, for the helpers that run WASI
// programs (wasi-run.mjs, wasi-threads-run.mjs, scripts/wasi/bench-run.mjs):
// 'ours' — jitless-wasm and jitless-wasm/wasi; anything else — `globalThis.WebAssembly` and
// `node:wasi` as the process finds them (Node's over V8, or ours through jitless-wasm/register).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `{ WA, WASI }` of `impl`. */
export async function wasiEngine(impl) {
  if (impl === 'ours') return { WA: require('../../index.js'), WASI: require('../../wasi.js').WASI };
  return { WA: globalThis.WebAssembly, WASI: (await import('node:wasi')).WASI };
}
