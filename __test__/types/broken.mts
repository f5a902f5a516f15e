// Must NOT type-check (the spec expects these errors): a Table is not a Memory, and `grow` takes
// no string. If this compiles, the type test is not checking our declarations.
import WA from 'jitless-wasm';

export const memory: WebAssembly.Memory = new WA.Table({ element: 'anyfunc', initial: 1 });
export const grown: number = new WA.Memory({ initial: 1 }).grow('1');
