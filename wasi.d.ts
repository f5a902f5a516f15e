// `jitless-wasm/wasi`: node:wasi's `WASI` class (WASI preview1) over jitless-wasm's WebAssembly.
// Same options, methods and errors as `node:wasi`; it takes jitless-wasm's `WebAssembly.Memory`
// (and V8's, where V8's WebAssembly exists).

/** Options of `new WASI()`, as node:wasi's. */
export interface WASIOptions {
  /** 'preview1' (import module `wasi_snapshot_preview1`) or 'unstable' (`wasi_unstable`). Required. */
  version: 'preview1' | 'unstable';
  /** The program's arguments (converted with `String`). */
  args?: readonly unknown[];
  /** The program's environment; `undefined` values are left out. */
  env?: Record<string, unknown>;
  /** Directories the program may use: its name for it → the host path. */
  preopens?: Record<string, string>;
  /** `proc_exit` ends `start()` with the code instead of the process (default true). */
  returnOnExit?: boolean;
  /** Host file descriptors for the program's stdin, stdout and stderr (default 0, 1, 2). */
  stdin?: number;
  stdout?: number;
  stderr?: number;
}

/** An instance as `start`/`initialize` take it: its `exports` (a `memory`, `_start`/`_initialize`). */
export interface WASIInstance {
  readonly exports: Record<string, unknown>;
}

export declare class WASI {
  constructor(options: WASIOptions);
  /** The wasi_snapshot_preview1 (or wasi_unstable) functions, bound to this object. */
  readonly wasiImport: Record<string, (...args: any[]) => any>;
  /** `{ [module name]: wasiImport }` for the import object. */
  getImportObject(): Record<string, Record<string, (...args: any[]) => any>>;
  /** Runs `_start` (a command); returns the exit code. Throws if already started. */
  start(instance: WASIInstance): number;
  /** Runs `_initialize` if exported (a reactor). Throws if already started. */
  initialize(instance: WASIInstance): void;
  /**
   * Binds the instance and its memory (or `options.memory`) without running it (as Node 24;
   * present only when running on Node 24 or later).
   */
  finalizeBindings?(instance: WASIInstance, options?: { memory?: unknown }): void;
}

declare const _default: { WASI: typeof WASI };
export default _default;
