// jitless-wasm/wat (wat.js): WAT text -> module bytes, pre-2018 names,
// input forms, SyntaxError positions. It needs no WebAssembly engine, so the
// cases are the same in every process (plain node or --jitless).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const load = () => require('../wat.js');

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const ADD_OLD = `(module
  (func $add (param $lhs i32) (param $rhs i32) (result i32)
    get_local $lhs
    get_local $rhs
    i32.add)
  (export "add" (func $add)))`;
const ADD_NEW = ADD_OLD.replaceAll('get_local', 'local.get');

/** Runs `fn`, expects a SyntaxError, returns its message. */
function syntaxErrorOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SyntaxError, `expected SyntaxError, got ${e && e.constructor && e.constructor.name}`);
    return e.message;
  }
  assert.fail('no error thrown');
}

it('exports wat2wasm and parseWat', () => {
  const m = load();
  assert.equal(typeof m.wat2wasm, 'function');
  assert.equal(typeof m.parseWat, 'function');
});

it('(module) is the 8-byte header', () => {
  const bytes = load().wat2wasm('(module)');
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...bytes], MAGIC);
});

it('encodes a function module exactly', () => {
  // type section: (func (param i32 i32) (result i32)); function section; export "add"; code.
  const expected = [
    ...MAGIC,
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x03, 0x02, 0x01, 0x00,
    0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
  ];
  const bytes = load().wat2wasm(
    '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))',
  );
  assert.deepEqual([...bytes], expected);
});

it('pre-2018 names give the same bytes as the current ones', () => {
  const { wat2wasm } = load();
  const strip = (b) => [...b];
  // Named locals produce a name section; compare with identical names.
  assert.deepEqual(strip(wat2wasm(ADD_OLD)), strip(wat2wasm(ADD_NEW)));
  const pairs = [
    ['(module (table 2 anyfunc))', '(module (table 2 funcref))'],
    ['(module (memory 1) (func (result i32) current_memory))', '(module (memory 1) (func (result i32) memory.size))'],
    ['(module (memory 1) (func (result i32) (grow_memory (i32.const 1))))', '(module (memory 1) (func (result i32) (memory.grow (i32.const 1))))'],
    ['(module (global (mut i32) (i32.const 0)) (func (set_global 0 (get_global 0))))', '(module (global (mut i32) (i32.const 0)) (func (global.set 0 (global.get 0))))'],
    ['(module (func (param f64) (result i32) get_local 0 i32.trunc_s/f64))', '(module (func (param f64) (result i32) local.get 0 i32.trunc_f64_s))'],
    ['(module (func (param i64) (result i32) get_local 0 i32.wrap/i64))', '(module (func (param i64) (result i32) local.get 0 i32.wrap_i64))'],
    ['(module (func (param i32) (result f64) get_local 0 f64.convert_u/i32))', '(module (func (param i32) (result f64) local.get 0 f64.convert_i32_u))'],
    ['(module (func (param f32) (result f64) get_local 0 f64.promote/f32))', '(module (func (param f32) (result f64) local.get 0 f64.promote_f32))'],
    ['(module (func (param f32) (result i32) get_local 0 i32.reinterpret/f32))', '(module (func (param f32) (result i32) local.get 0 i32.reinterpret_f32))'],
    ['(module (func (result i32) (local i32) i32.const 1 tee_local 0))', '(module (func (result i32) (local i32) i32.const 1 local.tee 0))'],
  ];
  for (const [old, current] of pairs) {
    assert.deepEqual(strip(wat2wasm(old)), strip(wat2wasm(current)), old);
  }
});

it('strings and comments keep old names verbatim', () => {
  const { wat2wasm } = load();
  const bytes = wat2wasm('(module ;; get_local\n (; anyfunc ;) (func (export "get_local")))');
  const text = Buffer.from(bytes).toString('latin1');
  assert.ok(text.includes('get_local'));
});

it('parseWat is the same conversion', () => {
  const { wat2wasm, parseWat } = load();
  assert.deepEqual([...parseWat(ADD_NEW)], [...wat2wasm(ADD_NEW)]);
});

it('accepts UTF-8 text as Buffer, Uint8Array, ArrayBuffer, DataView', () => {
  const { wat2wasm } = load();
  const expected = [...wat2wasm(ADD_OLD)];
  const buf = Buffer.from(ADD_OLD, 'utf8');
  assert.deepEqual([...wat2wasm(buf)], expected);
  assert.deepEqual([...wat2wasm(new Uint8Array(buf))], expected);
  const ab = new TextEncoder().encode(ADD_OLD).buffer;
  assert.deepEqual([...wat2wasm(ab)], expected);
  assert.deepEqual([...wat2wasm(new DataView(ab))], expected);
  // A view into a larger buffer uses only its own bytes.
  const padded = Buffer.from(`XXXX${ADD_OLD}YYYY`);
  assert.deepEqual([...wat2wasm(padded.subarray(4, padded.length - 4))], expected);
});

it('non-ASCII text in strings is encoded as UTF-8', () => {
  const bytes = load().wat2wasm('(module (func (export "π→日本")))');
  assert.ok(Buffer.from(bytes).includes(Buffer.from('π→日本', 'utf8')));
});

it('binary input (\\0asm...) is returned as a copy', () => {
  const { wat2wasm } = load();
  const bin = wat2wasm(ADD_NEW);
  const again = wat2wasm(bin);
  assert.deepEqual([...again], [...bin]);
  assert.notEqual(again.buffer, bin.buffer);
});

it('a syntax error is a SyntaxError "<line>:<column>: <message>"', () => {
  const { wat2wasm } = load();
  const message = syntaxErrorOf(() => wat2wasm('(module\n  (func\n    i32.const 1\n    bogus.op))'));
  assert.match(message, /^4:5: \S/);
  assert.match(message, /unknown operator|unexpected token/);
});

it('error positions point into the text as given (old names, tabs, Unicode)', () => {
  const { wat2wasm } = load();
  assert.match(syntaxErrorOf(() => wat2wasm('(module (memory 1) (func current_memory drop $x))')), /^1:46: /);
  assert.match(syntaxErrorOf(() => wat2wasm('(module\n\t(func nope))')), /^2:8: /);
  assert.match(syntaxErrorOf(() => wat2wasm('(module (; é ;) (func nope))')), /^1:23: /);
});

it('unknown names and unbalanced parentheses are SyntaxErrors', () => {
  const { wat2wasm } = load();
  assert.match(syntaxErrorOf(() => wat2wasm('(module (func call $missing))')), /^1:20: .*\$missing/);
  assert.match(syntaxErrorOf(() => wat2wasm('(module (func)')), /^1:\d+: /);
  assert.match(syntaxErrorOf(() => wat2wasm('')), /^\d+:\d+: /);
});

it('TypeError for a source that is neither text nor bytes, or not UTF-8', () => {
  const { wat2wasm } = load();
  for (const bad of [undefined, null, 42, {}, ['(module)']]) {
    assert.throws(() => wat2wasm(bad), TypeError);
  }
  assert.throws(() => wat2wasm(new Uint8Array([0x28, 0xff, 0x29])), TypeError);
});

it('works under node --jitless (no WebAssembly engine needed)', () => {
  const out = execFileSync(
    process.execPath,
    ['--jitless', '-e', "const b = require('./wat.js').wat2wasm('(module (table 1 anyfunc))'); console.log(typeof WebAssembly, b.length)"],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.match(out, /^undefined \d+\n$/);
});
