// Plain-JavaScript reference implementations of the WasmGC benchmark kernels (gc_*.wat),
// written independently of the WAT: JavaScript objects for structs, class instances and
// `instanceof` for the subtype hierarchy, typed arrays for the GC arrays. Each returns the
// checksum as a signed decimal string, like `String(run(n))` from the WebAssembly export.

const u64 = (x) => BigInt.asUintN(64, x);
const fold = (acc, x) => u64(acc * 31n + BigInt(x));

export function gc_binary_trees(n) {
  const bottomUp = (d) => (d === 0 ? { left: null, right: null } : { left: bottomUp(d - 1), right: bottomUp(d - 1) });
  const check = (t) => (t.left === null ? 1 : 1 + check(t.left) + check(t.right));
  const max = Math.max(n, 6);
  let acc = BigInt(check(bottomUp(max + 1)));
  const long = bottomUp(max);
  for (let d = 4; d <= max; d += 2) {
    const iters = 2 ** (max - d + 4);
    let sum = 0;
    for (let i = 0; i < iters; i++) sum = (sum + check(bottomUp(d))) >>> 0;
    acc = fold(fold(acc, iters), sum);
  }
  return String(BigInt.asIntN(64, fold(acc, check(long))));
}

class Shape { constructor(tag) { this.tag = tag; } }
class Circle extends Shape { constructor(tag, r) { super(tag); this.r = r; } }
class Rect extends Shape { constructor(tag, w, h) { super(tag); this.w = w; this.h = h; } }
class Square extends Rect {}
class Tri extends Shape { constructor(tag, a, b, c) { super(tag); this.a = a; this.b = b; this.c = c; } }

function visit(e) {
  if (e instanceof Square) {
    const v = 2 * e.w * e.w + e.h;
    e.w = (e.w + 3) & 31;
    return v;
  }
  if (e instanceof Circle) {
    const v = 3 * e.r * e.r;
    e.r = (5 * e.r + 1) & 63;
    return v;
  }
  if (e instanceof Rect) {
    const v = e.w * e.h + e.tag;
    e.w = (e.w + 1) & 31;
    return v;
  }
  if (e instanceof Tri) {
    const v = e.a + 3 * e.b + e.c;
    e.c = (e.c + e.a + 1) & 255;
    return v;
  }
  return 7;
}

export function gc_cast(n) {
  const shapes = [];
  let x = 2463534;
  for (let i = 0; i < 1000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    const kind = (x >>> 16) % 5;
    const make = [
      () => new Circle(kind, x & 63),
      () => new Rect(kind, (x >>> 8) & 31, (x >>> 3) & 31),
      () => new Square(kind, (x >>> 5) & 31, (x >>> 5) & 31),
      () => new Tri(kind, x & 15, (x >>> 4) & 15, (x >>> 9) & 15),
      () => null,
    ][kind];
    shapes.push(make());
  }
  let acc = 0n;
  for (let r = 0; r < n; r++) for (const e of shapes) acc = fold(acc, visit(e) >>> 0);
  return String(BigInt.asIntN(64, acc));
}

/** The kernel's 256-byte data segment: 240 bytes of text, then 0xf0 ... 0xff. */
function segment() {
  const words = 'the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly and pack my box with liquor jugs ';
  const text = words.repeat(3).slice(0, 240);
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 240; i++) bytes[i] = text.charCodeAt(i);
  for (let i = 0; i < 16; i++) bytes[240 + i] = 0xf0 + i;
  return bytes;
}

export function gc_array(n) {
  const seg = segment();
  const segView = new DataView(seg.buffer);
  const b = new Uint8Array(4096);
  const w = new Uint32Array(1024);
  let acc = 0n;
  for (let r = 0; r < n; r++) {
    const a = seg.slice(r & 63, (r & 63) + 192);
    b.fill(r & 255, (r * 7) & 1023, ((r * 7) & 1023) + 512);
    for (let k = 0; k < 16; k++) b.set(a, k * 200 + (r % 50));
    b.copyWithin(1, 0, 4000);
    b.copyWithin(0, 3, 4003);
    const d = Array.from({ length: 48 }, (_, j) => segView.getUint32((r & 15) * 4 + 4 * j, true));
    w.fill(r >>> 0, r & 511, (r & 511) + 256);
    w.set(d, (r * 3) & 511);
    w.copyWithin(2, 0, 1000);
    for (let i = 0; i < b.length; i += 97) acc = fold(acc, b[i]);
    for (let i = 0; i < w.length; i += 31) acc = fold(acc, w[i]);
    acc = u64(acc + BigInt((b[r & 4095] << 24) >> 24));
  }
  return String(BigInt.asIntN(64, acc));
}
