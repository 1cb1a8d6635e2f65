#!/usr/bin/env bash
# icnsim sweep / design / inspect end to end: more ranks than tasks, a single task, zero
# ticks, one-point designs, `run` with [ensemble], output safety, bad input under mpirun
# (exit 2, no hang), progress reporting. Every check can fail; all failures are listed.
set -u
source "$(dirname "$0")/e2e_lib.sh"
PY=${ICN_PYTHON:-/usr/bin/python3}
MPIEXEC=${ICN_MPIEXEC:-mpirun}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
mpi() { local np=$1; shift; timeout 120 "$MPIEXEC" --oversubscribe --bind-to none -np "$np" "$ICNSIM" "$@"; }
# h5check FILE PYTHON-EXPR...: each expression (with f = the open file) must be true.
h5check() {
  local file=$1; shift
  "$PY" - "$file" "$@" <<'PYEOF'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
bad = [e for e in sys.argv[2:] if not eval(e)]
for e in bad: print("  false:", e)
sys.exit(1 if bad else 0)
PYEOF
}
cfg() { printf '%b' "$2" >"$tmp/$1"; echo "$tmp/$1"; }

base='[run]\nmodel = "ishigami"\nticks = 3\n[model]\nnoise_sd = 0.7\n'

# More ranks than tasks: 4 ranks, one point x 2 replicates.
c=$(cfg few.toml "$base[ensemble]\nreplicates = 2\nchunk = 1\n")
if mpi 4 sweep "$c" -o "$tmp/few.h5" 2>"$tmp/err" >/dev/null &&
   h5check "$tmp/few.h5" 'f["runs/point"].shape == (2,)' 'f.attrs["n_ranks"] == 4' \
     'list(f["series/y/count"][0]) == [2, 2, 2, 2]' 'f["timing/busy_seconds"].shape == (4,)'; then
  ok "4 ranks, 2 tasks"
else fail "4 ranks, 2 tasks"; cat "$tmp/err"; fi

# A single task (no [design]: the [model] point), 3 ranks.
c=$(cfg one.toml "$base[ensemble]\nreplicates = 1\n")
if mpi 3 sweep "$c" -o "$tmp/one.h5" 2>"$tmp/err" >/dev/null &&
   h5check "$tmp/one.h5" 'f["design/points"].shape == (1, 0)' 'list(f["design/kind"].asstr()[:]) == ["single"]' \
     'f["final/y/count"][0] == 1' 'f["final/y/var"][0] == 0' 'f["final/y/mean"][0] == f["runs/final/y"][0]'; then
  ok "single task"
else fail "single task"; cat "$tmp/err"; fi

# Zero ticks: the series hold the initial state only.
c=$(cfg zero.toml '[run]\nmodel = "cowan-jonard"\nticks = 0\n[model]\nn_agents = 10\ndegree = 2\n[ensemble]\nreplicates = 3\n')
if mpi 2 sweep "$c" -o "$tmp/zero.h5" --keep-runs 2>"$tmp/err" >/dev/null &&
   h5check "$tmp/zero.h5" 'list(f["series/tick"][:]) == [0]' 'f["series/trades/mean"].shape == (1, 1)' \
     'f["runs/series"].shape[:2] == (3, 1)' 'f["final/total_trades/max"][0] == 0'; then
  ok "zero ticks"
else fail "zero ticks"; cat "$tmp/err"; fi

# One-point designs: a list of one point and an LHS of n = 1.
c=$(cfg list1.toml "$base[design]\nkind = \"list\"\npoints = [[0.25]]\n[[design.factors]]\nname = \"x2\"\n[ensemble]\nreplicates = 4\n")
if "$ICNSIM" sweep "$c" -o "$tmp/list1.h5" 2>"$tmp/err" >/dev/null &&
   h5check "$tmp/list1.h5" 'f["design/points"][()].tolist() == [[0.25]]' 'f["series/y/mean"].shape == (1, 4)'; then
  ok "one-point list design"
else fail "one-point list design"; cat "$tmp/err"; fi
c=$(cfg lhs1.toml "$base[design]\nkind = \"lhs\"\nn = 1\n[[design.factors]]\nname = \"x1\"\nlo = 0\nhi = 1\n")
if mpi 2 sweep "$c" -o "$tmp/lhs1.h5" 2>"$tmp/err" >/dev/null && h5check "$tmp/lhs1.h5" 'f["design/points"].shape == (1, 1)'; then
  ok "lhs n = 1"
else fail "lhs n = 1"; cat "$tmp/err"; fi

# `icnsim run` with an [ensemble] section runs the sweep.
c=$(cfg ens.toml "$base[ensemble]\nreplicates = 5\nchunk = 2\n")
if "$ICNSIM" run "$c" -o "$tmp/ens.h5" 2>"$tmp/err" >/dev/null &&
   h5check "$tmp/ens.h5" 'f.attrs["file_kind"] == "sweep"' 'f["runs/point"].shape == (5,)' 'f.attrs["chunk"] == 2'; then
  ok "run with [ensemble]"
else fail "run with [ensemble]"; cat "$tmp/err"; fi
"$ICNSIM" run "$c" -o "$tmp/ens2.h5" --csv "$tmp/x.csv" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "apply to one replicate" "$tmp/err" && ok "run --csv with [ensemble] refused" ||
  fail "run --csv with [ensemble] should be exit 2"

# Output safety: an existing file is refused (exit 2, also under mpirun, no hang).
"$ICNSIM" sweep "$c" -o "$tmp/ens.h5" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "output file exists" "$tmp/err" && ok "existing output refused" || fail "existing output not refused"
mpi 3 sweep "$c" -o "$tmp/ens.h5" 2>"$tmp/err" >/dev/null
st=$?
[ $st -eq 2 ] && [ "$(grep -c 'output file exists' "$tmp/err")" -eq 1 ] && ok "existing output refused under mpirun (once)" ||
  { fail "existing output under mpirun: status $st"; cat "$tmp/err"; }
mpi 2 sweep "$c" -o "$tmp/ens.h5" --overwrite 2>"$tmp/err" >/dev/null && ok "--overwrite replaces" || fail "--overwrite"
ls "$tmp"/*.tmp.* >/dev/null 2>&1 && fail "temporary files left behind" || ok "no temporaries left"

# Bad input under mpirun: exit 2 with file:line, key and reason, reported once.
c=$(cfg bad.toml "$base[design]\nkind = \"lhs\"\nn = 4\n[[design.factors]]\nname = \"x9\"\nlo = 0\nhi = 1\n")
mpi 2 sweep "$c" -o "$tmp/bad.h5" 2>"$tmp/err" >/dev/null
st=$?
if [ $st -eq 2 ] && grep -qF "bad.toml:10:" "$tmp/err" && grep -qF "design.factors[0].name" "$tmp/err" &&
   grep -qF "did you mean 'x1'" "$tmp/err" && [ "$(grep -c "no parameter 'x9'" "$tmp/err")" -eq 1 ] && [ ! -e "$tmp/bad.h5" ]; then
  ok "bad factor under mpirun -> 2"
else fail "bad factor under mpirun: status $st"; cat "$tmp/err"; fi
"$ICNSIM" sweep "$c" -o "$tmp/bad.h5" --omp-mode both 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && ok "bad --omp-mode -> 2" || fail "bad --omp-mode"

# A model that rejects one design point's parameters mid-run: the job ends (status 2,
# every rank stopped, no hang), naming the task; no output file.
c=$(cfg badpt.toml '[run]\nmodel = "cowan-jonard"\nticks = 2\n[model]\nn_agents = 20\n[design]\nkind = "grid"\n[[design.factors]]\nname = "degree"\nlevels = [4, 5]\n[ensemble]\nreplicates = 3\n')
mpi 3 sweep "$c" -o "$tmp/badpt.h5" 2>"$tmp/err" >/dev/null
st=$?
if [ $st -eq 2 ] && grep -q "point 1, replicate 0: key 'model.degree'" "$tmp/err" && [ ! -e "$tmp/badpt.h5" ]; then
  ok "failing design point under mpirun -> 2"
else fail "failing design point under mpirun: status $st"; cat "$tmp/err"; fi

# icnsim design prints the points as CSV, or writes them.
c=$(cfg d.toml "$base[design]\nkind = \"grid\"\n[[design.factors]]\nname = \"x1\"\nlevels = [0.0, 1.0, 2.0]\n[[design.factors]]\nname = \"x3\"\nlo = -1\nhi = 1\nn_levels = 2\n")
out=$("$ICNSIM" design "$c" 2>/dev/null)
[ "$(echo "$out" | head -1)" = "point,x1,x3" ] && [ "$(echo "$out" | wc -l)" -eq 7 ] &&
  [ "$(echo "$out" | sed -n 3p)" = "1,0,1" ] && ok "design to stdout" || { fail "design to stdout"; echo "$out"; }
"$ICNSIM" design "$c" -o "$tmp/d.csv" >/dev/null 2>&1 && [ "$(wc -l <"$tmp/d.csv")" -eq 7 ] && ok "design -o" || fail "design -o"
"$ICNSIM" design "$c" -o "$tmp/d.csv" >/dev/null 2>&1
[ $? -eq 2 ] && ok "design -o refuses an existing file" || fail "design -o overwrote"

# Progress: a final line on stderr, JSON lines ending with a final record.
c=$(cfg p.toml "$base[ensemble]\nreplicates = 6\nchunk = 2\n")
if mpi 2 sweep "$c" -o "$tmp/p.h5" --progress-json "$tmp/p.jsonl" --progress-every 0 2>"$tmp/err" >/dev/null &&
   grep -q "sweep: 6/6 tasks (100.0%)" "$tmp/err" && grep -q "busy r0 .* r1 " "$tmp/err" &&
   "$PY" -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1])]; r=L[-1]; sys.exit(0 if r["final"] and r["done"]==6 and r["total"]==6 and len(r["busy"])==2 else 1)' "$tmp/p.jsonl"; then
  ok "progress line and JSON"
else fail "progress"; cat "$tmp/err"; cat "$tmp/p.jsonl"; fi

# icnsim inspect shows provenance, the design and the per-point table.
out=$("$ICNSIM" inspect "$tmp/d.h5" 2>&1)
[ $? -ne 0 ] && ok "inspect of a missing file fails" || fail "inspect of a missing file"
"$ICNSIM" sweep "$tmp/d.toml" -o "$tmp/d.h5" >/dev/null 2>&1
out=$("$ICNSIM" inspect "$tmp/d.h5" 2>&1)
if echo "$out" | grep -q "design: grid, 6 point(s) x 2 parameter(s) (x1, x3), 1 replicate(s)" &&
   echo "$out" | grep -q "master_seed: 1" && echo "$out" | grep -qE "^ +5 +2 +1 " && echo "$out" | grep -q "y mean"; then
  ok "inspect"
else fail "inspect"; echo "$out"; fi

finish
