// sql.js 1.16.0 (SQLite compiled with Emscripten): builds a database of thousands of rows with
// indexes, runs joins and aggregates, exports the image and hashes it — the output must be
// identical under `node --jitless --require ./register.js` and under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('sql.js under node --jitless', () => {
  comparePackage('create, insert, index, join, aggregate, export: same digest as V8', 'sql.js.cjs');
});
