// Plain-JavaScript reference implementations of the benchmark kernels, written independently of
// the WAT (same algorithm, same operation order for the floating-point ones). Each returns the
// checksum as a signed decimal string, like `String(run(n))` from a WebAssembly export.
// Used by benchmark/check-kernels.mjs with small n; some are slow (BigInt), that is fine.
import { createHash } from 'node:crypto';

const M64 = (1n << 64n) - 1n;
const u64 = (x) => BigInt.asUintN(64, x);
const s64 = (x) => String(BigInt.asIntN(64, x));
const rotl32 = (x, r) => ((x << r) | (x >>> (32 - r))) >>> 0;
const rotl64 = (x, r) => u64((x << BigInt(r)) | (x >> BigInt(64 - r)));
const hilo = (hi, lo) => s64((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
const f64bits = (x) => {
  const f = new Float64Array([x]);
  return String(new BigInt64Array(f.buffer)[0]);
};

export function fib(n) {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return s64(a);
}

export function loop(n) {
  let a = 1;
  let b = 0x9e3779b9 | 0;
  let c = 12345;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) | 0;
    b = ((b ^ (a >>> 13)) + i) | 0;
    c = (c + ((a & b) | (i << 3))) | 0;
    b = (rotl32(b >>> 0, 7) - (c >> 29)) | 0;
  }
  return hilo(b, c ^ a);
}

export function sieve(n) {
  let acc = 0n;
  for (let r = 0; r < n; r++) {
    const limit = 1_000_000 + r;
    const composite = new Uint8Array(limit);
    let count = 0;
    let sum = 0;
    for (let i = 2; i < limit; i++) {
      if (composite[i]) continue;
      count++;
      sum = (sum + i) >>> 0;
      for (let j = i * i; j < limit; j += i) composite[j] = 1;
    }
    acc += BigInt(count) * 31n + BigInt(sum);
  }
  return s64(acc);
}

export function matmul(n) {
  const A = new Float64Array(n * n);
  const B = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      A[i * n + j] = ((3 * i + 7 * j) % 17) * 0.1 - 0.8;
      B[i * n + j] = ((5 * i + 11 * j) % 13) * 0.3 - 1.7;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[i * n + k] * B[k * n + j];
      total += s * (((i * n + j) % 7) + 1);
    }
  }
  return f64bits(total);
}

export function sha256(n) {
  const msg = Buffer.alloc(n);
  for (let i = 0; i < n; i++) msg[i] = ((i * 31) ^ (i >>> 7)) & 255;
  const d = createHash('sha256').update(msg).digest();
  const w = (k) => d.readUInt32BE(4 * k);
  return hilo(w(0) ^ w(2) ^ w(4) ^ w(6), w(1) ^ w(3) ^ w(5) ^ w(7));
}

// n-body: the Sun, Jupiter, Saturn, Uranus, Neptune (see nbody.wat for the units).
export function nbodyEnergyAfter(n) {
  const PI = 3.141592653589793;
  const SM = 4 * PI * PI;
  const DPY = 365.24;
  const raw = [
    [0, 0, 0, 0, 0, 0, 1],
    [4.8414314424647209, -1.16032004402742839, -1.03622044471123109e-1,
      1.66007664274403694e-3, 7.69901118419740425e-3, -6.90460016972063023e-5, 9.54791938424326609e-4],
    [8.34336671824457987, 4.12479856412430479, -4.03523417114321381e-1,
      -2.76742510726862411e-3, 4.99852801234917238e-3, 2.30417297573763929e-5, 2.85885980666130812e-4],
    [1.2894369562139131e1, -1.51111514016986312e1, -2.23307578892655734e-1,
      2.96460137564761618e-3, 2.3784717395948095e-3, -2.96589568540237556e-5, 4.36624404335156298e-5],
    [1.53796971148509165e1, -2.59193146099879641e1, 1.79258772950371181e-1,
      2.68067772490389322e-3, 1.62824170038242295e-3, -9.5159225451971587e-5, 5.15138902046611451e-5],
  ];
  const b = raw.map(([x, y, z, vx, vy, vz, m]) => ({
    x, y, z, vx: vx * DPY, vy: vy * DPY, vz: vz * DPY, m: m * SM,
  }));
  let px = 0;
  let py = 0;
  let pz = 0;
  for (const o of b) {
    px += o.vx * o.m;
    py += o.vy * o.m;
    pz += o.vz * o.m;
  }
  b[0].vx = -px / SM;
  b[0].vy = -py / SM;
  b[0].vz = -pz / SM;
  const dt = 0.01;
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < 5; i++) {
      const bi = b[i];
      for (let j = i + 1; j < 5; j++) {
        const bj = b[j];
        const dx = bi.x - bj.x;
        const dy = bi.y - bj.y;
        const dz = bi.z - bj.z;
        const d2 = dx * dx + dy * dy + dz * dz;
        const mag = dt / (d2 * Math.sqrt(d2));
        bi.vx -= dx * bj.m * mag;
        bi.vy -= dy * bj.m * mag;
        bi.vz -= dz * bj.m * mag;
        bj.vx += dx * bi.m * mag;
        bj.vy += dy * bi.m * mag;
        bj.vz += dz * bi.m * mag;
      }
    }
    for (const o of b) {
      o.x += dt * o.vx;
      o.y += dt * o.vy;
      o.z += dt * o.vz;
    }
  }
  let e = 0;
  for (let i = 0; i < 5; i++) {
    const bi = b[i];
    e += 0.5 * bi.m * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz);
    for (let j = i + 1; j < 5; j++) {
      const bj = b[j];
      const dx = bi.x - bj.x;
      const dy = bi.y - bj.y;
      const dz = bi.z - bj.z;
      e -= (bi.m * bj.m) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

export function nbody(n) {
  return f64bits(nbodyEnergyAfter(n));
}

export function call_indirect(n) {
  const f = [
    (a, b) => (a + b) | 0,
    (a, b) => a ^ Math.imul(b, 0x9e3779b1 | 0),
    (a, b) => (rotl32(a >>> 0, b & 31) + 1) | 0,
    (a, b) => (a - (b >>> 3)) | 0,
    (a, b) => Math.imul(a, 33) ^ b,
    (a, b) => (a + (b << 7)) | 0,
    (a, b) => (((a >>> 1) ^ (-(a & 1) & 0xedb88320)) + b) | 0,
    (a, b) => a ^ ((b + 0x7f4a7c15) | 0),
  ];
  const g = [
    (w) => u64((w ^ 0x5851f42d4c957f2dn) * 31n),
    (w) => u64(rotl64(w, 17) + 0x14057b7ef767814fn),
  ];
  let s = 0x12345678;
  let acc = 0;
  let w = 1n;
  for (let i = 0; i < n; i++) {
    s = f[(s >>> 7) & 7](s, i) | 0;
    acc = (acc + s) | 0;
    if ((i & 15) === 0) w = g[s & 1](u64(w + BigInt(s >>> 0)));
  }
  return s64((BigInt(acc >>> 0) << 32n) + BigInt(s >>> 0) + w);
}

export function bulk_memory(n) {
  const mem = new Uint8Array(0x100000);
  const view = new DataView(mem.buffer);
  let acc = 0n;
  for (let i = 0; i < n; i++) {
    const off = Math.imul(i, 40503) & 0x7ffff;
    const len = 65536 + (Math.imul(i, 2654435761 | 0) >>> 16);
    mem.fill(i & 255, off, off + len);
    const dst = (off + Math.imul(i, 777)) & 0x7ffff;
    const src = off >= 4096 ? off - 4096 : off;
    mem.copyWithin(dst, src, src + len);
    acc = u64(acc * 31n + BigInt(mem[Math.imul(i, 12345) & 0xfffff]) +
      view.getBigUint64(Math.imul(i, 8191) & 0xffff8, true));
  }
  for (let k = 0; k < 0x100000; k += 4096) {
    acc = u64(acc * 1099511628211n) ^ view.getBigUint64(k, true);
  }
  return s64(acc);
}

export function i64_hash(n) {
  const mix = (z) => {
    z = u64((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = u64((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
  const table = [];
  for (let k = 0n; k < 256n; k++) table.push(mix(u64(k * 0x9e3779b97f4a7c15n + 1n)));
  let s = 0x0123456789abcdefn;
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < n; i++) {
    s = u64(s + 0x9e3779b97f4a7c15n);
    h = u64((h ^ mix(s)) * 0x100000001b3n);
    h ^= table[Number(h >> 56n)];
    h = u64(rotl64(h, 23) + BigInt(i));
  }
  return s64(h & M64);
}

// The br_table kernel's bytecode program, re-expressed directly (no interpreter): r0 = n
// iterations of xorshift32 on r1, then a multiply-add address into 256 data words, etc.
export function br_table_vm(n) {
  const mem = new Int32Array(256);
  let r0 = n;
  let r1 = 0x5eed;
  const r5 = 40503;
  let r6 = 0;
  do {
    r1 ^= r1 << 13;
    r1 ^= r1 >>> 17;
    r1 ^= r1 << 5;
    const r3 = (Math.imul(r1, r5) + r0) | 0;
    const r4 = (mem[r3 & 255] + r1) | 0;
    mem[r1 & 255] = r4;
    r6 = (r6 + r4) | 0;
    if ((r4 & 1) === 0) r6 = (r6 - r1) | 0;
    r0 = (r0 - 1) | 0;
  } while (r0 !== 0);
  return hilo(r6, r1);
}

export function coremark_like(n) {
  const TEXT = '12 -874 +122 0.5e3 7.25e-2 ,x9 4.4 -- +e5 1e 99 00012 -0.07 3e+8 .5 8. 1,2,3 e7 -.25 6E2 ab 42 +';
  const CHARSET = '0123456789+-.e ,';
  const text = Array.from(TEXT, (c) => c.charCodeAt(0));
  const A = new Int16Array(64);
  const B = new Int16Array(64);
  const C = new Int32Array(64);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      A[i * 8 + j] = (((i * 8 + j) * 37) & 0x3ff) - 0x200;
      B[i * 8 + j] = (((i + 1) * (j + 3)) % 23) - 11;
    }
  }
  // The list as JS objects (the WAT uses addresses in linear memory).
  let head = null;
  for (let k = 63; k >= 0; k--) head = { next: head, value: (k * 7919) & 0xffff };
  const crc16 = (v, crc) => {
    for (let k = 0; k < 16; k++) {
      crc = (crc ^ v) & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
      v >>>= 1;
    }
    return crc;
  };
  const cls = (c) => {
    if (c >= 48 && c <= 57) return 'digit';
    if (c === 43 || c === 45) return 'sign';
    if (c === 46) return 'dot';
    if (c === 101) return 'e';
    if (c === 32 || c === 44) return 'sep';
    return 'other';
  };
  const STATES = ['START', 'SIGN', 'INT', 'DOT', 'FLOAT', 'EXP', 'EXPSIGN', 'SCI', 'INVALID'];
  const NEXT = {
    START: { digit: 'INT', sign: 'SIGN', dot: 'DOT' },
    SIGN: { digit: 'INT', dot: 'DOT' },
    INT: { digit: 'INT', dot: 'FLOAT', e: 'EXP' },
    DOT: { digit: 'FLOAT' },
    FLOAT: { digit: 'FLOAT', e: 'EXP' },
    EXP: { digit: 'SCI', sign: 'EXPSIGN' },
    EXPSIGN: { digit: 'SCI' },
    SCI: { digit: 'SCI' },
    INVALID: {},
  };
  let crc = 0xffff;
  let acc = 0n;
  for (let it = 0; it < n; it++) {
    // 1. list
    let prev = null;
    for (let p = head; p;) {
      const nx = p.next;
      p.next = prev;
      prev = p;
      p = nx;
    }
    head = prev;
    let pos = 0;
    let lsum = 0;
    let found = -1;
    for (let p = head; p; p = p.next) {
      const v = (p.value * 5 + it + pos) & 0xffff;
      p.value = v;
      lsum = (lsum + (v ^ pos)) | 0;
      if (found < 0 && (v & 15) === (it & 15)) found = pos;
      pos++;
    }
    // 2. matrix
    let msum = 0;
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let k = 0; k < 8; k++) s = (s + Math.imul(A[i * 8 + k], B[k * 8 + j])) | 0;
        C[i * 8 + j] = s;
        msum = (msum + s) | 0;
      }
    }
    for (let k = 0; k < 64; k++) A[k] = (((C[k] >> 4) + it) & 0x3ff) - 0x200;
    // 3. state machine
    const count = new Map(STATES.map((s) => [s, 0]));
    let state = 'START';
    let trans = 0;
    for (const c of text) {
      const k = cls(c);
      if (k === 'sep') {
        if (state !== 'START') {
          count.set(state, count.get(state) + 1);
          state = 'START';
        }
      } else {
        const ns = NEXT[state][k] ?? 'INVALID';
        if (ns !== state) trans++;
        state = ns;
      }
    }
    if (state !== 'START') count.set(state, count.get(state) + 1);
    let smsum = 0;
    STATES.forEach((s, k) => { smsum += count.get(s) * (2 * k + 1); });
    text[(it * 7) % 96] = CHARSET.charCodeAt((it * 13 + lsum) & 15);
    // 4. CRC
    for (const v of [lsum, found, msum, msum >>> 16, smsum, trans]) crc = crc16(v & 0xffff, crc);
    acc = u64(acc * 31n + ((BigInt(msum >>> 0) << 32n) | BigInt((lsum ^ smsum) >>> 0)));
  }
  return s64(acc ^ (BigInt(crc) << 48n));
}

// ---- SIMD kernels: the same arithmetic lane by lane, on scalars ----------------------------

/** The bits of a float32 as an unsigned integer. */
const f32bitsU = (x) => new Uint32Array(new Float32Array([x]).buffer)[0];

/** Σ bits(v[idx]) · (idx mod 7 + 1) over a Float32Array, as the wasm kernels fold it (i64). */
const weightedBits32 = (v) => {
  let total = 0n;
  for (let idx = 0; idx < v.length; idx++) total += BigInt(f32bitsU(v[idx]) * ((idx % 7) + 1));
  return s64(total);
};

export function simd_matmul(n) {
  const f = Math.fround;
  const A = new Float32Array(n * n);
  const B = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      A[i * n + j] = f(f(((3 * i + 7 * j) % 17) * 0.25) - 2);
      B[i * n + j] = f(f(((5 * i + 11 * j) % 13) * 0.5) - 3);
    }
  }
  const C = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc = f(acc + f(A[i * n + k] * B[k * n + j]));
      C[i * n + j] = acc;
    }
  }
  return weightedBits32(C);
}

export function simd_conv(n) {
  const f = Math.fround;
  const W = 130;
  let src = new Float32Array(W * W);
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) src[y * W + x] = f(((7 * x + 13 * y) % 29) * 0.5);
  let dst = Float32Array.from(src);
  const w = [[0.0625, 0.125, 0.0625], [0.125, 0.25, 0.125], [0.0625, 0.125, 0.0625]];
  for (let pass = 0; pass < n; pass++) {
    for (let y = 1; y < W - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        let acc = null;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const p = f(src[(y + dy) * W + x + dx] * w[dy + 1][dx + 1]);
            acc = acc === null ? p : f(acc + p);
          }
        }
        dst[y * W + x] = acc;
      }
    }
    [src, dst] = [dst, src];
  }
  return weightedBits32(src);
}

export function simd_dot_i8(n) {
  const sb = (v) => (v << 24) >> 24;
  const W = new Int8Array(256 * 256);
  for (let r = 0; r < 256; r++) for (let k = 0; k < 256; k++) W[r * 256 + k] = sb(((31 * r + 17 * k) % 251) - 125);
  const x = new Int8Array(256);
  for (let k = 0; k < 256; k++) x[k] = sb(((7 * k) % 255) - 127);
  const y = new Int32Array(256);
  let s = 0n;
  for (let pass = 0; pass < n; pass++) {
    for (let r = 0; r < 256; r++) {
      let acc = 0;
      for (let k = 0; k < 256; k++) acc += W[r * 256 + k] * x[k];
      y[r] = acc;
      s = u64(s * 31n + u64(BigInt(acc)));
    }
    for (let k = 0; k < 256; k++) x[k] = sb(y[k] >> 6);
  }
  return s64(s);
}

export function simd_shuffle(n) {
  const HEX = Buffer.from('0123456789abcdef', 'latin1');
  const inp = new Uint8Array(16384);
  for (let i = 0; i < inp.length; i++) inp[i] = (i * 131 + (i >> 8)) & 255;
  const out = new Uint8Array(32768);
  for (let pass = 0; pass < n; pass++) {
    for (let c = 0; c < 16384; c += 16) {
      // out[2c .. 2c+32]: the hex digits of the chunk, high nibble first.
      for (let i = 0; i < 16; i++) {
        out[2 * c + 2 * i] = HEX[inp[c + i] >> 4];
        out[2 * c + 2 * i + 1] = HEX[inp[c + i] & 15];
      }
      // v'[i] = (v[i] + o0[15 - i]) ^ o1[i], o0 = out[2c..2c+16], o1 = out[2c+16..2c+32]
      for (let i = 0; i < 16; i++) inp[c + i] = ((inp[c + i] + out[2 * c + 15 - i]) & 255) ^ out[2 * c + 16 + i];
    }
  }
  let h = 0xcbf29ce484222325n;
  for (const buf of [out, inp]) {
    const words = new BigUint64Array(buf.buffer, buf.byteOffset, buf.length / 8);
    for (const w of words) h = u64((h ^ w) * 0x100000001b3n);
  }
  return s64(h);
}
