// jitless-wasm/wasi's WASI class against node:wasi's, in this process: the same shape (methods,
// wasiImport functions with their names and lengths), the same validation errors (class, code,
// message) for bad options and bad instances, the same results for bad arguments to the imports,
// returnOnExit. Node's WASI takes only V8's Memory, so the cases that need a memory compare with
// Node only when V8's WebAssembly is there (not under --jitless).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { WASI as NodeWASI } from 'node:wasi';
import { inspect } from 'node:util';

const require = createRequire(import.meta.url);
const { WASI: OurWASI } = require('../wasi.js');
const ours = require('../index.js');
const v8 = typeof globalThis.WebAssembly === 'object' && globalThis.WebAssembly !== ours ? globalThis.WebAssembly : undefined;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** What a call did: its value, or the error's class, code and message. */
function outcome(fn) {
  try {
    const value = fn();
    return { value: typeof value === 'symbol' ? 'symbol' : value };
  } catch (error) {
    if (typeof error === 'symbol') return { thrown: 'symbol' };
    return { error: error?.constructor?.name, code: error?.code, message: error?.message };
  }
}

const BAD_OPTIONS = [
  undefined,
  null,
  'preview1',
  {},
  { version: 'x' },
  { version: 'preview2' },
  { version: 5 },
  { version: 'preview1', args: 'a' },
  { version: 'preview1', args: { length: 1 } },
  { version: 'preview1', env: 'a' },
  { version: 'preview1', env: [] },
  { version: 'preview1', env: null },
  { version: 'preview1', preopens: 1 },
  { version: 'preview1', stdin: -1 },
  { version: 'preview1', stdin: 1.5 },
  { version: 'preview1', stdout: '1' },
  { version: 'preview1', stderr: 2 ** 31 },
  { version: 'preview1', stderr: 2 ** 40 },
  { version: 'preview1', stderr: 1n },
  { version: 'preview1', returnOnExit: 1 },
  { version: 'preview1', returnOnExit: null },
  { version: 'preview1', preopens: { '/x': '/this/does/not/exist' } },
  { version: 'preview1', preopens: { '/x': '/etc/hostname' } },
  { version: 'preview1', stdin: 999 },
  { version: 'a string long enough to be cut when Node shows it, past 128 characters: '.repeat(3) },
];

describe('WASI class: same as node:wasi', () => {
  for (const options of BAD_OPTIONS) {
    test(`new WASI(${inspect(options, { breakLength: Infinity }).slice(0, 70)})`, () => {
      assert.deepEqual(outcome(() => new OurWASI(options) && 'ok'), outcome(() => new NodeWASI(options) && 'ok'));
    });
  }

  test('prototype methods, wasiImport keys, names and lengths, getImportObject', () => {
    assert.deepEqual(Object.getOwnPropertyNames(OurWASI.prototype), Object.getOwnPropertyNames(NodeWASI.prototype));
    for (const version of ['preview1', 'unstable']) {
      const a = new OurWASI({ version });
      const b = new NodeWASI({ version });
      assert.deepEqual(Object.keys(a), Object.keys(b));
      assert.deepEqual(Object.keys(a.wasiImport), Object.keys(b.wasiImport));
      for (const k of Object.keys(b.wasiImport)) {
        assert.equal(a.wasiImport[k].name, b.wasiImport[k].name, k);
        assert.equal(a.wasiImport[k].length, b.wasiImport[k].length, k);
      }
      assert.deepEqual(Object.keys(a.getImportObject()), Object.keys(b.getImportObject()));
      assert.equal(a.getImportObject()[Object.keys(a.getImportObject())[0]], a.wasiImport);
    }
  });

  test('imports called before start: with a memory argument ERR_WASI_NOT_STARTED, else a result', () => {
    const a = new OurWASI({ version: 'preview1' }).wasiImport;
    const b = new NodeWASI({ version: 'preview1' }).wasiImport;
    const calls = [
      (w) => w.random_get(0, 4),
      (w) => w.random_get(),
      (w) => w.random_get(1.5, 1),
      (w) => w.random_get(0, 0, 0),
      (w) => w.fd_close(99),
      (w) => w.fd_close(2 ** 32),
      (w) => w.clock_time_get(0, 1, 0),
      (w) => w.fd_advise(0, 0n, 0n, 9),
      (w) => w.fd_renumber(7, 7),
      (w) => w.fd_renumber(1, 9),
      (w) => w.sched_yield(),
      (w) => w.sched_yield(1),
      (w) => w.fd_fdstat_set_rights(1, 0n, 0n),
    ];
    for (const call of calls) assert.deepEqual(outcome(() => call(a)), outcome(() => call(b)), call.toString());
  });

  test('DELIBERATE DIFFERENCE: a negative Number is taken as its uint32, as a call from wasm is', () => {
    // Wasm passes i32 arguments as signed Numbers; V8's fast calls from wasm into Node's WASI
    // read them as uint32 (an fd of -1 is 4294967295: EBADF). Called from JS, Node's slow path
    // answers EINVAL instead; ours cannot tell the callers apart and answers as for wasm.
    const a = new OurWASI({ version: 'preview1' }).wasiImport;
    const b = new NodeWASI({ version: 'preview1' }).wasiImport;
    assert.deepEqual(outcome(() => b.fd_close(-1)), { value: 28 });
    assert.deepEqual(outcome(() => a.fd_close(-1)), outcome(() => a.fd_close(2 ** 32 - 1)));
    assert.equal(outcome(() => a.fd_close(-1)).code, 'ERR_WASI_NOT_STARTED');
    assert.deepEqual(outcome(() => a.fd_close(2.5)), { value: 28 });
  });

  const instanceCases = [
    ['start()', (w) => w.start()],
    ['start(null)', (w) => w.start(null)],
    ['start({})', (w) => w.start({})],
    ['start({ exports: 1 })', (w) => w.start({ exports: 1 })],
    ['initialize()', (w) => w.initialize()],
    ['initialize({})', (w) => w.initialize({})],
  ];
  for (const [name, call] of instanceCases) {
    test(`${name} throws what Node throws`, () => {
      assert.deepEqual(
        outcome(() => call(new OurWASI({ version: 'preview1' }))),
        outcome(() => call(new NodeWASI({ version: 'preview1' }))),
      );
    });
  }
  test('a second start after a failed one (Node < 24: already started; 24: checks again)', () => {
    const a = new OurWASI({ version: 'preview1' });
    const b = new NodeWASI({ version: 'preview1' });
    outcome(() => a.start({}));
    outcome(() => b.start({}));
    assert.deepEqual(outcome(() => a.start({})), outcome(() => b.start({})));
  });
});

describe('WASI class with a memory: same as node:wasi over V8', { skip: v8 ? false : 'needs V8 (not under --jitless)' }, () => {
  // Each case builds the instance-like object with the given namespace's Memory.
  const memOf = (ns) => new ns.Memory({ initial: 1 });
  const cases = [
    ['no memory', (ns) => ({ exports: { _start() {} } })],
    ['memory is a plain object', (ns) => ({ exports: { memory: {}, _start() {} } })],
    ['no _start', (ns) => ({ exports: { memory: memOf(ns) } })],
    ['_start is not a function', (ns) => ({ exports: { memory: memOf(ns), _start: 1 } })],
    ['_start and _initialize', (ns) => ({ exports: { memory: memOf(ns), _start() {}, _initialize() {} } })],
  ];
  for (const [name, make] of cases) {
    test(`start: ${name}`, () => {
      assert.deepEqual(
        outcome(() => new OurWASI({ version: 'preview1' }).start(make(ours))),
        outcome(() => new NodeWASI({ version: 'preview1' }).start(make(v8))),
      );
    });
    test(`initialize: ${name}`, () => {
      assert.deepEqual(
        outcome(() => new OurWASI({ version: 'preview1' }).initialize(make(ours))),
        outcome(() => new NodeWASI({ version: 'preview1' }).initialize(make(v8))),
      );
    });
  }

  test('start twice, initialize after start', () => {
    for (const [W, ns] of [
      [OurWASI, ours],
      [NodeWASI, v8],
    ]) {
      const w = new W({ version: 'preview1' });
      const inst = { exports: { memory: memOf(ns), _start() {} } };
      assert.deepEqual(outcome(() => w.start(inst)), { value: 0 });
      assert.deepEqual(outcome(() => w.start(inst)), {
        error: 'Error',
        code: 'ERR_WASI_ALREADY_STARTED',
        message: 'WASI instance has already started',
      });
    }
  });

  test('returnOnExit: start returns the code; proc_exit outside start throws', () => {
    const run = (W, ns, options) => {
      const w = new W({ version: 'preview1', ...options });
      const inst = { exports: { memory: memOf(ns), _start: () => w.wasiImport.proc_exit(7) } };
      return [outcome(() => w.start(inst)), outcome(() => w.wasiImport.proc_exit(3))];
    };
    assert.deepEqual(run(OurWASI, ours, {}), run(NodeWASI, v8, {}));
    assert.deepEqual(run(OurWASI, ours, { returnOnExit: true }), run(NodeWASI, v8, { returnOnExit: true }));
  });

  test('imports against a memory: bounds (EOVERFLOW), bad arguments, results', () => {
    const setup = (W, ns) => {
      const w = new W({ version: 'preview1', args: ['a', 'bc'], env: { X: '1', Y: undefined, Z: 2 } });
      const memory = memOf(ns);
      w.start({ exports: { memory, _start() {} } });
      return { i: w.wasiImport, memory };
    };
    const a = setup(OurWASI, ours);
    const b = setup(NodeWASI, v8);
    const calls = [
      ({ i }) => i.random_get(65535, 4),
      ({ i }) => i.random_get(65536, 0),
      ({ i }) => i.random_get(65535, 0),
      ({ i }) => i.random_get(0, 65536),
      ({ i }) => i.fd_write(1, 65536, 0, 0),
      ({ i }) => i.random_get('a', 4),
      ({ i }) => i.random_get(1n, 4),
      ({ i, memory }) => [i.args_sizes_get(0, 4), [...new Uint32Array(memory.buffer, 0, 2)]],
      ({ i, memory }) => [i.args_get(16, 64), [...new Uint8Array(memory.buffer, 64, 5)]],
      ({ i, memory }) => [i.environ_sizes_get(0, 4), [...new Uint32Array(memory.buffer, 0, 2)]],
      ({ i, memory }) => [i.environ_get(16, 64), [...new Uint8Array(memory.buffer, 64, 8)]],
      ({ i }) => i.args_get(65534, 0),
      ({ i }) => i.clock_time_get(0, 1n, 65530),
      ({ i }) => i.clock_time_get(9, 1n, 0),
      ({ i, memory }) => [i.clock_res_get(1, 0), new BigUint64Array(memory.buffer, 0, 1)[0]],
      ({ i }) => i.clock_res_get(4, 0),
      ({ i }) => i.fd_prestat_get(3, 0),
      ({ i }) => i.fd_prestat_get(1, 0),
      ({ i }) => i.fd_write(1, 0, 0, 100),
      ({ i }) => i.fd_write(1, 65535, 1, 0),
      ({ i, memory }) => {
        new Uint32Array(memory.buffer, 0, 2).set([65530, 100]);
        return i.fd_write(1, 0, 1, 16);
      },
      ({ i }) => i.fd_read(42, 0, 0, 0),
      ({ i }) => i.poll_oneoff(0, 0, 0, 0),
      ({ i }) => i.poll_oneoff(0, 65535, 1, 0),
      ({ i }) => i.path_open(3, 0, 0, 1, 0, 0n, 0n, 0, 0),
      ({ i }) => i.path_open(1, 0, 0, 1, 0, 0n, 0n, 0, 0),
      ({ i }) => i.path_open(1, 0, 0, 1, 0, 0, 0n, 0, 0),
      ({ i }) => i.proc_raise(200),
      ({ i }) => i.fd_seek(0, 0n, 9, 0),
    ];
    for (const call of calls) assert.deepEqual(outcome(() => call(a)), outcome(() => call(b)), call.toString());
  });

  // Found by the wasi-testsuite's sock_shutdown-invalid_fd (scripts/wasi/testsuite.mjs): ours
  // checked the descriptor before `how`. Only descriptors uvwasi rejects (3: a preopened
  // directory without socket rights; 99: none) or arguments it rejects first: on a descriptor it
  // takes, uvwasi would use a null stream (Node crashes).
  test('regression: sock_* errno in uvwasi order (how, flags and iovec count before the descriptor)', () => {
    const setup = (W, ns) => {
      const w = new W({ version: 'preview1', preopens: { '/': process.cwd() } });
      w.start({ exports: { memory: memOf(ns), _start() {} } });
      return w.wasiImport;
    };
    const a = setup(OurWASI, ours);
    const b = setup(NodeWASI, v8);
    const calls = [];
    for (const fd of [3, 99]) {
      for (const how of [0, 1, 2, 3, 4, 256, 258]) calls.push([`sock_shutdown(${fd}, ${how})`, (i) => i.sock_shutdown(fd, how)]);
      for (const [len, flags] of [[0, 0], [1, 0], [0, 1], [1, 1], [1, 256], [1, 65536]]) {
        calls.push([`sock_recv(${fd}, len ${len}, flags ${flags})`, (i) => i.sock_recv(fd, 0, len, flags, 100, 104)]);
        calls.push([`sock_send(${fd}, len ${len}, flags ${flags})`, (i) => i.sock_send(fd, 0, len, flags, 100)]);
      }
      for (const flags of [0, 1, 4, 8]) calls.push([`sock_accept(${fd}, ${flags})`, (i) => i.sock_accept(fd, flags, 100)]);
    }
    calls.push(['sock_shutdown(1, 0)', (i) => i.sock_shutdown(1, 0)], ['sock_shutdown(1, 1)', (i) => i.sock_shutdown(1, 1)]);
    for (const [name, call] of calls) assert.deepEqual(outcome(() => call(a)), outcome(() => call(b)), name);
  });

  test('ours also takes V8’s Memory (where V8 is there)', () => {
    const w = new OurWASI({ version: 'preview1', args: ['x'] });
    const memory = memOf(v8);
    w.start({ exports: { memory, _start: () => assert.equal(w.wasiImport.args_sizes_get(0, 4), 0) } });
    assert.deepEqual([...new Uint32Array(memory.buffer, 0, 2)], [1, 2]);
  });

  test('finalizeBindings (Node 24+): binds without starting; options.memory', { skip: NODE_MAJOR < 24 }, () => {
    for (const [W, ns] of [
      [OurWASI, ours],
      [NodeWASI, v8],
    ]) {
      const w = new W({ version: 'preview1' });
      const memory = memOf(ns);
      w.finalizeBindings({ exports: {} }, { memory });
      assert.equal(w.wasiImport.random_get(0, 8), 0);
      assert.deepEqual(outcome(() => w.finalizeBindings({ exports: {} }, { memory })).code, 'ERR_WASI_ALREADY_STARTED');
    }
  });
});

describe('our WASI takes our Memory under --jitless', () => {
  test('every import with random arguments returns an errno and never throws', () => {
    // Stdio on /dev/null (fd_write on them must not touch the test's own streams); no
    // proc_exit/proc_raise, nor fd_close/fd_renumber (they would close host fds the test then
    // cannot account for); memory zeroed before each call so poll_oneoff never waits.
    const fs = require('node:fs');
    const stdio = [0, 1, 2].map(() => fs.openSync('/dev/null', 'r+'));
    try {
      const w = new OurWASI({ version: 'preview1', args: ['a'], env: { B: 'c' }, stdin: stdio[0], stdout: stdio[1], stderr: stdio[2] });
      const memory = new ours.Memory({ initial: 1 });
      w.start({ exports: { memory, _start() {} } });
      const u8 = () => new Uint8Array(memory.buffer);
      let seed = 12345;
      const rand = () => {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return seed >>> 0;
      };
      const numbers = () => [0, 1, 2, 3, 7, 24, 65535, 65536, 2 ** 31, 2 ** 32 - 1, -1, rand() % 70000][rand() % 12];
      for (const [name, f] of Object.entries(w.wasiImport)) {
        if (['proc_exit', 'proc_raise', 'fd_close', 'fd_renumber'].includes(name)) continue;
        for (let i = 0; i < 200; i++) {
          u8().fill(0);
          const args = Array.from({ length: f.length }, () => (rand() % 4 === 0 ? BigInt(numbers()) : numbers()));
          const r = f(...args);
          assert.ok(Number.isInteger(r) && r >= 0 && r <= 76, `${name}(${args.join(', ')}) returned ${r}`);
        }
      }
    } finally {
      for (const fd of stdio) fs.closeSync(fd);
    }
  });

  test('a module that writes to stdout through fd_write', () => {
    const w = new OurWASI({ version: 'preview1', returnOnExit: true });
    const memory = new ours.Memory({ initial: 1 });
    const bytes = new TextEncoder().encode('');
    new Uint32Array(memory.buffer, 0, 2).set([16, bytes.length]);
    const code = w.start({
      exports: {
        memory,
        _start() {
          assert.equal(w.wasiImport.fd_write(1, 0, 1, 8), 0);
          w.wasiImport.proc_exit(9);
        },
      },
    });
    assert.equal(code, 9);
  });

  test('a memory grown in between: the import sees the new buffer', () => {
    const w = new OurWASI({ version: 'preview1' });
    const memory = new ours.Memory({ initial: 1 });
    w.start({ exports: { memory, _start() {} } });
    assert.equal(w.wasiImport.random_get(65536, 8), 61);
    memory.grow(1);
    assert.equal(w.wasiImport.random_get(65536, 8), 0);
  });

  test('a shared memory', () => {
    const w = new OurWASI({ version: 'preview1', args: ['x'] });
    const memory = new ours.Memory({ initial: 1, maximum: 2, shared: true });
    w.start({ exports: { memory, _start() {} } });
    assert.equal(w.wasiImport.args_sizes_get(0, 4), 0);
    assert.deepEqual([...new Uint32Array(memory.buffer, 0, 2)], [1, 2]);
    memory.grow(1);
    assert.equal(w.wasiImport.random_get(65536, 8), 0);
  });
});
