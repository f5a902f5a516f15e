// oxc-parser 0.156.0 through its WebAssembly binding @oxc-parser/binding-wasm32-wasi (napi-rs,
// wasm32-wasip1-threads): the generated loader uses `node:wasi`, @napi-rs/wasm-runtime and
// @emnapi/core with wasi-threads, so under `node --jitless --require jitless-wasm/register` it
// runs on our WebAssembly and our node:wasi, its threads on Workers sharing one memory. Parses
// JS/TS/JSX sync and async (on the wasm threads) — same digest as V8 with Node's node:wasi.
import { describe } from 'node:test';
import { comparePackage, unlessInstalled } from './helpers/packages.mjs';

const skip = unlessInstalled('oxc-parser') || unlessInstalled('@oxc-parser/binding-wasm32-wasi');

describe('oxc-parser (napi-rs wasm32-wasip1-threads binding) under node --jitless', () => {
  comparePackage('parse JS/TS/JSX sync and async on wasm threads: same digest as V8', 'oxc-parser.cjs', { skip });
  comparePackage('the same with --import ./register.mjs', 'oxc-parser.cjs', { skip, preload: 'import' });
});
