'use strict';
// WebAssembly.Tag (https://webassembly.github.io/spec/js-api/#tags) over a native handle, and
// the WebIDL sequence conversion that Tag and Exception share.

const { tagNew, isGcValueType } = require('./native.js');
const { INTERNAL, isObject, defineInterface, made } = require('./util.js');

let unwrap;

/**
 * Converts `value` to a WebIDL sequence (https://webidl.spec.whatwg.org/#js-sequence): `value`
 * must be an object with a callable @@iterator (else `error()` is thrown); the values are taken
 * one by one and converted as they come by `convert(value, index)`. (As WebIDL, the iterator is
 * not closed when a conversion throws.)
 */
function sequence(value, convert, error) {
  // 1. If V is not an Object, throw a TypeError.
  if (!isObject(value)) throw error();
  // 2. Let method be ? GetMethod(V, @@iterator).
  const method = value[Symbol.iterator];
  // 3. If method is undefined, throw a TypeError.
  if (method === undefined || method === null) throw error();
  if (typeof method !== 'function') throw new TypeError('Symbol.iterator is not a function');
  // 4. Create a sequence from V and method: GetIteratorFromMethod, then IteratorStepValue.
  const iterator = method.call(value);
  if (!isObject(iterator)) throw new TypeError('Result of the Symbol.iterator method is not an object');
  const next = iterator.next;
  const list = [];
  for (;;) {
    const result = next.call(iterator);
    if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
    if (result.done) return list;
    list.push(convert(result.value, list.length));
  }
}

/**
 * The ValueType enumeration (https://webassembly.github.io/spec/js-api/#enumdef-valuetype); the
 * WasmGC names (anyref, eqref, i31ref, structref, arrayref) only while the profile executes GC
 * (`isGcValueType`, src/profile.rs).
 */
const VALUE_TYPES = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'];

class Tag {
  // The native handle of the core tag (src/tag.rs).
  #h;

  // https://webassembly.github.io/spec/js-api/#dom-tag-tag
  //
  // AD-HOC (spec): V8 reads `parameters` as an array-like (`length`), rejects iterables that
  // have no `length`, and rejects "v128"; the spec takes any iterable and allows "v128".
  constructor(type) {
    made.any = true;
    if (type === INTERNAL) {
      this.#h = arguments[1];
      return;
    }
    const api = 'WebAssembly.Tag()';
    // (WebIDL) TagType: `undefined`/`null` has no members (so the required one is missing);
    // another non-object is a TypeError.
    if (!isObject(type)) throw new TypeError(`${api}: Argument 0 must be a tag type`);
    // (WebIDL) required sequence<ValueType> parameters.
    const value = type.parameters;
    const missing = () => new TypeError(`${api}: Argument 0 must be a tag type with 'parameters'`);
    if (value === undefined) throw missing();
    // 1. Let parameters be type["parameters"]: each element converted to the enumeration as it
    //    is taken from the iterator (ToString, then a TypeError for an unknown name).
    const parameters = sequence(
      value,
      (v, i) => {
        const s = `${v}`;
        if (!VALUE_TYPES.includes(s) && !isGcValueType(s)) {
          throw new TypeError(`${api}: Argument 0 parameter type at index #${i} must be a value type`);
        }
        return s;
      },
      missing,
    );
    // 2–7. Allocate the tag with type [ToValueType(p) for p of parameters] → [] (this object
    //      becomes the tag's JS object: exports of the tag give it back).
    this.#h = tagNew(parameters, this);
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Tag, 'WebAssembly.Tag');

module.exports = {
  Tag,
  sequence,
  /** The native handle of a Tag, or undefined. */
  unwrapTag: (o) => unwrap(o),
  /** A Tag over an existing native handle (for exported tags). */
  makeTag: (h) => new Tag(INTERNAL, h),
};
