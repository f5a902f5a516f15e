'use strict';
// Argument checks of Node's WASI bindings: an argument count other than the function's is EINVAL,
// so is a 32-bit argument that is not a Number holding a uint32, or a 64-bit one that is not a
// BigInt (taken modulo 2^64, like V8's `BigInt::Uint64Value`).

/**
 * Whether `v` is a Number holding a 32-bit integer, signed or not. Wasm passes i32 arguments as
 * signed Numbers; V8's fast calls from wasm into Node's WASI read them as uint32 (a pointer past
 * 2 GiB, an fd of -1), so the functions take `v >>> 0`. (Called from JS, Node's slow path
 * gives EINVAL for a negative Number; ours takes it as the wasm call does.) Each function
 * therefore starts with `x >>>= 0` for its 32-bit arguments once they are checked.
 */
const isU32 = (v) => typeof v === 'number' && ((v | 0) === v || v >>> 0 === v);

/** Whether `v` is a BigInt. */
const isBig = (v) => typeof v === 'bigint';

/** A BigInt as uint64. */
const u64 = (v) => BigInt.asUintN(64, v);

/** A BigInt as int64. */
const i64 = (v) => BigInt.asIntN(64, v);

const INT64_MAX = (1n << 63n) - 1n;

module.exports = { isU32, isBig, u64, i64, INT64_MAX };
