/**
 * jitless-wasm: the WebAssembly JavaScript API on a Rust interpreter.
 *
 * `require('jitless-wasm')` (or `import WebAssembly from 'jitless-wasm'`) is an object with the
 * shape of `globalThis.WebAssembly`. The declarations mirror TypeScript's `lib.dom.d.ts`
 * `WebAssembly` namespace.
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

  /** A WebAssembly global variable. https://webassembly.github.io/spec/js-api/#globals */
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

  /** A linear memory. https://webassembly.github.io/spec/js-api/#memories */
  interface Memory {
    /**
     * The memory's bytes; replaced (and the old buffer detached) by every grow. A shared memory's
     * buffer is a frozen SharedArrayBuffer, replaced by a grow but never detached.
     */
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    /**
     * Grows by `delta` pages and returns the previous size in pages (BigInts for a 64-bit
     * memory: `address: 'i64'`, or one a module defines).
     */
    grow(delta: number): number;
    grow(delta: bigint): bigint;
  }
  var Memory: {
    prototype: Memory;
    new (descriptor: MemoryDescriptor): Memory;
  };

  /** A compiled module. https://webassembly.github.io/spec/js-api/#modules */
  interface Module {}
  var Module: {
    prototype: Module;
    new (bytes: BufferSource): Module;
    customSections(moduleObject: Module, sectionName: string): ArrayBuffer[];
    exports(moduleObject: Module): ModuleExportDescriptor[];
    imports(moduleObject: Module): ModuleImportDescriptor[];
  };

  /**
   * An exception tag. https://webassembly.github.io/spec/js-api/#tags
   */
  interface Tag {}
  var Tag: {
    prototype: Tag;
    new (type: TagType): Tag;
  };

  /**
   * An exception: a tag and a payload. https://webassembly.github.io/spec/js-api/#exceptions
   * Not an `Error`; `stack` is a string only when created with `{ traceStack: true }`.
   */
  interface Exception {
    /** The payload value at `index`; TypeError for another tag, RangeError past the end. */
    getArg(exceptionTag: Tag, index: number): any;
    /** Whether the exception was created with `exceptionTag`. */
    is(exceptionTag: Tag): boolean;
    readonly stack: string | undefined;
  }
  var Exception: {
    prototype: Exception;
    /** `payload` needs one value per tag parameter (TypeError otherwise). */
    new (exceptionTag: Tag, payload: Iterable<any>, options?: ExceptionOptions): Exception;
  };

  interface TagType {
    parameters: Iterable<ValueType>;
  }

  interface ExceptionOptions {
    traceStack?: boolean;
  }

  /** A table of references. https://webassembly.github.io/spec/js-api/#tables */
  interface Table {
    /** The number of elements (a BigInt for a 64-bit table). */
    readonly length: number | bigint;
    /** Indices and deltas are Numbers for a 32-bit table, BigInts for a 64-bit one. */
    get(index: number | bigint): any;
    grow(delta: number, value?: any): number;
    grow(delta: bigint, value?: any): bigint;
    set(index: number | bigint, value?: any): void;
  }
  var Table: {
    prototype: Table;
    new (descriptor: TableDescriptor, value?: any): Table;
  };

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
    anyfunc: Function | null;
    externref: any;
    f32: number;
    f64: number;
    i32: number;
    i64: bigint;
    v128: never;
  }

  interface WebAssemblyInstantiatedSource {
    instance: Instance;
    module: Module;
  }

  type ImportExportKind = 'function' | 'global' | 'memory' | 'table' | 'tag';
  type TableKind = 'anyfunc' | 'externref';
  type AddressType = 'i32' | 'i64';
  type ExportValue = Function | Global | Memory | Table | Tag;
  type Exports = Record<string, ExportValue>;
  type ImportValue = ExportValue | number | bigint;
  type Imports = Record<string, ModuleImports>;
  type ModuleImports = Record<string, ImportValue>;
  type ValueType = keyof ValueTypeMap;
  /** `[AllowResizable] AllowSharedBufferSource`. */
  type BufferSource = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

  /** Compiles module bytes (copied at call time). Rejects with a CompileError. */
  function compile(bytes: BufferSource): Promise<Module>;
  /** Compiles the body of a `Response` (or a promise of one) served as `application/wasm`. */
  function compileStreaming(source: Response | PromiseLike<Response>): Promise<Module>;
  /** Compiles and instantiates module bytes; the imports are read after the compile. */
  function instantiate(bytes: BufferSource, importObject?: Imports): Promise<WebAssemblyInstantiatedSource>;
  /** Instantiates a compiled module; the imports are read synchronously. */
  function instantiate(moduleObject: Module, importObject?: Imports): Promise<Instance>;
  /** Compiles and instantiates the body of a `Response` served as `application/wasm`. */
  function instantiateStreaming(
    source: Response | PromiseLike<Response>,
    importObject?: Imports,
  ): Promise<WebAssemblyInstantiatedSource>;
  /** Whether the bytes are a valid module this engine can run. */
  function validate(bytes: BufferSource): boolean;
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
