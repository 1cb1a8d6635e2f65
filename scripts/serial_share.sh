#!/usr/bin/env bash
# The serial share of the cluster model's ticks, counted in instructions (callgrind is
# repeatable on a noisy machine, where timing two threads is not), and the bound it puts
# on the speed-up of a replicate's stages on more threads (Amdahl's law).
#
#   scripts/serial_share.sh [--build DIR] [--sme N] [--ticks T] [--threads P]
#
# Two callgrind runs of `bench_cluster --ticks N T`:
#   total  : on one thread, the instructions inside ClusterModel::step() (the ticks);
#   serial : on P threads (default 2), the instructions the main thread executes inside
#            step() but outside OpenMP parallel regions (collection is per thread;
#            GOMP_parallel toggles it off and on; the other threads never collect): the
#            inclusive cost of step(). Measured on a team, not on one thread, because on
#            one thread some steps skip the team altogether (exec/buckets.h).
# Prints total, serial, the serial share s and 1 / (s + (1 - s) / p) for p = 2, 4, 8, 16.
# Work a team does serially inside a region (a `single` section, waiting at a barrier)
# is not counted: the bound is an upper one.
set -euo pipefail

build=build
sme=99000
ticks=6
threads=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --sme) sme=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serial_share.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$sme" =~ ^[0-9]+$ && "$ticks" =~ ^[0-9]+$ && "$ticks" -gt 0 && "$threads" =~ ^[0-9]+$ && "$threads" -gt 1 ]] ||
  { echo "serial_share.sh: --sme and --ticks take positive integers, --threads an integer above 1" >&2; exit 2; }
bench="$build/bench/bench_cluster"
[[ -x "$bench" ]] || { echo "serial_share.sh: $bench: not built (cmake --build $build --target bench_cluster)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "serial_share.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step='icn::model::cluster::ClusterModel::step()'
collected() {  # instructions collected by one callgrind run: collected OUT ARGS...
  local out=$1; shift
  OMP_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/$out" "$@" 2>&1 |
    awk '/Collected :/ {print $NF}'
}
total=$(collected total --toggle-collect="$step" "$bench" --ticks "$sme" "$ticks" 1)
OMP_NUM_THREADS=$threads OMP_WAIT_POLICY=passive valgrind --tool=callgrind --callgrind-out-file="$tmp/serial" \
  --toggle-collect="$step" --toggle-collect=GOMP_parallel \
  "$bench" --ticks "$sme" "$ticks" "$threads" >/dev/null 2>&1
# awk reads to the end (no early exit: callgrind_annotate would die of SIGPIPE, and
# pipefail would make that an error whenever it had not finished writing).
serial=$(callgrind_annotate --inclusive=yes "$tmp/serial" |
  awk '/ClusterModel::step\(\)/ && !found {gsub(",", "", $1); print $1; found = 1}')
[[ -n "$total" && -n "$serial" ]] || { echo "serial_share.sh: callgrind gave no counts" >&2; exit 1; }
awk -v t="$total" -v serial="$serial" -v n="$sme" -v k="$ticks" -v p0="$threads" 'BEGIN {
  share = serial / t
  printf "bench_cluster --ticks %d %d: %.0f instructions in the ticks, %.0f serial on %d threads (%.1f %%)\n", n, k, t, serial, p0, 100 * share
  for (p = 2; p <= 16; p *= 2) printf "  Amdahl bound on %2d threads: %.2fx\n", p, 1 / (share + (1 - share) / p)
}'
