'use strict';
// Workload for esbuild-wasm (Go compiled to wasm, run by Go's wasm_exec.js runtime): transforms
// TypeScript, TSX/JSX, modern syntax lowered to es2015, minification with source maps and a
// syntax error, and bundles two virtual modules through a plugin. The package's node entry
// (lib/main.js) runs esbuild.wasm in a separate `node` child process (without our flags), so this
// workload uses the package's own in-process entry (lib/browser.js, `worker: false`), which
// compiles and runs esbuild.wasm in this process (that entry expects `self`, as in a browser).
// The test compares the sha256 of the output.
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
globalThis.self ??= globalThis;
const esbuild = require('esbuild-wasm/lib/browser.js');

const sha = (x) => createHash('sha256').update(x).digest('hex');
const root = path.dirname(require.resolve('esbuild-wasm/package.json'));

const ts = `
enum Color { Red, Green = 4, Blue }
interface Point<T extends number = number> { x: T; y: T }
abstract class Shape { constructor(public readonly name: string) {} abstract area(): number }
class Circle extends Shape {
  #r: number;
  constructor(r: number) { super('circle'); this.#r = r; }
  area(): number { return Math.PI * this.#r ** 2; }
  static from(p: Point): Circle { return new Circle(Math.hypot(p.x, p.y)); }
}
namespace Geometry { export const origin: Point = { x: 0, y: 0 }; }
export async function* shapes(n: number): AsyncGenerator<Shape> {
  for (let i = 0; i < n; i++) yield Circle.from({ x: i, y: i ?? 0 });
}
export const total = (xs: Shape[]) => xs.reduce((s, x) => s + x.area(), 0) satisfies number;
export default { Color, Geometry };
`;

const tsx = `
import * as React from 'react';
type Props = { items: string[]; onPick?: (s: string) => void };
export function List({ items, onPick }: Props) {
  const [sel, setSel] = React.useState<string | null>(null);
  return (
    <ul className="list" data-count={items.length}>
      {items.map((it) => <li key={it} onClick={() => { setSel(it); onPick?.(it); }}>{it === sel ? <b>{it}</b> : it}</li>)}
      <>{'fragment'} &amp; text</>
    </ul>
  );
}
`;

(async () => {
  const wasmModule = new WebAssembly.Module(fs.readFileSync(path.join(root, 'esbuild.wasm')));
  await esbuild.initialize({ wasmModule, worker: false });
  const out = [`version ${esbuild.version}`];
  const show = (name, r) => {
    out.push(`--- ${name}`);
    out.push(r.code);
    if (r.map) out.push(`map ${sha(r.map)}`);
    for (const w of r.warnings || []) out.push(`warning: ${w.text}`);
  };
  show('ts esnext', await esbuild.transform(ts, { loader: 'ts' }));
  show('ts es2015', await esbuild.transform(ts, { loader: 'ts', target: 'es2015' }));
  show('tsx', await esbuild.transform(tsx, { loader: 'tsx', jsx: 'transform' }));
  show('tsx automatic', await esbuild.transform(tsx, { loader: 'tsx', jsx: 'automatic' }));
  show('minify+map', await esbuild.transform(ts, { loader: 'ts', minify: true, sourcemap: 'external', format: 'cjs' }));
  show('iife', await esbuild.transform('export let a = 1n ** 3n; let {x, ...rest} = obj;', { format: 'iife', globalName: 'G', target: 'es2020' }));
  try {
    await esbuild.transform('let x = ;\nconst = 2', { loader: 'ts' });
    out.push('syntax error: none');
  } catch (e) {
    for (const m of e.errors) out.push(`error ${m.location && m.location.line}:${m.location && m.location.column} ${m.text}`);
  }
  const files = {
    'entry.ts': "import { greet } from './lib';\nimport data from './data.json';\nconsole.log(greet(data.name));\n",
    'lib.ts': 'export const greet = (n: string): string => `hello ${n}`;\nexport const unused = 42;\n',
    'data.json': '{ "name": "jitless", "extra": [1, 2, 3] }',
  };
  const bundled = await esbuild.build({
    entryPoints: ['entry.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    treeShaking: true,
    plugins: [{
      name: 'virtual',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) => {
          const base = a.path.replace(/^\.\//, '');
          const name = files[base] ? base : Object.keys(files).find((f) => f.startsWith(`${base}.`));
          return { path: name, namespace: 'virtual' };
        });
        b.onLoad({ filter: /.*/, namespace: 'virtual' }, (a) => ({
          contents: files[a.path],
          loader: a.path.endsWith('.json') ? 'json' : 'ts',
        }));
      },
    }],
  });
  for (const f of bundled.outputFiles) out.push(`bundle ${f.path.split('/').pop()}\n${f.text}`);
  process.stdout.write(out.join('\n') + '\n');
  // The Go runtime keeps the event loop alive (its timers); exit once everything is printed.
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
