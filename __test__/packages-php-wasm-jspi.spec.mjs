// @php-wasm/node-8-3 3.1.56: PHP 8.3 compiled by Emscripten with -sJSPI (a real toolchain's JSPI
// output: Suspending imports, promising exports). On Node 24+ both V8 and ours (under
// `--jitless`) report JSPI, so both run the JSPI build and must print the same output. On older
// Node lines neither has JSPI (both would run the Asyncify build), so the case is skipped.
import { describe } from 'node:test';
import { comparePackage, unlessInstalled } from './helpers/packages.mjs';

const major = Number(process.versions.node.split('.')[0]);

describe('@php-wasm/node-8-3 (Emscripten -sJSPI) under node --jitless', () => {
  comparePackage('PHP scripts through the JSPI build: same output as V8', 'php-wasm-jspi.mjs', {
    skip: unlessInstalled('@php-wasm/node-8-3') || (major < 24 && `Node ${major}: no JSPI in V8 (Node 24+)`),
  });
});
