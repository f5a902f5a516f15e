/**
 * jitless-wasm: the WebAssembly JavaScript API on a Rust interpreter.
 *
 * `require('jitless-wasm')` (or `import WebAssembly from 'jitless-wasm'`) is an object with the
 * shape of `globalThis.WebAssembly`. The declarations drop in for TypeScript's `lib.dom.d.ts`
 * `WebAssembly` namespace, in both directions (`__test__/types.spec.mjs` checks it with the current
 * and the previous TypeScript release): `const WA: typeof WebAssembly = require('jitless-wasm')`
 * type-checks, and so does lib.dom's namespace where ours is expected, for every member lib.dom
 * declares. So every type lib.dom has is lib.dom's shape here, including where the run-time value
 * is wider:
 * - a shared memory's `buffer` is a `SharedArrayBuffer` (typed `ArrayBuffer`, as in lib.dom);
 * - a 64-bit memory's or table's sizes and `grow` results are BigInts (typed `number`, lib.dom's
 *   `AddressValue`); the constructors and methods accept BigInts (`address: 'i64'`);
 * - the constructors of `Memory`, `Table`, `Tag` and `Exception` accept more than lib.dom's
 *   (BigInt sizes, any iterable): they are classes, whose constructor parameters TypeScript
 *   compares both ways;
 * - exports may be `Tag`s, `Imports` may hold BigInts for i64 globals, and an `anyfunc` global or
 *   table slot may be `null`.
 * Members lib.dom does not declare (JSPI) are extra.
 */

declare namespace WebAssembly {
  /** https://webassembly.github.io/spec/js-api/#exceptiondef-compileerror */
  interface CompileError extends Error {}
  var CompileError: {
    prototype: CompileError;
    new (message?: string, options?: ErrorOptions): CompileError;
    (message?: string, options?: ErrorOptions): CompileError;
  };

  /** https://webassembly.github.io/spec/js-api/#exceptiondef-linkerror */
  interface LinkError extends Error {}
  var LinkError: {
    prototype: LinkError;
    new (message?: string, options?: ErrorOptions): LinkError;
    (message?: string, options?: ErrorOptions): LinkError;
  };

  /** https://webassembly.github.io/spec/js-api/#exceptiondef-runtimeerror */
  interface RuntimeError extends Error {}
  var RuntimeError: {
    prototype: RuntimeError;
    new (message?: string, options?: ErrorOptions): RuntimeError;
    (message?: string, options?: ErrorOptions): RuntimeError;
  };

  /**
   * A WebAssembly global variable. https://webassembly.github.io/spec/js-api/#globals
   * (`value` of an `anyfunc` global may be `null`; typed as lib.dom's `ValueTypeMap`.)
   */
  interface Global<T extends ValueType = ValueType> {
    value: ValueTypeMap[T];
    valueOf(): ValueTypeMap[T];
  }
  var Global: {
    prototype: Global;
    new <T extends ValueType = ValueType>(descriptor: GlobalDescriptor<T>, v?: ValueTypeMap[T]): Global<T>;
  };

  /** An instantiated module. https://webassembly.github.io/spec/js-api/#instances */
  interface Instance {
    /** The exports: a frozen, null-prototype object (the same object on every access). */
    readonly exports: Exports;
  }
  var Instance: {
    prototype: Instance;
    new (module: Module, importObject?: Imports): Instance;
  };

  /**
   * A linear memory. https://webassembly.github.io/spec/js-api/#memories
   * (A class here so that its constructor, which also takes a 64-bit memory's BigInt sizes, stays
   * assignable both ways with lib.dom's.)
   */
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    /**
     * The memory's bytes; replaced (and the old buffer detached) by every grow. A shared memory's
     * buffer is a frozen SharedArrayBuffer (typed `ArrayBuffer`, as in lib.dom), replaced by a grow
     * but never detached.
     */
    readonly buffer: ArrayBuffer;
    /**
     * Grows by `delta` pages and returns the previous size in pages (BigInts for a 64-bit memory:
     * `address: 'i64'`, or one a module defines; typed `number`, lib.dom's `AddressValue`).
     */
    grow(delta: number | bigint): number;
    /** The current `buffer`, fixed-length (node26 and latest profiles). */
    toFixedLengthBuffer(): ArrayBuffer;
    /** A resizable buffer over the memory (node26 and latest profiles; see lib/memory-buffers.js). */
    toResizableBuffer(): ArrayBuffer;
  }

  /** A compiled module. https://webassembly.github.io/spec/js-api/#modules */
  interface Module {}
  var Module: {
    prototype: Module;
    new (bytes: BufferSource, options?: WebAssemblyCompileOptions): Module;
    customSections(moduleObject: Module, sectionName: string): ArrayBuffer[];
    exports(moduleObject: Module): ModuleExportDescriptor[];
    imports(moduleObject: Module): ModuleImportDescriptor[];
  };

  /**
   * An exception tag. https://webassembly.github.io/spec/js-api/#tags
   * (A class for the same reason as `Memory`: its `parameters` may be any iterable.)
   */
  class Tag {
    constructor(type: TagType);
  }

  /**
   * An exception: a tag and a payload. https://webassembly.github.io/spec/js-api/#exceptions
   * Not an `Error`; `stack` is a string only when created with `{ traceStack: true }`.
   */
  class Exception {
    /**
     * `payload` (any iterable; a class for the same reason as `Memory`) needs one value per tag
     * parameter (TypeError otherwise).
     */
    constructor(exceptionTag: Tag, payload: Iterable<any>, options?: ExceptionOptions);
    /** The payload value at `index`; TypeError for another tag, RangeError past the end. */
    getArg(exceptionTag: Tag, index: number): any;
    /** Whether the exception was created with `exceptionTag`. */
    is(exceptionTag: Tag): boolean;
    readonly stack: string | undefined;
  }

  interface TagType {
    parameters: Iterable<ValueType>;
  }

  interface ExceptionOptions {
    traceStack?: boolean;
  }

  /**
   * A table of references. https://webassembly.github.io/spec/js-api/#tables
   * (A class for the same reason as `Memory`.)
   */
  class Table {
    constructor(descriptor: TableDescriptor, value?: any);
    /** The number of elements (a BigInt for a 64-bit table; typed `number`, as in lib.dom). */
    readonly length: number;
    /** Indices and deltas are Numbers for a 32-bit table, BigInts for a 64-bit one. */
    get(index: number | bigint): any;
    /** Returns the previous length (a BigInt for a 64-bit table; typed `number`). */
    grow(delta: number | bigint, value?: any): number;
    set(index: number | bigint, value?: any): void;
  }

  interface GlobalDescriptor<T extends ValueType = ValueType> {
    mutable?: boolean;
    value: T;
  }

  interface MemoryDescriptor {
    /** The address type (memory64): pages are then BigInts. */
    address?: AddressType;
    initial: number | bigint;
    maximum?: number | bigint;
    shared?: boolean;
  }

  interface ModuleExportDescriptor {
    kind: ImportExportKind;
    name: string;
  }

  interface ModuleImportDescriptor {
    kind: ImportExportKind;
    module: string;
    name: string;
  }

  interface TableDescriptor {
    /** The address type (table64): sizes and indices are then BigInts. */
    address?: AddressType;
    element: TableKind;
    initial: number | bigint;
    maximum?: number | bigint;
  }

  interface ValueTypeMap {
    anyfunc: Function;
    externref: any;
    f32: number;
    f64: number;
    i32: number;
    i64: bigint;
    v128: never;
  }

  /**
   * The compile options of the JS String Builtins (node22+ profiles; `importedStringConstants`
   * from node24): `builtins: ['js-string']` supplies the `wasm:js-string` imports, and imports
   * from the `importedStringConstants` module are string constants (their names).
   * https://webassembly.github.io/js-string-builtins/js-api/#dictdef-webassemblycompileoptions
   */
  interface WebAssemblyCompileOptions {
    builtins?: string[];
    importedStringConstants?: string | null;
  }

  interface WebAssemblyInstantiatedSource {
    instance: Instance;
    module: Module;
  }

  type ImportExportKind = 'function' | 'global' | 'memory' | 'table' | 'tag';
  type TableKind = 'anyfunc' | 'externref';
  type AddressType = 'i32' | 'i64';
  /** lib.dom's: exported `Tag`s are not listed (a `Tag` has no members to tell it apart). */
  type ExportValue = Function | Global | Memory | Table;
  type Exports = Record<string, ExportValue>;
  /** lib.dom's: BigInts (for i64 globals) are accepted but not listed. */
  type ImportValue = ExportValue | number;
  type Imports = Record<string, ModuleImports>;
  type ModuleImports = Record<string, ImportValue>;
  type ValueType = keyof ValueTypeMap;
  /**
   * lib.dom's `BufferSource`. The functions accept any `[AllowResizable] AllowSharedBufferSource`
   * (SharedArrayBuffers and views of them too).
   */
  type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;

  /** Compiles module bytes (copied at call time). Rejects with a CompileError. */
  function compile(bytes: BufferSource, options?: WebAssemblyCompileOptions): Promise<Module>;
  /** Compiles the body of a `Response` (or a promise of one) served as `application/wasm`. */
  function compileStreaming(
    source: Response | PromiseLike<Response>,
    options?: WebAssemblyCompileOptions,
  ): Promise<Module>;
  /** Compiles and instantiates module bytes; the imports are read after the compile. */
  function instantiate(
    bytes: BufferSource,
    importObject?: Imports,
    options?: WebAssemblyCompileOptions,
  ): Promise<WebAssemblyInstantiatedSource>;
  /** Instantiates a compiled module; the imports are read synchronously. */
  function instantiate(moduleObject: Module, importObject?: Imports): Promise<Instance>;
  /** Compiles and instantiates the body of a `Response` served as `application/wasm`. */
  function instantiateStreaming(
    source: Response | PromiseLike<Response>,
    importObject?: Imports,
    options?: WebAssemblyCompileOptions,
  ): Promise<WebAssemblyInstantiatedSource>;
  /** Whether the bytes are a valid module this engine can run. */
  function validate(bytes: BufferSource, options?: WebAssemblyCompileOptions): boolean;
  /**
   * The JavaScript exception tag (`[externref] → []`): the tag of the JS values thrown through
   * wasm. Import it to `catch` them (the payload is the thrown value) or to `throw` a JS value;
   * `new Exception(JSTag, …)` is a TypeError. https://webassembly.github.io/spec/js-api/#dom-webassembly-jstag
   */
  const JSTag: Tag;

  // ----- JSPI (present on Node 24+ and with the latest profile; lib/jspi.js) -----
  /**
   * Marks a JS function as a suspending import: a call from a promising function suspends its
   * wasm stack until the returned value (awaited as a promise) settles.
   * https://webassembly.github.io/js-promise-integration/js-api/#dom-suspending-suspending
   */
  interface Suspending {}
  var Suspending: {
    prototype: Suspending;
    new (jsFun: (...args: any[]) => any): Suspending;
  };
  /** A function that runs `wasmFunc` on a stack of its own and returns a promise of its results. */
  function promising(wasmFunc: (...args: any[]) => any): (...args: any[]) => Promise<any>;
  /** Thrown when a suspending import is called without a promising function, or across JS frames. */
  interface SuspendError extends Error {}
  var SuspendError: {
    prototype: SuspendError;
    new (message?: string, options?: ErrorOptions): SuspendError;
    (message?: string, options?: ErrorOptions): SuspendError;
  };
  // ----- end JSPI -----
}

export = WebAssembly;
