#!/usr/bin/python3
"""Measures the cluster model's speed and memory targets (issues 3 and 4) the way
docs/performance.md does, and prints one line per target: what it asks, what this machine
gives, and whether that meets it. A measuring tool, not a test: it exits 0 whatever the
verdicts (2 for bad arguments or a missing build, 1 when a benchmark fails or its output
cannot be read).

  scripts/targets.py [--build DIR] [--reps N] [--rounds R] [--sme N] [--ticks T]
                     [--threads 1,2] [--no-pin] [--json FILE]

Targets and how each is measured (the build's bench programs):
  default    full step >= 2e6 actor-steps/s, one thread, default scenario:
             bench_cluster BM_ClusterDefault/1, median of --reps (3), pinned to one CPU
             with taskset unless --no-pin
  memory     <= 4 KiB per actor at the default: that benchmark's bytes_per_actor
  large      >= 5e5 actor-steps/s at 1e5 actors, one thread: bench_cluster --run-times
             SME TICKS 3 THREADS (--sme 99000, --ticks 20, --threads 1,2), --rounds (3)
             rounds; the median of the rounds' one-thread rates
  threads    the second thread count >= 1.8x the first at the same size: the median of
             the rounds' speed-ups (each the median of three alternated pairs), with the
             range, and the same over the repetitions without host steal when reported
  cowan      cowan-jonard >= 5e6 agent-steps/s, 500 agents, K = 10, one thread:
             bench_cowan_jonard BM_CowanJonardStep/agents:500/K:10, median of --reps, for
             each trade rule (rule 0, all_gaps, is the default)
On a shared machine the rounds' ratios follow the hour (docs/performance.md): run it on
a quiet one, and read the ranges as well as the verdicts.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

TARGETS = {"default": 2e6, "memory": 4096.0, "large": 5e5, "threads": 1.8, "cowan": 5e6}


class Failed(Exception):
    pass


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failed(f"{' '.join(cmd)} exited with status {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc.stdout


def medians(cmd):
    """name -> the benchmark's median aggregate (its only run when not repeated)."""
    try:
        runs = json.loads(run(cmd + ["--benchmark_format=json"]))["benchmarks"]
    except (ValueError, KeyError) as e:
        raise Failed(f"{cmd[0]}: unreadable JSON ({e})")
    out = {}
    for b in runs:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        out[b.get("run_name", b["name"])] = b
    return out


def pin(args):
    if args.no_pin or not shutil.which("taskset"):
        return []
    cpus = os.sched_getaffinity(0)
    return ["taskset", "-c", str(max(cpus))]


def measure_default(args, bench):
    cmd = pin(args) + [os.path.join(bench, "bench_cluster"), "--benchmark_filter=BM_ClusterDefault/1$",
                       f"--benchmark_repetitions={args.reps}"]
    runs = medians(cmd)
    if len(runs) != 1:
        raise Failed(f"BM_ClusterDefault/1: expected one benchmark, got {sorted(runs)}")
    b = next(iter(runs.values()))
    return b["actor_steps"], b["bytes_per_actor"]


def measure_cowan(args, bench):
    cmd = pin(args) + [os.path.join(bench, "bench_cowan_jonard"),
                       "--benchmark_filter=BM_CowanJonardStep/agents:500/K:10/",
                       f"--benchmark_repetitions={args.reps}"]
    rates = {}
    for name, b in medians(cmd).items():
        rule = re.search(r"rule:(\d+)", name)
        if rule:
            rates[int(rule.group(1))] = b["actor_steps"]
    if not rates:
        raise Failed("BM_CowanJonardStep/agents:500/K:10: no benchmark ran")
    return rates


LINE = re.compile(r"^(\d+) thread\(s\):.*?median of \d+: ([\d.]+) ms per tick, ([\d.e+]+) actor-steps/s"
                  r"(?:, speed-up over the first ([\d.]+)x)?")
STEAL_FREE = re.compile(r"speed-up over the \d+ repetitions without steal ([\d.]+)x")


def measure_rounds(args, bench):
    """Per round: {threads: (rate, speed-up or None, steal-free speed-up or None)}."""
    rounds = []
    for _ in range(args.rounds):
        out = run([os.path.join(bench, "bench_cluster"), "--run-times", str(args.sme), str(args.ticks), "3",
                   args.threads])
        got, last = {}, None
        for line in out.splitlines():
            m = LINE.match(line)
            if m:
                last = int(m.group(1))
                got[last] = [float(m.group(3)), float(m.group(4)) if m.group(4) else None, None]
                continue
            s = STEAL_FREE.search(line)
            if s and last is not None:
                got[last][2] = float(s.group(1))
        if len(got) != len(args.threads.split(",")):
            raise Failed(f"bench_cluster --run-times: {len(got)} variants read, expected {args.threads}:\n{out}")
        rounds.append(got)
    return rounds


def verdict(value, target, at_most=False):
    ok = value <= target if at_most else value >= target
    return "met" if ok else "NOT met"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sme", type=int, default=99000)
    ap.add_argument("--ticks", type=int, default=20)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    if args.reps < 1 or args.rounds < 1 or args.sme < 1 or args.ticks < 1:
        ap.error("--reps, --rounds, --sme and --ticks must be positive")
    if not re.fullmatch(r"1(,\d+)+", args.threads):
        ap.error("--threads: the first count 1, then others, e.g. 1,2 or 1,2,4,8")
    bench = os.path.join(args.build, "bench")
    for prog in ("bench_cluster", "bench_cowan_jonard"):
        if not os.access(os.path.join(bench, prog), os.X_OK):
            print(f"targets.py: {os.path.join(bench, prog)} not built (cmake --build {args.build} --target bench)",
                  file=sys.stderr)
            return 2
    try:
        rate, per_actor = measure_default(args, bench)
        cowan = measure_cowan(args, bench)
        rounds = measure_rounds(args, bench)
    except Failed as e:
        print(f"targets.py: {e}", file=sys.stderr)
        return 1

    rows = [("default", "full step, default scenario, 1 thread", rate, TARGETS["default"], "actor-steps/s", ""),
            ("memory", "bytes per actor, default scenario", per_actor, TARGETS["memory"], "bytes", "")]
    one = [r[1][0] for r in rounds]
    rows.append(("large", f"full step, {args.sme} SMEs, 1 thread", statistics.median(one), TARGETS["large"],
                 "actor-steps/s", f"rounds {min(one):.3g}-{max(one):.3g}"))
    for t in [int(x) for x in args.threads.split(",")[1:]]:
        ups = [r[t][1] for r in rounds]
        free = [r[t][2] for r in rounds if r[t][2] is not None]
        note = f"rounds {min(ups):.2f}-{max(ups):.2f}"
        if free:
            note += f"; without steal {statistics.median(free):.2f} ({min(free):.2f}-{max(free):.2f})"
        rows.append((f"threads:{t}", f"{t} threads over 1, {args.sme} SMEs", statistics.median(ups),
                     TARGETS["threads"], "x", note))
    for rule in sorted(cowan):
        rows.append((f"cowan:rule{rule}", f"cowan-jonard, 500 agents, K = 10, rule {rule}", cowan[rule],
                     TARGETS["cowan"], "agent-steps/s", ""))

    report = []
    for key, what, value, target, unit, note in rows:
        at_most = key == "memory"
        word = verdict(value, target, at_most)
        print(f"{what:<44} {value:>12.4g} {unit:<14} target {'<=' if at_most else '>='} {target:<8g} "
              f"{word}{'  (' + note + ')' if note else ''}")
        report.append({"target": key, "what": what, "value": value, "unit": unit, "bound": target,
                       "at_most": at_most, "met": word == "met", "note": note})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"targets": report, "rounds": rounds, "reps": args.reps}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
