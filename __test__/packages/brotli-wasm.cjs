'use strict';
// Workload for brotli-wasm (Rust, wasm-bindgen): one-shot and streaming compression of a few MB
// at several qualities, decompression (checked against the input and against node:zlib), and
// the error path for corrupt input. The wasm heap grows from inside wasm (memory.grow by the Rust
// allocator). Prints one line per result; the test compares the sha256 of this output.
const { createHash } = require('node:crypto');
const zlib = require('node:zlib');
const brotli = require('brotli-wasm');

const MB = Number(process.env.BROTLI_MB || 2);
const sha = (b) => createHash('sha256').update(b).digest('hex');

// Compressible, text-like deterministic input: words from a small vocabulary with numbers.
function corpus(size) {
  const words = ['wasm', 'jitless', 'node', 'interpreter', 'memory', 'table', 'global', 'brotli', 'the', 'a', 'of', 'compress'];
  let x = 2463534242;
  const parts = [];
  let len = 0;
  while (len < size) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    const w = (x % 7 === 0 ? String(x % 100000) : words[x % words.length]) + (x % 11 === 0 ? '\n' : ' ');
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, size), 'latin1');
}

const input = corpus(MB * 1024 * 1024);
const out = [`input ${input.length} ${sha(input)}`];
const memBefore = brotli.__wasm.memory.buffer.byteLength;

for (const quality of [1, 6]) {
  const packed = brotli.compress(input, { quality });
  const unpacked = brotli.decompress(packed);
  out.push(`q${quality} ${packed.length} ${sha(packed)} roundtrip=${Buffer.compare(Buffer.from(unpacked), input) === 0}`);
  out.push(`q${quality} zlib-decodes=${zlib.brotliDecompressSync(packed).equals(input)}`);
}
const q9 = brotli.compress(input.subarray(0, 512 * 1024), { quality: 9 });
out.push(`q9(512KiB) ${q9.length} ${sha(q9)}`);
const q11 = brotli.compress(input.subarray(0, 128 * 1024), { quality: 11 });
out.push(`q11(128KiB) ${q11.length} ${sha(q11)}`);

// node:zlib output decoded by brotli-wasm.
const fromZlib = zlib.brotliCompressSync(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
out.push(`zlib->wasm ${Buffer.from(brotli.decompress(fromZlib)).equals(input)}`);

// Streaming API with small output buffers.
const CHUNK = 64 * 1024;
const cs = new brotli.CompressStream(4);
const pieces = [];
for (let off = 0; off <= input.length; off += CHUNK) {
  const last = off + CHUNK >= input.length;
  let chunk = input.subarray(off, Math.min(off + CHUNK, input.length));
  for (;;) {
    const r = cs.compress(last && chunk.length === 0 ? undefined : chunk, 32 * 1024);
    pieces.push(Buffer.from(r.buf));
    chunk = chunk.subarray(r.input_offset);
    if (r.code === brotli.BrotliStreamResultCode.NeedsMoreInput && !last) break;
    if (last && r.code === brotli.BrotliStreamResultCode.ResultSuccess) break;
    if (r.code === brotli.BrotliStreamResultCode.NeedsMoreInput && last && chunk.length === 0) continue;
  }
  if (last) break;
}
const streamed = Buffer.concat(pieces);
out.push(`stream q4 ${streamed.length} ${sha(streamed)} total_out=${cs.total_out()}`);
cs.free();
const ds = new brotli.DecompressStream();
const dpieces = [];
let rest = streamed;
for (;;) {
  const r = ds.decompress(rest.subarray(0, 10000), 100 * 1024);
  dpieces.push(Buffer.from(r.buf));
  rest = rest.subarray(r.input_offset);
  if (r.code === brotli.BrotliStreamResultCode.ResultSuccess) break;
}
out.push(`stream decoded ${Buffer.concat(dpieces).equals(input)} total_out=${ds.total_out()}`);
ds.free();

// Corrupt input: the Rust side returns an Error made by a JS import.
try {
  brotli.decompress(Buffer.from('definitely not brotli data, definitely not'));
  out.push('corrupt: no error');
} catch (e) {
  out.push(`corrupt: ${typeof e}: ${String(e)}`);
}
const memAfter = brotli.__wasm.memory.buffer.byteLength;
out.push(`memory grew ${memAfter > memBefore}`);
process.stdout.write(out.join('\n') + '\n');
