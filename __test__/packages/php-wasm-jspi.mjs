// Workload for @php-wasm/node-8-3 (PHP 8.3 built by Emscripten with -sJSPI; the package picks its
// JSPI build when `WebAssembly.Suspending` exists, else its Asyncify build): runs PHP scripts
// (loops, strings, JSON, hashing, arrays, exceptions, output buffering) and prints their output,
// which build ran, and how many calls went through Suspending imports. The test compares the
// sha256 of this output across engines (Node 24+: both run the JSPI build).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Counts the calls of every Suspending import (Emscripten's async imports).
let suspendingCalls = 0;
const Original = WebAssembly.Suspending;
if (Original) {
  WebAssembly.Suspending = function Suspending(fn) {
    return new Original((...args) => (suspendingCalls++, fn(...args)));
  };
}
const { loadPHPRuntime, PHP } = require('@php-wasm/universal');
const { getPHPLoaderModule, jspi } = require('@php-wasm/node-8-3');

const SCRIPTS = [
  '<?php $s = 0; for ($i = 0; $i < 20000; $i++) { $s += $i * $i % 7; } echo "sum=$s\\n";',
  '<?php echo PHP_VERSION, " ", json_encode(["a" => 1, "b" => [1, 2, 3], "c" => null]), "\\n";',
  '<?php echo md5("jspi"), " ", sha1("promise"), " ", crc32("integration"), "\\n";',
  '<?php $a = range(1, 50); shuffle($a); sort($a); echo implode(",", array_slice($a, 0, 10)), "\\n";',
  '<?php try { throw new RuntimeException("boom"); } catch (Exception $e) { echo get_class($e), ":", $e->getMessage(), "\\n"; }',
  '<?php ob_start(); echo str_repeat("ab", 5); $x = ob_get_clean(); echo strrev($x), " ", strlen($x), "\\n";',
  '<?php function fib($n) { return $n < 2 ? $n : fib($n - 1) + fib($n - 2); } echo fib(20), "\\n";',
];

const build = (await jspi()) ? 'jspi' : 'asyncify';
const php = new PHP(await loadPHPRuntime(await getPHPLoaderModule()));
for (const code of SCRIPTS) {
  const r = await php.run({ code });
  process.stdout.write(r.text);
}
console.log(`build ${build}; Suspending imports called: ${suspendingCalls > 0 ? 'yes' : 'no'}`);
php.exit?.();
