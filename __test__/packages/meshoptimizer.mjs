// Workload for meshoptimizer (C++ compiled with clang to wasm, embedded in JS). Its decoder picks
// its SIMD build when `WebAssembly.validate` accepts a small probe module using v128 and bulk
// memory, its scalar build otherwise; this workload prints that choice, then encodes a generated
// mesh (vertex/index codecs, octahedral/quaternion/exponent filters at several levels), decodes
// it back with the (SIMD) decoder, checks the round trips, and simplifies the mesh. Prints one line
// per result; the test compares the sha256 of this output.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { MeshoptDecoder, MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer';

const sha = (x) => createHash('sha256').update(x).digest('hex');
const bytes = (ta) => new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength);
const out = [];
const put = (k, v) => out.push(`${k} ${v}`);

// The decoder's own feature probe (the bytes of `detector` in its source): true → SIMD build.
const source = readFileSync(join(dirname(fileURLToPath(import.meta.resolve('meshoptimizer'))), 'meshopt_decoder.mjs'), 'utf8');
const detector = new Uint8Array(JSON.parse(`[${/detector = new Uint8Array\(\[([\d,\s]+)\]/.exec(source)[1].replace(/,\s*$/, '')}]`));
put('decoder uses SIMD build', WebAssembly.validate(detector));

await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready, MeshoptSimplifier.ready]);

// A wavy grid mesh: N×N vertices (position xyz, normal xyz, uv), 2(N-1)² triangles.
const N = 160;
const vcount = N * N;
const positions = new Float32Array(vcount * 3);
const normals = new Float32Array(vcount * 3);
const vertices = new Float32Array(vcount * 8);
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const i = y * N + x;
    const h = Math.sin(x * 0.21) * Math.cos(y * 0.17) * 3;
    const nx = -Math.cos(x * 0.21) * 0.63;
    const ny = Math.sin(y * 0.17) * 0.51;
    const len = Math.hypot(nx, ny, 1);
    positions.set([x, h, y], i * 3);
    normals.set([nx / len, ny / len, 1 / len], i * 3);
    vertices.set([x, h, y, nx / len, ny / len, 1 / len, x / N, y / N], i * 8);
  }
}
const indices = new Uint32Array((N - 1) * (N - 1) * 6);
for (let y = 0, k = 0; y < N - 1; y++) {
  for (let x = 0; x < N - 1; x++) {
    const a = y * N + x;
    indices.set([a, a + N, a + 1, a + 1, a + N, a + N + 1], k);
    k += 6;
  }
}

// Reorder for vertex fetch, then the vertex and index codecs (and back through the decoder).
const [remap, unique] = MeshoptEncoder.reorderMesh(indices.slice(), true, true);
put('reorderMesh', `unique=${unique} remap=${sha(bytes(remap))}`);
const vbytes = bytes(vertices);
for (const level of [0, 2, 3]) {
  const enc = MeshoptEncoder.encodeVertexBufferLevel(vbytes, vcount, 32, level, 1);
  const dec = new Uint8Array(vcount * 32);
  MeshoptDecoder.decodeVertexBuffer(dec, vcount, 32, enc);
  put(`vertex level ${level}`, `${enc.length} ${sha(enc)} roundtrip=${Buffer.compare(dec, vbytes) === 0}`);
}
const ienc = MeshoptEncoder.encodeIndexBuffer(bytes(indices), indices.length, 4);
const idec = new Uint32Array(indices.length);
MeshoptDecoder.decodeIndexBuffer(bytes(idec), indices.length, 4, ienc);
put('index', `${ienc.length} ${sha(ienc)} roundtrip=${sha(bytes(idec)) === sha(bytes(indices))}`);
const seq = new Uint32Array(4000).map((_, i) => (i * 7919) % 5000);
const senc = MeshoptEncoder.encodeIndexSequence(bytes(seq), seq.length, 4);
const sdec = new Uint32Array(seq.length);
MeshoptDecoder.decodeIndexSequence(bytes(sdec), seq.length, 4, senc);
put('sequence', `${senc.length} roundtrip=${sha(bytes(sdec)) === sha(bytes(seq))}`);

// glTF filters: the decoder applies them with SIMD in its SIMD build.
const normals4 = new Float32Array(vcount * 4);
for (let i = 0; i < vcount; i++) normals4.set([...normals.subarray(i * 3, i * 3 + 3), 0], i * 4);
const quats = new Float32Array(vcount * 4);
for (let i = 0; i < vcount; i++) {
  const t = i * 0.001;
  const q = [Math.sin(t), Math.cos(t * 0.7) * 0.5, Math.sin(t * 1.3) * 0.3, 1];
  const l = Math.hypot(...q);
  quats.set(q.map((c) => c / l), i * 4);
}
const cases = [
  ['OCTAHEDRAL', 8, MeshoptEncoder.encodeFilterOct(normals4, vcount, 8, 12)],
  ['OCTAHEDRAL', 4, MeshoptEncoder.encodeFilterOct(normals4, vcount, 4, 8)],
  ['QUATERNION', 8, MeshoptEncoder.encodeFilterQuat(quats, vcount, 8, 12)],
  ['EXPONENTIAL', 12, MeshoptEncoder.encodeFilterExp(positions, vcount, 12, 15)],
  ['EXPONENTIAL', 12, MeshoptEncoder.encodeFilterExp(positions, vcount, 12, 10, 'SharedComponent')],
];
for (const [filter, stride, filtered] of cases) {
  const enc = MeshoptEncoder.encodeGltfBuffer(filtered, vcount, stride, 'ATTRIBUTES');
  const dec = new Uint8Array(vcount * stride);
  MeshoptDecoder.decodeGltfBuffer(dec, vcount, stride, enc, 'ATTRIBUTES', filter);
  put(`filter ${filter}/${stride}`, `${filtered.length} enc=${sha(enc)} decoded=${sha(dec)}`);
}

// Simplification to 10 % and 1 % of the triangles, with and without flags.
for (const [ratio, flags] of [[0.1, []], [0.01, ['LockBorder']], [0.05, ['Prune', 'Regularize']]]) {
  const target = Math.floor((indices.length * ratio) / 3) * 3;
  const [simplified, error] = MeshoptSimplifier.simplify(indices, positions, 3, target, 0.05, flags);
  put(`simplify ${ratio} ${flags.join('+')}`, `${simplified.length} err=${error.toFixed(6)} ${sha(bytes(simplified))}`);
}
const scale = MeshoptSimplifier.getScale(positions, 3);
put('scale', scale);

process.stdout.write(out.join('\n') + '\n');
