'use strict';
// Node-style errors (class, `code`, message text) and the argument validators `node:wasi` uses,
// so that our WASI throws what Node's does for the same bad input.

const { inspect } = require('node:util');

/** Makes `new Base(message)` with Node's `code` property, `toString` and stack header. */
function nodeError(Base, code, message) {
  const error = new Base(message);
  Object.defineProperty(error, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(error, 'toString', {
    value() {
      return `${this.name} [${code}]: ${this.message}`;
    },
    enumerable: false,
    writable: true,
    configurable: true,
  });
  if (typeof error.stack === 'string') {
    const head = `${error.name}: ${message}`;
    if (error.stack.startsWith(head)) {
      error.stack = `${error.name} [${code}]: ${message}${error.stack.slice(head.length)}`;
    }
  }
  return error;
}

/** How Node describes a received value ("type string ('a')", "an instance of Array", …). */
function describeReceived(value) {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      return `type number (${Object.is(value, -0) ? '-0' : value})`;
    case 'boolean':
    case 'symbol':
      return `type ${typeof value} (${String(value)})`;
    case 'function':
      return `function ${value.name}`;
    case 'string': {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
    default:
      if (value.constructor && 'name' in value.constructor) {
        return `an instance of ${value.constructor.name}`;
      }
      return inspect(value, { depth: -1 });
  }
}

const kind = (name) => (name.includes('.') ? 'property' : 'argument');

/** ERR_INVALID_ARG_TYPE; `expected` is the text after "must be". */
function invalidArgType(name, expected, value) {
  return nodeError(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${kind(name)} must be ${expected}. Received ${describeReceived(value)}`,
  );
}

/** ERR_INVALID_ARG_VALUE. */
function invalidArgValue(name, value, reason) {
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind(name)} '${name}' ${reason}. Received ${shown}`);
}

/** `1_099_511_627_776`, as Node prints large integers in range errors. */
function withSeparators(digits) {
  const start = digits[0] === '-' ? 1 : 0;
  let out = '';
  let i = digits.length;
  for (; i >= start + 4; i -= 3) out = `_${digits.slice(i - 3, i)}${out}`;
  return `${digits.slice(0, i)}${out}`;
}

/** ERR_OUT_OF_RANGE. */
function outOfRange(name, range, value) {
  const received =
    Number.isInteger(value) && Math.abs(value) > 2 ** 32 ? withSeparators(String(value)) : inspect(value);
  return nodeError(
    RangeError,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${received}`,
  );
}

const errors = {
  wasiAlreadyStarted: () => nodeError(Error, 'ERR_WASI_ALREADY_STARTED', 'WASI instance has already started'),
  wasiNotStarted: () => nodeError(Error, 'ERR_WASI_NOT_STARTED', 'wasi.start() has not been called'),
  memoryType: () =>
    nodeError(
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      '"instance.exports.memory" property must be a WebAssembly.Memory object',
    ),
};

// The validators of Node's internal/validators, for the types node:wasi checks.

function validateObject(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType(name, 'of type object', value);
  }
}
function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}
function validateBoolean(value, name) {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value);
}
function validateArray(value, name) {
  if (!Array.isArray(value)) throw invalidArgType(name, 'an instance of Array', value);
}
function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}
function validateUndefined(value, name) {
  if (value !== undefined) throw invalidArgType(name, 'undefined', value);
}
function validateInt32(value, name, min = -2147483648, max = 2147483647) {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

module.exports = {
  nodeError,
  invalidArgType,
  invalidArgValue,
  outOfRange,
  errors,
  validateObject,
  validateString,
  validateBoolean,
  validateArray,
  validateFunction,
  validateUndefined,
  validateInt32,
};
