// @automerge/automerge 3.5.0 (Rust CRDTs, wasm-bindgen; the wasm uses legacy exception handling):
// concurrent changes, merge, save/load, incremental saves, history, conflicts, diffs, the sync
// protocol and a corrupt document's error — same output under `--jitless` as under V8.
import { describe } from 'node:test';
import { comparePackage } from './helpers/packages.mjs';

describe('@automerge/automerge under node --jitless', () => {
  comparePackage('changes, merge, save/load and sync: same output as V8', 'automerge.cjs');
});
