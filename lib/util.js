'use strict';
// Shared helpers of the interface classes: the internal-construction token and WebIDL
// property attributes (https://webidl.spec.whatwg.org/#es-interfaces).

/** Passed as the first constructor argument to build a wrapper over an existing native handle. */
const INTERNAL = Object.freeze({ __proto__: null, internal: true });

/**
 * Set once this thread made one of our Modules, Memories, Tables, Globals or Tags (every other
 * object of ours needs one of them first): until then lib/transfer.js has nothing to search
 * for in a message.
 */
const made = { any: false };

/** Whether `v` is an ECMAScript Object (functions included). */
function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/**
 * Gives a class the property attributes of a WebIDL interface: operations and attributes are
 * enumerable (class members are not), static operations too, and the prototype gets
 * `Symbol.toStringTag` (non-writable, non-enumerable, configurable).
 */
function defineInterface(cls, tag) {
  const proto = cls.prototype;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    d.enumerable = true;
    Object.defineProperty(proto, key, d);
  }
  for (const key of Reflect.ownKeys(cls)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(cls, key);
    d.enumerable = true;
    Object.defineProperty(cls, key, d);
  }
  Object.defineProperty(proto, Symbol.toStringTag, {
    value: tag,
    writable: false,
    enumerable: false,
    configurable: true,
  });
  return cls;
}

/** The TypeError for a method or getter called on the wrong receiver. */
function receiverError(name) {
  return new TypeError(`Receiver is not a ${name}`);
}

/** The TypeError for a missing required argument. */
function argumentError(api, index, what) {
  return new TypeError(`${api}: Argument ${index} must be ${what}`);
}

// Values that wasm may call are held weakly by the native side; `retain(holder, value)` makes
// `holder` keep `value` alive instead (see src/exported_function.rs).
const retained = new WeakMap();

/** Keeps `value` alive for as long as `holder` is. */
function retain(holder, value) {
  let set = retained.get(holder);
  if (set === undefined) {
    set = new Set();
    retained.set(holder, set);
  }
  set.add(value);
}

const bigint64 = new BigInt64Array(1);

/** ToBigInt64(v): the conversion a BigInt64Array store performs (ToBigInt, then modulo 2^64). */
function toBigInt64(v) {
  bigint64[0] = v;
  return bigint64[0];
}

/**
 * ToBigInt(v) (https://tc39.es/ecma262/#sec-tobigint), exactly: `BigInt.asIntN(bits, v)` is
 * ToBigInt(v) modulo 2^bits (signed), and no BigInt reaches 2^(2^53 − 2), so with that width the
 * result is ToBigInt(v) itself (V8 returns the argument without computing anything).
 */
function toBigInt(v) {
  return BigInt.asIntN(Number.MAX_SAFE_INTEGER, v);
}

/** IteratorToList(GetIterator(v)). */
function iterate(v) {
  return [...v];
}

module.exports = {
  INTERNAL,
  made,
  isObject,
  defineInterface,
  receiverError,
  argumentError,
  retain,
  toBigInt64,
  toBigInt,
  iterate,
};
