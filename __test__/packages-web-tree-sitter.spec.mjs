// web-tree-sitter 0.27.1 with the tree-sitter-javascript 0.25.0 grammar (tree-sitter-javascript.wasm,
// ABI 15). Emscripten dynamic linking: the grammar is a side module (dylink.0 custom section)
// loaded into the main module's imported memory and function table (grown and set from JS),
// with mutable globals for its memory/table bases. Parses real JavaScript files, walks the trees,
// runs a query, edits and re-parses — same digest under `--jitless` as under V8; also with
// register loaded as an ES module (`--import ./register.mjs`).
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('web-tree-sitter + tree-sitter-javascript under node --jitless', () => {
  comparePackage('parse, walk, query, incremental re-parse: same digest as V8', 'web-tree-sitter.mjs');
  comparePackage('the same with --import ./register.mjs', 'web-tree-sitter.mjs', { preload: 'import' });
});
