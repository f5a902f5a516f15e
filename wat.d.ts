/**
 * jitless-wasm/wat: the WebAssembly text format (WAT) to binary.
 *
 * Both the current and the pre-2018 instruction names (`get_local`, `anyfunc`,
 * `grow_memory`, `i32.trunc_s/f32`, ...) are accepted.
 */

/**
 * WAT source: a string, or UTF-8 text in a Buffer, a TypedArray, a DataView or
 * an ArrayBuffer. Bytes that already start with the `\0asm` magic are returned
 * as a copy.
 */
export type WatSource = string | ArrayBufferView | ArrayBuffer;

/**
 * Converts WebAssembly text to the bytes of a binary module (not validated).
 *
 * @throws {SyntaxError} when the text cannot be parsed; the message is
 *   `"<line>:<column>: <message>"` with a 1-based line and column.
 * @throws {TypeError} when `source` is neither text nor bytes, or the bytes
 *   are not valid UTF-8.
 */
export declare function wat2wasm(source: WatSource): Uint8Array;

/** An alias of {@link wat2wasm}. */
export declare function parseWat(source: WatSource): Uint8Array;
