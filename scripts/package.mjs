// `npm run package`: writes the npm tarballs to dist/ in the napi-rs layout.
//
// - One tarball per platform package (`jitless-wasm-<platform>`: npm/<platform>/package.json
//   with its os/cpu/libc fields, and `jitless-wasm.<platform>.node`), for every platform whose
//   binary is built: dist/bin/jitless-wasm.<platform>.node (scripts/cross-build.sh), or for this
//   machine's platform the addon built in the checkout (`npm run build`).
// - The main package (`jitless-wasm`): the files of package.json's `files` (no `.node`), with
//   `optionalDependencies` on exactly the platform packages packed here, so that npm installs the
//   matching one and scripts/install.js builds nothing.
//
//   node scripts/package.mjs [--sync] [--platform <name>|current]
//   (--sync only rewrites npm/*/package.json; --platform packs that one platform package and the
//   main package only, e.g. in CI from the addon already built: `--platform current`)
//
// Prints a table of what was packed, with sizes.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentPlatform, platforms } from './platforms.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The package.json of platform `p`. */
function platformManifest(p) {
  return {
    name: `${main.name}-${p.name}`,
    version: main.version,
    description: `The ${p.name} binary of ${main.name} (${p.target})`,
    main: `${main.name}.${p.name}.node`,
    files: [`${main.name}.${p.name}.node`],
    license: main.license,
    repository: main.repository,
    engines: main.engines,
    os: [p.os],
    cpu: [p.cpu],
    ...(p.libc ? { libc: [p.libc] } : {}),
  };
}

/** Writes npm/<platform>/package.json for every platform (kept in sync with package.json). */
function sync() {
  for (const p of platforms) {
    const dir = join(root, 'npm', p.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(platformManifest(p), null, 2) + '\n');
  }
}

/** Packs the folder `dir` into dist/ and returns the tarball's path. */
function pack(dir) {
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dist], { cwd: dir, encoding: 'utf8' });
  return join(dist, JSON.parse(out)[0].filename);
}

sync();
if (process.argv.includes('--sync')) process.exit(0);
const only = (() => {
  const i = process.argv.indexOf('--platform');
  if (i < 0) return null;
  const name = process.argv[i + 1] === 'current' ? currentPlatform() : process.argv[i + 1];
  if (!platforms.some((p) => p.name === name)) {
    console.error(`--platform: unknown platform ${name}; known: ${platforms.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  return name;
})();
rmSync(join(dist, 'stage'), { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
// The tarballs of an earlier run go: dist/ then holds exactly the packages of this one.
for (const f of readdirSync(dist)) if (f.endsWith('.tgz')) rmSync(join(dist, f));

const rows = [];
const packed = {};
for (const p of platforms.filter((x) => !only || x.name === only)) {
  const file = `${main.name}.${p.name}.node`;
  const candidates = [join(dist, 'bin', file), ...(p.name === currentPlatform() ? [join(root, file)] : [])];
  const binary = candidates.find((f) => existsSync(f));
  if (!binary) {
    rows.push([p.name, 'not built', '', '']);
    continue;
  }
  const stage = join(dist, 'stage', p.name);
  mkdirSync(stage, { recursive: true });
  copyFileSync(join(root, 'npm', p.name, 'package.json'), join(stage, 'package.json'));
  copyFileSync(binary, join(stage, file));
  const tgz = pack(stage);
  packed[platformManifest(p).name] = main.version;
  rows.push([p.name, 'packed', `${(statSync(binary).size / 1024).toFixed(0)} KiB .node`, tgz.slice(root.length)]);
}

if (only && Object.keys(packed).length === 0) {
  console.error(`--platform ${only}: no binary built (run \`npm run build\` or scripts/cross-build.sh first)`);
  process.exit(1);
}

// The main package: the files npm would pack from the checkout, minus any .node.
const listing = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
const stage = join(dist, 'stage', 'main');
for (const { path } of listing[0].files) {
  if (path.endsWith('.node') || path === 'package.json') continue;
  mkdirSync(dirname(join(stage, path)), { recursive: true });
  copyFileSync(join(root, path), join(stage, path));
}
const manifest = { ...main, optionalDependencies: packed };
delete manifest.devDependencies;
manifest.scripts = { install: main.scripts.install };
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
const tgz = pack(stage);
rows.push(['(main)', 'packed', `${Object.keys(packed).length} optionalDependencies`, tgz.slice(root.length)]);

for (const r of rows) console.log(r.map((c, i) => String(c).padEnd([18, 10, 28, 0][i])).join(' '));
