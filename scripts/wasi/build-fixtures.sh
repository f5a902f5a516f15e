#!/usr/bin/env bash
# Builds the WASI test programs in __test__/fixtures/wasi/*.c into .wasm files next to them
# (committed, so the tests need no toolchain). Needs clang, lld and wasi-libc:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")/../../__test__/fixtures/wasi"
CC=${CC:-clang}
for src in *.c; do
  out="${src%.c}.wasm"
  "$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wno-unused-result \
    -Wl,--strip-all -o "$out" "$src"
  echo "built $out ($(stat -c %s "$out") bytes)"
done
