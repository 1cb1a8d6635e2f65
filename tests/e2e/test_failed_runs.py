"""Failed runs (docs/sweeps.md, "Failed runs") with the real executable under mpirun and
the `faulty` diagnostic model: runs that fail are retried, recorded in /runs with status,
attempts and message, left out of the statistics (count, mean), counted in the file and
on stderr, bit-identically on any rank count; the Saltelli base samples they leave
incomplete are named by the sweep and dropped by analyze; a transient failure is cured
by a retry and leaves the statistics of a healthy sweep; a slow run times out; the job
never dies for them (exit 0)."""
import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import check, diff_results, exit_status, icnsim, mpirun, same_bits, write  # noqa: E402

CONFIG = """
[run]
model = "faulty"
ticks = 5
seed = 11
[model]
fail_x = 0.8
fail_fraction = 0.2
[design]
kind = "saltelli"
n = 8
[[design.factors]]
name = "x"
lo = 0.0
hi = 1.0
[ensemble]
replicates = 10
chunk = 4
"""

def main():
    tmp = tempfile.mkdtemp(prefix="icn_failed_")
    cfg = write(os.path.join(tmp, "faulty.toml"), CONFIG)
    a = os.path.join(tmp, "a.h5")
    p = mpirun(3, "sweep", cfg, "-o", a, "--progress-every", "0")
    b = os.path.join(tmp, "b.h5")
    icnsim("sweep", cfg, "-o", b, "--progress-every", "0", threads=2)
    check(diff_results(a, b) == [], "3 ranks and 1 rank x 2 threads: bit-identical, failures included")

    with h5py.File(a, "r") as f:
        x = f["design/points"][:, 0]
        runs = f["runs"]
        point, status, attempts = runs["point"][:], runs["status"][:], runs["attempts"][:]
        message = [m.decode() if isinstance(m, bytes) else m for m in runs["message"][:]]
        y = runs["final/y"][:]
        count, mean = f["final/y/count"][:], f["final/y/mean"][:]
        n_failed = int(f.attrs["runs_failed"])
        retries = int(f.attrs["retries"])
    failed = status != 0
    check(n_failed == int(failed.sum()) and n_failed > 0, f"runs_failed = {n_failed} = rows with a failed status")
    check(retries == 1, "the file records the retries (default 1)")
    check(set(status[failed]) == {1}, "every failure is a model error (status 1)")
    check(np.all(attempts[failed] == 2) and np.all(attempts[~failed] == 1),
          "failed runs were tried twice, the others once")
    check(all("faulty: the chosen failure at tick 1" in message[i] for i in np.flatnonzero(failed))
          and all(message[i] == "" for i in np.flatnonzero(~failed)), "messages say why, only for failures")
    check(np.all(np.isnan(y[failed])), "a failed run's finals are NaN")
    check(np.all(failed[x[point] >= 0.8]), "every run at x >= fail_x failed")
    ok_counts = np.bincount(point[~failed], minlength=len(x))
    check(np.array_equal(count, ok_counts), "count per point = its successful runs")
    means = np.array([y[(point == i) & ~failed].mean() if ok_counts[i] else np.nan for i in range(len(x))])
    check(np.allclose(mean, means, rtol=0, atol=1e-12, equal_nan=True), "means over successful runs only")

    block = 3  # saltelli, one factor: A, AB_1, B
    empty = sorted({int(i) // block for i in range(len(x)) if ok_counts[i] == 0})
    check("run(s) failed after up to 1 retry(ies)" in p.stderr and f"{n_failed} of {len(status)}" in p.stderr,
          "the sweep says how many runs failed")
    check("Saltelli base samples with a point that has no successful run (icnsim analyze drops them): "
          + ", ".join(map(str, empty)) in p.stderr, f"the sweep names the emptied base samples {empty}")
    r = icnsim("analyze", a, "--bootstrap", "0")
    check("dropped base samples (a point without a usable replicate): " + ", ".join(map(str, empty))
          in r.stdout, "analyze drops the same base samples")
    r = icnsim("inspect", a)
    check(f"({len(status) - n_failed} ok, {n_failed} failed: error)" in r.stdout, "inspect counts the failures")

    # A transient failure: the retry succeeds with the same random numbers.
    healthy = os.path.join(tmp, "healthy.h5")
    mpirun(2, "sweep", cfg, "-o", healthy, "--set", "model.fail_x=2", "--set", "model.fail_fraction=0",
           "--progress-every", "0")
    cured = os.path.join(tmp, "cured.h5")
    mpirun(3, "sweep", cfg, "-o", cured, "--set", "model.transient=1", "--progress-every", "0")
    with h5py.File(cured, "r") as f, h5py.File(healthy, "r") as g:
        check(int(f.attrs["runs_failed"]) == 0, "transient failures: none left after one retry")
        check(int((f["runs/attempts"][:] == 2).sum()) == n_failed, "as many runs retried as failed before")
        check(all(same_bits(f[f"final/y/{s}"][()], g[f"final/y/{s}"][()]) and
                  same_bits(f[f"series/y/{s}"][()], g[f"series/y/{s}"][()])
                  for s in ("count", "mean", "var", "min", "max", "quantiles")),
              "cured statistics are bit-identical to a healthy sweep's")
    once = os.path.join(tmp, "once.h5")
    mpirun(2, "sweep", cfg, "-o", once, "--set", "model.transient=1", "--retries", "0",
           "--progress-every", "0")
    with h5py.File(once, "r") as f:
        check(int(f.attrs["runs_failed"]) == n_failed, "--retries 0: the transient failures stay")

    # Timeouts: slow ticks at the failing points, checked after every tick.
    slow = os.path.join(tmp, "slow.h5")
    p = mpirun(2, "sweep", cfg, "-o", slow, "--set", "model.failure=\"slow\"", "--set",
               "model.slow_seconds=0.3", "--set", "model.fail_fraction=0", "--replicates", "2",
               "--task-timeout", "0.2", "--retries", "0", "--progress-every", "0")
    with h5py.File(slow, "r") as f:
        st, pt = f["runs/status"][:], f["runs/point"][:]
        xs = f["design/points"][:, 0]
        check(np.array_equal(st == 3, xs[pt] >= 0.8), "exactly the slow runs timed out (status 3)")
        check(float(f.attrs["task_timeout_seconds"]) == 0.2, "the file records the timeout")
        msgs = [m.decode() if isinstance(m, bytes) else m for m in f["runs/message"][:]]
        check(all("timed out after tick 1 of 5" in msgs[i] for i in np.flatnonzero(st == 3)),
              "the message says when it timed out")

    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
