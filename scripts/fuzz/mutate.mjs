// Seeded mutations of a module's bytes for the malformed-input runner: bit flips, byte
// insertion/deletion/overwrite, truncation, and structure-aware edits of the section headers
// and the LEB128 numbers that start each section (counts, lengths): off by one, huge,
// non-minimal encodings, overlong encodings; section id changes, removal, duplication, swaps.

/** SplitMix64 as a JS generator of 32-bit numbers (BigInt arithmetic, fine at this rate). */
export function rng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed));
  const next = () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return Number((z ^ (z >> 31n)) & 0xffffffffn);
  };
  return { next, below: (n) => next() % n };
}

/** Reads an unsigned LEB128 at `pos`: [value, byteLength], or null. */
function readLeb(b, pos) {
  let value = 0;
  let shift = 0;
  for (let i = pos; i < b.length && i < pos + 10; i++) {
    value += (b[i] & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b[i] & 0x80)) return [value, i + 1 - pos];
  }
  return null;
}

/** The unsigned LEB128 encoding of `v`, padded to `minLen` bytes (non-minimal if longer). */
function leb(v, minLen = 1) {
  const out = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0 || out.length + 1 < minLen) byte |= 0x80;
    out.push(byte);
  } while (v > 0 || out.length < minLen);
  return out;
}

/** The top-level sections: [{id, start (of the id byte), payload, end}]. */
export function sections(b) {
  const out = [];
  let pos = 8;
  while (pos < b.length) {
    const len = readLeb(b, pos + 1);
    if (!len) break;
    const payload = pos + 1 + len[1];
    const end = payload + len[0];
    if (end > b.length) break;
    out.push({ id: b[pos], start: pos, payload, end });
    pos = end;
  }
  return out;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x0b, 0x41, 0x7b, 0xfd, 0xfc, 0x6f, 0x70, 0x60];

/** Replaces the LEB128 at `pos` (of `len` bytes) with `bytes`. */
function splice(b, pos, len, bytes) {
  return Buffer.concat([b.subarray(0, pos), Buffer.from(bytes), b.subarray(pos + len)]);
}

/** A new value for a LEB128 number `v`. */
function tweakValue(r, v) {
  switch (r.below(6)) {
    case 0:
      return v + 1;
    case 1:
      return Math.max(0, v - 1);
    case 2:
      return 0;
    case 3:
      return 0xffffffff;
    case 4:
      return v + 1 + r.below(1000);
    default:
      return r.next();
  }
}

/** One mutation of `b` chosen by `r`: [newBytes, description]. */
function mutateOnce(r, b) {
  const secs = sections(b);
  const pos = b.length ? r.below(b.length) : 0;
  switch (r.below(10)) {
    case 0: {
      const bit = r.below(8);
      const out = Buffer.from(b);
      out[pos] ^= 1 << bit;
      return [out, `flip bit ${bit} at ${pos}`];
    }
    case 1: {
      const v = r.below(2) ? INTERESTING[r.below(INTERESTING.length)] : r.below(256);
      return [splice(b, pos, 0, [v]), `insert ${v} at ${pos}`];
    }
    case 2:
      return [splice(b, pos, 1, []), `delete byte at ${pos}`];
    case 3: {
      const out = Buffer.from(b);
      out[pos] = INTERESTING[r.below(INTERESTING.length)];
      return [out, `set byte ${pos} to ${out[pos]}`];
    }
    case 4:
      return [b.subarray(0, pos), `truncate at ${pos}`];
    case 5:
    case 6: {
      // A section's length or its first LEB128 (an item count for most sections).
      if (!secs.length) return [b, 'no sections'];
      const s = secs[r.below(secs.length)];
      const at = r.below(2) ? s.start + 1 : s.payload;
      const cur = readLeb(b, at);
      if (!cur) return [b, 'no leb'];
      const how = r.below(3);
      if (how === 0) return [splice(b, at, cur[1], leb(cur[0], cur[1] + 1 + r.below(5))), `pad leb at ${at}`];
      const v = tweakValue(r, cur[0]);
      return [splice(b, at, cur[1], leb(v, how === 1 ? cur[1] : 1)), `leb at ${at}: ${cur[0]} -> ${v}`];
    }
    case 7: {
      if (!secs.length) return [b, 'no sections'];
      const s = secs[r.below(secs.length)];
      const out = Buffer.from(b);
      out[s.start] = r.below(2) ? r.below(14) : r.below(256);
      return [out, `section at ${s.start}: id ${s.id} -> ${out[s.start]}`];
    }
    case 8: {
      if (!secs.length) return [b, 'no sections'];
      const s = secs[r.below(secs.length)];
      return r.below(2)
        ? [splice(b, s.start, s.end - s.start, []), `remove section ${s.id} at ${s.start}`]
        : [splice(b, s.end, 0, b.subarray(s.start, s.end)), `duplicate section ${s.id} at ${s.start}`];
    }
    default: {
      if (secs.length < 2) return [b, 'fewer than 2 sections'];
      const i = r.below(secs.length - 1);
      const [x, y] = [secs[i], secs[i + 1]];
      const out = Buffer.concat([b.subarray(0, x.start), b.subarray(y.start, y.end), b.subarray(x.start, x.end), b.subarray(y.end)]);
      return [out, `swap sections ${x.id} and ${y.id}`];
    }
  }
}

/** 1–3 mutations of `bytes` chosen by `r`: [newBytes, descriptions]. */
export function mutate(r, bytes) {
  let b = Buffer.from(bytes);
  const what = [];
  const n = 1 + r.below(3);
  for (let i = 0; i < n; i++) {
    const [next, d] = mutateOnce(r, b);
    b = next;
    what.push(d);
  }
  return [b, what];
}
