// ARCHITECTURE.md is a code map: every file or folder it names in backticks must exist in the
// repository (issue #17: "checked: it names no file that does not exist"). A name may be given
// relative to any folder (`module/decode.rs` for crates/core/src/module/decode.rs), and
// `{a,b}` lists expand (`runtime/{instance,func}.rs`).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', 'target', '.git', 'bench-results']);

/** Every file and folder of the checkout (relative paths, folders with a trailing slash). */
function tree(dir = root, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    const rel = relative(root, path);
    if (statSync(path).isDirectory()) {
      out.push(`${rel}/`);
      tree(path, out);
    } else {
      out.push(rel);
    }
  }
  return out;
}

/** `a/{b,c}.rs` → [`a/b.rs`, `a/c.rs`]. */
function expand(name) {
  const m = /\{([^{}]*)\}/.exec(name);
  if (!m) return [name];
  return m[1].split(',').flatMap((part) => expand(name.slice(0, m.index) + part.trim() + name.slice(m.index + m[0].length)));
}

/** The backticked names in `text` that look like paths of this repository. */
export function namedPaths(text) {
  const names = new Set();
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    // (Split at spaces and at commas outside `{…}`.)
    for (const token of code.split(/\s+|,(?![^{]*\})/)) {
      const name = token.replace(/^\.\//, '').replace(/[():;]+$/, '');
      if (/^[\w.{}/-]+\.(rs|js|mjs|cjs|cc|md|toml|json|wast|sh|d\.ts)$/.test(name) || /^[\w{}-]+(\/[\w{}.-]+)*\/$/.test(name)) {
        if (!name.includes('://') && !name.startsWith('-')) names.add(name);
      }
    }
  }
  return [...names].flatMap(expand);
}

it('[#17] ARCHITECTURE.md names no file or folder that does not exist', () => {
  const files = tree();
  const text = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
  const names = namedPaths(text);
  assert.ok(names.length > 50, `only ${names.length} paths found: the pattern no longer matches the map`);
  const missing = names.filter((name) => !files.some((f) => f === name || f.endsWith(`/${name}`)));
  assert.deepEqual(missing, []);
});

it('the check finds a name that does not exist', () => {
  const files = tree();
  const [name] = namedPaths('see `engine/no_such_file.rs`');
  assert.equal(name, 'engine/no_such_file.rs');
  assert.ok(!files.some((f) => f.endsWith(`/${name}`)));
});
