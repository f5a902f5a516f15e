'use strict';
// WebAssembly.Instance (https://webassembly.github.io/spec/js-api/#instances) over a native
// handle, and the reading of import objects.

const native = require('./native.js');
const { INTERNAL, isObject, defineInterface, receiverError, argumentError } = require('./util.js');
const { unwrapModule } = require('./module.js');
const { unwrapMemory } = require('./memory.js');
const { unwrapTable } = require('./table.js');
const { unwrapGlobal } = require('./global.js');
const { unwrapTag } = require('./tag.js');
const { unwrapSuspending } = require('./jspi.js');
const { profile } = require('./profile.js');

/**
 * Reads the imports (https://webassembly.github.io/spec/js-api/#read-the-imports): for each
 * declared import, in order, Get(importObject, module) then Get(that, name), each exactly once.
 * Returns the values for the native side (handles instead of Memory/Table/Global objects) and
 * the original values (which the instance keeps alive). The LinkErrors are made natively
 * (src/errors.rs has every LinkError text); the global checks are native too (src/instance.rs).
 */
/**
 * V8's label of import `i` whose module `moduleName` is not an object, as the V8 of the current
 * profile's Node line writes it (src/errors.rs labels the other link errors the same way).
 */
function moduleLabel(i, moduleName) {
  switch (profile()) {
    case 'node20':
      return `Import #${i} module="${moduleName}" error`;
    case 'node22':
      return `Import #${i} module="${moduleName}"`;
    default:
      return `Import #${i} "${moduleName}"`;
  }
}

function readImports(moduleHandle, importObject, api) {
  // Every import; the compile-time ones (JS String Builtins: builtin functions, imported string
  // constants) marked `builtin`, supplied natively without a look at the import object.
  const imports = native.moduleImports(moduleHandle, true);
  // 1. If module.imports is not empty, and importObject is undefined, throw a TypeError.
  //    (JS String Builtins: as V8, only the imports the import object has to provide count.)
  if (imports.some((imp) => imp.builtin !== true) && importObject === undefined) {
    throw new TypeError(`${api}: Imports argument must be present and must be an object`);
  }
  const values = new Array(imports.length);
  const keep = new Array(imports.length);
  // 3. For each (moduleName, componentName, externtype) of module_imports(module):
  for (let i = 0; i < imports.length; i++) {
    const { module: moduleName, name, kind, builtin } = imports[i];
    if (builtin === true) continue;
    // 3.1 Let o be ? Get(importObject, moduleName).
    const o = importObject[moduleName];
    // 3.2 If o is not an Object, throw a TypeError.
    if (!isObject(o)) {
      throw new TypeError(`${api}: ${moduleLabel(i, moduleName)}: module is not an object or function`);
    }
    // 3.3 Let v be ? Get(o, componentName).
    const v = o[name];
    keep[i] = v;
    switch (kind) {
      case 'function': {
        if (typeof v === 'function') {
          values[i] = v;
          break;
        }
        // (JSPI) 3.4.2 Otherwise, if v has a [[WrappedFunction]] internal slot, create a
        // suspending function from it (the native side knows the marker).
        const wrapped = unwrapSuspending(v);
        // 3.4.3 Otherwise, throw a LinkError.
        if (wrapped === undefined) throw native.importKindError(moduleHandle, i, api);
        values[i] = native.jspiSuspendingImport(wrapped);
        break;
      }
      case 'global': {
        // 3.5 A Global is passed by handle; primitives are checked and converted natively.
        const h = unwrapGlobal(v);
        values[i] = h === undefined ? v : h;
        break;
      }
      case 'memory': {
        // 3.6.1 If v does not implement Memory, throw a LinkError.
        const h = unwrapMemory(v);
        if (h === undefined) throw native.importKindError(moduleHandle, i, api);
        values[i] = h;
        break;
      }
      case 'table': {
        // 3.7.1 If v does not implement Table, throw a LinkError.
        const h = unwrapTable(v);
        if (h === undefined) throw native.importKindError(moduleHandle, i, api);
        values[i] = h;
        break;
      }
      case 'tag': {
        // 3.8.1 If v does not implement Tag, throw a LinkError.
        const h = unwrapTag(v);
        if (h === undefined) throw native.importKindError(moduleHandle, i, api);
        values[i] = h;
        break;
      }
    }
  }
  return { values, keep };
}

/**
 * Instantiates the core of a module and creates its exports object
 * (https://webassembly.github.io/spec/js-api/#create-an-exports-object): a null-prototype
 * object with one data property per export, frozen.
 */
function instantiateCore(moduleHandle, values, keep, api) {
  const r = native.instanceNew(moduleHandle, values, keep, api);
  const exports = Object.create(null);
  for (let i = 1; i < r.length; i += 2) exports[r[i]] = r[i + 1];
  Object.freeze(exports);
  return exports;
}

let initialize;
let isInstance;

class Instance {
  #exports;
  // The import values: the native side holds imported JS functions weakly.
  #keep;

  // https://webassembly.github.io/spec/js-api/#dom-instance-instance
  constructor(module) {
    if (module === INTERNAL) {
      initialize(this, arguments[1], arguments[2], arguments[3]);
      return;
    }
    const importObject = arguments[1];
    const api = 'WebAssembly.Instance()';
    const h = unwrapModule(module);
    if (h === undefined) throw argumentError(api, 0, 'a WebAssembly.Module');
    if (importObject !== undefined && !isObject(importObject)) throw argumentError(api, 1, 'an object');
    // 1. Let module be module.[[Module]].
    // 2. Let imports be ? read the imports of module with imports importObject.
    const { values, keep } = readImports(h, importObject, api);
    // 3. Let instance be ? instantiate the core of a WebAssembly module module with imports.
    // 4. Initialize this from module and instance.
    initialize(this, h, { values, keep }, api);
  }

  // https://webassembly.github.io/spec/js-api/#dom-instance-exports
  get exports() {
    if (!(typeof this === 'object' && this !== null && #exports in this)) throw receiverError('WebAssembly.Instance');
    return this.#exports;
  }

  static {
    isInstance = (o) => typeof o === 'object' && o !== null && #exports in o;
    initialize = (self, h, imports, api) => {
      self.#exports = instantiateCore(h, imports.values, imports.keep, api);
      self.#keep = imports.keep;
    };
  }
}

defineInterface(Instance, 'WebAssembly.Instance');

module.exports = {
  Instance,
  readImports,
  /** An Instance from a module handle and read imports (for WebAssembly.instantiate). */
  makeInstance: (h, imports, api) => new Instance(INTERNAL, h, imports, api),
  /** Whether `o` is an Instance. */
  isInstance: (o) => isInstance(o),
};
