#!/usr/bin/env bash
# Runs one fuzz harness for a bounded time; used by tests/e2e/test_fuzz_*.sh and by hand.
#
#   fuzz/run.sh NAME [SECONDS]        e.g. ICNSIM=build/icnsim fuzz/run.sh config 30
#
# The harness binary is $ICN_FUZZ_BIN_DIR/fuzz_NAME, by default <dir of $ICNSIM>/fuzz/,
# where the build puts it (fuzz/CMakeLists.txt). It is libFuzzer when the build was
# configured with clang and -DICN_FUZZ=ON, else the deterministic mutation driver; both
# take the same flags. Steps: (1) a planted failing input (the canary) must be caught and
# saved, so this test can fail; (2) every seed input in fuzz/corpus/NAME must pass;
# (3) fuzzing for SECONDS (default $ICN_FUZZ_SECONDS or 30) must find nothing. Failing
# inputs are printed and kept in $ICN_FUZZ_ARTIFACTS when set.
set -u
name=${1:?usage: run.sh NAME [SECONDS]}
seconds=${2:-${ICN_FUZZ_SECONDS:-30}}
src=${ICN_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin_dir=${ICN_FUZZ_BIN_DIR:-$(dirname "${ICNSIM:?set ICNSIM or ICN_FUZZ_BIN_DIR}")/fuzz}
bin=$bin_dir/fuzz_$name
corpus=$src/fuzz/corpus/$name
if [ ! -x "$bin" ]; then
  echo "FAIL: no harness at $bin (build target fuzz_$name)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/new" "$tmp/artifacts"
dict=()
[ -f "$src/fuzz/$name.dict" ] && dict=("-dict=$src/fuzz/$name.dict")

report_artifacts() {
  for f in "$tmp"/artifacts/*; do
    [ -f "$f" ] || continue
    echo "--- failing input $(basename "$f") ($(wc -c <"$f") bytes), as hex:"
    od -A d -t x1z -v "$f" | head -40
    if [ -n "${ICN_FUZZ_ARTIFACTS:-}" ]; then
      mkdir -p "$ICN_FUZZ_ARTIFACTS" && cp "$f" "$ICN_FUZZ_ARTIFACTS/"
      echo "kept in $ICN_FUZZ_ARTIFACTS/$(basename "$f")"
    fi
  done
}

# 1. The canary: the harness must fail on it and save it.
# Given as a corpus directory: both engines save failing corpus inputs as artifacts.
mkdir "$tmp/canary"
printf 'ICN-FUZZ-CANARY' >"$tmp/canary/input"
# (The braces keep bash's "Aborted" job report out of the log.)
if { ICN_FUZZ_CANARY=1 "$bin" -runs=1 "-artifact_prefix=$tmp/artifacts/" "$tmp/canary" >"$tmp/canary.log" 2>&1; } 2>/dev/null; then
  echo "FAIL: fuzz_$name did not fail on the canary input"
  cat "$tmp/canary.log"
  exit 1
fi
if ! grep -q "FUZZ BUG: canary input" "$tmp/canary.log" || [ -z "$(ls "$tmp/artifacts")" ]; then
  echo "FAIL: fuzz_$name failed on the canary but did not report or save it:"
  cat "$tmp/canary.log"
  exit 1
fi
rm -f "$tmp"/artifacts/*
echo "ok: fuzz_$name catches and saves a failing input"

# 2. The seed corpus.
if ! "$bin" "-artifact_prefix=$tmp/artifacts/" "$corpus"/* >"$tmp/seeds.log" 2>&1; then
  echo "FAIL: fuzz_$name fails on a seed input of $corpus:"
  tail -40 "$tmp/seeds.log"
  report_artifacts
  exit 1
fi
echo "ok: fuzz_$name passes its $(ls "$corpus" | wc -l) seed inputs"

# 3. Bounded fuzzing. New interesting inputs go to $tmp/new, never into the source tree.
start=$(date +%s)
"$bin" "-max_total_time=$seconds" "-seed=${ICN_FUZZ_SEED:-1}" -print_final_stats=1 -timeout=10 \
  -rss_limit_mb=2048 "-artifact_prefix=$tmp/artifacts/" "${dict[@]}" "$tmp/new" "$corpus" \
  >"$tmp/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/fuzz.log" | tail -1)
if [ "$rc" -ne 0 ]; then
  echo "FAIL: fuzz_$name found a failing input (status $rc) after $(($(date +%s) - start)) s:"
  grep -v '^#[0-9]' "$tmp/fuzz.log" | tail -60
  report_artifacts
  exit 1
fi
if [ -z "$runs" ] || [ "$runs" -lt 1000 ]; then
  echo "FAIL: fuzz_$name ran only '${runs}' inputs in $seconds s"
  tail -20 "$tmp/fuzz.log"
  exit 1
fi
engine=$(grep -q '^mutation driver:' "$tmp/fuzz.log" && echo "mutation driver" || echo libFuzzer)
echo "ok: fuzz_$name ($engine): $runs inputs in $seconds s, no failure"
