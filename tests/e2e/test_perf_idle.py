"""scripts/perf_idle.py on hand-made `perf script` lines with a known answer: the main
thread (lowest tid) runs `serial_part` while the worker spins in libgomp, then both run
`shared_loop`, then the worker runs `worker_tail` while the main thread spins. The shares
reported must be exactly those of the samples laid out here, and fewer than two threads
must end in a clear message."""
import os
import subprocess
import sys

SOURCE = os.environ.get("ICN_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPT = os.path.join(SOURCE, "scripts", "perf_idle.py")
PYTHON = os.environ.get("ICN_PYTHON") or sys.executable

BIN = "(/opt/bench/bench_cluster)"
GOMP = "(/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0)"


def sample(tid, t, sym, dso):
    return "%6d  %.6f:      55d80ab96e00 %s %s\n" % (tid, t, sym, dso)


def layout():
    lines = []
    t = 100.0
    for _ in range(4):  # main serial, worker waiting
        lines += [sample(500, t, "icn::serial_part", BIN), sample(501, t + 0.0001, "[unknown]", GOMP)]
        t += 0.001
    for _ in range(10):  # both busy
        lines += [sample(500, t, "icn::shared_loop", BIN), sample(501, t + 0.0001, "icn::shared_loop", BIN)]
        t += 0.001
    for _ in range(6):  # worker busy, main waiting
        lines += [sample(500, t, "[unknown]", GOMP), sample(501, t + 0.0001, "icn::worker_tail", BIN)]
        t += 0.001
    return "".join(lines)


def run(text):
    return subprocess.run([PYTHON, SCRIPT], input=text, capture_output=True, text=True)


def main():
    out = run(layout())
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # Main: 20 samples, the 4 serial ones counted; the worker: 20, its 6 alone.
    assert "main thread busy while every other thread idles: 4 of 20 samples (20.0 %)" in text, text
    assert "20.00 %  icn::serial_part" in text, text
    assert "thread 501 busy while the main thread idles: 6 of 20 samples (30.0 %)" in text, text
    assert "icn::worker_tail" in text and "shared_loop" not in text, text
    one = run(sample(500, 1.0, "icn::a", BIN))
    assert one.returncode != 0 and "at least two threads" in one.stderr, one
    print("perf_idle.py: shares as laid out")


if __name__ == "__main__":
    main()
