'use strict';
// %AbstractModuleSource% (https://tc39.es/proposal-source-phase-imports/#sec-%abstractmodulesource%):
// from V8 13.6 (Node 24) on, WebAssembly.Module extends it (Module's [[Prototype]] is it, and
// Module.prototype's is its prototype). It cannot be called or constructed ("Illegal
// invocation", as V8 says); its prototype's @@toStringTag getter answers "WebAssembly.Module" for
// a Module and undefined for anything else. The intrinsic is not reachable from JS (and under
// --jitless V8 has none), so ours is a look-alike; `lib/namespace.js` links it in for the
// node24+ profiles.

const { unwrapModule } = require('./module.js');

// A plain function (a class could not be called to throw this TypeError).
function AbstractModuleSource() {
  throw new TypeError('Illegal invocation');
}
Object.defineProperty(AbstractModuleSource, 'prototype', { writable: false });

const tagGetter = {
  // https://tc39.es/proposal-source-phase-imports/#sec-get-%abstractmodulesource%.prototype.@@tostringtag
  get [Symbol.toStringTag]() {
    // 1. Let O be the this value. 2. If O is not an Object, return undefined.
    // 3. If O does not have a [[ModuleSourceClassName]] internal slot, return undefined.
    // 4. Return O.[[ModuleSourceClassName]].
    return unwrapModule(this) === undefined ? undefined : 'WebAssembly.Module';
  },
};
Object.defineProperty(AbstractModuleSource.prototype, Symbol.toStringTag, {
  get: Object.getOwnPropertyDescriptor(tagGetter, Symbol.toStringTag).get,
  set: undefined,
  enumerable: false,
  configurable: true,
});

/** Makes `Module` extend AbstractModuleSource (`on`), or plain Function / Object again. */
function linkModule(Module, on) {
  Object.setPrototypeOf(Module, on ? AbstractModuleSource : Function.prototype);
  Object.setPrototypeOf(Module.prototype, on ? AbstractModuleSource.prototype : Object.prototype);
}

module.exports = { AbstractModuleSource, linkModule };
