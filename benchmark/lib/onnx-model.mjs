// A small convolutional ONNX model, encoded in the protobuf wire format by hand (no ONNX tooling):
// Conv 3→32 (3×3, pad 1) + ReLU + MaxPool 2×2, Conv 32→64 (3×3) + ReLU, GlobalAveragePool,
// Flatten, Gemm 64→64 + ReLU, Gemm 64→10, on a 1×3×64×64 input. Weights and input come from a
// fixed linear congruential generator, so every engine gets the same bytes.

const utf8 = new TextEncoder();

/** Base-128 varint bytes of a non-negative integer. */
function varint(value) {
  const out = [];
  let n = BigInt(value);
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** A varint field (wire type 0). */
const int = (field, v) => Uint8Array.from([...varint(field << 3), ...varint(v)]);
/** A length-delimited field (wire type 2). */
const bytes = (field, b) => concat(Uint8Array.from([...varint((field << 3) | 2), ...varint(b.length)]), b);
const str = (field, s) => bytes(field, utf8.encode(s));

/** Uniform numbers in [-0.5, 0.5) from a seed. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
/** TensorProto: dims (1), data_type (2), name (8), raw_data (9). */
function tensor(name, dims, next, scale) {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => next() * scale);
  return concat(...dims.map((d) => int(1, d)), int(2, FLOAT), str(8, name), bytes(9, new Uint8Array(data.buffer)));
}
/** AttributeProto: name (1), i (3) or ints (8), type (20: INT = 2, INTS = 7). */
const ints = (name, values) => concat(str(1, name), ...values.map((v) => int(8, v)), int(20, 7));
const one = (name, v) => concat(str(1, name), int(3, v), int(20, 2));
/** NodeProto: input (1), output (2), op_type (4), attribute (5). */
const node = (op, inputs, outputs, attrs = []) =>
  concat(...inputs.map((s) => str(1, s)), ...outputs.map((s) => str(2, s)), str(4, op), ...attrs.map((a) => bytes(5, a)));
/** ValueInfoProto of a float tensor: name (1), type (2) → tensor_type (1) → elem_type, shape. */
const floatInfo = (name, dims) =>
  concat(str(1, name), bytes(2, bytes(1, concat(int(1, FLOAT), bytes(2, concat(...dims.map((d) => bytes(1, int(1, d)))))))));

/** The input's shape. */
export const INPUT_SHAPE = [1, 3, 64, 64];

/** The model's ModelProto bytes (ir_version 8, opset 13). */
export function buildModel(seed = 7) {
  const next = lcg(seed);
  const [c1, c2, hidden] = [32, 64, 64];
  const initializers = [
    tensor('w1', [c1, 3, 3, 3], next, 0.4), tensor('b1', [c1], next, 0.1),
    tensor('w2', [c2, c1, 3, 3], next, 0.15), tensor('b2', [c2], next, 0.1),
    tensor('w3', [c2, hidden], next, 0.3), tensor('b3', [hidden], next, 0.1),
    tensor('w4', [hidden, 10], next, 0.3), tensor('b4', [10], next, 0.1),
  ];
  const conv = [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])];
  const nodes = [
    node('Conv', ['x', 'w1', 'b1'], ['c1'], conv),
    node('Relu', ['c1'], ['r1']),
    node('MaxPool', ['r1'], ['p1'], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]),
    node('Conv', ['p1', 'w2', 'b2'], ['c2'], conv),
    node('Relu', ['c2'], ['r2']),
    node('GlobalAveragePool', ['r2'], ['g']),
    node('Flatten', ['g'], ['f'], [one('axis', 1)]),
    node('Gemm', ['f', 'w3', 'b3'], ['h']),
    node('Relu', ['h'], ['hr']),
    node('Gemm', ['hr', 'w4', 'b4'], ['y']),
  ];
  // GraphProto: node (1), name (2), initializer (5), input (11), output (12).
  const graph = concat(
    ...nodes.map((n) => bytes(1, n)), str(2, 'bench'), ...initializers.map((t) => bytes(5, t)),
    bytes(11, floatInfo('x', INPUT_SHAPE)), bytes(12, floatInfo('y', [1, 10])),
  );
  // ModelProto: ir_version (1), producer_name (2), graph (7), opset_import (8: domain, version).
  return concat(int(1, 8), str(2, 'jitless-wasm'), bytes(7, graph), bytes(8, concat(str(1, ''), int(2, 13))));
}

/** The input tensor's data. */
export function buildInput(seed = 11) {
  const next = lcg(seed);
  return new Float32Array(INPUT_SHAPE.reduce((a, b) => a * b, 1)).map(() => next());
}
