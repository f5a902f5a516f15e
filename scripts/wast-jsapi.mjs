#!/usr/bin/env node
// Replays the spec testsuite's `.wast` scripts through a WebAssembly JS-API namespace and
// compares two namespaces on the same scripts: Node's built-in V8 (`node`) and ours (`node
// --jitless` with `jitless-wasm` as the namespace). The scripts are converted to JSON command
// lists by the core crate's `wast2json` example (modules encoded to binaries there).
//
// Driver:  node scripts/wast-jsapi.mjs [--suites wasm-v1,wasm-v2,...] [--filter <substring>]
//                                      [--json <dir>] [--jobs N] [--timeout <s>]
//                                      [--profile latest|node20|node22|node24|node26] [--exact]
//          Prints, per suite, the directives each engine passed and every directive V8 passes
//          that we fail; exits 1 if there is any such directive. Ours runs with the feature
//          profile `--profile` (default "latest": every feature the interpreter executes; see
//          lib/profile.js), passed as JITLESS_WASM_FEATURES. With --exact it also exits 1 if
//          ours passes a directive V8 fails (for `--profile node20`: the same answers as V8).
//          When the running V8 has no WasmGC (Node 20), the report says so under the table:
//          its proposals/gc column then checks little beyond invalid and malformed modules.
// Worker:  node [--jitless] scripts/wast-jsapi.mjs --run <v8|ours> <file.json>
//          Prints one JSON line: {passed, failed, skipped, failures: [[line, reason]], skips: [line]}.
//
// What JS cannot express is skipped on both sides: v128 arguments/results, text-only malformed
// modules (they never become bytes), `either` results with v128, wast threads, components.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SUITES = [
  'wasm-v1',
  'wasm-v2',
  'wasm-v3',
  'proposals/simd',
  'proposals/relaxed-simd',
  'proposals/tail-call',
  'proposals/exceptions',
  'proposals/threads',
  'proposals/memory64',
  'proposals/multi-memory',
  'proposals/extended-const',
  'proposals/function-references',
  'proposals/gc',
];

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};


// ---------------------------------------------------------------------------------------------
// Worker: one script against one namespace.

function worker(impl, file) {
  const WA = impl === 'ours' ? createRequire(import.meta.url)(join(root, 'index.js')) : globalThis.WebAssembly;
  if (!WA) {
    console.log(JSON.stringify({ error: `no WebAssembly namespace for ${impl}` }));
    return;
  }
  const script = JSON.parse(readFileSync(file, 'utf8'));
  const result = { passed: 0, failed: 0, skipped: 0, failures: [], skips: [], superseded: [] };
  if (script.error) {
    result.failed = 1;
    result.failures.push([0, `script does not parse: ${script.error}`]);
  } else {
    const runner = new ScriptRunner(WA);
    for (const cmd of script.commands) {
      let outcome;
      try {
        outcome = runner.run(cmd);
      } catch (e) {
        outcome = e instanceof Skip ? e : fail(`harness error: ${describe(e)}`);
      }
      if (outcome instanceof Skip) {
        result.skipped++;
        result.skips.push(cmd.line);
      } else if (isSuperseded(cmd, outcome)) {
        result.skipped++;
        result.skips.push(cmd.line);
        result.superseded.push(cmd.line);
      } else if (outcome === PASS) {
        result.passed++;
      } else {
        result.failed++;
        result.failures.push([cmd.line, outcome.reason]);
      }
    }
  }
  console.log(JSON.stringify(result));
}

const PASS = Symbol('pass');

// Restrictions of the older suites that WebAssembly 3.0 lifts (as in the core's spec harness,
// `crates/core/tests/spec/runner.rs`): an assert_invalid/assert_malformed with one of these
// messages whose module compiles is "superseded", reported apart from failures (wasm-v3 has
// the updated assertions). V8 in Node 20 predates them, so it still rejects those modules.
const LIFTED_RESTRICTIONS = ['multiple tables', 'multiple memories', 'zero byte expected', 'integer representation too long'];

/// Whether a failed `assert_invalid`/`assert_malformed` only failed because the module is valid
/// in WebAssembly 3.0 (see LIFTED_RESTRICTIONS).
function isSuperseded(cmd, outcome) {
  return (
    outcome instanceof Fail &&
    (cmd.cmd === 'assert_invalid' || cmd.cmd === 'assert_malformed') &&
    LIFTED_RESTRICTIONS.some((m) => cmd.text.startsWith(m)) &&
    (outcome.reason.startsWith('validate() accepted') || outcome.reason.includes('but it compiled'))
  );
}
class Skip {
  constructor(reason) {
    this.reason = reason;
  }
}
class Fail {
  constructor(reason) {
    this.reason = reason;
  }
}
const fail = (reason) => new Fail(reason);

function describe(e) {
  if (e instanceof Error) return `${e.constructor?.name ?? 'Error'}: ${e.message}`;
  return `thrown ${typeof e} ${String(e)}`;
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/// The state of one script: registered namespaces, named instances and definitions.
class ScriptRunner {
  constructor(WA) {
    this.WA = WA;
    this.registry = new Map([['spectest', spectest(WA)]]);
    this.instances = new Map();
    this.definitions = new Map();
    this.current = null;
    this.externs = new Map();
  }

  /// The JS value of `ref.extern n` and of `ref.host n` (as in the spec's JS harness, one
  /// object per n: a host value is an externref outside wasm and an anyref inside).
  externref(n) {
    if (!this.externs.has(n)) this.externs.set(n, { externref: n });
    return this.externs.get(n);
  }

  /// Whether the JS value `r`, passed back into wasm as an anyref, passes `ref.test` for the
  /// abstract heap type `heap` (i31, struct, array, eq) in this namespace's engine: what JS
  /// cannot tell of a GC value (V8's are opaque objects, and i31refs are Numbers). False when
  /// the namespace has no WasmGC.
  refTest(heap, r) {
    if (this.gcProbe === undefined) {
      try {
        this.gcProbe = new this.WA.Instance(new this.WA.Module(gcProbeModule())).exports;
      } catch {
        this.gcProbe = null;
      }
    }
    if (this.gcProbe === null || r === null || r === undefined) return false;
    try {
      return this.gcProbe[heap](r) === 1;
    } catch {
      return false;
    }
  }

  run(cmd) {
    const WA = this.WA;
    switch (cmd.cmd) {
      case 'module': {
        this.current = null;
        const m = this.compile(cmd);
        const inst = new WA.Instance(m, this.importsFor(m));
        this.current = inst;
        if (cmd.name) this.instances.set(cmd.name, inst);
        return PASS;
      }
      case 'module_definition': {
        const m = this.compile(cmd);
        this.definitions.set(null, m);
        if (cmd.name) this.definitions.set(cmd.name, m);
        return PASS;
      }
      case 'module_instance': {
        const m = this.definitions.get(cmd.module ?? null);
        if (!m) return fail('unknown module definition');
        const inst = new WA.Instance(m, this.importsFor(m));
        this.current = inst;
        if (cmd.name) this.instances.set(cmd.name, inst);
        return PASS;
      }
      case 'register':
        this.registry.set(cmd.as, this.instance(cmd.module).exports);
        return PASS;
      case 'action':
        if (cmd.wrapper) this.wrapped(cmd)();
        else this.act(cmd.action);
        return PASS;
      case 'assert_return': {
        if (cmd.wrapper) {
          const ok = this.wrapped(cmd)();
          return ok === 1 ? PASS : fail('results do not match (checked in the wasm wrapper)');
        }
        if (cmd.expected.some((e) => unsupportedValue(e))) throw new Skip('value not expressible in JS');
        const r = this.act(cmd.action);
        const got = cmd.expected.length === 1 ? [r] : cmd.expected.length === 0 ? [] : r;
        if (cmd.expected.length === 0 && r !== undefined) return fail(`expected no result, got ${show(r)}`);
        if (cmd.expected.length > 1 && (!Array.isArray(r) || r.length !== cmd.expected.length)) {
          return fail(`expected ${cmd.expected.length} results, got ${show(r)}`);
        }
        for (let i = 0; i < cmd.expected.length; i++) {
          if (!this.matches(cmd.expected[i], got[i])) {
            return fail(`result ${i}: expected ${JSON.stringify(cmd.expected[i])}, got ${show(got[i])}`);
          }
        }
        return PASS;
      }
      case 'assert_trap':
        if (cmd.wrapper) {
          try {
            this.wrapped(cmd)();
          } catch (e) {
            return e instanceof WA.RuntimeError ? PASS : fail(`expected RuntimeError (${cmd.text}), got ${describe(e)}`);
          }
          return fail(`expected RuntimeError (${cmd.text}), got a result`);
        }
        return this.expectThrow(cmd.action, (e) => e instanceof WA.RuntimeError, `RuntimeError (${cmd.text})`);
      case 'assert_exhaustion':
        return this.expectThrow(cmd.action, (e) => e instanceof RangeError, `RangeError (${cmd.text})`);
      case 'assert_exception':
        return this.expectThrow(cmd.action, (e) => !!WA.Exception && e instanceof WA.Exception, 'WebAssembly.Exception');
      case 'assert_invalid':
      case 'assert_malformed': {
        if (cmd.component) throw new Skip('component');
        if (cmd.wasm === null) throw new Skip('text-only module (never becomes bytes)');
        const bytes = hexToBytes(cmd.wasm);
        if (WA.validate(bytes) !== false) return fail(`validate() accepted a module expected ${cmd.cmd.slice(7)} (${cmd.text})`);
        try {
          new WA.Module(bytes);
        } catch (e) {
          return e instanceof WA.CompileError ? PASS : fail(`expected CompileError, got ${describe(e)}`);
        }
        return fail(`expected CompileError (${cmd.text}), but it compiled`);
      }
      case 'assert_unlinkable': {
        if (cmd.wasm === null) return fail(`module does not encode: ${cmd.encode_error}`);
        const m = new WA.Module(hexToBytes(cmd.wasm));
        const imports = this.importsFor(m);
        const namespaceMissing = WA.Module.imports(m).some((i) => !(i.module in imports));
        try {
          new WA.Instance(m, imports);
        } catch (e) {
          if (e instanceof WA.LinkError || (namespaceMissing && e instanceof TypeError)) return PASS;
          return fail(`expected LinkError (${cmd.text}), got ${describe(e)}`);
        }
        return fail(`expected LinkError (${cmd.text}), but it instantiated`);
      }
      case 'skip':
        throw new Skip(cmd.reason);
      default:
        throw new Skip(`unknown command ${cmd.cmd}`);
    }
  }

  /// The `run` export of the command's wrapper module (see `wast2json/wrapper.rs`), which
  /// calls the invoked export with v128 values without crossing into JS.
  wrapped(cmd) {
    const f = this.instance(cmd.action.module).exports[cmd.action.field];
    if (typeof f !== 'function') throw new Error(`no exported function ${cmd.action.field}`);
    const m = new this.WA.Module(hexToBytes(cmd.wrapper));
    return new this.WA.Instance(m, { M: { f } }).exports.run;
  }

  compile(cmd) {
    if (cmd.component) throw new Skip('component');
    if (cmd.wasm === null) throw new Error(`module does not encode: ${cmd.encode_error}`);
    return new this.WA.Module(hexToBytes(cmd.wasm));
  }

  /// An import object with every import the registry can satisfy.
  importsFor(m) {
    const obj = {};
    for (const { module, name } of this.WA.Module.imports(m)) {
      const ns = this.registry.get(module);
      if (ns === undefined || !(name in ns)) continue;
      (obj[module] ??= {})[name] = ns[name];
    }
    return obj;
  }

  instance(name) {
    const inst = name ? this.instances.get(name) : this.current;
    if (!inst) throw new Error(name ? `unknown instance ${name}` : 'no current instance');
    return inst;
  }

  act(action) {
    switch (action.type) {
      case 'invoke': {
        if (action.args.some((a) => unsupportedValue(a))) throw new Skip('argument not expressible in JS');
        const f = this.instance(action.module).exports[action.field];
        if (typeof f !== 'function') throw new Error(`no exported function ${action.field}`);
        return f(...action.args.map((a) => this.toJs(a)));
      }
      case 'get': {
        const g = this.instance(action.module).exports[action.field];
        if (!(g instanceof this.WA.Global)) throw new Error(`no exported global ${action.field}`);
        return g.value;
      }
      case 'instantiate': {
        const m = this.compile(action);
        new this.WA.Instance(m, this.importsFor(m));
        return undefined;
      }
      default:
        throw new Error(`unknown action ${action.type}`);
    }
  }

  expectThrow(action, ok, what) {
    try {
      const r = this.act(action);
      return fail(`expected ${what}, got ${show(r)}`);
    } catch (e) {
      if (e instanceof Skip) throw e;
      return ok(e) ? PASS : fail(`expected ${what}, got ${describe(e)}`);
    }
  }

  toJs(v) {
    switch (v.type) {
      case 'i32':
        return Number(v.value) | 0;
      case 'i64':
        return BigInt.asIntN(64, BigInt(v.value));
      case 'f32':
        return f32FromBits(Number(v.value));
      case 'f64':
        return f64FromBits(BigInt(v.value));
      case 'refnull':
        return null;
      case 'externref':
      case 'hostref':
        return this.externref(v.value);
      default:
        throw new Skip(`argument type ${v.type}`);
    }
  }

  matches(e, r) {
    switch (e.type) {
      case 'i32':
        return r === (Number(e.value) | 0);
      case 'i64':
        return typeof r === 'bigint' && r === BigInt.asIntN(64, BigInt(e.value));
      case 'f32':
        if (typeof r !== 'number') return false;
        if (e.value.startsWith('nan:') || Number.isNaN(f32FromBits(Number(e.value)))) return Number.isNaN(r);
        return Math.fround(r) === r && Object.is(r, f32FromBits(Number(e.value)));
      case 'f64':
        if (typeof r !== 'number') return false;
        if (e.value.startsWith('nan:') || Number.isNaN(f64FromBits(BigInt(e.value)))) return Number.isNaN(r);
        return Object.is(r, f64FromBits(BigInt(e.value)));
      case 'refnull':
        return r === null;
      case 'externref':
        return e.value === null ? r !== null && r !== undefined : r === this.externref(e.value);
      case 'funcref':
        return typeof r === 'function';
      case 'hostref':
        return r === this.externref(e.value);
      case 'anyref':
        return r !== null && r !== undefined;
      case 'i31ref':
        return typeof r === 'number' && this.refTest('i31', r);
      case 'eqref':
        return this.refTest('eq', r);
      case 'structref':
        return typeof r === 'object' && this.refTest('struct', r);
      case 'arrayref':
        return typeof r === 'object' && this.refTest('array', r);
      case 'either':
        return e.values.some((o) => this.matches(o, r));
      default:
        return false;
    }
  }
}

function unsupportedValue(v) {
  if (v.type === 'either') return v.values.some(unsupportedValue);
  const heaps = ['func', 'extern', 'nofunc', 'noextern', 'any', 'eq', 'struct', 'array', 'i31', 'none', 'exn', 'noexn', 'concrete'];
  return v.type === 'v128' || v.type === 'unsupported' || (v.type === 'refnull' && !heaps.includes(v.heap));
}

/// The bytes of a module exporting `i31`, `struct`, `array` and `eq`: each `(func (param
/// anyref) (result i32))` answering `ref.test (ref <that heap type>)` of its argument.
function gcProbeModule() {
  const heaps = { i31: 0x6c, struct: 0x6b, array: 0x6a, eq: 0x6d };
  const names = Object.keys(heaps);
  const section = (id, items) => {
    const body = [items.length, ...items.flat()];
    return [id, body.length, ...body];
  };
  const types = section(1, [[0x60, 1, 0x6e, 1, 0x7f]]);
  const funcs = section(3, names.map(() => [0]));
  const exports = section(7, names.map((n, i) => [n.length, ...Buffer.from(n), 0, i]));
  // Each body: no locals; local.get 0; ref.test (ref heap) (0xfb 20); end.
  const code = section(10, names.map((n) => [7, 0, 0x20, 0, 0xfb, 20, heaps[n], 0x0b]));
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...funcs, ...exports, ...code]);
}

function f32FromBits(bits) {
  const b = new Uint32Array([bits >>> 0]);
  return new Float32Array(b.buffer)[0];
}

function f64FromBits(bits) {
  const b = new BigUint64Array([BigInt.asUintN(64, bits)]);
  return new Float64Array(b.buffer)[0];
}

function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'function') return 'function';
  if (typeof v === 'object' && v !== null) {
    // A GC struct or array is an opaque object: neither JSON nor a string (V8 throws for both).
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return 'an opaque object (a GC struct or array)';
    }
  }
  return Object.is(v, -0) ? '-0' : String(v);
}

/// The `spectest` namespace of the reference interpreter.
function spectest(WA) {
  const print = () => {};
  const ns = {
    print,
    print_i32: print,
    print_i64: print,
    print_f32: print,
    print_f64: print,
    print_i32_f32: print,
    print_f64_f64: print,
    global_i32: new WA.Global({ value: 'i32' }, 666),
    global_i64: new WA.Global({ value: 'i64' }, 666n),
    global_f32: new WA.Global({ value: 'f32' }, 666.6),
    global_f64: new WA.Global({ value: 'f64' }, 666.6),
    table: new WA.Table({ initial: 10, maximum: 20, element: 'anyfunc' }),
    memory: new WA.Memory({ initial: 1, maximum: 2 }),
  };
  try {
    ns.shared_memory = new WA.Memory({ initial: 1, maximum: 2, shared: true });
  } catch {
    // shared memories unsupported: modules importing it fail to link on that side
  }
  return ns;
}

// ---------------------------------------------------------------------------------------------
// Driver: both namespaces on every file, side by side.

async function driver() {
  const suites = (opt('suites', DEFAULT_SUITES.join(','))).split(',').filter(Boolean);
  const jsonDir = resolve(opt('json', join(root, 'target', 'wast-json')));
  const filter = opt('filter', '');
  const jobs = Number(opt('jobs', '2'));
  const timeout = Number(opt('timeout', '300')) * 1000;
  const profile = opt('profile', 'latest');
  execFileSync(
    'cargo',
    ['run', '-q', '-p', 'jitless-wasm-core', '--release', '--example', 'wast2json', '--', jsonDir, ...suites],
    { cwd: root, stdio: 'inherit' },
  );
  const tasks = [];
  for (const suite of suites) {
    const dir = join(jsonDir, suite.replace('/', '+'));
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.json') && f.includes(filter)) tasks.push({ suite, file: f.replace(/\.json$/, ''), path: join(dir, f) });
    }
  }
  const results = await pool(tasks, jobs, async (t) => {
    const [v8, ours] = [
      await child(['--run', 'v8', t.path], [], timeout),
      await child(['--run', 'ours', t.path], ['--jitless'], timeout, { JITLESS_WASM_FEATURES: profile }),
    ];
    return { ...t, v8, ours };
  });
  report(suites, results, args.includes('--exact'));
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, run));
  return out;
}

function child(argv, nodeFlags, timeout, env = {}) {
  return new Promise((resolvePromise) => {
    const p = spawn(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), ...argv], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      try {
        const r = JSON.parse(line);
        if (r.error) throw new Error(r.error);
        resolvePromise(r);
      } catch {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolvePromise({ crashed: `${why}: ${err.trim().split('\n').slice(-3).join(' | ')}`, passed: 0, failed: 0, skipped: 0, failures: [], skips: [] });
      }
    });
  });
}

function report(suites, results, exact) {
  let regressions = 0;
  let gains = 0;
  const lines = [];
  lines.push('| Suite | Files | Directives (V8 run) | V8 passed | ours passed | V8 passes, ours fails | ours passes, V8 fails | superseded by Wasm 3.0 |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  const details = [];
  for (const suite of suites) {
    const rs = results.filter((r) => r.suite === suite);
    if (rs.length === 0) continue;
    let total = 0, v8p = 0, ourp = 0, worse = 0, better = 0, superseded = 0;
    for (const r of rs) {
      total += r.v8.passed + r.v8.failed;
      v8p += r.v8.passed;
      ourp += r.ours.passed;
      const v8Fail = new Set(r.v8.failures.map(([l]) => l));
      const v8Skip = new Set(r.v8.skips);
      const ourFail = new Map(r.ours.failures.map(([l, why]) => [l, why]));
      const ourSkip = new Set(r.ours.skips);
      const lifted = new Set(r.ours.superseded ?? []);
      superseded += lifted.size;
      const lost = [];
      if (r.ours.crashed) lost.push([0, `crashed (${r.ours.crashed})`]);
      for (const [l, why] of ourFail) if (!v8Fail.has(l) && !v8Skip.has(l)) lost.push([l, why]);
      for (const l of ourSkip) if (!v8Skip.has(l) && !v8Fail.has(l) && !lifted.has(l)) lost.push([l, 'skipped by ours only']);
      const wonLines = r.v8.failures.filter(([l]) => !ourFail.has(l) && !ourSkip.has(l));
      const won = wonLines.length;
      better += won;
      if (won) {
        details.push(`- ${suite}/${r.file}: ${won} directive(s) ours passes and V8 fails: ` + wonLines.slice(0, 4).map(([l, why]) => `line ${l}: V8: ${why.slice(0, 160)}`).join('; '));
      }
      worse += lost.length;
      if (lost.length) {
        details.push(`- ${suite}/${r.file}: ${lost.length} directive(s) V8 passes and ours fails: ` + lost.slice(0, 4).map(([l, why]) => `line ${l}: ${why.slice(0, 160)}`).join('; '));
      }
      if (r.v8.crashed) details.push(`- ${suite}/${r.file}: the V8 run crashed (${r.v8.crashed})`);
    }
    regressions += worse;
    gains += better;
    lines.push(`| ${suite} | ${rs.length} | ${total} | ${v8p} | ${ourp} | ${worse} | ${better} | ${superseded} |`);
  }
  console.log(lines.join('\n'));
  if (details.length) console.log('\n' + details.join('\n'));
  if (!WebAssembly.validate(gcProbeModule()) && results.some((r) => r.suite === 'proposals/gc')) {
    console.log(
      `\nNote: V8 ${process.versions.v8} (Node ${process.version}) has no WasmGC: it rejects every module of` +
        ' proposals/gc that uses GC, so most of what ours passes there is not checked against V8.',
    );
  }
  console.log(`\n${regressions === 0 ? 'OK' : 'FAIL'}: ${regressions} directive(s) that V8 passes fail on ours`);
  if (exact) console.log(`${gains === 0 ? 'OK' : 'FAIL'}: ${gains} directive(s) that ours passes and V8 fails (--exact)`);
  process.exitCode = regressions === 0 && (!exact || gains === 0) ? 0 : 1;
}

// Entry (last, so that the classes above are initialised).
if (args[0] === '--run') {
  worker(args[1], args[2]);
} else {
  await driver();
}
