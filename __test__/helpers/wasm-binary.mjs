// A minimal WebAssembly binary writer for tests that need modules too large (or too odd) to
// write as text: multi-megabyte modules and modules at the JS-API implementation limits.

/** Unsigned LEB128. */
export function uleb(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** A section: id, size, contents. */
export function section(id, contents) {
  return [id, ...uleb(contents.length), ...contents];
}

/** A vector: count, then the items' bytes (an array of byte arrays). */
export function vec(items) {
  const out = uleb(items.length);
  for (const item of items) for (const b of item) out.push(b);
  return out;
}

/** A UTF-8 name. */
export function name(s) {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Concatenates byte arrays into a Uint8Array (without spreading huge arrays). */
export function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A large valid module: `funcs` functions of type [] → [i32], each exported as "f<i>" and
 * returning `i + ops` after `ops` additions (`i32.const i`, then `ops` × `i32.const 1; i32.add`).
 * About `funcs × (3 × ops + 10)` bytes.
 */
export function bigModule(funcs, ops) {
  const type = section(1, vec([[0x60, 0x00, 0x01, 0x7f]]));
  const funcSec = section(3, [...uleb(funcs), ...new Array(funcs).fill(0)]);
  const exportSec = section(7, vec(Array.from({ length: funcs }, (_, i) => [...name(`f${i}`), 0x00, ...uleb(i)])));
  const bodies = [];
  for (let i = 0; i < funcs; i++) {
    const code = new Uint8Array(1 + 1 + 5 + 3 * ops + 1);
    let at = 0;
    code[at++] = 0x00; // no locals
    code[at++] = 0x41; // i32.const i
    for (const b of sleb(i)) code[at++] = b;
    for (let k = 0; k < ops; k++) {
      code[at++] = 0x41; // i32.const 1
      code[at++] = 0x01;
      code[at++] = 0x6a; // i32.add
    }
    code[at++] = 0x0b; // end
    const body = code.subarray(0, at);
    bodies.push(Uint8Array.from(uleb(body.length)), body);
  }
  const codeContents = concat([Uint8Array.from(uleb(funcs)), ...bodies]);
  const codeHead = Uint8Array.from([10, ...uleb(codeContents.length)]);
  return concat([Uint8Array.from(HEADER), Uint8Array.from(type), Uint8Array.from(funcSec), Uint8Array.from(exportSec), codeHead, codeContents]);
}

/** Signed LEB128 (for i32.const). */
export function sleb(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
