#!/usr/bin/env bash
# Builds benchmark/coremark/coremark.wasm from EEMBC's CoreMark sources and our port
# (benchmark/coremark/port/). EEMBC's files are not committed here: pass a CoreMark checkout.
#
#   benchmark/coremark/build.sh <coremark-checkout> [out.wasm]
#   STRIP= benchmark/coremark/build.sh <checkout> /tmp/named.wasm   (keeps the name section, for profiling)
#
# Needs Debian's clang and lld (apt-get install -y clang lld; clang 14 has --target=wasm32).
# EEMBC's files are used unmodified: core_main.c, core_list_join.c, core_matrix.c,
# core_state.c, core_util.c, coremark.h. Only core_main.c's `main` is renamed (-D) so that the
# port's run() export can call it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${1:?usage: build.sh <coremark-checkout> [out.wasm]}"
out="${2:-$here/coremark.wasm}"
CC=${CC:-clang}
eembc=(core_main.c core_list_join.c core_matrix.c core_state.c core_util.c coremark.h)
for f in "${eembc[@]}"; do
  [ -f "$src/$f" ] || { echo "build.sh: $src/$f not found (is $src a CoreMark checkout?)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for f in "${eembc[@]}"; do cp "$src/$f" "$tmp/"; done
cp "$here"/port/*.c "$here"/port/*.h "$tmp/"
flags=(--target=wasm32 -O2 -nostdlib -ffreestanding -Wall -Wno-unused-but-set-variable)
defs=(-DTOTAL_DATA_SIZE=2000 "-DCOMPILER_FLAGS=\"${flags[*]}\"")
objs=()
for c in "$tmp"/*.c; do
  o="${c%.c}.o"
  extra=()
  [ "$(basename "$c")" = core_main.c ] && extra=(-Dmain=coremark_main)
  "$CC" "${flags[@]}" "${defs[@]}" "${extra[@]}" -I"$tmp" -c "$c" -o "$o"
  objs+=("$o")
done
"$CC" "${flags[@]}" -Wl,--no-entry -Wl,--export=run -Wl,--export=score ${STRIP--Wl,--strip-all} \
  -o "$out" "${objs[@]}"
echo "built $out ($(stat -c %s "$out") bytes)"
