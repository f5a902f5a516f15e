// The type declarations drop in for TypeScript's own `WebAssembly` namespace (lib.dom), both ways:
// __test__/types/*.{cts,mts,cjs} are type-checked with `--strict` by every TypeScript release in
// package.json's devDependencies (`typescript`: the current release; `typescript-prev`, an alias
// `npm:typescript@…`: the previous one), against `--lib es2022,dom` and `--lib esnext,dom`; and
// __test__/types/broken.mts must fail, which shows the check reads our declarations.
//
// JITLESS_WASM_TYPESCRIPT_MODULES=<a node_modules folder> is searched before the checkout's (to
// try other releases without installing them here).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(join(root, 'package.json'));
const extra = process.env.JITLESS_WASM_TYPESCRIPT_MODULES;

/** The TypeScript releases to check with: [{ name, wanted, version, tsc }]. */
function releases() {
  const found = [];
  for (const [name, spec] of Object.entries(manifest.devDependencies ?? {})) {
    const alias = /^npm:typescript@(.+)$/.exec(spec);
    if (name !== 'typescript' && !alias) continue;
    const wanted = alias ? alias[1] : spec;
    let pkg;
    try {
      pkg = require.resolve(`${name}/package.json`, { paths: extra ? [extra, root] : [root] });
    } catch {
      found.push({ name, wanted, error: `${name} is not installed: run npm install` });
      continue;
    }
    const { version, bin } = JSON.parse(readFileSync(pkg, 'utf8'));
    const tsc = join(dirname(pkg), typeof bin === 'string' ? bin : bin.tsc);
    found.push({ name, wanted, version, tsc });
  }
  return found;
}

/** Runs `tsc args…` with TypeScript `ts`; resolves to { code, output }. */
function tsc(ts, args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [ts.tsc, ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? error.signal) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const project = join('__test__', 'types', 'tsconfig.json');
const broken = join('__test__', 'types', 'tsconfig.broken.json');
const found = releases();

it('package.json names the current and the previous TypeScript release, both installed as pinned', () => {
  assert.ok(found.length >= 2, `devDependencies name ${found.length} TypeScript release(s); want typescript and typescript-prev`);
  for (const ts of found) {
    assert.equal(ts.error, undefined, ts.error);
    assert.equal(ts.version, ts.wanted, `${ts.name} is ${ts.version}, package.json wants ${ts.wanted}: run npm install`);
  }
  const minors = new Set(found.map((ts) => ts.version.split('.').slice(0, 2).join('.')));
  assert.equal(minors.size, found.length, `two releases, not one twice: ${found.map((ts) => ts.version).join(', ')}`);
});

// The declarations do not depend on the engine or the Node line: tsc runs once per suite run, in
// the run without --jitless (CI's test:js on every line), not again under --jitless.
const skip = process.execArgv.includes('--jitless') ? 'types do not depend on the engine: checked in the run without --jitless' : false;

for (const ts of found.filter((t) => !t.error)) {
  describe(`TypeScript ${ts.version} (${ts.name})`, { concurrency: true, skip }, () => {
    for (const lib of ['es2022,dom', 'esnext,dom']) {
      it(`jitless-wasm's namespace and lib.dom's WebAssembly are assignable both ways (--strict, --lib ${lib})`, async () => {
        const { code, output } = await tsc(ts, ['-p', project, '--lib', lib]);
        assert.equal(code, 0, `tsc -p ${project} --lib ${lib} failed:\n${output}`);
      });
    }
    it('a deliberately wrong use of our types fails to type-check (the check reads our declarations)', async () => {
      const { code, output } = await tsc(ts, ['-p', broken]);
      assert.notEqual(code, 0, `tsc -p ${broken} passed`);
      assert.match(output, /broken\.mts\(5,14\): error TS2739: Type 'Table' is missing the following properties from type 'Memory'/);
      assert.match(output, /broken\.mts\(6,\d+\): error TS2345: Argument of type 'string' is not assignable/);
    });
  });
}
