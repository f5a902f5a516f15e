// hash-wasm 4.13.0 (hand-tuned C compiled to wasm, loaded with WebAssembly.compile/instantiate):
// 23 hash functions over multi-megabyte buffers, incremental hashing, HMAC, PBKDF2, scrypt,
// bcrypt and argon2i/d/id with small parameters — same digest under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('hash-wasm under node --jitless', () => {
  comparePackage('hashes, KDFs and argon2id: same digest as V8', 'hash-wasm.mjs');
});
