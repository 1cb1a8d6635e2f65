#!/usr/bin/env bash
# scripts/bench.sh and scripts/naive_compare.sh end to end, tiny: bench.sh writes one
# Google Benchmark JSON per program, every benchmark with a throughput counter (actor_steps,
# items or bytes per second), and prints its summary;
# naive_compare.sh runs both ways on 4 replicates of 3 ticks, finds the same means and
# writes its CSV; targets.py reports every target. No timing is checked.
set -u
source "$(dirname "$0")/e2e_lib.sh"
PY=${ICN_PYTHON:-/usr/bin/python3}
build=$(dirname "$ICNSIM")

programs=$(cd "$build/bench" 2>/dev/null && ls bench_* 2>/dev/null | grep -v '\.' | tr '\n' ' ')
if [ -n "$programs" ]; then
  # Every program (as the smoke tests filter them), each benchmark with a rate counter.
  if "$SRC/scripts/bench.sh" --no-build --filter='-100k|sme:10000' --min-time 0.001 \
    "$build" "$tmp/bench" >"$tmp/bench.log" 2>&1; then
    ok "bench.sh ran"
  else
    fail "bench.sh exited with status $?"; cat "$tmp/bench.log"
  fi
  # Every JSON holds benchmarks, each with a rate counter; the summary names them.
  if "$PY" - "$tmp/bench" "$tmp/bench.log" $programs <<'PYEOF'; then ok "JSON and summary"; else fail "JSON and summary"; fi
import json, os, sys
out, log, programs = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3:]
bad = 0 if programs else 1
for prog in programs:
    path = os.path.join(out, prog + ".json")
    if not os.path.isfile(path):
        print(f"no {path}"); bad += 1; continue
    runs = json.load(open(path)).get("benchmarks", [])
    if not runs:
        print(f"{path}: no benchmarks"); bad += 1
    for b in runs:
        if not any(k in b for k in ("items", "bytes", "actor_steps")):
            print(f"{path}: {b['name']} has no throughput counter"); bad += 1
        if b["name"].split("/")[0] not in log:
            print(f"summary lacks {b['name']}"); bad += 1
sys.exit(1 if bad else 0)
PYEOF
else
  echo "bench programs not built (ICN_BUILD_BENCH=OFF): bench.sh part skipped"
fi
# scripts/targets.py on tiny sizes: one line and one JSON entry per target (the default
# scenario, its memory, the large population, 2 threads over 1, cowan-jonard's two rules),
# each verdict the value against its bound; bad input is exit 2. No timing is checked.
if [ -x "$build/bench/bench_cluster" ] && [ -x "$build/bench/bench_cowan_jonard" ]; then
  if "$PY" "$SRC/scripts/targets.py" --build "$build" --reps 1 --rounds 1 --sme 400 --ticks 2 \
    --no-pin --json "$tmp/targets.json" >"$tmp/targets.log" 2>&1; then
    ok "targets.py ran"
  else
    fail "targets.py exited with status $?"; cat "$tmp/targets.log"
  fi
  if "$PY" - "$tmp/targets.json" "$tmp/targets.log" <<'PYEOF'; then ok "targets.py report"; else fail "targets.py report"; cat "$tmp/targets.log"; fi
import json, sys
report = json.load(open(sys.argv[1]))["targets"]
lines = [l for l in open(sys.argv[2]).read().splitlines() if "target" in l]
want = ["default", "memory", "large", "threads:2", "cowan:rule0", "cowan:rule1"]
bad = [t["target"] for t in report] != want or len(lines) != len(want)
for t, line in zip(report, lines):
    ok = t["value"] <= t["bound"] if t["at_most"] else t["value"] >= t["bound"]
    bad |= not (t["value"] > 0) or t["met"] != ok or (("NOT met" in line) == t["met"])
sys.exit(1 if bad else 0)
PYEOF
  "$PY" "$SRC/scripts/targets.py" --build "$build" --threads 2,1 >/dev/null 2>&1
  [ $? -eq 2 ] && ok "targets.py: --threads not starting at 1 is status 2" || fail "targets.py --threads status"
fi
"$PY" "$SRC/scripts/targets.py" --build "$tmp/no-build" >/dev/null 2>&1
[ $? -eq 2 ] && ok "targets.py: a missing build is status 2" || fail "targets.py missing build status"
"$SRC/scripts/bench.sh" --no-such-option >/dev/null 2>&1
[ $? -eq 2 ] && ok "bench.sh: unknown option is status 2" || fail "bench.sh unknown option status"

if "$SRC/scripts/naive_compare.sh" --build "$build" --cores 2 --replicates 4 --ticks 3 --reps 1 \
  --out "$tmp/naive" >"$tmp/naive.log" 2>&1; then
  ok "naive_compare.sh ran"
else
  fail "naive_compare.sh exited with status $?"; cat "$tmp/naive.log"
fi
csv=$tmp/naive/naive_compare.csv
if [ -f "$csv" ] && [ "$(head -1 "$csv")" = "way,rep,wall_s" ] &&
  [ "$(grep -c '^naive,' "$csv")" -eq 1 ] && [ "$(grep -c '^sweep,' "$csv")" -eq 1 ]; then
  ok "CSV"
else
  fail "CSV: $(cat "$csv" 2>/dev/null)"
fi
# scripts/serial_share.sh: bad input is exit 2; on a tiny population it prints the ticks'
# instructions, the serial share and a bound below p for each p (valgrind: install-deps).
"$SRC/scripts/serial_share.sh" --build "$build" --ticks 0 >"$tmp/ss.log" 2>&1
if [ $? -eq 2 ] && grep -q "positive integers" "$tmp/ss.log"; then ok "serial_share.sh: bad --ticks is exit 2"; else fail "serial_share.sh bad --ticks"; cat "$tmp/ss.log"; fi
if [ -x "$build/bench/bench_cluster" ] && command -v valgrind >/dev/null; then
  if "$SRC/scripts/serial_share.sh" --build "$build" --sme 300 --ticks 2 >"$tmp/ss.log" 2>&1 &&
    awk '/instructions in the ticks/ {head = 1}
         /Amdahl bound on/ {p = $4 + 0; b = $NF + 0; n++; if (!(b >= 1 && b <= p)) bad = 1}
         END {exit !(head && n == 4 && !bad)}' "$tmp/ss.log"; then
    ok "serial_share.sh: share and bounds"
  else
    fail "serial_share.sh output"; cat "$tmp/ss.log"
  fi
else
  echo "skip: serial_share.sh run (no bench_cluster or no valgrind)"
fi
finish
