'use strict';
// WebAssembly.Exception (https://webassembly.github.io/spec/js-api/#exceptions) over a native
// handle (the tag and the payload as WebAssembly values, see src/exception.rs).
//
// As the spec defines it, an Exception is not an Error: `instanceof Error` is false, and `stack`
// is an accessor on the prototype that returns a string only for `{traceStack: true}`.
// AD-HOC (spec): V8 gives `stack` as an own data property (only with traceStack).

const { exceptionNew, exceptionGetArg, exceptionIs } = require('./native.js');
const { INTERNAL, isObject, defineInterface } = require('./util.js');
const { sequence, unwrapTag } = require('./tag.js');

let unwrap;

/** The TypeError of a method called on something that is not an Exception. */
function receiverError(api) {
  return new TypeError(`${api}: Receiver is not a WebAssembly.Exception`);
}

/** The handle of the Tag argument of `api`, else a TypeError. */
function tagArgument(tag, api) {
  const h = unwrapTag(tag);
  if (h === undefined) throw new TypeError(`${api}: Argument 0 must be a WebAssembly.Tag`);
  return h;
}

class Exception {
  #h;
  #stack;

  // https://webassembly.github.io/spec/js-api/#dom-exception-exception
  // (Two declared parameters: the constructor's length is 2, as WebIDL wants; V8 has 1.)
  constructor(exceptionTag, payload) {
    if (exceptionTag === INTERNAL) {
      this.#h = arguments[1];
      this.#stack = undefined;
      return;
    }
    const api = 'WebAssembly.Exception()';
    const options = arguments[2];
    // (WebIDL) The arguments are converted in order before the steps run: the Tag, the
    // sequence<any> payload (iterated, values not converted yet), then the ExceptionOptions
    // dictionary ({traceStack = false}).
    const th = unwrapTag(exceptionTag);
    if (th === undefined) throw new TypeError(`${api}: Argument 0 must be a WebAssembly tag`);
    const values = sequence(
      payload,
      (v) => v,
      () => new TypeError(`${api}: Exception values must be an iterable object`),
    );
    let traceStack = false;
    if (options !== undefined && options !== null) {
      if (!isObject(options)) throw new TypeError(`${api}: Argument 2 is not an object`);
      const t = options.traceStack;
      traceStack = t === undefined ? false : Boolean(t);
    }
    // 1–10. Check the payload length against the tag type, convert each value with
    //       ToWebAssemblyValue (TypeError for v128), allocate and initialize.
    //       AD-HOC (spec): V8 reads traceStack after converting the values and accepts a payload
    //       of the wrong length.
    this.#h = exceptionNew(th, values, this);
    this.#stack = undefined;
    // 11. If options["traceStack"] is true, set this.[[Stack]] to a string representation of the
    //     current call stack (V8's format: an Error's stack, from the caller of `new`).
    if (traceStack) {
      const holder = new Error();
      if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(holder, new.target);
      this.#stack = holder.stack;
    }
  }

  // https://webassembly.github.io/spec/js-api/#dom-exception-getarg
  getArg(exceptionTag, index) {
    const api = 'WebAssembly.Exception.getArg()';
    if (!(typeof this === 'object' && this !== null && #h in this)) throw receiverError(api);
    // (WebIDL) Tag, then [EnforceRange] unsigned long (converted natively); 2–9 natively.
    return exceptionGetArg(this.#h, tagArgument(exceptionTag, api), index);
  }

  // https://webassembly.github.io/spec/js-api/#dom-exception-is
  is(exceptionTag) {
    const api = 'WebAssembly.Exception.is()';
    if (!(typeof this === 'object' && this !== null && #h in this)) throw receiverError(api);
    // 1–2. Whether this.[[Type]] is exceptionTag.[[Address]].
    return exceptionIs(this.#h, tagArgument(exceptionTag, api));
  }

  // https://webassembly.github.io/spec/js-api/#dom-exception-stack
  get stack() {
    if (!(typeof this === 'object' && this !== null && #h in this)) {
      throw receiverError('WebAssembly.Exception.stack');
    }
    // 1. Return this.[[Stack]].
    return this.#stack;
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Exception, 'WebAssembly.Exception');

module.exports = {
  Exception,
  /** The native handle of an Exception, or undefined. */
  unwrapException: (o) => unwrap(o),
  /** An Exception over an existing native handle (for exceptions thrown by wasm). */
  makeException: (h) => new Exception(INTERNAL, h),
};
