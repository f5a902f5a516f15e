// The WebAssembly implementations every JS-API case runs against.
//
// - 'v8': Node's built-in `globalThis.WebAssembly`. Absent under
//   `node --jitless` (V8 then leaves `WebAssembly` undefined).
// - 'jitless': ours, `require('../index.js')` (relative to __test__/).
//
// Ours is loaded lazily and tolerantly: when `index.js` is missing or throws,
// every case of the 'jitless' variant FAILS with the load error. Set
// JITLESS_WASM_ONLY_V8=1 to skip the 'jitless' variant instead (only meant for
// writing tests against V8 while the binding is not built).

import * as nodeTest from 'node:test';
import { describe } from 'node:test';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const ONLY_V8 = process.env.JITLESS_WASM_ONLY_V8 === '1';

// Captured once at load, before anything (a polyfill) could install ours.
const builtin = typeof globalThis.WebAssembly === 'object' ? globalThis.WebAssembly : undefined;

let ours; // { ns } or { error }

/** Loads our namespace object (cached). Returns { ns } or { error }. */
export function loadOurs() {
  if (!ours) {
    try {
      const exported = require('../../index.js');
      // Accept both `module.exports = namespace` and `{ WebAssembly: namespace }`.
      const ns =
        exported && typeof exported.WebAssembly === 'object' && exported.WebAssembly !== null
          ? exported.WebAssembly
          : exported;
      if (!ns || typeof ns.Module !== 'function') {
        throw new Error('index.js does not export a WebAssembly namespace (no Module constructor)');
      }
      if (builtin && ns === builtin) {
        throw new Error('index.js exported the built-in V8 WebAssembly object, not ours');
      }
      ours = { ns };
    } catch (error) {
      ours = { error };
    }
  }
  return ours;
}

/** A stand-in namespace whose every property access throws the load error. */
function failingNamespace(error) {
  const fail = () => {
    const e = new Error(`jitless-wasm (../index.js) failed to load: ${error && error.message}`);
    e.cause = error;
    throw e;
  };
  return new Proxy(Object.create(null), {
    get: fail,
    has: fail,
    ownKeys: fail,
    getOwnPropertyDescriptor: fail,
    getPrototypeOf: fail,
  });
}

/**
 * The implementations: [{ name, WebAssembly, isV8, skip }]. `skip` is a
 * reason string when the variant is not run in this process.
 */
export function implementations() {
  const list = [];
  list.push({
    name: 'v8',
    isV8: true,
    WebAssembly: builtin,
    skip: builtin ? false : 'globalThis.WebAssembly is not available (node --jitless)',
  });
  if (ONLY_V8) {
    list.push({ name: 'jitless', isV8: false, WebAssembly: undefined, skip: 'JITLESS_WASM_ONLY_V8=1' });
  } else {
    const { ns, error } = loadOurs();
    list.push({ name: 'jitless', isV8: false, WebAssembly: ns ?? failingNamespace(error), skip: false });
  }
  return list;
}

/**
 * Registers `describe(name, ...)` once per implementation. `body` receives
 * `{ name, WebAssembly, isV8 }` and registers the cases.
 */
export function forEachImpl(body) {
  for (const impl of implementations()) {
    if (impl.skip) {
      describe(impl.name, { skip: impl.skip }, () => {});
    } else {
      describe(impl.name, () => body(impl));
    }
  }
}

/**
 * Wraps a test body so that it runs with our process-wide feature profile switched to
 * "latest" (WebAssembly 3.0 without GC; see lib/profile.js), restored afterwards. Modules keep
 * the profile they were compiled with. For V8 the profile is irrelevant (and unchanged).
 */
export function latest(body) {
  return withProfile('latest', body);
}

/**
 * Wraps a test body so that it runs with our process-wide feature profile switched to `name`
 * (lib/profile.js), restored afterwards. For V8 the profile is irrelevant (and unchanged).
 */
export function withProfile(name, body) {
  return async (...args) => {
    const profiles = require('../../lib/profile.js');
    const before = profiles.profile();
    profiles.setProfile(name);
    try {
      return await body(...args);
    } finally {
      profiles.setProfile(before);
    }
  };
}

/**
 * A `skip` option for the cases that check V8's exact shared `buffer` (a fixed-length
 * SharedArrayBuffer per grow): false for V8 and for ours built with the V8 shim; a reason when
 * ours was built without Node's V8 headers and falls back to growable SharedArrayBuffers
 * (README, "Development").
 */
export function needsFixedSharedBuffers(WA) {
  const b = new WA.Memory({ initial: 0, maximum: 1, shared: true }).buffer;
  return b.growable === true ? 'built without the V8 headers: shared buffers are growable SharedArrayBuffers' : false;
}

/**
 * Inside a `describe`: switches our feature profile to "latest" for the cases of that block
 * (node:test `before`/`after` hooks), restoring the previous profile afterwards.
 */
export function latestInThisBlock() {
  const profiles = require('../../lib/profile.js');
  let before;
  nodeTest.before(() => {
    before = profiles.profile();
    profiles.setProfile('latest');
  });
  nodeTest.after(() => profiles.setProfile(before));
}
