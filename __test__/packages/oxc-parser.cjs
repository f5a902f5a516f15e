'use strict';
// Workload for oxc-parser with its napi-rs WebAssembly binding (@oxc-parser/binding-wasm32-wasi:
// Rust built for wasm32-wasip1-threads, loaded through node:wasi, @napi-rs/wasm-runtime and
// @emnapi's wasi-threads, with Worker threads sharing one memory). Parses JavaScript and
// TypeScript sources synchronously and asynchronously (the async ones run on the wasm threads),
// reports syntax errors, module records and comments. Prints one line per result; the test
// compares the sha256 of this output.
// NAPI_RS_WASI_FLAVOR=wasm32-wasi while oxc-parser loads: strictly its WASI (threads) binding,
// never a native one npm may also have installed as an optional dependency. Unset again right
// after: jitless-wasm's own napi-rs loader, preloaded in the binding's Worker threads, reads it.
process.env.NAPI_RS_WASI_FLAVOR = 'wasm32-wasi';
const { parseSync, parse } = require('oxc-parser');
const { __napiBindingTarget } = require('oxc-parser/src-js/bindings');
delete process.env.NAPI_RS_WASI_FLAVOR;

const sources = {
  'a.js': 'import x, { y as z } from "m";\nexport const f = async (a, ...b) => { await x(a); return [...b, z]; };\n',
  'b.ts': 'interface P { x: number; y?: string }\nexport default class C<T> implements P { x = 1; #h = new Map<string, T>(); get size(): number { return this.#h.size } }\n',
  'c.jsx': 'const App = () => <div className="a">{items.map((i) => <Item key={i} {...i} />)}</div>;\n',
  'd.js': '// leading comment\n/* block */ label: for (const k in o) { if (k) continue label; else break label; }\n`tpl ${1 + 2} end`;\n',
  'bad.js': 'let = ;\nfunction ( {\n',
  'regex.js': 'const r = /(?<year>\\d{4})-(?<m>\\d{2})/gu; const big = 123_456n ** 2n;\n',
};

const replacer = (k, v) => (typeof v === 'bigint' ? `${v}n` : v);

function summary(name, result) {
  return JSON.stringify({
    name,
    program: result.program,
    errors: result.errors.map((e) => ({ message: e.message, severity: e.severity, labels: e.labels })),
    comments: result.comments,
    staticImports: result.module.staticImports.length,
    staticExports: result.module.staticExports.length,
  }, replacer);
}

async function main() {
  console.log(JSON.stringify({ binding: __napiBindingTarget }));
  for (const [name, src] of Object.entries(sources)) console.log(summary(name, parseSync(name, src)));
  // Asynchronous parses run on the binding's thread pool (wasm threads).
  const names = Object.keys(sources);
  const results = await Promise.all(names.map((name) => parse(name, sources[name])));
  results.forEach((r, i) => console.log(summary(`async ${names[i]}`, r)));
  // A larger generated file.
  const big = Array.from({ length: 300 }, (_, i) => `export function f${i}(a) { return a * ${i} + f${(i + 1) % 300}.length; }`).join('\n');
  const r = await parse('big.js', big);
  console.log(JSON.stringify({ big: r.program.body.length, errors: r.errors.length, exports: r.module.staticExports.length }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
