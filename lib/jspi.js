'use strict';
// JavaScript Promise Integration (https://webassembly.github.io/js-promise-integration/js-api/#jspi):
// `WebAssembly.Suspending`, `WebAssembly.promising` and `WebAssembly.SuspendError`.
//
// A promising function runs its wasm function on a stack of its own (src/jspi.rs, the core's
// `engine::call_promising`); when a Suspending import called directly by it returns, the stack
// is set aside (its heap frames, nothing on the native stack) and resumed when the returned
// value, awaited as a promise, settles.

const native = require('./native.js');
const { SuspendError } = require('./errors.js');

// The promise operations, immune to later patching of the global Promise and its prototype.
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const promiseResolve = (v) => PromiseCtor.resolve(v);
const { defineProperty, getOwnPropertyDescriptor, create } = Object;
const bind = Function.prototype.bind;

const { hasFeature, profileAtLeast, followProfile, defineProfileMember } = require('./profile.js');

/** Whether the current profile has the JSPI members (node24, node26 and latest: V8 13.6+). */
function hasJspi() {
  return hasFeature('jspi');
}

/**
 * Whether a suspending import that may not suspend throws its SuspendError before calling the
 * JS function (the spec; V8 from Node 26 on: profiles node26 and latest) or after it returned
 * (Node 24's V8).
 */
function refuseBeforeCall() {
  return profileAtLeast('node26');
}

// The [[WrappedFunction]] internal slot of Suspending objects.
const wrapped = new WeakMap();

// https://webassembly.github.io/js-promise-integration/js-api/#dom-suspending-suspending
// A function, not a class: V8's texts for a call without `new`; the object is always made from
// %WebAssembly.Suspending.prototype% (V8 ignores NewTarget, so subclass instances are plain
// Suspending objects).
function Suspending(jsFun) {
  if (new.target === undefined) {
    throw new TypeError("WebAssembly.Suspending(): WebAssembly.Suspending must be invoked with 'new'");
  }
  // 1. If IsCallable(jsFun) is false, throw a TypeError.
  if (typeof jsFun !== 'function') throw new TypeError('WebAssembly.Suspending(): Argument 0 must be a function');
  // 2–3. Let susp be OrdinaryObjectCreate(%WebAssembly.Suspending.prototype%, « [[WrappedFunction]] »).
  const susp = create(Suspending.prototype);
  // 4. Set susp.[[WrappedFunction]] to jsFun.
  wrapped.set(susp, jsFun);
  // 5. Return susp.
  return susp;
}
defineProperty(Suspending, 'prototype', { writable: false, enumerable: false, configurable: false });
defineProperty(Suspending.prototype, Symbol.toStringTag, {
  value: 'WebAssembly.Suspending',
  writable: false,
  enumerable: false,
  configurable: true,
});

/** The [[WrappedFunction]] of a Suspending object, or undefined for any other value. */
function unwrapSuspending(v) {
  return wrapped.get(v);
}

// The outcome slots that src/jspi.rs fills (one array, reused: no allocation per step).
const out = [undefined, undefined];
// What a native step returns (src/jspi.rs `Status`).
const FULFILLED = 0;
const REJECTED = 1;
const SUSPENDED = 2;

/**
 * Settles `resolve`/`reject` with a native step's outcome, or, when the stack suspended, awaits
 * the promise it returned and resumes it then (https://webassembly.github.io/js-promise-integration/js-api/#create-a-suspending-function,
 * "Await(promise)"). The token and the two reactions are made once per invocation: every later
 * suspension of the same stack reuses them.
 */
function settle(status, resolve, reject) {
  let token;
  const step = (status) => {
    const value = out[0];
    out[0] = out[1] = undefined;
    if (status === FULFILLED) return resolve(value);
    if (status === REJECTED) return reject(value);
    // SUSPENDED: `value` is PromiseResolve(%Promise%, the import's result).
    promiseThen.call(value, onFulfilled, onRejected);
  };
  const onFulfilled = (v) => step(native.jspiResume(token, true, v, out));
  const onRejected = (e) => step(native.jspiResume(token, false, e, out));
  token = out[1];
  step(status);
}

/**
 * https://webassembly.github.io/js-promise-integration/js-api/#run-a-promising-function
 * The arguments are converted before anything runs, and a conversion error is thrown (as V8
 * does: its wrapper converts them before it makes the promise).
 */
const runPromising = (wasmFunc, ...args) => {
  const status = native.jspiCall(wasmFunc, args, out);
  // 1. Let promise be a new PromiseCapabilityRecord (the executor runs synchronously).
  return new PromiseCtor((resolve, reject) => settle(status, resolve, reject));
};

// https://webassembly.github.io/js-promise-integration/js-api/#dom-webassembly-promising
const promising = {
  promising(wasmFunc) {
    // 1. If IsCallable(wasmFunc) is false, throw a TypeError.
    if (typeof wasmFunc !== 'function') throw new TypeError('WebAssembly.promising(): Argument 0 must be a function');
    // 2. If wasmFunc does not have a [[FunctionAddress]] internal slot, throw a TypeError.
    if (!native.jspiIsExported(wasmFunc)) {
      throw new TypeError('WebAssembly.promising(): Argument 0 must be a WebAssembly exported function');
    }
    // 3–4. CreateBuiltinFunction(builder, 1, "", « »).
    // AD-HOC (spec): V8 names the function after the wasm function and gives it the wasm
    // function's arity. A bound arrow function: not a constructor, no `prototype`.
    const f = bind.call(runPromising, undefined, wasmFunc);
    const name = getOwnPropertyDescriptor(wasmFunc, 'name');
    const length = getOwnPropertyDescriptor(wasmFunc, 'length');
    defineProperty(f, 'name', { value: name ? name.value : '', writable: false, enumerable: false, configurable: true });
    defineProperty(f, 'length', { value: length ? length.value : 0, writable: false, enumerable: false, configurable: true });
    return f;
  },
}.promising;

/**
 * Adds the JSPI members to the namespace object `ns` (V8's attributes) while the profile has
 * them: they come and go with the profile, as validation does.
 */
function install(ns) {
  const member = (value, enumerable) => () => ({ value, writable: true, enumerable, configurable: true });
  defineProfileMember(ns, 'Suspending', member(Suspending, false), 'jspi');
  // A namespace operation: enumerable.
  defineProfileMember(ns, 'promising', member(promising, true), 'jspi');
  defineProfileMember(ns, 'SuspendError', member(SuspendError, false), 'jspi');
}

// The env's helpers; when the SuspendError is thrown follows the profile.
followProfile(() => native.jspiInit({ SuspendError, promiseResolve, refuseBeforeCall: refuseBeforeCall() }));

module.exports = { hasJspi, install, Suspending, promising, SuspendError, unwrapSuspending };
