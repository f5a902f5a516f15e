#!/usr/bin/env bash
# Rebuilds __test__/fixtures/gc/p2w-program.wasm from p2w-program.py with p2w 0.2.3 (PyPI),
# a Python-to-WasmGC compiler, in a throw-away virtualenv; assembles its WAT with our wat.js
# and checks that V8 (Node 22+) prints what CPython prints.
#   bash scripts/gc/build-p2w-fixture.sh [python3.12+] [node22+]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py=${1:-python3}
node=${2:-$HOME/.cache/jitless-wasm/node/26/bin/node}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$py" -m venv "$dir/venv"
"$dir/venv/bin/pip" install -q 'p2w==0.2.3'
fx="$root/__test__/fixtures/gc"
"$dir/venv/bin/p2w" "$fx/p2w-program.py" -o "$dir/program.wat"
node -e "
  const fs = require('fs');
  const { wat2wasm } = require('$root/wat.js');
  fs.writeFileSync('$fx/p2w-program.wasm', wat2wasm(fs.readFileSync('$dir/program.wat', 'utf8')));
"
want=$("$py" "$fx/p2w-program.py")
got=$("$node" "$fx/p2w-host.mjs" v8 | "$node" -e "process.stdout.write(JSON.parse(require('fs').readFileSync(0, 'utf8')).output)")
if [ "$got" != "$want" ]; then
  echo "V8's output differs from CPython's:"; diff <(echo "$want") <(echo "$got") || true; exit 1
fi
echo "ok: $(wc -c < "$fx/p2w-program.wasm") bytes, V8 prints what CPython prints"
