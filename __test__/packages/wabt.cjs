'use strict';
// Workload for wabt (Emscripten C++): parse a large generated WAT module, validate it, write the
// binary (with and without debug names), read the binary back, print it as text, and hash all
// of it; also a parse error. The test compares the sha256 of this output across engines.
const { createHash } = require('node:crypto');
const wabtFactory = require('wabt');

const FUNCS = Number(process.env.WABT_FUNCS || 1200);
const sha = (b) => createHash('sha256').update(b).digest('hex');

// A large module: many functions with loops, branches, locals, memory and table use.
function bigWat(n) {
  const lines = ['(module', '  (type $binop (func (param i32 i32) (result i32)))',
    '  (import "env" "log" (func $log (param i32)))',
    '  (memory (export "memory") 2 10)', '  (global $counter (mut i32) (i32.const 0))',
    `  (table $t ${n} funcref)`, '  (data (i32.const 16) "jitless-wasm wabt workload\\00")'];
  for (let i = 0; i < n; i++) {
    lines.push(`  (func $f${i} (export "f${i}") (type $binop) (local $acc i32) (local $k i64) (local $d f64)
    (local.set $acc (i32.const ${i * 7919}))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get 0) (local.get 1)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get 0) (i32.const ${(i % 97) + 1}))))
        (local.set $k (i64.add (local.get $k) (i64.extend_i32_u (local.get $acc))))
        (local.set $d (f64.add (local.get $d) (f64.convert_i32_s (local.get 0))))
        (if (i32.and (local.get 0) (i32.const ${1 << (i % 5)}))
          (then (i32.store offset=${(i % 64) * 4} (i32.const 0) (local.get $acc)))
          (else (global.set $counter (i32.add (global.get $counter) (i32.const 1)))))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br $again)))
    (i32.xor (local.get $acc) (i32.wrap_i64 (i64.shr_u (local.get $k) (i64.const ${i % 63}))))
    (i32.trunc_sat_f64_s (local.get $d))
    ${i > 0 ? `(call $f${i - 1} (i32.const 0) (i32.const ${i % 13}))` : '(i32.const 0)'}
    (i32.add) (i32.add))`);
  }
  lines.push(`  (elem (i32.const 0) ${Array.from({ length: n }, (_, i) => `$f${i}`).join(' ')})`);
  lines.push('  (func (export "dispatch") (param i32 i32 i32) (result i32)',
    '    (call_indirect $t (type $binop) (local.get 1) (local.get 2) (local.get 0)))');
  lines.push(')');
  return lines.join('\n');
}

(async () => {
  const wabt = await wabtFactory();
  const out = [];
  const text = bigWat(FUNCS);
  out.push(`wat ${text.length} chars ${sha(text)}`);
  const mod = wabt.parseWat('big.wat', text);
  mod.resolveNames();
  mod.validate();
  const plain = mod.toBinary({ log: false });
  plain.buffer = plain.buffer.slice(); // a view of the wasm heap: copy before the next call
  out.push(`binary ${plain.buffer.length} ${sha(plain.buffer)}`);
  const named = mod.toBinary({ log: true, write_debug_names: true });
  named.buffer = named.buffer.slice();
  out.push(`binary+names ${named.buffer.length} ${sha(named.buffer)} log ${named.log.length} ${sha(named.log)}`);
  mod.destroy();

  const back = wabt.readWasm(named.buffer, { readDebugNames: true });
  back.validate();
  back.applyNames(); // indices -> names, for printing (validate needs indices)
  const printed = back.toText({ foldExprs: false, inlineExport: false });
  out.push(`wasm2wat ${printed.length} ${sha(printed)}`);
  const folded = back.toText({ foldExprs: true, inlineExport: true });
  out.push(`wasm2wat folded ${folded.length} ${sha(folded)}`);
  out.push(folded.split('\n').slice(0, 12).join('\n'));
  back.destroy();

  try {
    wabt.parseWat('bad.wat', '(module (func (result i32) (i32.add (i32.const 1))))').validate();
    out.push('bad: no error');
  } catch (e) {
    out.push(`bad: ${String(e.message || e).trim()}`);
  }
  try {
    wabt.parseWat('syntax.wat', '(module (func $x (i32.const 1) (unknown.op)))');
    out.push('syntax: no error');
  } catch (e) {
    out.push(`syntax: ${String(e.message || e).trim()}`);
  }
  process.stdout.write(out.join('\n') + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
