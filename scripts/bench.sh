#!/usr/bin/env bash
# Runs every benchmark program (bench/bench_*.cpp) and writes one Google Benchmark JSON
# file per program, then prints a summary: each benchmark's time and its throughput
# counter (actor_steps, items or bytes per second; medians when repeated).
#
#   scripts/bench.sh [options] [BUILD_DIR] [OUT_DIR]
#     BUILD_DIR   a configured build directory (default ./build); its `bench` target is
#                 built first (a no-op when up to date)
#     OUT_DIR     where <program>.json go (default results/bench)
#   --repetitions N   --benchmark_repetitions (default 1; N > 1: the summary shows medians)
#   --filter REGEX    --benchmark_filter for every program (e.g. -100k: skip the 10^5-firm
#                     cluster benchmarks, which take about a minute each)
#   --min-time S      --benchmark_min_time in seconds (default: Google Benchmark's, 0.5)
#   --only NAMES      run only these programs (e.g. "bench_rng bench_stats")
#   --no-build        do not build the `bench` target
set -euo pipefail
source "$(dirname "$0")/common.sh"
reps=1
filter=""
min_time=""
only=""
do_build=1
positional=()
while [ $# -gt 0 ]; do
  case $1 in --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;; esac  # --opt=value
  case $1 in
    --repetitions) reps=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --min-time) min_time=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench.sh: unknown option $1 (--help)" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
build=${positional[0]:-$ICN_ROOT/build}
out=${positional[1]:-results/bench}
[ -f "$build/CMakeCache.txt" ] || {
  echo "bench.sh: $build is not a configured build directory (cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release)" >&2
  exit 2
}
if grep -q '^CMAKE_BUILD_TYPE:STRING=Debug' "$build/CMakeCache.txt"; then
  echo "bench.sh: warning: $build is a Debug build; figures will not be representative" >&2
fi
[ "$do_build" = 1 ] && cmake --build "$build" --target bench
mkdir -p "$out"
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

programs=()
for exe in "$build"/bench/bench_*; do
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  name=$(basename "$exe")
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then continue; fi
  programs+=("$exe")
done
[ ${#programs[@]} -gt 0 ] || { echo "bench.sh: no benchmark programs in $build/bench" >&2; exit 2; }

echo "bench.sh: ${#programs[@]} programs, repetitions $reps${filter:+, filter $filter}; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for exe in "${programs[@]}"; do
  name=$(basename "$exe")
  args=(--benchmark_out="$out/$name.json" --benchmark_out_format=json
        --benchmark_repetitions="$reps")
  [ "$reps" -gt 1 ] && args+=(--benchmark_report_aggregates_only=true)
  [ -n "$filter" ] && args+=(--benchmark_filter="$filter")
  [ -n "$min_time" ] && args+=(--benchmark_min_time="$min_time")
  echo "== $name"
  "$exe" "${args[@]}" >"$out/$name.log" 2>&1 || { echo "bench.sh: $name failed, see $out/$name.log" >&2; exit 1; }
done

# Summary: one line per benchmark (the median aggregate when repeated).
"${ICN_PYTHON:-python3}" - "$out" "${programs[@]}" <<'PYEOF'
import json, os, sys
out, programs = sys.argv[1], sys.argv[2:]
keys = ["actor_steps", "items", "bytes", "items_per_second", "bytes_per_second"]
def si(v):
    for unit, f in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(v) >= f:
            return f"{v / f:.3g}{unit}"
    return f"{v:.3g}"
print(f"{'benchmark':<58} {'time':>14}  counter")
for exe in programs:
    name = os.path.basename(exe)
    with open(os.path.join(out, name + ".json")) as f:
        doc = json.load(f)
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        key = next((k for k in keys if k in b), None)
        counter = f"{key} {si(b[key])}/s" if key else ""
        t = b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        unit = next(u for u, f in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 0)) if t >= f)
        t = f"{t / {'s': 1.0, 'ms': 1e-3, 'us': 1e-6, 'ns': 1e-9}[unit]:.4g} {unit}"
        print(f"{b['name']:<58} {t:>14}  {counter}")
print(f"JSON: {out}/<program>.json")
PYEOF
