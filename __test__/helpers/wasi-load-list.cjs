'use strict';
// For __test__/wasi-startup.spec.mjs, in a child process: which of Node's modules requiring
// jitless-wasm/wasi loads, then which a run of fixtures/wasi/random.wasm (random_get) loads.
// Prints one JSON line: { atLoad: [...], atRun: [...], out, code }.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const before = new Set(process.moduleLoadList);
const WA = require(path.join(root, 'index.js'));
const { WASI } = require(path.join(root, 'wasi.js'));
const loaded = new Set(process.moduleLoadList);
const atLoad = [...loaded].filter((m) => !before.has(m));

const outFile = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'jw-wasi-load-')), 'out.txt');
const outFd = fs.openSync(outFile, 'w+');
const wasi = new WASI({ version: 'preview1', returnOnExit: true, stdout: outFd });
const wasm = new WA.Module(fs.readFileSync(path.join(root, '__test__', 'fixtures', 'wasi', 'random.wasm')));
const code = wasi.start(new WA.Instance(wasm, wasi.getImportObject()));
const atRun = process.moduleLoadList.filter((m) => !loaded.has(m));
fs.closeSync(outFd);
const out = fs.readFileSync(outFile, 'utf8');
fs.rmSync(path.dirname(outFile), { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ atLoad, atRun, out, code })}\n`);
