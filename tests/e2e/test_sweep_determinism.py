"""The same sweep under ranks {1, 2, 3} x threads {1, 2} (and without mpirun) gives
bit-identical /series, /final and /runs statistics; means and variances match a two-pass
numpy computation over the kept per-replicate series; quantiles are numpy's linear rule
(exact regime, <= 256 values) or within the sketch's documented rank bound beyond."""
import math
import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import diff_results, icnsim, mpirun, names, write  # noqa: E402

ISHIGAMI = """
[run]
model = "ishigami"
ticks = 4
seed = 99
[model]
noise_sd = 1.5
[design]
kind = "lhs"
n = 5
[[design.factors]]
name = "x1"
lo = -3.0
hi = 3.0
[[design.factors]]
name = "x3"
lo = 0.5
hi = 2.0
log = true
[ensemble]
replicates = 7
chunk = 3
"""

COWAN_JONARD = """
[run]
model = "cowan-jonard"
ticks = 6
seed = 5
[model]
n_agents = 24
degree = 4
categories = 3
[design]
kind = "grid"
[[design.factors]]
name = "alpha"
levels = [0.2, 0.8]
[[design.factors]]
name = "n_agents"
levels = [16, 24]
[ensemble]
replicates = 5
chunk = 2
"""


def check_bit_identical(tmp, name, text):
    cfg = write(os.path.join(tmp, name + ".toml"), text)
    ref = os.path.join(tmp, name + "_serial.h5")
    icnsim("sweep", cfg, "-o", ref, "--keep-runs")
    failures = []
    for ranks in (1, 2, 3):
        for threads in (1, 2):
            out = os.path.join(tmp, f"{name}_{ranks}x{threads}.h5")
            mpirun(ranks, "sweep", cfg, "-o", out, "--keep-runs", threads=threads)
            with h5py.File(out, "r") as h:
                assert h.attrs["n_ranks"] == ranks and h.attrs["n_threads"] == threads
                assert set(h["runs/rank"][:]) <= set(range(ranks))
            d = diff_results(ref, out)
            if d:
                failures.append(f"{name} {ranks} ranks x {threads} threads differs in {d}")
    # The OpenMP modes must not matter either.
    for mode in ("inside", "replicates"):
        out = os.path.join(tmp, f"{name}_{mode}.h5")
        mpirun(2, "sweep", cfg, "-o", out, "--keep-runs", "--omp-mode", mode, threads=2)
        d = diff_results(ref, out)
        if d:
            failures.append(f"{name} --omp-mode {mode} differs in {d}")
    return ref, failures


def check_against_numpy(path):
    with h5py.File(path, "r") as h:
        obs = names(h["series/observable_names"][:])
        levels = h["series/quantile_levels"][:]
        series = h["runs/series"][:]  # [runs, ticks, obs]
        point = h["runs/point"][:]
        n_points = h["design/points"].shape[0]
        for k, o in enumerate(obs):
            g = h["series"][o]
            for p in range(n_points):
                x = series[point == p, :, k]  # [replicates, ticks]
                mean = x.mean(axis=0)
                var = x.var(axis=0, ddof=1)
                assert np.all(g["count"][p] == x.shape[0])
                assert np.allclose(g["mean"][p], mean, rtol=1e-12, atol=1e-12 * np.abs(mean).max()), (o, p)
                # Constant values: numpy's own var is off by rounding (~1e-32), ours is 0.
                scale = max(float(np.abs(x).max()) ** 2, 1e-300)
                assert np.allclose(g["var"][p], var, rtol=1e-12, atol=1e-12 * scale), (o, p)
                assert np.array_equal(g["min"][p], x.min(axis=0)) and np.array_equal(g["max"][p], x.max(axis=0))
                want_q = np.quantile(x, levels, axis=0).T  # exact regime: numpy's linear rule
                assert np.allclose(g["quantiles"][p], want_q, rtol=1e-12, atol=1e-12), (o, p)
        fin = names(h["final/final_names"][:])
        for f in fin:
            col = h["runs/final"][f][:]
            for p in range(n_points):
                v = col[point == p]
                assert math.isclose(h["final"][f]["mean"][p], v.mean(), rel_tol=1e-12, abs_tol=1e-12)
                assert math.isclose(h["final"][f]["var"][p], v.var(ddof=1), rel_tol=1e-12,
                                    abs_tol=1e-12 * max(float(np.abs(v).max()) ** 2, 1e-300))


def check_sketch_beyond_exact(tmp):
    """600 replicates of one point: above the sketch's exact capacity (k = 256), each
    quantile's true rank is within the documented bound (n/k)(1 + log2(n/k))."""
    cfg = write(os.path.join(tmp, "many.toml"),
                '[run]\nmodel = "ishigami"\nticks = 0\n[model]\nnoise_sd = 1.0\n'
                '[ensemble]\nreplicates = 600\nchunk = 50\n')
    out = os.path.join(tmp, "many.h5")
    mpirun(2, "sweep", cfg, "-o", out)
    with h5py.File(out, "r") as h:
        x = np.sort(h["runs/final/y"][:])
        n = len(x)
        bound = (n / 256) * (1 + math.log2(n / 256))
        for q, est in zip(h["series/quantile_levels"][:], h["final/y/quantiles"][0]):
            lo = np.searchsorted(x, est, side="left")
            hi = np.searchsorted(x, est, side="right")
            target = q * (n - 1)
            err = 0 if lo <= target <= hi else min(abs(lo - target), abs(hi - target))
            assert err <= bound + 1, f"q={q}: rank error {err} > bound {bound}"


def main():
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        ref, f = check_bit_identical(tmp, "ishigami", ISHIGAMI)
        failures += f
        check_against_numpy(ref)
        ref, f = check_bit_identical(tmp, "cowan_jonard", COWAN_JONARD)
        failures += f
        check_against_numpy(ref)
        check_sketch_beyond_exact(tmp)
    for msg in failures:
        print("FAIL:", msg)
    if failures:
        sys.exit(1)
    print("sweep determinism: ok")


if __name__ == "__main__":
    main()
