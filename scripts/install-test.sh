#!/bin/sh
# Installs the tarballs of `npm run package` (dist/) into fresh projects, on a PATH that has only
# node, npm and sh (no cargo, rustc or C/C++ compiler), offline (the tarballs are local), and
# checks three cases. Exits non-zero on any failure.
#   1. prebuilt: the platform package + the main package install without building anything, and
#      the MDN examples (examples/*.mjs, importing `jitless-wasm/polyfill` and `jitless-wasm/wat`
#      from the installed package) print under `node --jitless` (ours) what they print under
#      plain `node` (V8's WebAssembly);
#   2. source, no Rust: the main package alone (no platform package) fails to install, with a
#      message naming the platform, its package, Rust and cargo;
#   3. source, install scripts ignored (`--ignore-scripts`): the install succeeds and
#      `require('jitless-wasm')` throws a message naming the same.
#   scripts/install-test.sh [platform]   (default: this machine's, e.g. linux-x64-gnu)
# Case 1 also runs the examples, when these name binaries (scripts/hosts/fetch.sh fetches them):
#   JITLESS_WASM_INSTALL_NODES="<node>…"  other Node lines (scripts/node-lines.sh's cache:
#                                          ~/.cache/jitless-wasm/node/<major>/bin/node);
#   JITLESS_WASM_INSTALL_DENO=<deno>       Deno with --v8-flags=--jitless;
#   JITLESS_WASM_INSTALL_BUN=<bun>         Bun with its JIT off (BUN_JSC_useJIT=0), ours forced;
#   JITLESS_WASM_INSTALL_ARM64=<node>      Node for linux-arm64 under qemu-aarch64, with
#                                          jitless-wasm-linux-arm64-gnu (dist/) installed into
#                                          another project with --force (npm refuses a tarball for
#                                          another cpu) and --ignore-scripts (the install script
#                                          judges the machine it runs on).
# `npm run test:install` packs this machine's platform and runs it (CI: .ci/run).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
platform=${1:-$(node -e "import('$root/scripts/platforms.mjs').then(m => console.log(m.currentPlatform()))")}
version=$(node -p "require('$root/package.json').version")
main_tgz="$root/dist/jitless-wasm-$version.tgz"
platform_tgz="$root/dist/jitless-wasm-$platform-$version.tgz"
for f in "$main_tgz" "$platform_tgz"; do
  if [ ! -f "$f" ]; then echo "missing $f: run \`npm run package\` first"; exit 1; fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$(command -v node)" "$work/bin/node"
ln -s "$(readlink -f "$(command -v npm)")" "$work/bin/npm"
ln -s /bin/sh "$work/bin/sh"
for tool in cargo rustc cc gcc c++ clang; do
  if env -i PATH="$work/bin" sh -c "command -v $tool" >/dev/null; then echo "$tool is on the PATH"; exit 1; fi
done

# Runs a command with only $work/bin on the PATH and no other environment.
run() { env -i HOME="$HOME" PATH="$work/bin" "$@"; }
# Makes a fresh project $work/app and enters it.
fresh() {
  rm -rf "$work/app"
  mkdir "$work/app"
  cd "$work/app"
  echo '{"name":"install-test","version":"1.0.0","private":true}' > package.json
}
# Fails unless file $1 contains each of the other arguments.
mentions() {
  out=$1
  shift
  for word in "$@"; do
    if ! grep -qF -- "$word" "$out"; then
      echo "FAILED: the message does not mention '$word':"
      cat "$out"
      exit 1
    fi
  done
}

echo "== 1. prebuilt: jitless-wasm-$platform + jitless-wasm"
fresh
run npm install --offline --no-audit --no-fund "$platform_tgz" "$main_tgz"
if ls node_modules/jitless-wasm/*.node >/dev/null 2>&1; then echo "FAILED: the install built an addon"; exit 1; fi
cat > smoke.mjs <<'JS'
import 'jitless-wasm/polyfill';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { wat2wasm } = require('jitless-wasm/wat');
const bytes = wat2wasm('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
const { instance } = await WebAssembly.instantiate(bytes);
if (instance.exports.add(40, 2) !== 42) throw new Error('wrong result');
const from = require.resolve('jitless-wasm-' + process.argv[2]).replace(process.cwd() + '/', '');
console.log('ok: add(40, 2) = 42 under', process.execArgv.join(' '), 'with the addon from', from);
JS
mkdir examples
cp "$root"/examples/*.mjs examples/
rm examples/run-all.mjs
# The examples import the package from the checkout (../polyfill.js, ../wat.js): use the installed one.
sed -i "s#'\.\./polyfill\.js'#'jitless-wasm/polyfill'#; s#('\.\./wat\.js')#('jitless-wasm/wat')#" examples/*.mjs
cat > examples.mjs <<'JS'
// Each example under `node --jitless` (our WebAssembly, from the installed package), or under the
// command after `--` (named by the argument before it), must print what it prints under plain `node` (V8's WebAssembly: the polyfill
// leaves it in place).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
const sep = process.argv.indexOf('--');
const host = sep > 0 ? process.argv.slice(sep + 1) : [process.execPath, '--jitless', '--no-warnings'];
const label = sep > 2 ? process.argv[2] : `node ${process.version} --jitless`;
const files = readdirSync('examples').filter((f) => f.endsWith('.mjs'));
const failed = [];
for (const f of files) {
  const run = ([bin, ...args]) => spawnSync(bin, [...args, `examples/${f}`], { encoding: 'utf8', timeout: 300_000 });
  const ours = run(host);
  const v8 = run([process.execPath]);
  if (ours.status !== 0 || v8.status !== 0 || ours.stdout !== v8.stdout || ours.stdout === '') {
    failed.push(f);
    console.log(`FAILED ${f}: --jitless exit ${ours.status}, node exit ${v8.status}`);
    console.log(`  --jitless: ${JSON.stringify(ours.stdout)} ${ours.stderr}`);
    console.log(`  node:      ${JSON.stringify(v8.stdout)}`);
  }
}
if (failed.length > 0 || files.length === 0) process.exit(1);
console.log(`ok: ${files.length} MDN examples print under ${label} what they print with V8`);
JS
for node in node ${JITLESS_WASM_INSTALL_NODES:-}; do
  echo "-- $(run "$node" --version) ($node)"
  run "$node" --jitless --no-warnings smoke.mjs "$platform"
  run "$node" examples.mjs
done
if [ -n "${JITLESS_WASM_INSTALL_DENO:-}" ]; then
  echo "-- $(run "$JITLESS_WASM_INSTALL_DENO" --version | head -n 1)"
  run node examples.mjs "Deno --v8-flags=--jitless" -- /usr/bin/env NO_COLOR=1 "$JITLESS_WASM_INSTALL_DENO" run -A --unstable-detect-cjs --v8-flags=--jitless
fi
if [ -n "${JITLESS_WASM_INSTALL_BUN:-}" ]; then
  echo "-- bun $(run "$JITLESS_WASM_INSTALL_BUN" --version)"
  run node examples.mjs "Bun (BUN_JSC_useJIT=0)" -- /usr/bin/env BUN_JSC_useJIT=0 JITLESS_WASM_FORCE=1 "$JITLESS_WASM_INSTALL_BUN"
fi
if [ -n "${JITLESS_WASM_INSTALL_ARM64:-}" ]; then
  echo "-- linux-arm64-gnu: Node $(qemu-aarch64 -L /usr/aarch64-linux-gnu "$JITLESS_WASM_INSTALL_ARM64" --version) under qemu-aarch64"
  mkdir "$work/arm64"
  cp -r examples examples.mjs package.json "$work/arm64/"
  cd "$work/arm64"
  run npm install --offline --no-audit --no-fund --ignore-scripts --force \
    "$root/dist/jitless-wasm-linux-arm64-gnu-$version.tgz" "$main_tgz"
  # qemu-user cannot alias a shared memory's pages (scripts/hosts/hosts.mjs): no V8 shim there.
  run node examples.mjs "linux-arm64 Node --jitless (qemu)" -- /usr/bin/env JITLESS_WASM_V8_SHIM=0 "$(command -v qemu-aarch64)" -L /usr/aarch64-linux-gnu \
    "$JITLESS_WASM_INSTALL_ARM64" --jitless --no-warnings
  cd "$work/app"
fi

echo "== 2. source install of jitless-wasm alone, no Rust"
fresh
if run npm install --offline --no-audit --no-fund "$main_tgz" > npm.log 2>&1; then
  cat npm.log
  echo "FAILED: the install succeeded with neither a platform package nor Rust"
  exit 1
fi
mentions npm.log "no prebuilt binary for $platform" "jitless-wasm-$platform" "Rust" "cargo" "https://rustup.rs"
echo "ok: the install fails, naming $platform, jitless-wasm-$platform, Rust and cargo:"
sed -n '/jitless-wasm: no prebuilt/,/prebuilt package\./p' npm.log

echo "== 3. source install of jitless-wasm alone with --ignore-scripts, no Rust"
fresh
run npm install --offline --no-audit --no-fund --ignore-scripts "$main_tgz"
if run node --jitless --no-warnings -e "require('jitless-wasm')" > node.log 2>&1; then
  echo "FAILED: require('jitless-wasm') loaded with no addon"
  exit 1
fi
mentions node.log "for $platform" "jitless-wasm-$platform" "Rust" "cargo" "https://rustup.rs"
echo "ok: require('jitless-wasm') throws, naming $platform, jitless-wasm-$platform, Rust and cargo:"
grep -F 'jitless-wasm:' node.log
