#!/usr/bin/python3
"""Where a team of OpenMP threads waits for one of its members, from wall-clock samples.

Reads `perf script -F tid,time,ip,sym,dso` output of a `perf record -e cpu-clock` run (the
wall-clock event works on virtual machines without hardware counters). A thread counts as
idle at a moment when its samples just before and just after it are in libgomp (spinning
at a barrier or waiting for work). Prints the share of the main thread's samples taken
while every other thread was idle - its serial parts and the loops where it had the most
work - and the share of the other threads' samples taken while the main thread was idle,
each with the functions they were in. Example (docs/performance.md, tenth session):

  perf record -e cpu-clock -F 4000 --delay 1400 -o /tmp/perf.data \\
      build/bench/bench_cluster --ticks 99000 41 2
  perf script -i /tmp/perf.data -F tid,time,ip,sym,dso | /usr/bin/python3 scripts/perf_idle.py
"""
import bisect
import collections
import re
import sys

LINE = re.compile(r"\s*(\d+)\s+([\d.]+):\s+\S+\s+(.*)\s+\((.*)\)\s*$")


def read(stream):
    """Samples per thread id: (time, symbol, in libgomp)."""
    threads = collections.defaultdict(list)
    for line in stream:
        m = LINE.match(line)
        if m:
            threads[int(m[1])].append((float(m[2]), m[3].strip(), "libgomp" in m[4]))
    return threads


def idle_at(samples, times, t):
    """Whether the samples of one thread on both sides of time t are in libgomp."""
    i = bisect.bisect_left(times, t)
    near = [samples[j] for j in (i - 1, i) if 0 <= j < len(samples)]
    return bool(near) and all(s[2] for s in near)


def report(title, own, others, top):
    times = [[s[0] for s in o] for o in others]
    where = collections.Counter()
    for t, sym, gomp in own:
        if not gomp and all(idle_at(o, ts, t) for o, ts in zip(others, times)):
            where[sym] += 1
    total = len(own)
    print("%s: %d of %d samples (%.1f %%)" % (title, sum(where.values()), total,
                                             100.0 * sum(where.values()) / max(total, 1)))
    for sym, n in where.most_common(top):
        print("  %6.2f %%  %s" % (100.0 * n / total, sym[:110]))


def main():
    threads = read(sys.stdin)
    if len(threads) < 2:
        sys.exit("perf_idle.py: samples of at least two threads are needed")
    main_tid = min(threads)  # the process's first thread
    workers = [threads[t] for t in sorted(threads) if t != main_tid]
    report("main thread busy while every other thread idles", threads[main_tid], workers, 20)
    for tid in sorted(threads):
        if tid != main_tid:
            report("thread %d busy while the main thread idles" % tid, threads[tid],
                   [threads[main_tid]], 10)


if __name__ == "__main__":
    main()
