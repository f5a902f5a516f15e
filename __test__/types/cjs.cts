// The CommonJS form: jitless-wasm's namespace is TypeScript's `typeof WebAssembly` (lib.dom), and
// lib.dom's namespace is ours for every member lib.dom declares. Checked with --strict by
// __test__/types.spec.mjs with the current and the previous TypeScript release.
import WA = require('jitless-wasm');

// Ours where lib.dom's namespace is expected (`const WA: typeof WebAssembly = require(…)`).
export const ours: typeof WebAssembly = WA;

// lib.dom's where ours is expected, for the members lib.dom has.
type DomMembers = keyof typeof WebAssembly & keyof typeof WA;
export const dom: Pick<typeof WA, DomMembers> = WebAssembly;

// Every interface and type of lib.dom's namespace, both ways (the inputs below: one way).
interface Ours {
  CompileError: WA.CompileError;
  LinkError: WA.LinkError;
  RuntimeError: WA.RuntimeError;
  Exception: WA.Exception;
  ExceptionOptions: WA.ExceptionOptions;
  Global: WA.Global;
  GlobalI64: WA.Global<'i64'>;
  GlobalFuncref: WA.Global<'anyfunc'>;
  GlobalDescriptor: WA.GlobalDescriptor;
  Instance: WA.Instance;
  Memory: WA.Memory;
  Module: WA.Module;
  ModuleExportDescriptor: WA.ModuleExportDescriptor;
  ModuleImportDescriptor: WA.ModuleImportDescriptor;
  Table: WA.Table;
  Tag: WA.Tag;
  ValueTypeMap: WA.ValueTypeMap;
  WebAssemblyInstantiatedSource: WA.WebAssemblyInstantiatedSource;
  AddressType: WA.AddressType;
  ImportExportKind: WA.ImportExportKind;
  TableKind: WA.TableKind;
  ExportValue: WA.ExportValue;
  Exports: WA.Exports;
  ImportValue: WA.ImportValue;
  Imports: WA.Imports;
  ModuleImports: WA.ModuleImports;
  ValueType: WA.ValueType;
}
interface Dom {
  CompileError: WebAssembly.CompileError;
  LinkError: WebAssembly.LinkError;
  RuntimeError: WebAssembly.RuntimeError;
  Exception: WebAssembly.Exception;
  ExceptionOptions: WebAssembly.ExceptionOptions;
  Global: WebAssembly.Global;
  GlobalI64: WebAssembly.Global<'i64'>;
  GlobalFuncref: WebAssembly.Global<'anyfunc'>;
  GlobalDescriptor: WebAssembly.GlobalDescriptor;
  Instance: WebAssembly.Instance;
  Memory: WebAssembly.Memory;
  Module: WebAssembly.Module;
  ModuleExportDescriptor: WebAssembly.ModuleExportDescriptor;
  ModuleImportDescriptor: WebAssembly.ModuleImportDescriptor;
  Table: WebAssembly.Table;
  Tag: WebAssembly.Tag;
  ValueTypeMap: WebAssembly.ValueTypeMap;
  WebAssemblyInstantiatedSource: WebAssembly.WebAssemblyInstantiatedSource;
  AddressType: WebAssembly.AddressType;
  ImportExportKind: WebAssembly.ImportExportKind;
  TableKind: WebAssembly.TableKind;
  ExportValue: WebAssembly.ExportValue;
  Exports: WebAssembly.Exports;
  ImportValue: WebAssembly.ImportValue;
  Imports: WebAssembly.Imports;
  ModuleImports: WebAssembly.ModuleImports;
  ValueType: WebAssembly.ValueType;
}
declare const o: Ours;
declare const d: Dom;
export const toDom: Dom = o;
export const toOurs: Ours = d;

// Inputs may be wider than lib.dom's (a 64-bit memory's or table's BigInt sizes, any iterable):
// lib.dom's are ours.
interface OurInputs {
  TagType: WA.TagType;
  MemoryDescriptor: WA.MemoryDescriptor;
  TableDescriptor: WA.TableDescriptor;
}
interface DomInputs {
  TagType: WebAssembly.TagType;
  MemoryDescriptor: WebAssembly.MemoryDescriptor;
  TableDescriptor: WebAssembly.TableDescriptor;
}
declare const di: DomInputs;
export const inputs: OurInputs = di;
export const memory64 = new WA.Memory({ address: 'i64', initial: 1n, maximum: 2n });
export const table64 = new WA.Table({ address: 'i64', element: 'externref', initial: 1n });
export const grown: number = memory64.grow(1n) + table64.grow(1n, null);
const tag = new WA.Tag({ parameters: new Set(['i32', 'f64'] as const) });
export const exception: WebAssembly.Exception = new WA.Exception(tag, new Set([1, 2]));

// Objects made by one namespace, used with the other.
export async function mixed(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const memory: WebAssembly.Memory = new WA.Memory({ initial: 1, maximum: 2 });
  const imports: WA.Imports = { env: { memory: new WebAssembly.Memory({ initial: 1 }), table: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }) } };
  const { instance, module }: WebAssembly.WebAssemblyInstantiatedSource = await WA.instantiate(bytes, imports);
  const again: WebAssembly.Instance = await WA.instantiate(module, { env: { memory } });
  const fn = instance.exports.f;
  if (typeof fn === 'function') fn();
  const view = new Uint8Array(memory.buffer);
  return view.length + Object.keys(again.exports).length + (WA.validate(bytes) ? 1 : 0);
}

// JS String Builtins' compile options, in our declarations and lib.dom's.
export async function strings(bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const options: WebAssembly.WebAssemblyCompileOptions = { builtins: ['js-string'], importedStringConstants: 's' };
  const ours: WA.WebAssemblyCompileOptions = options;
  const module = new WA.Module(bytes, ours);
  await WA.compile(bytes, options);
  await WA.instantiate(bytes, {}, ours);
  return WA.validate(bytes, { importedStringConstants: null }) && module instanceof WA.Module;
}
