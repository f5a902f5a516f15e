// One timed WASI benchmark process for scripts/wasi/bench.mjs:
//   node [--jitless] bench-run.mjs <impl> <file.wasm> '<options JSON>' <repeat>
// impl 'node' (node:wasi over V8) or 'ours' (jitless-wasm/wasi over jitless-wasm). Compiles the
// module once, then runs it `repeat` times, each with a fresh WASI and instance, and prints the
// fastest `wasi.start()` as the last stdout line: `start-ms <wall ms> <cpu ms>` (CPU time, user +
// system, is the steadier number on a loaded machine).
import fs from 'node:fs';
import { wasiEngine } from '../../__test__/helpers/wasi-engine.mjs';

const [impl, file, json, repeat = '1'] = process.argv.slice(2);
const options = { version: 'preview1', returnOnExit: true, ...JSON.parse(json || '{}') };
const { WA, WASI } = await wasiEngine(impl);
const module = new WA.Module(fs.readFileSync(file));
let best = Infinity;
let bestCpu = Infinity;
for (let i = 0; i < Number(repeat); i++) {
  const wasi = new WASI(options);
  const instance = new WA.Instance(module, wasi.getImportObject());
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const code = wasi.start(instance);
  best = Math.min(best, performance.now() - t0);
  const c = process.cpuUsage(c0);
  bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000);
  if (code !== 0) process.exit(code);
}
console.log(`start-ms ${best.toFixed(2)} ${bestCpu.toFixed(2)}`);
