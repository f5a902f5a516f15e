// Workload for wasm-feature-detect: runs every detector (each validates or compiles a tiny module
// that uses one post-MVP feature) and prints the results as JSON. This is how packages that ship
// a SIMD/threads build and a baseline build pick one.
import * as detect from 'wasm-feature-detect';

const out = {};
for (const [name, fn] of Object.entries(detect)) out[name] = await fn();
process.stdout.write(JSON.stringify(out) + '\n');
