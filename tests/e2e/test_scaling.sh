#!/usr/bin/env bash
# scripts/scaling.sh end to end, tiny: at most 2 cores, 4 tasks, 3 ticks of 300 SMEs. The
# CSV must have the documented header, one row per (study, mode, layout), the 1-core row
# of each study and mode at speedup = efficiency = 1, positive wall times, speedup and
# efficiency consistent with the wall times, and the oversubscribed flag consistent with
# the host's cores. No timing is checked.
set -u
source "$(dirname "$0")/e2e_lib.sh"

if ICNSIM=$ICNSIM timeout 120 "$SRC/scripts/scaling.sh" --max-cores 2 --tasks 4 --tasks-per-core 2 \
  --ticks 3 --sme 300 --out "$tmp/out" >"$tmp/log" 2>&1; then
  ok "harness ran"
else
  fail "harness exited with status $?"
  cat "$tmp/log"
fi
csv=$tmp/out/scaling.csv
header="study,mode,ranks,threads,cores,tasks,wall_s,speedup,efficiency,oversubscribed,host_cores,steal_s"
if [ -f "$csv" ] && [ "$(head -1 "$csv")" = "$header" ]; then ok "header"; else fail "header: $(head -1 "$csv" 2>/dev/null)"; fi

# Rows: per study, the 1-core run under 3 modes + 2 ranks x 1 thread + 1 rank x 2 threads
# in replicates and inside mode = 6; two studies.
rows=$(tail -n +2 "$csv" 2>/dev/null | wc -l)
[ "$rows" -eq 12 ] && ok "12 rows" || fail "rows: $rows, expected 12"

# The host's steal, where /proc/stat has the column (Linux on any machine): seconds, >= 0.
steal_known=0
awk '$1 == "cpu" && NF >= 9 { found = 1 } END { exit !found }' /proc/stat 2>/dev/null && steal_known=1
check=$(tail -n +2 "$csv" 2>/dev/null | awk -F, -v steal_known=$steal_known '
  function bad(msg) { print "line " NR + 1 ": " msg; n++ }
  {
    if (NF != 12) bad("fields " NF)
    if ($1 != "strong" && $1 != "weak") bad("study " $1)
    if ($2 != "ranks" && $2 != "replicates" && $2 != "inside") bad("mode " $2)
    if ($5 != $3 * $4) bad("cores != ranks x threads")
    if ($5 > 2) bad("more than --max-cores")
    if (!($7 > 0)) bad("wall " $7)
    if ($2 == "ranks" && $4 != 1 ) bad("mode ranks with threads " $4)
    if ($2 != "ranks" && $5 > 1 && $4 < 2) bad("mode " $2 " with one thread")
    if ($1 == "strong" && $6 != 4) bad("strong tasks " $6)
    if ($1 == "weak" && $6 != 2 * $5) bad("weak tasks " $6 " at " $5 " cores")
    if ($10 != ($5 > $11 ? 1 : 0)) bad("oversubscribed flag")
    if (steal_known ? $12 !~ /^[0-9]+\.[0-9][0-9]$/ : $12 != "") bad("steal_s " $12)
    if ($5 == 1) {
      if ($8 != 1 || $9 != 1) bad("1-core row: speedup " $8 ", efficiency " $9)
      t1[$1] = $7
    }
    w[NR] = $7; s[NR] = $1; c[NR] = $5; sp[NR] = $8; ef[NR] = $9
  }
  END {
    for (i = 1; i <= NR; ++i) {
      base = t1[s[i]]
      want_sp = (s[i] == "strong") ? base / w[i] : c[i] * base / w[i]
      want_ef = want_sp / c[i]
      if (sp[i] - want_sp > 1e-3 || want_sp - sp[i] > 1e-3) { print "row " i ": speedup " sp[i] " != " want_sp; n++ }
      if (ef[i] - want_ef > 1e-3 || want_ef - ef[i] > 1e-3) { print "row " i ": efficiency " ef[i] " != " want_ef; n++ }
    }
    exit n > 0
  }')
if [ $? -eq 0 ] && [ "$rows" -gt 0 ]; then ok "values sane"; else fail "values: $check"; cat "$csv"; fi

# A 16-core machine's plan (--dry-run: nothing runs): in each study the 1-core base and,
# at 16 cores, 16 ranks x 1 thread, and 8x2, 4x4, 2x8, 1x16 in both OpenMP modes.
plan=$(ICNSIM=$ICNSIM timeout 60 "$SRC/scripts/scaling.sh" --max-cores 16 --dry-run 2>&1)
at16=$(awk '{ r = t = 0
  for (i = 1; i <= NF; ++i) { if ($i ~ /^ranks=/) r = substr($i, 7); if ($i ~ /^threads=/) t = substr($i, 9) }
  if (r * t == 16) n[$1]++ } END { print n["strong"] + 0, n["weak"] + 0 }' <<<"$plan")
[ "$at16" = "9 9" ] && ok "16-core plan: 9 layouts at 16 cores per study" ||
  { fail "16-core plan: $at16 layouts at 16 cores (strong weak), expected 9 9"; echo "$plan"; }

# The harness draws its plot with scripts/plot_scaling.py: a PNG that is not empty.
png=$tmp/out/scaling.png
if [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
  ok "plot written"
else
  fail "no PNG at $png"; grep -i plot "$tmp/log"
fi

# The old use still works: a bad build directory is refused with status 2.
"$SRC/scripts/scaling.sh" "$tmp/no-build" >/dev/null 2>&1
[ $? -eq 2 ] && ok "farm check: missing bench_farm is status 2" || fail "farm check status"

finish
