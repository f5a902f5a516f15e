'use strict';
// WebAssembly.CompileError, LinkError, RuntimeError and SuspendError (JSPI)
// (https://webassembly.github.io/spec/js-api/#error-objects): NativeError constructors as
// ECMAScript defines them (https://tc39.es/ecma262/#sec-nativeerror-constructors). They are
// callable without `new`, subclassable, and `name`/`message` live on their prototypes.

function makeErrorClass(name) {
  const ctor = {
    // A method-less function expression keeps the constructor callable without `new`.
    [name]: function (message) {
      const options = arguments[1];
      // 1. If NewTarget is undefined, let newTarget be the active function object.
      const newTarget = new.target === undefined ? ctor : new.target;
      // 2–4. OrdinaryCreateFromConstructor(newTarget, ...) with [[ErrorData]], then `message`
      //      and `cause` as Error does.
      const error = Reflect.construct(Error, arguments.length > 1 ? [message, options] : [message], newTarget);
      if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(error, ctor);
      return error;
    },
  }[name];
  // The constructor's [[Prototype]] is %Error%; its prototype's is %Error.prototype%.
  Object.setPrototypeOf(ctor, Error);
  const proto = Object.create(Error.prototype);
  Object.defineProperties(proto, {
    constructor: { value: ctor, writable: true, enumerable: false, configurable: true },
    name: { value: name, writable: true, enumerable: false, configurable: true },
    message: { value: '', writable: true, enumerable: false, configurable: true },
  });
  Object.defineProperty(ctor, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
  return ctor;
}

const CompileError = makeErrorClass('CompileError');
const LinkError = makeErrorClass('LinkError');
const RuntimeError = makeErrorClass('RuntimeError');
const SuspendError = makeErrorClass('SuspendError');

module.exports = { CompileError, LinkError, RuntimeError, SuspendError };
