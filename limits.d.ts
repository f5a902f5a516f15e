// `jitless-wasm/limits`: WebAssembly namespaces whose modules and instances run under limits.
import WebAssembly = require('./index');

declare namespace limits {
  /** The options of {@link createWebAssembly}; every one is optional (absent: no limit). */
  interface LimitsOptions {
    /**
     * A budget of executed wasm instructions, shared by everything the namespace runs: each
     * operator of the original bytecode costs 1, charged per basic block before it runs (a
     * taken `br_if`, a trap or a throw in a block's middle has paid for its rest); the count
     * depends only on the bytecode. `memory.fill/copy/init` also cost 1 per 64 bytes,
     * `table.fill/copy/init` 1 per element.
     * Running out throws the namespace's `RuntimeError` (message names fuel); the instance
     * stays usable after {@link LimitedWebAssembly.addFuel}.
     */
    fuel?: number | bigint;
    /**
     * Wall-clock milliseconds per outermost call from JS into wasm (nested calls share it; time
     * spent in JS imports counts). Exceeding it throws `RuntimeError` naming the deadline.
     */
    deadline?: number;
    /**
     * An `Int32Array` over a `SharedArrayBuffer`: while element 0 is non-zero, running wasm of
     * this namespace stops (within about a millisecond) with a `RuntimeError` and new calls
     * fail at once; store 0 to let new calls run. Any thread may store into it.
     */
    interrupt?: Int32Array;
    /** Cap on the bytes of all memories of the namespace (grow past it: -1 in wasm, RangeError in JS). */
    maxMemoryBytes?: number;
    /** Cap on the elements of all tables of the namespace (grow past it: -1 in wasm, RangeError in JS). */
    maxTableElements?: number;
    /** Cap on the live instances of the namespace (RangeError past it). */
    maxInstances?: number;
    /** Cap on the wasm call depth (RangeError past it, like a stack overflow). */
    maxStackDepth?: number;
    /**
     * Bit-exact results: every NaN a float operation produces is the canonical NaN
     * (0x7fc00000 / 0x7ff8000000000000), relaxed SIMD takes the spec's deterministic choice,
     * and shared memories are rejected (CompileError at compile time, TypeError for
     * `new Memory({shared: true})`).
     */
    deterministic?: boolean;
  }

  /** A WebAssembly namespace with limits: the standard members plus fuel control. */
  type LimitedWebAssembly = typeof WebAssembly & {
    /** The fuel left (a bigint above `Number.MAX_SAFE_INTEGER`). */
    readonly fuel: number | bigint;
    /** Adds `n` units of fuel. */
    addFuel(n: number | bigint): void;
  };

  /** Makes a WebAssembly namespace whose modules and instances run under `options`. */
  function createWebAssembly(options?: LimitsOptions): LimitedWebAssembly;
}

export = limits;
