// The native WASI functions (src/wasi_native.rs, lib/wasi/native-table.js): fd_read, fd_write,
// fd_pread, fd_pwrite, fd_seek, fd_tell, path_filestat_get, fd_readdir, path_open, fd_close and
// fd_fdstat_get called from wasm without entering JS, falling back to the JS functions for what
// they do not decide. A scenario of edge cases (helpers/wasi-native-scenario.mjs) gives
// the same log on ours as on node:wasi over V8, and the same with the native functions off
// (JITLESS_WASM_WASI_NATIVE=0, in a child process); `wasiImport`'s functions stay what node:wasi
// exposes to JS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import { run } from './helpers/wasi-native-scenario.mjs';
import { wat } from './helpers/wat.mjs';

const require = createRequire(import.meta.url);
const ours = require('../index.js');
const { WASI: OurWASI } = require('../wasi.js');
const v8 = typeof globalThis.WebAssembly === 'object' && globalThis.WebAssembly !== ours ? globalThis.WebAssembly : undefined;
const nativeOn =
  process.platform === 'linux' &&
  process.env.JITLESS_WASM_WASI_NATIVE !== '0' &&
  process.env.JITLESS_WASM_WASI_HOST_CALLS !== '0';
const SCENARIO = fileURLToPath(new URL('./helpers/wasi-native-scenario.mjs', import.meta.url));

/** The scenario's result on ours in a child process with `env` added (this process's flags). */
function child(env) {
  const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => a === '--jitless'), '--no-warnings', SCENARIO], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('native WASI functions', () => {
  test('the scenario on ours gives node:wasi on V8 its log', { skip: v8 === undefined && 'no V8 WebAssembly (--jitless)' }, () => {
    // (Deliberate difference: uvwasi lets `link-to-outside/file` out of the sandbox.)
    const common = ({ log, file }) => ({ log: log.filter(([name]) => !name.startsWith('sandbox: ')), file });
    assert.deepEqual(common(run(ours, OurWASI)), common(run(v8, NodeWASI)));
  });

  test('the scenario gives the same log with the native functions off (JITLESS_WASM_WASI_NATIVE=0)', () => {
    const native = run(ours, OurWASI);
    assert.deepEqual(child({ JITLESS_WASM_WASI_NATIVE: '0' }), native);
    assert.deepEqual(child({ JITLESS_WASM_WASI_NATIVE: '1' }), native);
  });

  test('plain calls from wasm do not run the JS functions (Linux, native functions on)', { skip: !nativeOn && 'native functions off' }, () => {
    const Bindings = require('../lib/wasi/bindings.js').WASI;
    const counts = {};
    const saved = {};
    for (const name of ['fd_write', 'fd_read', 'fd_pread', 'fd_pwrite', 'path_filestat_get', 'fd_readdir', 'fd_seek', 'fd_tell', 'path_open', 'fd_close', 'fd_fdstat_get']) {
      saved[name] = Bindings.prototype[name];
      Bindings.prototype[name] = function (...args) {
        counts[name] = (counts[name] ?? 0) + 1;
        return saved[name].apply(this, args);
      };
    }
    try {
      run(ours, OurWASI);
    } finally {
      Object.assign(Bindings.prototype, saved);
    }
    // Only the calls the native side leaves to JS (closed or unmirrored descriptors, missing
    // rights, append mode, no iovecs, an iovec array past the end, negative offsets; paths with
    // links, `.`, `..`, a trailing slash, or bad ones; fd_readdir on a file or a closed fd;
    // fd_seek with whence 3, on a closed fd or a directory; path_open with O_CREAT/O_TRUNC/APPEND,
    // links, `.`, `..`, a trailing slash, a missing directory on the way, a closed or non-directory
    // fd, missing rights; fd_close and fd_fdstat_get of a closed fd) ran JS.
    const fallbacks = {
      fd_write: 12, fd_pread: 2, fd_pwrite: 2, fd_read: 1, path_filestat_get: 28, fd_readdir: 2, fd_seek: 3,
      path_open: 15, fd_close: 1, fd_fdstat_get: 2,
    };
    assert.deepEqual(counts, fallbacks);
  });

  test("wasiImport's functions stay plain JS functions with node:wasi's shape", () => {
    const theirs = new NodeWASI({ version: 'preview1' }).wasiImport;
    const mine = new OurWASI({ version: 'preview1' }).wasiImport;
    for (const name of ['fd_read', 'fd_write', 'fd_pread', 'fd_pwrite']) {
      assert.deepEqual(Reflect.ownKeys(mine[name]), Reflect.ownKeys(theirs[name]), name);
      assert.equal(mine[name].length, theirs[name].length, name);
      assert.equal(typeof mine[name], 'function');
      // Called from JS before a memory is set: Node's error, from the JS function.
      const error = (f) => {
        try {
          f(1, 0, 0, 0);
        } catch (e) {
          return [e.constructor.name, e.code];
        }
        return 'no error';
      };
      assert.deepEqual(error(mine[name]), error(theirs[name]), name);
    }
  });

  test('the records the addon points into are not reachable from the program', () => {
    const { table } = new OurWASI({ version: 'preview1' }).wasiImport;
    for (const holder of [table, table.mirror, ...table.fds].filter((o) => o)) {
      for (const key of Reflect.ownKeys(holder)) assert.ok(!ArrayBuffer.isView(holder[key]), String(key));
    }
  });

  test('an fd_write import of another type links the JS function (EINVAL for 3 arguments)', () => {
    const text = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "w") (result i32) i32.const 1 i32.const 0 i32.const 0 call $w))`;
    const results = [];
    for (const [ns, WASI] of [[ours, OurWASI], ...(v8 ? [[v8, NodeWASI]] : [])]) {
      const wasi = new WASI({ version: 'preview1' });
      const instance = new ns.Instance(new ns.Module(wat(text)), wasi.getImportObject());
      wasi.initialize(instance);
      results.push(instance.exports.w());
    }
    assert.equal(results[0], 28);
    if (results.length === 2) assert.equal(results[0], results[1]);
  });

  test('fd_write from a promising export (JSPI: the host call with Vals) runs natively', {
    skip: (!nativeOn && 'native functions off') || (typeof ours.promising !== 'function' && 'no JSPI in this profile'),
  }, async () => {
    const Bindings = require('../lib/wasi/bindings.js').WASI;
    const saved = Bindings.prototype.fd_write;
    let jsCalls = 0;
    Bindings.prototype.fd_write = function (...args) {
      jsCalls++;
      return saved.apply(this, args);
    };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-wasi-jspi-'));
    try {
      const wasi = new OurWASI({ version: 'preview1', preopens: { '/sandbox': root } });
      // path_open("out.txt", O_CREAT|O_TRUNC) in the preopen, then fd_write of "hello\n" and
      // of no iovecs (the JS function's case); the errnos and byte counts are returned.
      const text = `(module
        (import "wasi_snapshot_preview1" "path_open"
          (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 0) "out.txt")
        (data (i32.const 16) "hello\\n")
        (data (i32.const 32) "\\10\\00\\00\\00\\06\\00\\00\\00")
        (func (export "run") (result i64)
          (local $e i32)
          (local.set $e (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 7) (i32.const 9)
            (i64.const 110) (i64.const 110) (i32.const 0) (i32.const 48)))
          (if (local.get $e) (then (return (i64.extend_i32_u (local.get $e)))))
          (i64.or
            (i64.shl (i64.extend_i32_u (call $w (i32.load (i32.const 48)) (i32.const 32) (i32.const 1) (i32.const 52))) (i64.const 8))
            (i64.shl (i64.extend_i32_u (call $w (i32.load (i32.const 48)) (i32.const 32) (i32.const 0) (i32.const 56))) (i64.const 16))))
      )`;
      const instance = new ours.Instance(new ours.Module(wat(text)), wasi.getImportObject());
      wasi.initialize(instance);
      const result = await ours.promising(instance.exports.run)();
      const view = new DataView(instance.exports.memory.buffer);
      assert.equal(result, 0n); // path_open and both fd_writes: errno 0
      assert.equal(view.getUint32(52, true), 6);
      assert.equal(view.getUint32(56, true), 0);
      assert.equal(fs.readFileSync(path.join(root, 'out.txt'), 'latin1'), 'hello\n');
      assert.equal(jsCalls, 1); // only the call with no iovecs ran the JS function
    } finally {
      Bindings.prototype.fd_write = saved;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('a wasiImport function replaced by the program runs as given', () => {
    const wasi = new OurWASI({ version: 'preview1' });
    const imports = wasi.getImportObject();
    const seen = [];
    imports.wasi_snapshot_preview1 = { ...imports.wasi_snapshot_preview1, fd_write: (...args) => (seen.push(args), 0) };
    const text = `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "w") (result i32) i32.const 1 i32.const 0 i32.const 1 i32.const 8 call $w))`;
    const instance = new ours.Instance(new ours.Module(wat(text)), imports);
    wasi.initialize(instance);
    assert.equal(instance.exports.w(), 0);
    assert.deepEqual(seen, [[1, 0, 1, 8]]);
  });
});
