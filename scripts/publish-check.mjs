// Checks the tarballs of `npm run package` (dist/*.tgz) as they would be published, and runs
// `npm publish --dry-run` on each. Exits non-zero on any failure.
//
// - every package: name, version (package.json's), license, engines, and repository when
//   package.json has one; no lifecycle script but the main package's `install`;
// - a platform package (`jitless-wasm-<platform>`): os/cpu/libc of scripts/platforms.mjs, `main`
//   its .node, and nothing else packed;
// - the main package: no .node, optionalDependencies naming exactly the platform tarballs in
//   dist/ at the same version, every `exports` target packed.
//
//   node scripts/publish-check.mjs

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platforms } from './platforms.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failures = [];

/** The packed file names and package.json of tarball `file`. */
function inspect(file) {
  const names = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((n) => n.replace(/^package\//, ''));
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
  return { names, manifest };
}

/** Every file path an `exports` map points at (its string leaves). */
function exportTargets(x) {
  if (typeof x === 'string') return [x];
  return Object.values(x ?? {}).flatMap(exportTargets);
}

/** Records a failure for `tgz` unless `ok`. */
function check(tgz, ok, what) {
  if (!ok) failures.push(`${tgz}: ${what}`);
}

const tarballs = readdirSync(dist).filter((f) => f.endsWith('.tgz') && f.includes(`-${main.version}.tgz`));
const platformNames = new Set();
for (const tgz of tarballs) {
  const { names, manifest: m } = inspect(join(dist, tgz));
  check(tgz, m.version === main.version, `version ${m.version}`);
  check(tgz, m.license === main.license, `license ${m.license}`);
  check(tgz, JSON.stringify(m.engines) === JSON.stringify(main.engines), `engines ${JSON.stringify(m.engines)}`);
  check(tgz, JSON.stringify(m.repository) === JSON.stringify(main.repository), `repository ${JSON.stringify(m.repository)}`);
  const scripts = Object.keys(m.scripts ?? {});
  const p = platforms.find((x) => m.name === `${main.name}-${x.name}`);
  if (p) {
    platformNames.add(m.name);
    const node = `${main.name}.${p.name}.node`;
    check(tgz, scripts.length === 0, `scripts ${scripts}`);
    check(tgz, m.main === node, `main ${m.main}`);
    check(tgz, JSON.stringify(m.os) === JSON.stringify([p.os]), `os ${m.os}`);
    check(tgz, JSON.stringify(m.cpu) === JSON.stringify([p.cpu]), `cpu ${m.cpu}`);
    check(tgz, JSON.stringify(m.libc) === JSON.stringify(p.libc ? [p.libc] : undefined), `libc ${m.libc}`);
    check(tgz, JSON.stringify(names.sort()) === JSON.stringify([node, 'package.json'].sort()), `files ${names}`);
  } else {
    check(tgz, m.name === main.name, `unknown package ${m.name}`);
    check(tgz, JSON.stringify(scripts) === '["install"]', `scripts ${scripts}`);
    check(tgz, !names.some((n) => n.endsWith('.node')), 'packs a .node');
    check(tgz, m.devDependencies === undefined, 'has devDependencies');
    for (const t of exportTargets(m.exports)) check(tgz, names.includes(t.slice(2)), `exports target ${t} not packed`);
  }
}
const mainTgz = tarballs.find((f) => f === `${main.name}-${main.version}.tgz`);
if (!mainTgz) failures.push(`dist/${main.name}-${main.version}.tgz: missing (run npm run package)`);
else {
  const optional = inspect(join(dist, mainTgz)).manifest.optionalDependencies ?? {};
  check(mainTgz, JSON.stringify(Object.keys(optional).sort()) === JSON.stringify([...platformNames].sort()),
    `optionalDependencies ${Object.keys(optional)} vs platform tarballs ${[...platformNames]}`);
  for (const v of Object.values(optional)) check(mainTgz, v === main.version, `optional dependency version ${v}`);
}

for (const tgz of tarballs) {
  try {
    execFileSync(npm, ['publish', '--dry-run', join(dist, tgz)], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    console.log(`ok: npm publish --dry-run dist/${tgz}`);
  } catch (error) {
    failures.push(`${tgz}: npm publish --dry-run failed:\n${error.stderr}`);
  }
}
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`ok: ${tarballs.length} tarballs (${[...platformNames].join(', ') || 'no platform package'} and ${main.name}) ready to publish`);
