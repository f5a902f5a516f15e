'use strict';
// Runs three package workloads (sql.js, web-tree-sitter, hash-wasm, smaller sizes) at the same
// time in worker_threads Workers started without any special options, and prints the sha256 of
// each one's output: under `--jitless --require ./register.js` the Workers get jitless-wasm from
// register (see register.js) and must produce what V8 produces.
const { Worker } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const path = require('node:path');

const workloads = ['sql.js.cjs', 'web-tree-sitter.mjs', 'hash-wasm.mjs'];
process.env.SQL_ROWS = '3000';
process.env.HASH_MB = '1';

Promise.all(
  workloads.map(
    (file) =>
      new Promise((resolve, reject) => {
        const w = new Worker(path.join(__dirname, file), { stdout: true });
        const chunks = [];
        w.stdout.on('data', (c) => chunks.push(c));
        w.on('error', reject);
        w.on('exit', (code) => resolve(`${file} exit ${code} output ${createHash('sha256').update(Buffer.concat(chunks)).digest('hex')}`));
      }),
  ),
).then(
  (lines) => process.stdout.write(lines.join('\n') + '\n'),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
