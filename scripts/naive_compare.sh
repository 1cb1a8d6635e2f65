#!/usr/bin/env bash
# icnsim sweep against the naive alternative users would otherwise script, on the same
# design and the same cores:
#   naive  one `icnsim run --replicate r` process per replicate, each writing its own HDF5
#          file, CORES at a time (xargs -P), then a post-hoc aggregation in Python (h5py,
#          numpy: count, mean, variance, min, max and the 5/25/50/75/95 % quantiles of every
#          observable at every tick and of every final, written to one HDF5 file);
#   sweep  one `mpirun -np CORES icnsim sweep --replicates R` (the same statistics, in one
#          file).
# Both use the random keys (seed, point 0, replicate r), r = 0 .. R-1, so they run the same
# replicates; the script checks that the two means agree. The two ways alternate, --reps
# times; prints each wall time, the ratio naive / sweep and the medians, and writes
# OUT/naive_compare.csv (way,rep,wall_s).
#
#   scripts/naive_compare.sh [--build DIR] [--cores N] [--replicates R] [--ticks T]
#                            [--reps K] [--config FILE] [--out DIR]
# Defaults: build, nproc, 64, the config's ticks (100), 3, bench/naive.toml, results/naive.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build=$ICN_ROOT/build
cores=$NPROC
replicates=64
ticks=""
reps=3
config=$ICN_ROOT/bench/naive.toml
out=results/naive
PY=${ICN_PYTHON:-/usr/bin/python3}
while [ $# -gt 0 ]; do
  case $1 in --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;; esac  # --opt=value
  case $1 in
    --build) build=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    --replicates) replicates=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "naive_compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
ICNSIM=${ICNSIM:-$build/icnsim}
[ -x "$ICNSIM" ] || { echo "naive_compare.sh: $ICNSIM not built" >&2; exit 2; }
"$PY" -c 'import h5py, numpy' || { echo "naive_compare.sh: $PY needs h5py and numpy" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tick_args=()
[ -n "$ticks" ] && tick_args=(--ticks "$ticks")
sweep_sets=()
[ -n "$ticks" ] && sweep_sets=(--set "run.ticks=$ticks")
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive ICNSIM

# The post-hoc aggregation a user would write: every file's series and finals into arrays,
# then the statistics over the replicates.
cat >"$work/aggregate.py" <<'PYEOF'
import glob, sys
import h5py, numpy as np
files = sorted(glob.glob(sys.argv[1] + "/run_*.h5"))
levels = [0.05, 0.25, 0.5, 0.75, 0.95]
series, finals = {}, {}
for path in files:
    with h5py.File(path, "r") as f:
        for name in f["series/observable_names"].asstr()[:]:
            series.setdefault(name, []).append(f["series/" + name][:])
        for name in f["final/final_names"].asstr()[:]:
            finals.setdefault(name, []).append(f["final/" + name][:])
with h5py.File(sys.argv[2], "w") as out:
    for group, table in (("series", series), ("final", finals)):
        for name, runs in table.items():
            x = np.stack(runs)  # [runs, ticks]
            g = out.create_group(group + "/" + name)
            g["count"] = np.full(x.shape[1], x.shape[0])
            g["mean"] = x.mean(axis=0)
            g["var"] = x.var(axis=0, ddof=1)
            g["min"] = x.min(axis=0)
            g["max"] = x.max(axis=0)
            g["quantiles"] = np.quantile(x, levels, axis=0).T
print(len(files), "runs aggregated")
PYEOF

naive() {
  rm -rf "$work/runs" && mkdir -p "$work/runs"
  seq 0 $((replicates - 1)) | xargs -P "$cores" -I{} "$ICNSIM" run "$config" "${tick_args[@]}" \
    --replicate {} -o "$work/runs/run_{}.h5" >/dev/null 2>>"$work/naive.log"
  "$PY" "$work/aggregate.py" "$work/runs" "$work/naive.h5" >/dev/null
}
sweep() {
  mpirun --oversubscribe --bind-to none -np "$cores" "$ICNSIM" sweep "$config" "${sweep_sets[@]}" \
    --replicates "$replicates" --progress-every 0 -o "$work/sweep.h5" --overwrite \
    >/dev/null 2>"$work/sweep.log" || { cat "$work/sweep.log" >&2; return 1; }
}
timed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'  # awk: in every Debian (bc is not)
}

echo "naive_compare.sh: $replicates replicates of $config${ticks:+ ($ticks ticks)} on $cores cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
csv=$out/naive_compare.csv
echo "way,rep,wall_s" >"$csv"
for rep in $(seq "$reps"); do
  if [ $((rep % 2)) -eq 1 ]; then order="naive sweep"; else order="sweep naive"; fi
  for way in $order; do
    w=$(timed "$way")
    echo "$way,$rep,$w" >>"$csv"
    printf 'rep %d %-6s %8.3f s\n' "$rep" "$way" "$w"
  done
done

# The same replicates: the two ways' means agree (to rounding: the sweep merges chunks).
"$PY" - "$work/naive.h5" "$work/sweep.h5" <<'PYEOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
worst = 0.0
for name in b["series/observable_names"].asstr()[:]:
    x, y = a["series/" + name + "/mean"][:], b["series/" + name + "/mean"][0]
    worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(1.0, np.abs(y)))))
    if a["series/" + name + "/count"][0] != b["series/" + name + "/count"][0, 0]:
        sys.exit("naive_compare.sh: different replicate counts for " + name)
print(f"same replicates: largest relative difference of the per-tick means {worst:.2e}")
sys.exit(0 if worst < 1e-9 else "naive_compare.sh: the two ways disagree")
PYEOF

awk -F, 'NR > 1 { w[$1] = w[$1] " " $3 }
  function median(s,   v, n, i, j, t) {
    n = split(s, v, " ")
    for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    mn = median(w["naive"]); ms = median(w["sweep"])
    printf "median naive %.3f s, sweep %.3f s, ratio naive / sweep %.2f\n", mn, ms, mn / ms
  }' "$csv"
echo "results: $csv"
