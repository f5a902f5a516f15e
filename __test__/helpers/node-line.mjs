// The Node line these tests run on, for the cases whose V8 oracle changed between lines (error
// texts, namespace members, what `validate` accepts): `nodeMajor` is the running Node's major
// version, `atLeast(n)` whether it is n or newer, and `hostProfile` our default feature profile
// on it (lib/profile.js: node20, node22, node24 or node26).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The running Node's major version (20, 22, 24, 26, …). */
export const nodeMajor = Number(process.versions.node.split('.')[0]);

/** Whether the running Node's major version is `major` or newer. */
export const atLeast = (major) => nodeMajor >= major;

/** Our default feature profile on this Node (the one a fresh process starts with). */
export const hostProfile = require('../../lib/profile.js').profileForNodeMajor(nodeMajor);

/** `table[line]` for the newest line in `table` (keys: majors) that is not newer than this Node. */
export function byLine(table) {
  const majors = Object.keys(table).map(Number).sort((a, b) => a - b);
  let pick = majors[0];
  for (const m of majors) if (m <= nodeMajor) pick = m;
  return table[pick];
}

/**
 * V8's label of import `index` in link errors on this line (`name` omitted: the label of a
 * module that is not an object): `Import #i module="m" function="n" error` (V8 11.3, Node 20),
 * `Import #i module="m" function="n"` (V8 12.4, Node 22), `Import #i "m" "n"` (V8 13.6 on).
 */
export function importLabel(index, module, name) {
  if (nodeMajor < 22) return `Import #${index} module="${module}"${name === undefined ? '' : ` function="${name}"`} error`;
  if (nodeMajor < 24) return `Import #${index} module="${module}"${name === undefined ? '' : ` function="${name}"`}`;
  return `Import #${index} "${module}"${name === undefined ? '' : ` "${name}"`}`;
}
