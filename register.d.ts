// `jitless-wasm/register`: meant to be preloaded (`node --require jitless-wasm/register` or
// `node --import jitless-wasm/register`); importing it for its exports is optional.

/** Whether this module installed jitless-wasm as `globalThis.WebAssembly` in this thread. */
export declare const installed: boolean;

/** The installed namespace (`globalThis.WebAssembly`), or `undefined` when nothing was installed. */
export declare const WebAssembly: typeof globalThis.WebAssembly | undefined;
