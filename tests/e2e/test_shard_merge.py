"""`icnsim sweep --shard i/n` then `icnsim merge` gives a file whose design, statistics
and per-run values equal a single job's bit for bit (ishigami and cowan-jonard, shards
run with different rank and thread counts, merged in shuffled order); merge refuses a
missing shard, a shard given twice, shards of another config, and a non-shard file
(exit status 2 with a clear message). No Slurm needed."""
import os
import sys
import tempfile

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import diff_results, icnsim, mpirun, write  # noqa: E402

ISHIGAMI = """
[run]
model = "ishigami"
ticks = 3
seed = 41
[model]
noise_sd = 1.0
[design]
kind = "lhs"
n = 7
[[design.factors]]
name = "x1"
lo = -3.0
hi = 3.0
[[design.factors]]
name = "x2"
lo = -3.0
hi = 3.0
[ensemble]
replicates = 9
chunk = 4
"""

COWAN_JONARD = """
[run]
model = "cowan-jonard"
ticks = 5
seed = 8
[model]
n_agents = 20
degree = 4
categories = 3
[design]
kind = "grid"
[[design.factors]]
name = "alpha"
levels = [0.2, 0.5, 0.8]
[ensemble]
replicates = 5
chunk = 2
"""

failures = []


def expect_error(what, args, needle):
    p = icnsim(*args, check=False)
    if p.returncode != 2 or needle not in p.stderr:
        failures.append(f"{what}: wanted status 2 with '{needle}', got {p.returncode}: {p.stderr}")


def check(tmp, name, text, n_shards):
    cfg = write(os.path.join(tmp, name + ".toml"), text)
    single = os.path.join(tmp, name + "-single.h5")
    icnsim("sweep", cfg, "-o", single, "--keep-runs")
    shards = []
    for i in range(n_shards):
        out = os.path.join(tmp, f"{name}-shard-{i}.h5")
        args = ("sweep", cfg, "--shard", f"{i}/{n_shards}", "-o", out, "--keep-runs")
        if i % 2:
            mpirun(2, *args, threads=1)
        else:
            icnsim(*args, threads=2)
        shards.append(out)
    with h5py.File(shards[1], "r") as f:
        if f.attrs["shard_index"] != 1 or f.attrs["shard_count"] != n_shards:
            failures.append(f"{name}: shard attributes {dict(f.attrs)}")
        with h5py.File(single, "r") as s:
            if f.attrs["design_n_points"] != s.attrs["n_points"]:
                failures.append(f"{name}: design_n_points")
            first = f.attrs["shard_first_point"]
            n = f.attrs["n_points"]
            if not (f["runs/point"][:] >= first).all() or not (f["runs/point"][:] < first + n).all():
                failures.append(f"{name}: shard /runs/point not global")
    merged = os.path.join(tmp, name + "-merged.h5")
    icnsim("merge", *reversed(shards), "-o", merged)
    diffs = diff_results(single, merged)
    if diffs:
        failures.append(f"{name}: merged differs from single job in {diffs}")
    with h5py.File(merged, "r") as f:
        if "shard_count" in f.attrs:
            failures.append(f"{name}: merged file still marked as a shard")
    return cfg, single, shards


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cfg, single, shards = check(tmp, "ishigami", ISHIGAMI, 3)
        check(tmp, "cowan_jonard", COWAN_JONARD, 3)
        out = os.path.join(tmp, "bad.h5")
        expect_error("missing shard", ["merge", shards[0], shards[2], "-o", out], "in no shard")
        expect_error("missing last shard", ["merge", shards[0], shards[1], "-o", out], "in no shard")
        expect_error("duplicate shard", ["merge", *shards, shards[1], "-o", out], "in both")
        expect_error("not a shard", ["merge", single, "-o", out], "not a shard file")
        expect_error("no such file", ["merge", os.path.join(tmp, "nope.h5"), "-o", out], "no such file")
        other = os.path.join(tmp, "other.h5")
        icnsim("sweep", cfg, "--set", "run.seed=42", "--shard", "1/3", "-o", other)
        expect_error("other config", ["merge", shards[0], other, shards[2], "-o", out], "not shards of the same sweep")
        if os.path.exists(out):
            failures.append("a refused merge left its output behind")
        expect_error("bad --shard", ["sweep", cfg, "--shard", "3/3", "-o", out], "--shard")
        # 7 points over 8 shards: shard 0 is floor(0 * 7 / 8) .. floor(7 / 8) = empty.
        expect_error("empty shard", ["sweep", cfg, "--shard", "0/8", "-o", out], "no design points")
        if os.path.exists(out):
            failures.append("a refused sweep left its output behind")
    for msg in failures:
        print("FAIL:", msg)
    if failures:
        sys.exit(1)
    print("shard + merge: ok")


main()
