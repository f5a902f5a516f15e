// tiktoken 1.0.22 (Rust + wasm-bindgen, BPE ranks embedded in a 5 MB wasm): encodes and decodes
// texts with cl100k_base, o200k_base and p50k_base, special tokens and their error path — same
// token arrays under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('tiktoken under node --jitless', () => {
  comparePackage('encode/decode with three encodings: same tokens as V8', 'tiktoken.cjs');
});
