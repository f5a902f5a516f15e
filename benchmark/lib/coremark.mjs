// CoreMark 1.0 (benchmark/coremark/) for the benchmark and its check: instantiation with the
// port's host imports, one timed run, and the meaning of run()'s result.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

export const COREMARK_WASM = path.join(ROOT, 'benchmark', 'coremark', 'coremark.wasm');

/** CoreMark's bytes (committed, built by benchmark/coremark/build.sh). */
export const coremarkBytes = () => fs.readFileSync(COREMARK_WASM);

const FAILURE = {
  '-1': 'CoreMark did not recognise the performance-run parameters (seed CRC unknown)',
  '-2': 'CoreMark reported a CRC error (list, matrix or state CRC differs from its known value)',
  '-3': 'negative iteration count',
};

/**
 * Why run()'s result (as a decimal string) is not a validated run, or null when it is: the port
 * returns crcfinal (0..0xffff) only after CoreMark matched its known list/matrix/state CRCs.
 */
export function coremarkVerdict(checksum) {
  const v = Number(checksum);
  if (Number.isInteger(v) && v >= 0 && v <= 0xffff) return null;
  return FAILURE[checksum] ?? `unexpected result ${checksum}`;
}

/**
 * Instantiates CoreMark on the WebAssembly namespace `WA`. Returns { run(n), output(), memory }:
 * run(n) times one run of n iterations and returns { checksum, ms, score } (score: CoreMark's own
 * iterations/s, from its clock import); output() is the report text written so far.
 */
export function coremarkInstance(WA, bytes = coremarkBytes()) {
  let memory;
  let text = '';
  const decoder = new TextDecoder();
  const env = {
    clock_ms: () => performance.now(),
    write: (ptr, len) => {
      text += decoder.decode(new Uint8Array(memory.buffer, ptr, len));
    },
  };
  const { exports } = new WA.Instance(new WA.Module(bytes), { env });
  memory = exports.memory;
  return {
    run(n) {
      const t = process.hrtime.bigint();
      const v = exports.run(n);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      return { checksum: String(v), ms, score: exports.score() };
    },
    output: () => text,
    memory,
  };
}
