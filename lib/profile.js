'use strict';
// Feature profiles: which WebAssembly features `validate`, `compile` and `new Module` accept.
//
// - "node20" (the default): what Node 20's built-in engine (V8 11.3) validates: WebAssembly 2.0
//   (SIMD included), threads, tail calls and the legacy exception instructions. `validate` then
//   answers as the built-in engine does, and feature detection picks the same builds.
// - "latest": everything the interpreter executes: WebAssembly 3.0 without GC (exnref
//   exceptions, multi-memory, memory64, extended-const, relaxed SIMD, typed function
//   references), threads and the legacy exception instructions.
//
// The profile is process-wide (Workers included). Select it with the environment variable
// JITLESS_WASM_FEATURES=latest|node20, or with `require('jitless-wasm/latest')` (then it stays
// "latest" for the whole process). A module keeps the profile it was compiled with.

const native = require('./native.js');

/** The environment variable that selects the profile at load. */
const ENV = 'JITLESS_WASM_FEATURES';

/** Switches the process-wide profile to `name` ("node20" or "latest"); returns it. */
function setProfile(name) {
  return native.setFeatureProfile(String(name));
}

/** The current profile's name. */
function profile() {
  return native.featureProfile();
}

/** Applies JITLESS_WASM_FEATURES if it is set (an unknown name throws a TypeError). */
function applyEnvironment() {
  const name = process.env[ENV];
  if (name !== undefined && name !== '') setProfile(name);
}

module.exports = { ENV, setProfile, profile, applyEnvironment };
