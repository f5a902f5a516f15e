// Runs one WASI program in a child process, for __test__/wasi*.spec.mjs:
//   node [--jitless] wasi-run.mjs <impl> <file.wasm> '<options JSON>'
// impl: 'node'  — Node's own node:wasi over V8's WebAssembly (the oracle; not under --jitless),
//       'ours'  — jitless-wasm/wasi over jitless-wasm's namespace,
//       'hooked'— `node:wasi` and `globalThis.WebAssembly` as the program finds them (run with
//                 `--require jitless-wasm/register`: ours through the hooks).
// The options are node:wasi's (args, env, preopens, returnOnExit); the exit code of `start()`
// becomes this process's exit code.
import fs from 'node:fs';
import { wasiEngine } from './wasi-engine.mjs';

const [impl, file, json] = process.argv.slice(2);
const options = JSON.parse(json || '{}');

const { WA, WASI } = await wasiEngine(impl);
const wasi = new WASI({ version: 'preview1', ...options });
const module = new WA.Module(fs.readFileSync(file));
const instance = new WA.Instance(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
