#!/usr/bin/env bash
# Regenerates CONFORMANCE.md, the spec-testsuite conformance ledger.
#
# Runs every spec test file (crates/core/tests/spec.rs, release build) with JITLESS_LEDGER set so
# that each file writes its counts, then renders the records with the ignored test
# `write_conformance_ledger`. If the test process dies (an abort, not a panic), every file is rerun
# in a process of its own so one crash cannot hide the other results; a file that still leaves no
# record is listed as failing.
#
# Usage: scripts/conformance.sh            (writes CONFORMANCE.md at the repository root)
# Env:   JITLESS_LEDGER      records directory (default target/conformance)
#        JITLESS_LEDGER_OUT  output file (default CONFORMANCE.md)
#        JOBS                test threads (default 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
records="${JITLESS_LEDGER:-$root/target/conformance}"
rm -rf "$records"
mkdir -p "$records"
export JITLESS_LEDGER="$records"
export JITLESS_LEDGER_OUT="${JITLESS_LEDGER_OUT:-$root/CONFORMANCE.md}"

if ! build="$(cargo test -p jitless-wasm-core --release --test spec --no-run --message-format=json)"; then
  echo "could not build the spec test binary" >&2
  exit 1
fi
bin="$(printf '%s\n' "$build" | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4 || true)"
[ -n "$bin" ] && [ -x "$bin" ] || { echo "no spec test binary in cargo's output" >&2; exit 1; }
cd "$root/crates/core"

log="$records/run.log"
"$bin" --test-threads="${JOBS:-2}" >"$log" 2>&1 || true
if ! grep -q '^test result:' "$log"; then
  echo "the spec test process died; rerunning each file in its own process" >&2
  "$bin" --list --format terse | sed -n 's/: test$//p' | while read -r t; do
    "$bin" --exact "$t" >>"$log" 2>&1 || true
  done
fi
echo "$(ls "$records" | grep -c '\.wast\.txt$') file records in $records (test output: $log)"
"$bin" --ignored --exact write_conformance_ledger --nocapture 2>&1 | grep -E '^(\*\*Summary|wrote)'
