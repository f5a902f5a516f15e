#!/bin/sh
# Installs the tarballs of `npm run package` (dist/) into a fresh project, on a PATH that has
# only node, npm and sh (no cargo, rustc or C/C++ compiler), and runs wasm there under
# `node --jitless` through the installed package. Exits non-zero on any failure.
#   scripts/install-test.sh [platform]   (default: this machine's, e.g. linux-x64-gnu)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
platform=${1:-$(node -e "import('$root/scripts/platforms.mjs').then(m => console.log(m.currentPlatform()))")}
version=$(node -p "require('$root/package.json').version")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/app"
ln -s "$(command -v node)" "$work/bin/node"
ln -s "$(readlink -f "$(command -v npm)")" "$work/bin/npm"
ln -s /bin/sh "$work/bin/sh"
cd "$work/app"
echo '{"name":"install-test","version":"1.0.0","private":true}' > package.json
cat > smoke.mjs <<'JS'
import 'jitless-wasm/polyfill';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { wat2wasm } = require('jitless-wasm/wat');
const bytes = wat2wasm('(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
const { instance } = await WebAssembly.instantiate(bytes);
if (instance.exports.add(40, 2) !== 42) throw new Error('wrong result');
console.log('ok: add(40, 2) = 42 with', require('jitless-wasm/package.json').name, 'under', process.execArgv.join(' '));
JS
env -i HOME="$HOME" PATH="$work/bin" npm install --no-audit --no-fund \
  "$root/dist/jitless-wasm-$platform-$version.tgz" "$root/dist/jitless-wasm-$version.tgz"
for tool in cargo rustc cc gcc c++; do
  if env -i PATH="$work/bin" sh -c "command -v $tool" >/dev/null; then echo "$tool is on the PATH"; exit 1; fi
done
env -i HOME="$HOME" PATH="$work/bin" node --jitless smoke.mjs
