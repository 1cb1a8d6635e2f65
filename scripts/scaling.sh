#!/usr/bin/env bash
# Scaling of icnsim on one machine (or one node of an allocation), two uses:
#
#   scripts/scaling.sh [options]
#     The scaling harness: the real `icnsim sweep` under mpirun (cluster model, the design
#     of bench/scaling.toml) at a grid of (ranks x threads) with ranks x threads = 1, 2, 4,
#     ..., max cores (every split of each core count into ranks x threads):
#       strong  a fixed design (--tasks replicates) on more and more cores;
#       weak    a design grown with the cores (--tasks-per-core x cores replicates);
#     each core count in three modes: `ranks` (threads = 1, one rank per core),
#     `replicates` (ranks x threads, the threads run separate replicates: --omp-mode
#     replicates) and `inside` (ranks x threads, the threads share one replicate's stages:
#     --omp-mode inside). Writes OUT/scaling.csv with the header
#       study,mode,ranks,threads,cores,tasks,wall_s,speedup,efficiency,oversubscribed,host_cores
#     (wall_s: wall clock of the whole mpirun, median of --reps; speedup and efficiency
#     against the 1-core run of the same study, which is run once and listed under every
#     mode; strong: speedup = T1 / Tn, efficiency = speedup / cores; weak: efficiency =
#     T1 / Tn, speedup = cores x T1 / Tn; oversubscribed = 1 when ranks x threads is more
#     than the host's cores; steal_s: CPU seconds the hypervisor gave this machine's
#     vCPUs to other guests during the layout's runs, mean over --reps, from /proc/stat -
#     0 on bare metal, and a sign that a slow layout on a shared VM was slowed by the host;
#     empty where /proc/stat has no steal column), and OUT/scaling.png with
#     scripts/plot_scaling.py if present.
#
#   scripts/scaling.sh farm [BUILD_DIR] [REPETITIONS] [TASKS] [TASK_MS]
#   scripts/scaling.sh BUILD_DIR [REPETITIONS] [TASKS] [TASK_MS]     (the same)
#     Farm efficiency of the ensemble driver: the same TASKS (256) busy tasks of about
#     TASK_MS (50) ms run by the real task farm on 1 and on 2 ranks (bench/bench_farm
#     --farm), REPETITIONS (3) times; prints each run's figures and wall(1) / (2 wall(2)).
#
# Harness options:
#   --max-cores N        largest ranks x threads (default: SLURM_CPUS_ON_NODE in an
#                        allocation, else nproc)
#   --build DIR          build directory with icnsim (default ./build); ICNSIM=path overrides
#   --out DIR            output directory (default results/scaling)
#   --config FILE        sweep configuration (default bench/scaling.toml)
#   --ticks T            override run.ticks
#   --sme N              override model.n_sme (and n_leading = N / 100)
#   --tasks N            strong scaling: replicates of the fixed design (default 2 x max cores)
#   --tasks-per-core N   weak scaling: replicates per core (default 2)
#   --studies "S..."     strong and/or weak (default "strong weak")
#   --modes "M..."       of ranks, replicates, inside (default all three)
#   --reps R             runs per layout, the median is kept (default 1)
#   --launcher L         mpirun (default) or srun (srun --mpi=pmix, in an allocation)
#   --dry-run            print the layouts that would run, run nothing
# Environment: ICN_MPIRUN_ARGS (extra mpirun arguments), ICN_PYTHON (for the plot,
# default /usr/bin/python3).
set -euo pipefail
source "$(dirname "$0")/common.sh"

# ---- the farm efficiency check (the script's original use) ----
farm_check() {
  local build=${1:-$ICN_ROOT/build} reps=${2:-3} tasks=${3:-256} task_ms=${4:-50}
  local bench=$build/bench/bench_farm
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
    awk -v w1="$w1" -v w2="$w2" -v rep="$rep" \
      'BEGIN { printf "repetition %s: speedup %.4f, efficiency 2 vs 1 rank %.4f\n", rep, w1 / w2, w1 / (2 * w2) }'
  done
}
if [ "${1:-}" = farm ]; then
  shift
  farm_check "$@"
  exit 0
fi
if [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then  # old form: BUILD_DIR [REPS] [TASKS] [TASK_MS]
  farm_check "$@"
  exit 0
fi

# ---- the harness ----
host_cores=${SLURM_CPUS_ON_NODE:-$NPROC}
max_cores=$host_cores
build=$ICN_ROOT/build
out=results/scaling
config=$ICN_ROOT/bench/scaling.toml
ticks=""
sme=""
tasks=""
per_core=2
studies="strong weak"
modes="ranks replicates inside"
reps=1
launcher=mpirun
dry_run=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;; esac  # --opt=value
  case $1 in
    --max-cores) max_cores=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --ticks) ticks=$2; shift 2 ;;
    --sme) sme=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --tasks-per-core) per_core=$2; shift 2 ;;
    --studies) studies=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --launcher) launcher=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "scaling.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
ICNSIM=${ICNSIM:-$build/icnsim}
[ -x "$ICNSIM" ] || { echo "scaling.sh: $ICNSIM not built (cmake --build $build --target icnsim)" >&2; exit 2; }
[ -f "$config" ] || { echo "scaling.sh: no configuration $config" >&2; exit 2; }
[[ $max_cores =~ ^[1-9][0-9]*$ ]] || { echo "scaling.sh: --max-cores must be a positive integer" >&2; exit 2; }
case $launcher in mpirun | srun) ;; *) echo "scaling.sh: --launcher mpirun|srun" >&2; exit 2 ;; esac
tasks=${tasks:-$((2 * max_cores))}
mkdir -p "$out"
csv=$out/scaling.csv
raw=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$raw" "$work"' EXIT

sets=()
[ -n "$ticks" ] && sets+=(--set "run.ticks=$ticks")
if [ -n "$sme" ]; then
  sets+=(--set "model.n_sme=$sme" --set "model.n_leading=$(( sme / 100 > 0 ? sme / 100 : 1 ))")
fi

# Core counts 1, 2, 4, ... and max_cores itself.
core_counts() {
  local c=1 list=""
  while [ "$c" -lt "$max_cores" ]; do list+="$c "; c=$((c * 2)); done
  echo "$list$max_cores"
}

# The host's steal so far in seconds, summed over the vCPUs (the 8th value of /proc/stat's
# cpu line, in USER_HZ ticks); empty without one.
steal_now() {
  awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
    '$1 == "cpu" && NF >= 9 { printf "%.2f\n", $9 / hz; exit }' /proc/stat 2>/dev/null || true
}

# run_once RANKS THREADS MODE TASKS: prints the wall seconds of one sweep and the host's
# steal during it (empty if unknown).
run_once() {
  local r=$1 t=$2 mode=$3 n=$4 omp=replicates
  [ "$mode" = inside ] && omp=inside
  local t0 t1 s0 s1 status=0
  s0=$(steal_now)
  t0=$(date +%s.%N)
  if [ "$launcher" = srun ]; then
    OMP_NUM_THREADS=$t srun --mpi="${ICN_SRUN_MPI:-pmix}" --exact --ntasks="$r" \
      --cpus-per-task="$t" "$ICNSIM" sweep "$config" "${sets[@]}" --replicates "$n" \
      --threads "$t" --omp-mode "$omp" --progress-every 0 -o "$work/out.h5" --overwrite \
      >"$work/log" 2>&1 || status=$?
  else
    # The ranks are not bound (--bind-to none), so neither are their threads: with
    # OMP_PROC_BIND every rank would pin its threads to the same first cores.
    # shellcheck disable=SC2086
    env -u OMP_PROC_BIND -u OMP_PLACES OMP_NUM_THREADS="$t" OMP_WAIT_POLICY=passive \
      mpirun --oversubscribe --bind-to none -np "$r" \
      ${ICN_MPIRUN_ARGS:-} "$ICNSIM" sweep "$config" "${sets[@]}" --replicates "$n" \
      --threads "$t" --omp-mode "$omp" --progress-every 0 -o "$work/out.h5" --overwrite \
      >"$work/log" 2>&1 || status=$?
  fi
  t1=$(date +%s.%N)
  s1=$(steal_now)
  if [ "$status" -ne 0 ]; then
    echo "scaling.sh: sweep failed ($r ranks x $t threads, $mode, $n tasks):" >&2
    cat "$work/log" >&2
    exit 1
  fi
  rm -f "$work/out.h5" "$work/out.h5.ckpt"
  # awk: in every Debian (bc is not)
  awk -v a="$t0" -v b="$t1" -v s0="$s0" -v s1="$s1" \
    'BEGIN { printf "%.6f %s\n", b - a, (s0 == "" || s1 == "") ? "" : sprintf("%.2f", s1 - s0) }'
}

# measure STUDY MODE RANKS THREADS TASKS: median of reps, appended to the raw table.
measure() {
  local study=$1 mode=$2 r=$3 t=$4 n=$5 walls=() steals=() w st one
  if [ "$dry_run" = 1 ]; then
    printf '%-6s %-10s ranks=%-3s threads=%-3s tasks=%-5s%s\n' "$study" "$mode" "$r" "$t" "$n" \
      "$([ $((r * t)) -gt "$host_cores" ] && echo '  (oversubscribed)')"
    return
  fi
  for _ in $(seq "$reps"); do
    one=$(run_once "$r" "$t" "$mode" "$n")
    walls+=("${one%% *}")
    steals+=("${one#* }")
  done
  w=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  # Mean steal over the reps; empty if any rep could not read it.
  st=$(printf '%s\n' "${steals[@]}" | awk '$1 == "" { bad = 1 } { s += $1 } END { if (!bad) printf "%.2f", s / NR }')
  local cores=$((r * t)) over=0
  [ "$cores" -gt "$host_cores" ] && over=1
  printf '%-6s %-10s ranks=%-3s threads=%-3s tasks=%-5s wall=%8.3f s%s%s\n' "$study" "$mode" \
    "$r" "$t" "$n" "$w" "${st:+  host steal $st s}" "$([ "$over" = 1 ] && echo '  (oversubscribed)')"
  echo "$study,$mode,$r,$t,$cores,$n,$w,$over,$host_cores,$st" >>"$raw"
}

echo "scaling.sh: $ICNSIM sweep $config ${sets[*]}; max cores $max_cores, host cores $host_cores, launcher $launcher"
for study in $studies; do
  case $study in strong | weak) ;; *) echo "scaling.sh: unknown study $study" >&2; exit 2 ;; esac
  for c in $(core_counts); do
    n=$tasks
    [ "$study" = weak ] && n=$((per_core * c))
    if [ "$c" -eq 1 ]; then
      # The 1-core run is the same in every mode: run once, listed under each mode.
      measure "$study" base 1 1 "$n"
      continue
    fi
    for mode in $modes; do
      case $mode in
        ranks) measure "$study" ranks "$c" 1 "$n" ;;
        replicates | inside)
          for t in $(seq 2 "$c"); do  # every split of the c cores: threads divides c
            if [ $((c % t)) -eq 0 ]; then measure "$study" "$mode" $((c / t)) "$t" "$n"; fi
          done
          ;;
        *) echo "scaling.sh: unknown mode $mode" >&2; exit 2 ;;
      esac
    done
  done
done

[ "$dry_run" = 1 ] && exit 0

# Speedup and efficiency against the 1-core run of the same study.
echo "study,mode,ranks,threads,cores,tasks,wall_s,speedup,efficiency,oversubscribed,host_cores,steal_s" >"$csv"
awk -F, -v modes="$modes" '
  { row[NR] = $0; study[NR] = $1; mode[NR] = $2; cores[NR] = $5; wall[NR] = $7
    if ($2 == "base") t1[$1] = $7 }
  END {
    nm = split(modes, m, " ")
    for (i = 1; i <= NR; ++i) {
      split(row[i], f, ",")
      s = study[i]; base = t1[s]
      if (s == "strong") { sp = base / wall[i]; eff = sp / cores[i] }
      else { eff = base / wall[i]; sp = cores[i] * eff }
      if (mode[i] == "base") {
        for (k = 1; k <= nm; ++k)
          printf "%s,%s,%s,%s,%s,%s,%.4f,%.4f,%.4f,%s,%s,%s\n", s, m[k], f[3], f[4], f[5], f[6], wall[i], sp, eff, f[8], f[9], f[10]
      } else {
        printf "%s,%s,%s,%s,%s,%s,%.4f,%.4f,%.4f,%s,%s,%s\n", s, mode[i], f[3], f[4], f[5], f[6], wall[i], sp, eff, f[8], f[9], f[10]
      }
    }
  }' "$raw" >>"$csv"
echo "results: $csv"
{ command -v column >/dev/null && column -s, -t <"$csv"; } || cat "$csv"

if [ -f "$ICN_ROOT/scripts/plot_scaling.py" ]; then
  if "${ICN_PYTHON:-/usr/bin/python3}" "$ICN_ROOT/scripts/plot_scaling.py" "$csv" -o "$out/scaling.png"; then
    echo "plot: $out/scaling.png"
  else
    echo "scaling.sh: scripts/plot_scaling.py failed; the CSV is complete" >&2
  fi
fi
