#!/usr/bin/env bash
# Submits every sbatch template in jobs/ to a private single-node Slurm
# (scripts/slurm-local.sh up, fresh SLURM_LOCAL_DIR) with tiny configs and checks: each job
# completes and its results file is a sweep file (h5py); the job array's shards merged by
# the dependent merge job equal a single job bit for bit; the requeue template, hit by
# USR1, checkpoints, requeues itself, resumes and ends with the uninterrupted statistics.
# The daemons are stopped on exit, also on failure. Skipped (exit 0, "SKIPPED:") where a
# local Slurm cannot start: not root, or the Slurm packages are missing and cannot be had.
set -uo pipefail
: "${ICNSIM:?}" "${ICN_SOURCE_DIR:?}"
PY=${ICN_PYTHON:-/usr/bin/python3}
skip() { echo "SKIPPED: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "a local Slurm needs root (slurm-local.sh runs munged and slurmd)"
command -v slurmctld >/dev/null || [ -x /usr/sbin/slurmctld ] || skip "slurmctld is not installed (scripts/slurm-local.sh up installs it with apt-get)"

# slurm-local.sh uses the fixed ports 6817/6818: another local Slurm (a concurrent test
# run) would answer in place of ours.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy 6817 || port_busy 6818; then skip "Slurm's ports 6817/6818 are in use (another local Slurm is running)"; fi

export SLURM_LOCAL_DIR=$(mktemp -d /tmp/icn-slurm-test.XXXXXX)
work=$(mktemp -d /tmp/icn-slurm-work.XXXXXX)
down() {
  SLURM_LOCAL_INSTALL=0 "$ICN_SOURCE_DIR/scripts/slurm-local.sh" down >/dev/null 2>&1 || true
  rm -rf "$work" "$SLURM_LOCAL_DIR"
}
trap down EXIT
t_start=$SECONDS
if ! SLURM_LOCAL_INSTALL=0 "$ICN_SOURCE_DIR/scripts/slurm-local.sh" up >"$work/up.log" 2>&1; then
  cat "$work/up.log"
  grep -q "address already in use\|Address already in use" "$SLURM_LOCAL_DIR"/log/*.log 2>/dev/null &&
    skip "Slurm's ports are taken (another local Slurm is running)"
  echo "FAIL: slurm-local.sh up"; exit 1
fi
export SLURM_CONF=$SLURM_LOCAL_DIR/etc/slurm.conf
echo "slurm up in $((SECONDS - t_start)) s"
export ICNSIM OMP_WAIT_POLICY=passive
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
jobs=$ICN_SOURCE_DIR/jobs
cd "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >tiny.toml <<'TOML'
[run]
model = "ishigami"
ticks = 3
seed = 17
[design]
kind = "lhs"
n = 6
[[design.factors]]
name = "x1"
lo = -3.0
hi = 3.0
[[design.factors]]
name = "x2"
lo = -3.0
hi = 3.0
[ensemble]
replicates = 6
chunk = 2
TOML
# Long enough to be interrupted: cowan-jonard, more ticks and replicates.
cat >long.toml <<'TOML'
[run]
model = "cowan-jonard"
ticks = 1000
seed = 3
[model]
n_agents = 200
[design]
kind = "grid"
[[design.factors]]
name = "alpha"
levels = [0.2, 0.5, 0.8, 0.9]
[ensemble]
replicates = 160
chunk = 2
TOML

# Waits for job $1 to end; prints its final state. A terminal state must hold for 2 s
# (a requeue passes through transient states) and an empty answer 5 times in a row.
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
wait_job() {
  local t0=$SECONDS state empty=0
  while ((SECONDS - t0 <= ${2:-120})); do
    state=$(job_state "$1")
    case $state in
      COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY)
        sleep 2
        [ "$(job_state "$1")" = "$state" ] && { echo "$state"; return; } ;;
      "") empty=$((empty + 1)); [ $empty -ge 5 ] && { echo GONE; return; } ;;
      *) empty=0 ;;
    esac
    sleep 0.5
  done
  echo "TIMEOUT_WAITING($state)"
}
submit() { sbatch --parsable --chdir="$work" "$@" | cut -d';' -f1; }
check_file() {  # results file looks like a sweep file with $2 points
  "$PY" - "$1" "$2" <<'PYCHK' || fail "$1: output-format check"
import sys, h5py, numpy as np
path, n = sys.argv[1], int(sys.argv[2])
with h5py.File(path, "r") as f:
    assert f.attrs["file_kind"] in ("sweep", b"sweep"), f.attrs["file_kind"]
    assert f.attrs["n_points"] == n and f["design/points"].shape[0] == n
    assert "slurm_job_id" in f.attrs, "no Slurm provenance"
    for o in f["series/observable_names"][:]:
        g = f["series"][o.decode()]
        assert g["mean"].shape == (n, f.attrs["ticks"] + 1)
        assert (g["count"][:] == f.attrs["replicates"]).all()
    assert len(f["runs/point"]) == n * f.attrs["replicates"]
PYCHK
}
same_stats() {  # every /series, /final, /design and /runs value (schedule-free) equal
  "$PY" - "$1" "$2" <<PYCMP || fail "$3: $1 and $2 differ"
import sys
sys.path.insert(0, "$ICN_SOURCE_DIR/tests/e2e")
from sweep_helpers import diff_results
d = diff_results(sys.argv[1], sys.argv[2])
assert not d, d
PYCMP
}

# Reference: one plain run of each config outside Slurm.
OMP_NUM_THREADS=1 "$ICNSIM" sweep tiny.toml -o ref-tiny.h5 >/dev/null 2>&1 || fail "reference tiny"

# 1, 2: single node (2 ranks x 1 thread, srun --mpi=pmix) and multi-node (1 node here).
j1=$(submit --ntasks=2 --cpus-per-task=1 --time=5 "$jobs/sweep-single-node.sbatch" tiny.toml -o single.h5)
j2=$(submit --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=5 "$jobs/sweep-multi-node.sbatch" tiny.toml -o multi.h5)
# 3: array of 3 shards + dependent merge.
out=$(SBATCH_ARGS="--time=5 --chdir=$work --cpus-per-task=1" "$jobs/submit-array.sh" 3 tiny.toml merged.h5)
echo "$out"
ja=$(sed -n 's/^array job \([0-9]*\).*/\1/p' <<<"$out")
jm=$(sed -n 's/.*merge job \([0-9]*\).*/\1/p' <<<"$out")

for j in "$j1" "$j2" "$ja" "$jm"; do
  s=$(wait_job "$j" 120)
  [ "$s" = COMPLETED ] || { fail "job $j ended $s"; cat "$work"/*"$j"*.out 2>/dev/null | tail -20; }
done
check_file single.h5 6 && same_stats ref-tiny.h5 single.h5 "single-node template"
check_file multi.h5 6 && same_stats ref-tiny.h5 multi.h5 "multi-node template"
check_file merged.h5 6 && same_stats ref-tiny.h5 merged.h5 "array + merge"
ls "icnsim-shards-$ja"/shard-{0,1,2}.h5 >/dev/null || fail "shard files not named by SLURM_ARRAY_JOB_ID"
"$PY" -c "
import h5py, sys
with h5py.File('icnsim-shards-$ja/shard-1.h5') as f:
    assert f.attrs['slurm_array_job_id'] == '$ja' and f.attrs['slurm_array_task_id'] == '1', dict(f.attrs)
" || fail "array ids in the shard's provenance"
echo "templates 1-3 done at $((SECONDS - t_start)) s"

# 5: scaling job (threads 1, one node), without the farm benchmark unless built; the
# node-level harness (scripts/scaling.sh) on a tiny design.
j5=$(ICN_THREADS="1" ICN_NODES=1 ICN_BUILD_DIR=/nonexistent \
  ICN_HARNESS_ARGS="--studies strong --tasks 2 --ticks 2 --sme 200" submit --nodes=1 \
  --ntasks-per-node=2 --cpus-per-task=1 --time=5 "$jobs/scaling.sbatch" tiny.toml)
s=$(wait_job "$j5" 120)
[ "$s" = COMPLETED ] && grep -q '^1,2,1,' "scaling-$j5.csv" || { fail "scaling job $j5: $s"; tail -20 ./*"$j5"*.out; }
head -1 "scaling-$j5/scaling.csv" 2>/dev/null | grep -q '^study,mode,ranks,threads,cores,' &&
  [ "$(grep -c '^strong,' "scaling-$j5/scaling.csv")" -ge 3 ] ||
  { fail "scaling job $j5: no harness CSV"; tail -20 ./*"$j5"*.out; }

# 4: requeue on USR1, only if --resume exists.
if "$ICNSIM" sweep --help 2>&1 | grep -q -- "--resume"; then
  OMP_NUM_THREADS=1 "$ICNSIM" sweep long.toml -o ref-long.h5 >/dev/null 2>&1 || fail "reference long"
  j4=$(ICN_MAX_RESTARTS=3 submit --ntasks=2 --cpus-per-task=1 --time=10 "$jobs/sweep-requeue.sbatch" long.toml long.h5)
  # Wait until the step runs, then send USR1 to the batch shell as --signal=B:USR1 would.
  t0=$SECONDS
  until grep -q "start 1" "icnsim-long-$j4.out" 2>/dev/null && sleep 2; do
    ((SECONDS - t0 > 60)) && break; sleep 0.5
  done
  scancel --batch --signal=USR1 "$j4"
  # The requeued job waits (BeginTime); skip the delay once it is pending again.
  t0=$SECONDS
  while ((SECONDS - t0 < 60)); do
    st=$(job_state "$j4")
    restarts=$(scontrol show job "$j4" | sed -n 's/.*Restarts=\([0-9]*\).*/\1/p')
    if [ "${restarts:-0}" -ge 1 ] && [ "$st" = PENDING ]; then
      # Starting it again while the node still cleans up the first run can fail the job:
      # wait for the node to be idle first (this is what the requeue delay is for).
      until sinfo -h -o '%T' | grep -qx idle; do ((SECONDS - t0 > 60)) && break; sleep 0.5; done
      sleep 1
      scontrol update JobId="$j4" StartTime=now
      break
    fi
    [ "$st" = COMPLETED ] && break
    sleep 0.5
  done
  s=$(wait_job "$j4" 150)
  [ "$s" = COMPLETED ] || fail "requeue job $j4 ended $s"
  grep -q "requeueing" "icnsim-long-$j4.out" || fail "requeue job $j4 did not requeue"
  grep -q "start 2 .*--resume" "icnsim-long-$j4.out" || fail "requeue job $j4 did not resume"
  check_file long.h5 4 && same_stats ref-long.h5 long.h5 "requeued sweep"
  grep -E "^job|USR1|requeue|done|interrupted|resum" "icnsim-long-$j4.out" | sed 's/^/  | /'
  [ "$failures" = 0 ] || cat "icnsim-long-$j4.out"
else
  echo "requeue template not tested: this icnsim has no --resume"
fi

echo "slurm test: $failures failure(s) in $((SECONDS - t_start)) s"
[ "$failures" = 0 ]
