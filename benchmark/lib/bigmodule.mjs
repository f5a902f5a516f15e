// Generates a large, valid WebAssembly 2.0 module for the compile/instantiate benchmark:
// thousands of functions with compiler-like bodies (locals of all numeric types, arithmetic,
// loads/stores, calls, call_indirect, blocks, loops, ifs, selects, globals), a funcref table
// with an element segment, exports, and active data segments. Deterministic for a given size.
//
//   generateBigModule({ codeBytes, dataBytes }) -> { bytes, stats }
//
// The functions are never meant to be called (loops count a local down, but from whatever
// value it holds); only compilation and instantiation are measured.

const I32 = 0x7f;
const I64 = 0x7e;
const F64 = 0x7c;

class Writer {
  constructor() {
    this.buf = new Uint8Array(1 << 16);
    this.len = 0;
  }
  ensure(n) {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(b) {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  bytes(arr) {
    this.ensure(arr.length);
    this.buf.set(arr, this.len);
    this.len += arr.length;
  }
  u32(v) {
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
  }
  s32(v) {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }
  s64(v) {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }
  f64(x) {
    const b = new Uint8Array(new Float64Array([x]).buffer);
    this.bytes(b);
  }
  name(s) {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes(b);
  }
  vec(items, each) {
    this.u32(items.length);
    for (const it of items) each(this, it);
  }
  result() {
    return this.buf.slice(0, this.len);
  }
}

function section(out, id, build) {
  const w = new Writer();
  build(w);
  const body = w.result();
  out.byte(id);
  out.u32(body.length);
  out.bytes(body);
  return body.length;
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  next.below = (n) => next() % n;
  next.pick = (arr) => arr[next() % arr.length];
  return next;
}

// Function types: 0 (i32,i32)->i32, 1 (i64,i32)->i64, 2 (f64,f64)->f64, 3 (i32)->()
const TYPES = [
  { params: [I32, I32], results: [I32] },
  { params: [I64, I32], results: [I64] },
  { params: [F64, F64], results: [F64] },
  { params: [I32], results: [] },
];
const EXTRA_LOCALS = [[4, I32], [2, I64], [2, F64]];

function localLayout(type) {
  const all = [...TYPES[type].params];
  for (const [count, t] of EXTRA_LOCALS) for (let i = 0; i < count; i++) all.push(t);
  const by = { [I32]: [], [I64]: [], [F64]: [] };
  all.forEach((t, i) => by[t].push(i));
  return by;
}

function genBody(w, r, type, ctx) {
  const L = localLayout(type);
  const i32 = () => r.pick(L[I32]);
  const i64 = () => r.pick(L[I64]);
  const f64 = () => r.pick(L[F64]);
  const get = (i) => { w.byte(0x20); w.u32(i); };
  const set = (i) => { w.byte(0x21); w.u32(i); };
  const memarg = (align, maxOffset) => { w.u32(align); w.u32(r.below(maxOffset) & ~((1 << align) - 1)); };
  const addr = () => { get(i32()); w.byte(0x41); w.s32(0xfff8); w.byte(0x71); }; // & 0xfff8

  const simple = [
    () => { // i32 binary op
      get(i32());
      if (r.below(2)) get(i32()); else { w.byte(0x41); w.s32(r() & 0xffff); }
      w.byte(r.pick([0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77]));
      set(i32());
    },
    () => { // i32 compare feeding an add
      get(i32()); get(i32()); w.byte(r.pick([0x48, 0x49, 0x4a, 0x4b, 0x46, 0x47]));
      get(i32()); w.byte(0x6a); set(i32());
    },
    () => { // i64 mix
      get(i64()); w.byte(0x42); w.s64(BigInt(r()) * 0x9e3779b1n + BigInt(r()));
      w.byte(r.pick([0x7c, 0x7e, 0x85])); get(i64()); w.byte(r.pick([0x85, 0x89, 0x7c]));
      set(i64());
    },
    () => { // f64 multiply-add
      get(f64()); get(f64()); w.byte(0xa2); w.byte(0x44); w.f64((r() % 1000) / 7); w.byte(0xa0);
      set(f64());
    },
    () => { // conversions
      switch (r.below(3)) {
        case 0: get(i32()); w.byte(0xb7); get(f64()); w.byte(0xa0); set(f64()); break;
        case 1: get(f64()); w.byte(0xfc); w.u32(2); set(i32()); break; // i32.trunc_sat_f64_s
        default: get(i32()); w.byte(0xad); get(i64()); w.byte(0x7c); set(i64()); break;
      }
    },
    () => { // loads
      addr();
      switch (r.below(4)) {
        case 0: w.byte(0x28); memarg(2, 4096); set(i32()); break;
        case 1: w.byte(0x2d); memarg(0, 4096); set(i32()); break;
        case 2: w.byte(0x29); memarg(3, 4096); set(i64()); break;
        default: w.byte(0x2b); memarg(3, 4096); set(f64()); break;
      }
    },
    () => { // stores
      addr();
      switch (r.below(3)) {
        case 0: get(i32()); w.byte(0x36); memarg(2, 4096); break;
        case 1: get(i64()); w.byte(0x37); memarg(3, 4096); break;
        default: get(f64()); w.byte(0x39); memarg(3, 4096); break;
      }
    },
    () => { // stack-pointer style global update
      w.byte(0x23); w.u32(0); w.byte(0x41); w.s32(16 * (1 + r.below(8))); w.byte(r.pick([0x6a, 0x6b]));
      w.byte(0x24); w.u32(0);
    },
    () => { // select
      get(i32()); get(i32()); get(i32()); w.byte(0x1b); set(i32());
    },
    () => { // direct call to an earlier (i32,i32)->i32 function
      if (ctx.binFuncs.length === 0) return;
      get(i32()); get(i32()); w.byte(0x10); w.u32(r.pick(ctx.binFuncs)); set(i32());
    },
    () => { // call_indirect through the table
      get(i32()); get(i32()); get(i32()); w.byte(0x41); w.s32(ctx.tableSize - 1); w.byte(0x71);
      w.byte(0x11); w.u32(0); w.u32(0); set(i32());
    },
  ];

  const stmts = (count, depth) => {
    for (let k = 0; k < count; k++) {
      const c = r.below(100);
      if (depth < 3 && c < 6) { // block with an early exit
        w.byte(0x02); w.byte(0x40); get(i32()); w.byte(0x0d); w.u32(0);
        stmts(2 + r.below(5), depth + 1); w.byte(0x0b);
      } else if (depth < 3 && c < 10) { // counted loop
        w.byte(0x03); w.byte(0x40); stmts(2 + r.below(6), depth + 1);
        const i = i32(); get(i); w.byte(0x41); w.s32(1); w.byte(0x6b); w.byte(0x22); w.u32(i);
        w.byte(0x0d); w.u32(0); w.byte(0x0b);
      } else if (depth < 3 && c < 15) { // if / else
        get(i32()); w.byte(0x04); w.byte(0x40); stmts(1 + r.below(4), depth + 1);
        w.byte(0x05); stmts(1 + r.below(4), depth + 1); w.byte(0x0b);
      } else {
        r.pick(simple)();
      }
    }
  };

  // locals declaration
  w.u32(EXTRA_LOCALS.length);
  for (const [count, t] of EXTRA_LOCALS) { w.u32(count); w.byte(t); }
  stmts(ctx.stmtCount, 0);
  const res = TYPES[type].results[0];
  if (res === I32) get(i32());
  else if (res === I64) get(i64());
  else if (res === F64) get(f64());
  w.byte(0x0b);
}

export function generateBigModule({ codeBytes = 8 << 20, dataBytes = 1 << 20, seed = 12345 } = {}) {
  const r = rng(seed);
  const bodies = [];
  const types = [];
  const binFuncs = []; // (i32,i32)->i32 functions generated so far: the direct-call targets
  const tableSize = 4096;
  let codeSize = 0;
  while (codeSize < codeBytes) {
    const idx = bodies.length;
    const type = idx === 0 ? 0 : r.below(10) < 6 ? 0 : 1 + r.below(3);
    const w = new Writer();
    genBody(w, r, type, { binFuncs, tableSize, stmtCount: 20 + r.below(100) });
    const body = w.result();
    bodies.push(body);
    types.push(type);
    if (type === 0) binFuncs.push(idx);
    codeSize += body.length + 3;
  }
  const funcCount = bodies.length;

  const out = new Writer();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(out, 1, (w) => w.vec(TYPES, (w, t) => {
    w.byte(0x60);
    w.vec(t.params, (w, p) => w.byte(p));
    w.vec(t.results, (w, p) => w.byte(p));
  }));
  section(out, 3, (w) => w.vec(types, (w, t) => w.u32(t)));
  section(out, 4, (w) => w.vec([0], (w) => { w.byte(0x70); w.byte(0x00); w.u32(tableSize); }));
  const memPages = Math.max(32, Math.ceil((65536 + dataBytes) / 65536) + 16);
  section(out, 5, (w) => w.vec([0], (w) => { w.byte(0x01); w.u32(memPages); w.u32(memPages * 4); }));
  section(out, 6, (w) => {
    w.u32(2);
    w.byte(I32); w.byte(0x01); w.byte(0x41); w.s32(memPages * 65536 - 4096); w.byte(0x0b);
    w.byte(I64); w.byte(0x01); w.byte(0x42); w.s64(0n); w.byte(0x0b);
  });
  const exports = [['memory', 2, 0]];
  for (let i = 0; i < funcCount; i += 50) exports.push([`f${i}`, 0, i]);
  section(out, 7, (w) => w.vec(exports, (w, [name, kind, idx]) => { w.name(name); w.byte(kind); w.u32(idx); }));
  section(out, 9, (w) => w.vec([0], (w) => {
    w.byte(0x00); w.byte(0x41); w.s32(0); w.byte(0x0b);
    const n = Math.min(tableSize, funcCount);
    w.u32(n);
    for (let i = 0; i < n; i++) w.u32((i * 7919) % funcCount);
  }));
  const codeSection = section(out, 10, (w) => w.vec(bodies, (w, b) => { w.u32(b.length); w.bytes(b); }));
  const segSize = 65536;
  const segments = Math.ceil(dataBytes / segSize);
  const dataSection = section(out, 11, (w) => {
    w.u32(segments);
    for (let s = 0; s < segments; s++) {
      w.byte(0x00); w.byte(0x41); w.s32(65536 + s * segSize); w.byte(0x0b);
      const len = Math.min(segSize, dataBytes - s * segSize);
      w.u32(len);
      const chunk = new Uint8Array(len);
      for (let i = 0; i < len; i++) chunk[i] = r() & 0xff;
      w.bytes(chunk);
    }
  });
  const bytes = out.result();
  return {
    bytes,
    stats: {
      bytes: bytes.length,
      functions: funcCount,
      codeSectionBytes: codeSection,
      dataSectionBytes: dataSection,
      declaredMemoryBytes: memPages * 65536,
    },
  };
}
