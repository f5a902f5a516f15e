'use strict';
// Workload for ruby.wasm (CRuby 3.4 built for WASI, @ruby/3.4-wasm-wasi with the stdlib) through
// @ruby/wasm-wasi's Node entry, which creates its WASI with `require('wasi')`: boots the VM, runs
// Ruby that prints through WASI stdout (`puts`) and returns values to JS, uses the stdlib (json,
// set, digest), raises and rescues. Prints one line per result; the test compares the sha256.
const fs = require('node:fs');
const path = require('node:path');
const { DefaultRubyVM } = require('@ruby/wasm-wasi/dist/node');

async function main() {
  const wasm = path.join(path.dirname(require.resolve('@ruby/3.4-wasm-wasi')), '..', 'ruby+stdlib.wasm');
  const module = await WebAssembly.compile(fs.readFileSync(wasm));
  const { vm } = await DefaultRubyVM(module, { env: { LANG: 'C.UTF-8' } });
  const show = (code) => console.log(JSON.stringify([code, vm.eval(code).toString()]));
  show('RUBY_VERSION');
  show('[1, 2, 3].map { |x| x * x }.sum');
  show('require "json"; JSON.generate({ a: [1, 2.5, "x"], b: nil, c: { "d" => true } })');
  show('"héllo wörld ünïcödé".upcase.reverse');
  show('require "set"; Set.new([3, 1, 2, 3]).sort.inspect');
  show('require "digest"; Digest::SHA256.hexdigest("jitless")');
  show('(1..20).reduce(:lcm).to_s + " " + (2**200).to_s');
  show('begin; raise ArgumentError, "boom"; rescue => e; "#{e.class}: #{e.message}"; end');
  show('def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2); fib(20)');
  show('Struct.new(:x, :y).new(1, 2).to_a.inspect');
  show('"%05.2f|%-6s|%x" % [3.14159, "ab", 255]');
  vm.eval('puts "from ruby puts"; $stdout.flush');
  vm.eval('$stdout.write("a", "b", "c\\n"); $stdout.flush');
  try {
    vm.eval('raise "uncaught in ruby"');
  } catch (error) {
    console.log(JSON.stringify(['error', error.constructor.name, String(error.message).split('\n')[0]]));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
