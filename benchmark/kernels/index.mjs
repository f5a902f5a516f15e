// The benchmark kernels: file, size n for a full run (wasmi 2.0 takes ~0.2-1 s per run on a
// 2-core x86-64 box), for --quick (~1/8 of that) and for checking against the JavaScript
// reference implementations (reference.mjs; small, the references are slow). `simd: true` marks
// the SIMD kernels.
export const KERNELS = [
  { name: 'fib', n: 34, quickN: 30, checkN: 24, what: 'recursive calls (naive fib)' },
  { name: 'loop', n: 25_000_000, quickN: 3_000_000, checkN: 200_000, what: 'tight i32 loop' },
  { name: 'sieve', n: 15, quickN: 2, checkN: 2, what: 'byte loads/stores (sieve)' },
  { name: 'matmul', n: 340, quickN: 170, checkN: 37, what: 'f64 matrix multiply' },
  { name: 'sha256', n: 4_000_000, quickN: 500_000, checkN: 100_003, what: 'SHA-256' },
  { name: 'nbody', n: 300_000, quickN: 40_000, checkN: 1_000, what: 'f64 n-body physics' },
  { name: 'call_indirect', n: 8_000_000, quickN: 1_000_000, checkN: 100_000, what: 'call_indirect dispatch' },
  { name: 'bulk_memory', n: 100_000, quickN: 12_000, checkN: 60, what: 'memory.fill / memory.copy' },
  { name: 'i64_hash', n: 18_000_000, quickN: 2_000_000, checkN: 20_000, what: 'i64 mixing hash' },
  { name: 'br_table_vm', n: 800_000, quickN: 100_000, checkN: 5_000, what: 'br_table bytecode interpreter' },
  { name: 'coremark_like', n: 25_000, quickN: 3_000, checkN: 300, what: 'mixed: list, matrix, state machine, CRC' },
  // SIMD (issue #16: "SIMD that real apps can use"): their own geomean and target in bench.mjs.
  { name: 'simd_matmul', n: 320, quickN: 160, checkN: 12, what: 'f32x4 matrix multiply', simd: true },
  { name: 'simd_conv', n: 1_000, quickN: 125, checkN: 3, what: 'f32x4 3x3 convolution', simd: true },
  { name: 'simd_dot_i8', n: 1_200, quickN: 150, checkN: 3, what: 'i8x16 dot products (quantised matvec)', simd: true },
  { name: 'simd_shuffle', n: 2_000, quickN: 250, checkN: 3, what: 'byte shuffles/swizzles (hex encoding)', simd: true },
];

// WasmGC kernels (issue #13: speed and memory of GC code), measured in their own table: each
// engine in its own child process (peak RSS per engine), V8 on a Node line whose V8 runs GC by
// default (benchmark/lib/gc.mjs). Full sizes take V8 about 0.1-0.3 s per run.
export const GC_KERNELS = [
  { name: 'gc_binary_trees', n: 16, quickN: 12, checkN: 10, what: 'allocation: binary-trees, struct {left, right}' },
  { name: 'gc_cast', n: 50_000, quickN: 6_000, checkN: 30, what: 'casts: br_on_cast / ref.test / ref.cast visitor' },
  { name: 'gc_array', n: 200_000, quickN: 25_000, checkN: 300, what: 'array.new_data / array.fill / array.copy (i8, i32)' },
];
