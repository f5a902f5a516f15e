#!/bin/sh
# Fetches the non-Node hosts the addon is tested under, from the npm registry, into
# $1 (default: .hosts/ at the repository root, ignored by git):
#   <dir>/deno/deno   (@deno/linux-x64-glibc)    <dir>/bun/bun   (@oven/bun-linux-x64)
# Then `node scripts/hosts/run.mjs deno|bun` and `node --test __test__/hosts.spec.mjs` find them.
#   DENO_VERSION / BUN_VERSION pin versions (default: latest).
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
chmod +x "$dir/deno/deno" "$dir/bun/bun"
cd "$dir" && rm -rf tmp
"$dir/deno/deno" --version | head -1
echo "bun $("$dir/bun/bun" --version)"
