// The real modules the malformed-input runner mutates: .wasm files of the npm packages in
// node_modules (up to a size cap, so each run stays fast), the modules hash-wasm embeds as
// base64, and wasm-feature-detect's small feature probes (one per proposal).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Package files that are modules. */
const WASM_FILES = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-javascript/tree-sitter-javascript.wasm',
  'sql.js/dist/sql-wasm.wasm',
  'tiktoken/lite/tiktoken_bg.wasm',
  'brotli-wasm/pkg.node/brotli_wasm_bg.wasm',
  'esbuild-wasm/esbuild.wasm',
];

/** JS files that embed modules as base64 strings. */
const BASE64_FILES = ['hash-wasm/dist/index.esm.js'];

/** JS files that embed modules as byte-array literals. */
const ARRAY_FILES = ['wasm-feature-detect/dist/esm/index.js'];

/** The corpus: [{name, bytes}], modules larger than `maxSize` left out. */
export function loadCorpus(root, maxSize) {
  const nm = join(root, 'node_modules');
  const corpus = [];
  for (const f of WASM_FILES) {
    const p = join(nm, f);
    if (existsSync(p) && statSync(p).size <= maxSize) corpus.push({ name: f, bytes: readFileSync(p) });
  }
  for (const f of BASE64_FILES) {
    const p = join(nm, f);
    if (!existsSync(p)) continue;
    const text = readFileSync(p, 'utf8');
    let k = 0;
    for (const m of text.matchAll(/"(AGFzbQ[A-Za-z0-9+/=]+)"/g)) corpus.push({ name: `${f}#${k++}`, bytes: Buffer.from(m[1], 'base64') });
  }
  for (const f of ARRAY_FILES) {
    const p = join(nm, f);
    if (!existsSync(p)) continue;
    const text = readFileSync(p, 'utf8');
    let k = 0;
    for (const m of text.matchAll(/\[(0,97,115,109,[0-9,]+)\]/g)) {
      corpus.push({ name: `${f}#${k++}`, bytes: Buffer.from(m[1].split(',').map(Number)) });
    }
  }
  return corpus;
}
