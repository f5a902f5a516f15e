#!/usr/bin/env node
// Child of the differential fuzz runner (differential.mjs): executes a plan written by the
// `jitless-wasm-fuzz-gen` crate on one WebAssembly namespace and prints a trace, one JSON line
// per module, preceded by a `{"begin": index}` line (the parent's watchdog and crash detector).
//
// Usage: node [--jitless] scripts/fuzz/run-plan.mjs <v8|ours|ours-deterministic> <plan.json> [--from K] [--dump]
//   --from K   start at the K-th module of the plan (after a crash or a timeout of an earlier one)
//   --dump     put each exported memory's bytes (base64) in the snapshots, not only their hash
//
// Per module the trace records: compile, building the imports, instantiate, a snapshot of the
// exported state, then for each planned call its result or error, the host (import) calls made
// during it, and a snapshot. Values are encoded so that equal traces mean equal behaviour: NaN
// is 'NaN' (payloads are not visible to JS), -0 is '-0', BigInts end in 'n'.
//
// GC values (issue #13): i31 references reach JS as numbers; structs, arrays and functions are
// opaque, so they are encoded by identity (the k-th distinct object the module gave JS, in trace
// order: same-object-ness across calls, globals and tables) plus what JS can see of them
// (`typeof`, whether the prototype is null, the toString tag). Those objects form the module's
// pool, which GC plans' `{"pool": k}` arguments pass back in.

import { createHash } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The externref arguments a plan refers to by index; results map back to 'ext#k'. */
const EXTERNS = [null, 'ext-string', 42.5, { ext: 3 }];

/** The current module's imported tags, with their parameter types: [[Tag, params]]. */
let tags = [];

/** A wasm exception that reached JS: which imported tag it has, and its payload. */
function encException(e) {
  const k = tags.findIndex(([t]) => e.is(t));
  if (k < 0) return 'tag not imported';
  const args = tags[k][1].map((_, i) => {
    try {
      return enc(e.getArg(tags[k][0], i));
    } catch (err) {
      return `throws ${err.constructor.name}`;
    }
  });
  return `tag#${k}(${args.join(',')})`;
}

/** What an import throws when the plan says it throws. */
class HostThrow extends Error {}

/** The objects and functions the current module gave JS, in order of first appearance. */
let pool = [];

/** The pool index of `v`, added if new. */
function poolId(v) {
  let k = pool.indexOf(v);
  if (k < 0) k = pool.push(v) - 1;
  return k;
}

/** What JS can see of an opaque GC object. */
function opaque(v) {
  let proto;
  let tag;
  try {
    proto = Object.getPrototypeOf(v) === null ? 'null' : 'object';
  } catch (e) {
    proto = `throws ${e.constructor.name}`;
  }
  try {
    tag = Object.prototype.toString.call(v);
  } catch (e) {
    tag = `throws ${e.constructor.name}`;
  }
  return `${typeof v}/${proto}/${tag}`;
}

/** One JS value as a trace string. */
function enc(v) {
  switch (typeof v) {
    case 'number':
      return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `func#${v.name}/${v.length}@${poolId(v)}`;
    case 'undefined':
      return 'undefined';
    case 'string':
      return `str:${v}`;
    default: {
      if (v === null) return 'null';
      const k = EXTERNS.indexOf(v);
      if (k >= 0) return `ext#${k}`;
      if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
      return `gc#${poolId(v)}:${opaque(v)}`;
    }
  }
}

/** An error as a trace record: its class (the namespace's classes named as such) and message. */
function encError(WA, e) {
  for (const name of ['CompileError', 'LinkError', 'RuntimeError']) {
    if (e instanceof WA[name]) return { error: `WebAssembly.${name}`, message: e.message };
  }
  if (WA.Exception && e instanceof WA.Exception) return { error: 'WebAssembly.Exception', message: encException(e) };
  if (e instanceof HostThrow) return { error: 'HostThrow', message: e.message };
  if (e instanceof TypeError) return { error: 'TypeError', message: e.message };
  if (e instanceof RangeError) return { error: 'RangeError', message: e.message };
  return { error: `other:${e && e.constructor && e.constructor.name}`, message: String(e && e.message) };
}

/** A GC plan's reference argument (`null`, `{num}`, `{ext}` or `{pool}`) as a JS value. */
function refArg(a) {
  if (a === null) return null;
  if ('num' in a) return { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[a.num] ?? Number(a.num);
  if ('ext' in a) return EXTERNS[a.ext];
  return pool.length ? pool[a.pool % pool.length] : null;
}

/** A planned argument as a JS value of type `ty`. */
function arg(ty, a) {
  if (a === null || typeof a === 'object') return refArg(a);
  switch (ty) {
    case 'i32':
      return a;
    case 'i64':
      return BigInt(a);
    case 'f32':
    case 'f64':
      return { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[a] ?? Number(a);
    case 'externref':
      return EXTERNS[a];
    default:
      return null;
  }
}

/** The value an import returns on its `n`-th call for a result of type `ty`. */
function hostResult(ty, n) {
  switch (ty) {
    case 'i32':
      return n;
    case 'i64':
      return BigInt(n) * 3n;
    case 'f32':
    case 'f64':
      return n + 0.5;
    case 'externref':
      return EXTERNS[n % EXTERNS.length];
    case 'anyref':
    case 'eqref':
    case 'i31ref':
    case '(ref any)':
    case '(ref eq)':
    case '(ref i31)':
      // An i31 (GC plans only: node20 plans have no such types).
      return n;
    default:
      return null;
  }
}

/** A global's initial value of type `ty` for imports. */
const GLOBAL_INIT = { i32: 7, i64: 7n, f32: 1.5, f64: -2.5, externref: EXTERNS[3], anyfunc: null, anyref: 9, eqref: 10, i31ref: 11 };

/** Builds the import object of `mod`; host calls are appended to `log`. */
function buildImports(WA, mod, log) {
  const imports = {};
  mod.imports.forEach((im, index) => {
    let value;
    switch (im.kind) {
      case 'func': {
        let calls = 0;
        value = (...args) => {
          calls++;
          log.push(`host#${index}(${args.map(enc).join(',')})`);
          if (im.throws && calls % 2 === 1) throw new HostThrow(`import ${index} call ${calls}`);
          if (im.results.length === 0) return undefined;
          if (im.results.length === 1) return hostResult(im.results[0], calls);
          return im.results.map((t) => hostResult(t, calls));
        };
        break;
      }
      case 'memory': {
        // A 64-bit memory or table (GC plans): `address: 'i64'` and BigInt sizes.
        const size = im.address ? BigInt : Number;
        const d = { initial: size(im.initial), shared: im.shared };
        if (im.address) d.address = im.address;
        if (im.maximum !== null) d.maximum = size(im.maximum);
        value = new WA.Memory(d);
        break;
      }
      case 'table': {
        const size = im.address ? BigInt : Number;
        const d = { element: im.element, initial: size(im.initial) };
        if (im.address) d.address = im.address;
        if (im.maximum !== null) d.maximum = size(im.maximum);
        value = new WA.Table(d);
        break;
      }
      case 'global':
        value = new WA.Global({ value: im.value, mutable: im.mutable }, GLOBAL_INIT[im.value] ?? null);
        break;
      case 'tag':
        value = new WA.Tag({ parameters: im.params });
        tags.push([value, im.params]);
        break;
      default:
        throw new TypeError(`cannot provide an import of kind ${im.kind}`);
    }
    (imports[im.module] ??= {})[im.name] = value;
  });
  return imports;
}

/** The exported state: memories (hash or bytes), globals' values, tables' entries. */
function snapshot(WA, mod, exports, dump) {
  const out = {};
  for (const ex of mod.exports) {
    const v = exports[ex.name];
    try {
      if (ex.kind === 'memory') {
        const bytes = new Uint8Array(v.buffer);
        out[ex.name] = dump
          ? { len: bytes.length, b64: Buffer.from(bytes).toString('base64') }
          : { len: bytes.length, sha1: createHash('sha1').update(bytes).digest('hex') };
      } else if (ex.kind === 'global') {
        out[ex.name] = enc(v.value);
      } else if (ex.kind === 'table') {
        const entries = [];
        for (let i = 0; i < v.length; i++) entries.push(enc(v.get(i)));
        out[ex.name] = `${v.length}:${createHash('sha1').update(entries.join(' ')).digest('hex')}`;
      }
    } catch (e) {
      out[ex.name] = encError(WA, e);
    }
  }
  return out;
}

/** Runs one module of the plan: the trace as an array of records. */
function runModule(WA, mod, dump) {
  pool = [];
  tags = [];
  const trace = [];
  let module;
  try {
    module = new WA.Module(Buffer.from(mod.wasm, 'base64'));
    trace.push({ compile: 'ok' });
  } catch (e) {
    trace.push({ compile: encError(WA, e) });
    return trace;
  }
  const log = [];
  let imports;
  try {
    imports = buildImports(WA, mod, log);
  } catch (e) {
    trace.push({ imports: encError(WA, e) });
    return trace;
  }
  let instance;
  try {
    instance = new WA.Instance(module, imports);
    trace.push({ instantiate: 'ok', host: log.splice(0) });
  } catch (e) {
    trace.push({ instantiate: encError(WA, e), host: log.splice(0) });
    return trace;
  }
  const exports = instance.exports;
  trace.push({ state: snapshot(WA, mod, exports, dump) });
  for (const call of mod.calls) {
    const ex = mod.exports.find((e) => e.name === call.export);
    const args = ex.params.map((t, i) => arg(t, call.args[i]));
    let outcome;
    try {
      outcome = { result: enc(exports[call.export](...args)) };
    } catch (e) {
      outcome = encError(WA, e);
    }
    trace.push({ call: call.export, ...outcome, host: log.splice(0), state: snapshot(WA, mod, exports, dump) });
  }
  return trace;
}

function main() {
  const [impl, file, ...rest] = process.argv.slice(2);
  const from = rest.includes('--from') ? Number(rest[rest.indexOf('--from') + 1]) : 0;
  const dump = rest.includes('--dump');
  const req = createRequire(import.meta.url);
  // 'ours-deterministic': a jitless-wasm/limits namespace in deterministic mode (issue #15).
  const WA =
    impl === 'ours'
      ? req(join(root, 'index.js'))
      : impl === 'ours-deterministic'
        ? req(join(root, 'limits.js')).createWebAssembly({ deterministic: true })
        : globalThis.WebAssembly;
  if (!WA) throw new Error(`no WebAssembly namespace for ${impl}`);
  const plan = JSON.parse(readFileSync(file, 'utf8'));
  for (const mod of plan.modules.slice(from)) {
    writeSync(1, `${JSON.stringify({ begin: mod.index })}\n`);
    const trace = runModule(WA, mod, dump);
    writeSync(1, `${JSON.stringify({ index: mod.index, trace })}\n`);
  }
}

main();
