/**
 * `jitless-wasm/polyfill`: installs jitless-wasm as `globalThis.WebAssembly` when the engine has
 * none (e.g. under `node --jitless`), or always with `JITLESS_WASM_FORCE=1`.
 */
import WebAssemblyNamespace = require('./index.js');

/** Installs the namespace (writable, non-enumerable, configurable); returns whether it did. */
export declare function install(options?: { force?: boolean }): boolean;

/** The namespace object that `install` puts on `globalThis`. */
export declare const WebAssembly: typeof WebAssemblyNamespace;
