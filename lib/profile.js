'use strict';
// Feature profiles: which WebAssembly features `validate`, `compile` and `new Module` accept, and
// which namespace members exist.
//
// - "node20", "node22", "node24", "node26": what that Node line's built-in engine validates by
//   default (the table and its sources: crates/core/src/module/profile.rs; re-checked by
//   scripts/profiles/derive.mjs). The default is the running Node's line, so `validate` answers
//   as the built-in engine of the same Node does and feature detection picks the same builds
//   (an unknown newer Node gets the newest line's profile, an older one node20). GC is in the
//   node22+ profiles (their V8s ship it), not in node20.
// - "latest": everything the interpreter executes: WebAssembly 3.0 (exnref exceptions,
//   multi-memory, memory64, extended-const, relaxed SIMD, typed function references, GC with its
//   values crossing the JS boundary as in V8: src/gc_values.rs; the GC value type names of
//   Global, Table and Tag), threads and the legacy exception instructions, with every namespace
//   member.
//
// The profile is process-wide (Workers included): the first load sets the host's default, later
// loads (a Worker's) keep what is current. Select it with the environment variable
// JITLESS_WASM_FEATURES=latest|node20|node22|node24|node26, or with `require('jitless-wasm/latest')`
// (then it stays "latest" for the whole process). A module keeps the profile it was compiled with.

const native = require('./native.js');

/** The environment variable that selects the profile at load. */
const ENV = 'JITLESS_WASM_FEATURES';

/** The Node-line profiles, oldest first; `latest` counts as newer than all of them. */
const LINES = ['node20', 'node22', 'node24', 'node26'];
const ORDER = [...LINES, 'latest'];

/**
 * Namespace-level features (beyond what `validate` accepts) and the first profile that has
 * each: JSPI (`Suspending`, `promising`, `SuspendError`; `--experimental-wasm-jspi` on by default
 * from V8 13.6) and resizable buffers (`Memory.prototype.toResizableBuffer` /
 * `toFixedLengthBuffer`; `--experimental-wasm-rab-integration` on by default in V8 14.6) and
 * the JS String Builtins compile options (`--experimental-wasm-imported-strings` on by default
 * from V8 12.4; Node 20's V8 ignores the options).
 */
const FEATURES = { jspi: 'node24', 'rab-integration': 'node26', jstag: 'node22', 'js-string': 'node22' };

/** The profile of a Node with major version `major`. */
function profileForNodeMajor(major) {
  const fitting = LINES.filter((name) => Number(name.slice(4)) <= major);
  return fitting.length > 0 ? fitting[fitting.length - 1] : LINES[0];
}

/** The running Node's profile. */
function hostProfile() {
  return profileForNodeMajor(Number(process.versions.node.split('.')[0]));
}

/** Members that exist only from some profile on: { target, key, make, feature, made }. */
const members = [];

/** Adds or removes one profile member so that it exists exactly when its feature is on. */
function syncMember(member) {
  const { target, key, feature } = member;
  const own = Object.getOwnPropertyDescriptor(target, key);
  if (hasFeature(feature)) {
    if (own === undefined) Object.defineProperty(target, key, descriptorOf(member));
  } else if (own !== undefined && member.made !== undefined && same(own, member.made)) {
    // Ours (not a user's replacement): removed while the profile lacks the feature.
    delete target[key];
  }
}

/** The member's descriptor, made on first use (`make` may create objects, as JSTag's does). */
function descriptorOf(member) {
  member.made ??= member.make();
  return member.made;
}

/** Whether two property descriptors hold the same value or accessors. */
const same = (a, b) => a.value === b.value && a.get === b.get && a.set === b.set;

/**
 * Defines `target[key]` with the descriptor `make()` returns (called once, when first needed)
 * while the current profile has namespace feature `feature` (a key of FEATURES), and keeps it so
 * when the profile changes (`setProfile`): namespace members follow the profile as validation
 * does. Members are added at the end of the target's own keys.
 */
function defineProfileMember(target, key, make, feature) {
  if (!Object.hasOwn(FEATURES, feature)) throw new TypeError(`jitless-wasm: unknown feature ${JSON.stringify(feature)}`);
  const member = { target, key, make, feature, made: undefined };
  members.push(member);
  syncMember(member);
}

/** Functions run now and after every profile change (`followProfile`). */
const followers = [];

/** Runs `update()` now and after every `setProfile`: for what varies with the profile in place. */
function followProfile(update) {
  followers.push(update);
  update();
}

/** Switches the process-wide profile to `name` (see ORDER); returns it. */
function setProfile(name) {
  const result = native.setFeatureProfile(String(name));
  for (const m of members) syncMember(m);
  for (const f of followers) f();
  return result;
}

/** The current profile's name. */
function profile() {
  return native.featureProfile();
}

/** Whether the current profile is `name` or a newer one (`latest` is the newest). */
function profileAtLeast(name) {
  const want = ORDER.indexOf(name);
  if (want < 0) throw new TypeError(`jitless-wasm: unknown feature profile ${JSON.stringify(name)}`);
  return ORDER.indexOf(profile()) >= want;
}

/** Whether the current profile has the namespace-level feature `name` (a key of FEATURES). */
function hasFeature(name) {
  if (!Object.hasOwn(FEATURES, name)) throw new TypeError(`jitless-wasm: unknown feature ${JSON.stringify(name)}`);
  return profileAtLeast(FEATURES[name]);
}

/**
 * Sets the profile at load: JITLESS_WASM_FEATURES if it is set (an unknown name throws a
 * TypeError), else the host's line unless a profile was chosen already (by `jitless-wasm/latest`,
 * or by the thread that started this Worker).
 */
function applyEnvironment() {
  const name = process.env[ENV];
  if (name !== undefined && name !== '') return setProfile(name);
  native.initFeatureProfile(hostProfile());
  // What was set up before the profile was known (modules loaded earlier) follows it now.
  for (const m of members) syncMember(m);
  for (const f of followers) f();
}

module.exports = { ENV, LINES, FEATURES, setProfile, defineProfileMember, followProfile, profile, profileAtLeast, hasFeature, hostProfile, profileForNodeMajor, applyEnvironment };
