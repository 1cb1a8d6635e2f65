#!/usr/bin/env bash
# The serial share of the cluster model's ticks, counted in instructions (callgrind is
# repeatable on a noisy machine, where timing two threads is not), and the bound it puts
# on the speed-up of a replicate's stages on more threads (Amdahl's law).
#
#   scripts/serial_share.sh [--build DIR] [--sme N] [--ticks T]
#
# Three callgrind runs of `bench_cluster --ticks N T` on one thread:
#   total  : instructions inside ClusterModel::step() (the ticks);
#   serial : the same, with collection switched off inside every OpenMP parallel region
#            (GOMP_parallel toggles it) ...
#   setup  : ... minus what that toggle collects when no tick runs (the parallel regions
#            of the set-up, which the toggle switched on).
# Prints total, serial = serial - setup, the serial share s and 1 / (s + (1 - s) / p) for
# p = 2, 4, 8, 16.
set -euo pipefail

build=build
sme=99000
ticks=6
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --sme) sme=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serial_share.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$sme" =~ ^[0-9]+$ && "$ticks" =~ ^[0-9]+$ && "$ticks" -gt 0 ]] ||
  { echo "serial_share.sh: --sme and --ticks take positive integers" >&2; exit 2; }
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
with_setup=$(collected serial --toggle-collect="$step" --toggle-collect=GOMP_parallel \
  "$bench" --ticks "$sme" "$ticks" 1)
setup=$(collected setup --toggle-collect="$step" --toggle-collect=GOMP_parallel \
  "$bench" --ticks "$sme" 0 1)
awk -v t="$total" -v w="$with_setup" -v s0="$setup" -v n="$sme" -v k="$ticks" 'BEGIN {
  serial = w - s0; share = serial / t
  printf "bench_cluster --ticks %d %d: %.0f instructions in the ticks, %.0f serial (%.1f %%)\n", n, k, t, serial, 100 * share
  for (p = 2; p <= 16; p *= 2) printf "  Amdahl bound on %2d threads: %.2fx\n", p, 1 / (share + (1 - share) / p)
}'
