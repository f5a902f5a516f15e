// The ES-module form: the default export is lib.dom's `typeof WebAssembly` and back, and the named
// exports (the members index.mjs exports) are lib.dom's members.
import WA from 'jitless-wasm';
import {
  compile,
  compileStreaming,
  instantiate,
  instantiateStreaming,
  validate,
  CompileError,
  Exception,
  Global,
  Instance,
  JSTag,
  LinkError,
  Memory,
  Module,
  RuntimeError,
  Table,
  Tag,
} from 'jitless-wasm';

export const ours: typeof WebAssembly = WA;
type DomMembers = keyof typeof WebAssembly & keyof typeof WA;
export const dom: Pick<typeof WA, DomMembers> = WebAssembly;

export const named: typeof WebAssembly = {
  compile,
  compileStreaming,
  instantiate,
  instantiateStreaming,
  validate,
  CompileError,
  Exception,
  Global,
  Instance,
  JSTag,
  LinkError,
  Memory,
  Module,
  RuntimeError,
  Table,
  Tag,
};

export async function run(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Instance> {
  const { instance }: WebAssembly.WebAssemblyInstantiatedSource = await instantiate(bytes, {
    env: { memory: new WebAssembly.Memory({ initial: 1 }), g: new Global({ value: 'i32', mutable: true }, 1) },
  });
  return instance;
}
