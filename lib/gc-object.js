'use strict';
// WasmGC objects in JS (issue #13): ToJSValue of a struct or array is an opaque object, as V8's
// WasmObject behaves: null prototype, no own properties, not extensible (frozen), and every
// write (set, even in sloppy mode; defineProperty; delete; setPrototypeOf; preventExtensions, so
// also Object.freeze and Object.seal) a TypeError
// "WebAssembly objects are opaque". A Proxy over one shared frozen null-prototype target gives
// exactly that (a plain frozen object fails silently in sloppy mode). The native side
// (src/gc_values.rs) wraps each proxy with its GC object's handle and caches it per object.
//
// AD-HOC (differences from V8 that a Proxy cannot avoid): `JSON.stringify` of a V8 WasmObject is
// `undefined` (V8 special-cases it); a Proxy gets that only through a `toJSON` method, so
// reading `toJSON` alone gives a function that returns `undefined` (`'toJSON' in o` stays false,
// `Reflect.ownKeys(o)` empty). `util.types.isProxy(o)` is true, and `util.inspect` shows
// `Proxy([Object: null prototype] {})` where V8's object shows `[Object: null prototype] {}`.

const OPAQUE = 'WebAssembly objects are opaque';

function opaque() {
  throw new TypeError(OPAQUE);
}

const noJson = () => undefined;

/** The traps: no user code can reach or change them (null prototype, frozen). */
const handler = Object.freeze({
  __proto__: null,
  get: (_target, key) => (key === 'toJSON' ? noJson : undefined),
  set: opaque,
  defineProperty: opaque,
  deleteProperty: opaque,
  setPrototypeOf: opaque,
  preventExtensions: opaque,
});

/** The one target of every GC object: nothing to read, nothing to change. */
const target = Object.freeze(Object.create(null));

/** A new opaque object (the native side attaches the GC object's handle to it). */
function makeGcObject() {
  return new Proxy(target, handler);
}

module.exports = { makeGcObject, OPAQUE };
