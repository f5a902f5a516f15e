// ruby.wasm: CRuby 3.4 for WASI (@ruby/3.4-wasm-wasi 2.10.1, 30 MB with its stdlib) through
// @ruby/wasm-wasi's Node entry, which takes its WASI from `require('wasi')`: under
// `node --jitless --require jitless-wasm/register` that is our node:wasi over our WebAssembly.
// Boots the VM, evaluates Ruby (stdlib, exceptions, stdout through fd_write) — same digest as V8
// with Node's node:wasi.
import { describe } from 'node:test';
import { comparePackage, unlessInstalled } from './helpers/packages.mjs';

const skip = unlessInstalled('@ruby/wasm-wasi/dist/node') || unlessInstalled('@ruby/3.4-wasm-wasi');

describe('ruby.wasm (CRuby on WASI) under node --jitless', () => {
  comparePackage('boot, eval Ruby with the stdlib, puts through WASI: same digest as V8', 'ruby-wasm.cjs', { skip });
});
