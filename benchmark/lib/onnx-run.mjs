// Child of benchmark/onnx.mjs: loads onnxruntime-web from the directory given, creates a session
// of benchmark/lib/onnx-model.mjs's model on the wasm backend (one thread, SIMD), runs it
// `runs` times and prints one JSON line: session creation and per-run times (ms) and the output.
//
//   node [--jitless --require jitless-wasm/register] onnx-run.mjs <install dir> <runs>
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildModel, buildInput, INPUT_SHAPE } from './onnx-model.mjs';

const [dir, runsArg] = process.argv.slice(2);
const ort = createRequire(path.join(dir, 'index.js'))('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true;
let t = performance.now();
const session = await ort.InferenceSession.create(buildModel(), { executionProviders: ['wasm'] });
const create_ms = performance.now() - t;
const feeds = { x: new ort.Tensor('float32', buildInput(), INPUT_SHAPE) };
const times_ms = [];
let output;
for (let i = 0; i < Number(runsArg); i++) {
  t = performance.now();
  output = await session.run(feeds);
  times_ms.push(performance.now() - t);
}
console.log(JSON.stringify({ create_ms, times_ms, y: Array.from(output.y.data) }));
