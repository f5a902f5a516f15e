'use strict';
// WebAssembly.Global (https://webassembly.github.io/spec/js-api/#globals) over a native handle.

const { globalNew, globalGet, globalSet } = require('./native.js');
const { INTERNAL, defineInterface, receiverError, retain, made } = require('./util.js');

let unwrap;

// Brand checks: hot methods read a private field directly, which throws V8's TypeError on a
// foreign receiver. (A try/catch for a "Receiver is not a ..." message costs more than the
// whole getter under --jitless; cold methods do use that message.)

class Global {
  #h;

  // https://webassembly.github.io/spec/js-api/#dom-global-global
  constructor(descriptor) {
    made.any = true;
    if (descriptor === INTERNAL) {
      this.#h = arguments[1];
      return;
    }
    const v = arguments[1];
    this.#h = globalNew(this, descriptor, v, arguments.length > 1);
    if (typeof v === 'function') retain(this, v);
  }

  // https://webassembly.github.io/spec/js-api/#dom-global-valueof
  valueOf() {
    const h = this.#h; // brand check
    return globalGet(h);
  }

  // https://webassembly.github.io/spec/js-api/#dom-global-value
  get value() {
    const h = this.#h; // brand check
    return globalGet(h);
  }

  // Called without an argument, the setter converts `undefined` (WPT global/value-get-set.any.js
  // "Calling setter without argument"; V8 throws a TypeError instead).
  set value(v) {
    const h = this.#h; // brand check
    globalSet(h, v);
    if (typeof v === 'function') retain(this, v);
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Global, 'WebAssembly.Global');

module.exports = {
  Global,
  /** The native handle of a Global, or undefined. */
  unwrapGlobal: (o) => unwrap(o),
  /** A Global over an existing native handle. */
  makeGlobal: (h) => new Global(INTERNAL, h),
};
