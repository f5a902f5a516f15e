#!/bin/sh
# Builds the addon for one platform package on a Linux x64 machine and copies it to
# dist/bin/jitless-wasm.<platform>.node (then `npm run package` packs it).
#
#   scripts/cross-build.sh <platform>      e.g. linux-arm64-gnu (see scripts/platforms.mjs)
#
# What each kind of target needs (all from registries):
#   host   nothing more than the contributor setup (`npm run build`).
#   gcc    rustup target add aarch64-unknown-linux-gnu;
#          apt-get install g++-aarch64-linux-gnu (linker, and C++ compiler for the V8 shim,
#          which is built against the running Node's headers as on the host).
#   zig    rustup target add <target>; pip install ziglang; cargo install cargo-zigbuild.
#          Built without the V8 shim (JITLESS_WASM_NODE_INCLUDE=""): the shim must be compiled
#          with libstdc++'s ABI (Node's), zig has libc++. The addon then takes the fallbacks
#          (growable SharedArrayBuffers for shared memories; default JS stack limit).
#   mingw  rustup target add x86_64-pc-windows-gnu; apt-get install gcc-mingw-w64-x86-64.
#          (MSVC targets need Microsoft's CRT and SDK, which cargo-xwin downloads from
#          Microsoft: not a package registry, so not used.)
# Target dirs go to target-cross/ (not committed). Uses the release profile; set
# CARGO_PROFILE_RELEASE_LTO=false to trade size for build time.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
p=${1:?usage: cross-build.sh <platform>}
target=$(node "$root/scripts/platforms.mjs" "$p" target)
kind=$(node "$root/scripts/platforms.mjs" "$p" build)
out="$root/dist/bin/jitless-wasm.$p.node"
mkdir -p "$root/dist/bin"
cd "$root"
export CARGO_TARGET_DIR="$root/target-cross"
case "$kind" in
  host)
    npx napi build --platform --release --js binding.js --dts binding.d.ts
    cp "jitless-wasm.$p.node" "$out" ;;
  gcc)
    triple=$(echo "$target" | sed 's/-unknown//')
    env_target=$(echo "$target" | tr 'a-z-' 'A-Z_')
    env "CARGO_TARGET_${env_target}_LINKER=${triple}-gcc" \
      "CC_$(echo "$target" | tr - _)=${triple}-gcc" "CXX_$(echo "$target" | tr - _)=${triple}-g++" \
      cargo build --release -p jitless-wasm --target "$target"
    cp "target-cross/$target/release/libjitless_wasm.so" "$out" ;;
  zig)
    case "$target" in *musl*) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=-crt-static" ;; esac
    JITLESS_WASM_NODE_INCLUDE="" cargo zigbuild --release -p jitless-wasm --target "$target"
    case "$target" in
      *darwin*) cp "target-cross/$target/release/libjitless_wasm.dylib" "$out" ;;
      *) cp "target-cross/$target/release/libjitless_wasm.so" "$out" ;;
    esac ;;
  mingw)
    # napi-build links windows-gnu addons with `-lnode` against a libnode.dll (MinGW Node
    # builds). Official Node is node.exe, which exports Node-API itself (as MSVC addons import
    # it through node.lib): an import library for node.exe made with dlltool from the Node-API
    # names the running node exports, found first as libnode.dll.a (the empty libnode.dll only
    # satisfies napi-build's existence check; the linker prefers the .dll.a).
    lib="$root/target-cross/libnode"
    mkdir -p "$lib"
    { echo "LIBRARY node.exe"; echo "EXPORTS"
      nm -D --defined-only "$(node -p process.execPath)" | awk '$3 ~ /^(napi|node_api)_/ {print "  " $3}'; } > "$lib/node.def"
    x86_64-w64-mingw32-dlltool -d "$lib/node.def" -l "$lib/libnode.dll.a" -D node.exe
    : > "$lib/libnode.dll"
    env LIBNODE_PATH="$lib" CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
      cargo build --release -p jitless-wasm --target "$target"
    cp "target-cross/$target/release/jitless_wasm.dll" "$out" ;;
esac
ls -l "$out"
