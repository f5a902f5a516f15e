// The ES-module form: the default export is lib.dom's `typeof WebAssembly` and back, and so are the
// named exports (the members index.mjs exports).
import WA from 'jitless-wasm';
import * as named from 'jitless-wasm';
import { Global, instantiate } from 'jitless-wasm';

export const ours: typeof WebAssembly = WA;
type DomMembers = keyof typeof WebAssembly & keyof typeof WA;
export const dom: Pick<typeof WA, DomMembers> = WebAssembly;
export const fromNamed: typeof WebAssembly = named;

export async function run(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Instance> {
  const { instance }: WebAssembly.WebAssemblyInstantiatedSource = await instantiate(bytes, {
    env: { memory: new WebAssembly.Memory({ initial: 1 }), g: new Global({ value: 'i32', mutable: true }, 1) },
  });
  return instance;
}
