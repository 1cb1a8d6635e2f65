#!/usr/bin/env bash
# Data races under ThreadSanitizer: the cluster model's parallel stages (every mechanism;
# a demand shock with its resilience twin; government calls) on two and three threads,
# and the sweep's threads (replicates side by side, and threads inside one replicate).
# Built by Clang with LLVM's libomp, whose Archer tool (OMP_TOOL_LIBRARIES) tells TSan
# about OpenMP's own barriers and locks. Any report fails the run; before the checks, a
# planted race (tests/tsan/race_canary.cpp) must be reported, so that a toolchain that
# detects nothing cannot make them pass.
#   scripts/tsan.sh [BUILD_DIR]      (default: build-tsan; scripts/test.sh runs it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
dir=${1:-$ICN_ROOT/build-tsan}

cmake -S "$ICN_ROOT" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DICN_SANITIZE_THREAD=ON \
  -DICN_BUILD_TESTS=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$dir" -j "$NPROC" --target icnsim bench_cluster

archer="$(dirname "$(readlink -f "$(command -v clang)")")/../lib/libarcher.so"
if [ ! -f "$archer" ]; then
  echo "tsan: $archer not found (Debian's libomp-dev ships it)" >&2
  exit 1
fi
export OMP_TOOL_LIBRARIES=$archer
# exitcode 66: a report, told apart from the programs' own failures.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ignore_noninstrumented_modules=1"

clang++ -std=c++20 -O1 -g1 -fopenmp -fsanitize=thread "$ICN_ROOT/tests/tsan/race_canary.cpp" \
  -o "$dir/race_canary"
rc=0
"$dir/race_canary" >/dev/null 2>"$dir/race_canary.log" || rc=$?
if [ "$rc" -ne 66 ]; then
  echo "tsan: the planted race was not reported (exit $rc); the checks would prove nothing" >&2
  exit 1
fi
echo "tsan: the planted race is reported"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
check() {
  local name=$1
  shift
  if ! "$@" >"$dir/$name.log" 2>&1; then
    echo "tsan: $name FAILED ($dir/$name.log):" >&2
    tail -n 80 "$dir/$name.log" >&2
    exit 1
  fi
  echo "tsan: $name: no race reported"
}
ex=$ICN_ROOT/examples
check cluster_default_2_threads "$dir/bench/bench_cluster" --ticks 500 100 2
check cluster_10k_3_threads "$dir/bench/bench_cluster" --ticks 10000 12 3
check sweep_replicates_side_by_side "$dir/icnsim" sweep "$ex/default_ensemble.toml" \
  --threads 2 --omp-mode replicates --replicates 4 --set run.ticks=40 -o "$out/a.h5"
check sweep_demand_shock_inside "$dir/icnsim" sweep "$ex/shock_demand.toml" \
  --threads 2 --omp-mode inside --replicates 1 --set run.ticks=110 -o "$out/b.h5"
check sweep_policy_calls_inside "$dir/icnsim" sweep "$ex/policy_calls.toml" \
  --threads 2 --omp-mode inside --replicates 1 --set run.ticks=60 -o "$out/c.h5"
check sweep_cowan_jonard "$dir/icnsim" sweep "$ex/cowan_jonard_rewiring.toml" \
  --threads 2 --replicates 2 --set run.ticks=20 -o "$out/d.h5"
echo "tsan: all checks passed"
