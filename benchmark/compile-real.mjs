// `new Module` of real modules (issue #16): time and memory, ours vs V8.
//
//   node benchmark/compile-real.mjs [--runs=N] [--filter=esbuild,z3] [--no-jitless] [--json <file>]
//   npm run bench:compile
//
// Each run is a fresh child process (`node --expose-gc [--jitless] compile-real.mjs --child
// '<json>'`), so no cache of an earlier compile helps. The child reads the file, collects
// garbage, then times one `new WebAssembly.Module(bytes)` and reports the RSS and
// external + ArrayBuffer memory added by the compiled module (after a full GC, the bytes
// still held). Engines: V8 (Node's own `WebAssembly`, JIT/Liftoff: under --jitless V8 has no
// WebAssembly), ours with the JIT on (for the JS glue), ours under --jitless. The table shows
// the medians of the runs, which are interleaved (round r runs every engine once per module).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

/** The real modules measured: name and path (those not installed are skipped). */
const MODULES = [
  ['esbuild', 'node_modules/esbuild-wasm/esbuild.wasm'],
  ['z3', 'node_modules/z3-solver/build/z3-built.wasm'],
  ['php 8.3', 'node_modules/@php-wasm/node-8-3/jspi/8_3_33/php_8_3.wasm'],
  ['vips', 'node_modules/wasm-vips/lib/vips.wasm'],
  ['ruby', 'node_modules/@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm'],
];

/** Engines: name, node flags, and which namespace the child uses. */
const ENGINES = [
  ['V8', [], 'v8'],
  ['ours', [], 'ours'],
  ['ours --jitless', ['--jitless'], 'ours'],
];

function child(task) {
  const gc = globalThis.gc;
  let WA;
  if (task.engine === 'v8') {
    WA = globalThis.WebAssembly;
  } else {
    WA = createRequire(SELF)(path.join(ROOT, 'index.js'));
  }
  const bytes = fs.readFileSync(task.file);
  const snap = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, external: m.external + m.arrayBuffers };
  };
  const s0 = snap();
  const t0 = process.hrtime.bigint();
  const module = new WA.Module(bytes);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const s1 = snap();
  const exports = WA.Module.exports(module).length;
  return { ms, rss: s1.rss - s0.rss, external: s1.external - s0.external, exports };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const mb = (b) => (b / (1 << 20)).toFixed(1);

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(child(JSON.parse(args[1]))) + '\n');
    return;
  }
  const opt = (name, dflt) => {
    const a = args.find((x) => x.startsWith(`--${name}=`));
    return a ? a.slice(name.length + 3) : dflt;
  };
  const runs = Number(opt('runs', '3'));
  const filter = opt('filter', '').split(',').filter(Boolean);
  const jsonAt = args.indexOf('--json');
  const engines = ENGINES.filter(([name]) => !(args.includes('--no-jitless') && name.includes('jitless')));
  const modules = MODULES.filter(([name, file]) =>
    (!filter.length || filter.some((f) => name.includes(f))) && fs.existsSync(path.join(ROOT, file)));
  const results = {};
  for (let r = 0; r < runs; r++) {
    for (const [mod, file] of modules) {
      // Rotate the engines' order each round, so that load from other processes hits all alike.
      for (let k = 0; k < engines.length; k++) {
        const [eng, flags, engine] = engines[(k + r) % engines.length];
        const task = JSON.stringify({ engine, file: path.join(ROOT, file) });
        const key = `${mod}\0${eng}`;
        let out;
        try {
          const line = execFileSync(process.execPath, [...flags, '--expose-gc', SELF, '--child', task], {
            encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'],
          });
          out = JSON.parse(line.trim().split('\n').pop());
        } catch (e) {
          out = { error: String(e.stderr || e.message).split('\n').find(Boolean) };
        }
        (results[key] ??= []).push(out);
        console.error(`[${r + 1}/${runs}] ${mod} ${eng}: ${out.error ?? `${out.ms.toFixed(0)} ms, +${mb(out.rss)} MB RSS`}`);
      }
    }
  }
  const summary = {};
  const head = ['module', 'size MB', ...engines.flatMap(([e]) => [`${e} ms`, `${e} +RSS MB`])];
  head.push('ours/V8 time', 'ours/V8 RSS');
  const rows = [head, head.map(() => '---')];
  for (const [mod, file] of modules) {
    const row = [mod, mb(fs.statSync(path.join(ROOT, file)).size)];
    summary[mod] = {};
    for (const [eng] of engines) {
      const rs = results[`${mod}\0${eng}`].filter((x) => !x.error);
      if (!rs.length) {
        row.push('error', results[`${mod}\0${eng}`][0].error.slice(0, 60));
        continue;
      }
      const s = { ms: median(rs.map((x) => x.ms)), rss: median(rs.map((x) => x.rss)),
        external: median(rs.map((x) => x.external)), runs: rs.map((x) => x.ms) };
      summary[mod][eng] = s;
      row.push(s.ms.toFixed(0), mb(s.rss + s.external));
    }
    const v8 = summary[mod].V8;
    const ours = summary[mod].ours;
    row.push(v8 && ours ? `${(ours.ms / v8.ms).toFixed(2)}×` : '', v8 && ours
      ? `${((ours.rss + ours.external) / (v8.rss + v8.external)).toFixed(2)}×` : '');
    rows.push(row);
  }
  console.log(`\nnew Module of real modules: medians of ${runs} fresh processes, Node ${process.version}`);
  console.log('(+RSS MB = RSS + external memory added by the compiled module, after GC)\n');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (jsonAt >= 0) fs.writeFileSync(args[jsonAt + 1], JSON.stringify(summary, null, 2));
}

await main();
