'use strict';
// WebAssembly.Table (https://webassembly.github.io/spec/js-api/#tables) over a native handle.

const { tableNew, tableGrow, tableGet, tableSet, tableLength } = require('./native.js');
const { INTERNAL, defineInterface, receiverError, retain, made } = require('./util.js');

let unwrap;

// Brand checks: hot methods read a private field directly, which throws V8's TypeError on a
// foreign receiver. (A try/catch for a "Receiver is not a ..." message costs more than the
// whole getter under --jitless; cold methods do use that message.)

class Table {
  #h;

  // https://webassembly.github.io/spec/js-api/#dom-table-table
  constructor(descriptor) {
    made.any = true;
    if (descriptor === INTERNAL) {
      this.#h = arguments[1];
      return;
    }
    const value = arguments[1];
    this.#h = tableNew(this, descriptor, value);
    // An Exported Function stored in the table must live as long as the table (with the JS
    // functions it may call, which the native side only holds weakly).
    if (typeof value === 'function') retain(this, value);
  }

  // https://webassembly.github.io/spec/js-api/#dom-table-grow
  grow(delta) {
    let h;
    try {
      h = this.#h;
    } catch {
      throw receiverError('WebAssembly.Table');
    }
    const value = arguments[1];
    const result = tableGrow(h, delta, value, arguments.length > 1);
    if (typeof value === 'function') retain(this, value);
    return result;
  }

  // https://webassembly.github.io/spec/js-api/#dom-table-get
  get(index) {
    const h = this.#h; // brand check
    return tableGet(h, index);
  }

  // https://webassembly.github.io/spec/js-api/#dom-table-set
  set(index) {
    const h = this.#h; // brand check
    const value = arguments[1];
    tableSet(h, index, value, arguments.length > 1);
    if (typeof value === 'function') retain(this, value);
  }

  // https://webassembly.github.io/spec/js-api/#dom-table-length
  get length() {
    const h = this.#h; // brand check
    return tableLength(h);
  }

  static {
    unwrap = (o) => (typeof o === 'object' && o !== null && #h in o ? o.#h : undefined);
  }
}

defineInterface(Table, 'WebAssembly.Table');

module.exports = {
  Table,
  /** The native handle of a Table, or undefined. */
  unwrapTable: (o) => unwrap(o),
  /** A Table over an existing native handle. */
  makeTable: (h) => new Table(INTERNAL, h),
};
