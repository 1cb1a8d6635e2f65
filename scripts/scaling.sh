#!/usr/bin/env bash
# Farm efficiency of the ensemble driver: the same 256 busy tasks of about 50 ms run by
# the real task farm on 1 and on 2 ranks (bench_farm --farm), repeated; prints each run's
# figures and the efficiency wall(1) / (2 wall(2)) of each repetition.
# Usage: scripts/scaling.sh [BUILD_DIR] [REPETITIONS] [TASKS] [TASK_MS]
set -euo pipefail
source "$(dirname "$0")/common.sh"
build=${1:-$ICN_ROOT/build}
reps=${2:-3}
tasks=${3:-256}
task_ms=${4:-50}
bench=$build/bench/bench_farm
[ -x "$bench" ] || { echo "scaling.sh: $bench not built (cmake --build $build --target bench_farm)"; exit 2; }
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
for rep in $(seq "$reps"); do
  one=$(mpirun --bind-to none -np 1 "$bench" --farm --tasks "$tasks" --task-ms "$task_ms")
  two=$(mpirun --bind-to none -np 2 "$bench" --farm --tasks "$tasks" --task-ms "$task_ms")
  echo "$one"
  echo "$two"
  w1=$(field wall_s "$one")
  w2=$(field wall_s "$two")
  echo "repetition $rep: speedup $(echo "$w1 / $w2" | bc -l | cut -c1-6), efficiency 2 vs 1 rank $(echo "$w1 / (2 * $w2)" | bc -l | cut -c1-6)"
done
