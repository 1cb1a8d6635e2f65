"""Damaged results files: `icnsim inspect`, `analyze` and `merge` refuse a missing file, a
file that is not HDF5, a truncated one, one with a dataset missing and one with a dataset
of the wrong type or shape — each with exit status 2 and a message naming the file;
never a crash (a signal, an abort) or a silent result."""
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import check, exit_status, icnsim, write  # noqa: E402

CONFIG = """
[run]
model = "faulty"
ticks = 3
seed = 5
[design]
kind = "saltelli"
n = 4
[[design.factors]]
name = "x"
lo = 0.0
hi = 1.0
[ensemble]
replicates = 3
"""

def damaged(tmp, good):
    """(label, path) of damaged copies of `good`."""
    out = [("missing", os.path.join(tmp, "missing.h5"))]
    text = write(os.path.join(tmp, "text.h5"), "[run]\nmodel = 'cluster'\n")
    out.append(("not HDF5", text))
    data = open(good, "rb").read()
    for frac in (0.1, 0.5, 0.9):
        path = os.path.join(tmp, f"trunc{int(frac * 100)}.h5")
        open(path, "wb").write(data[: int(len(data) * frac)])
        out.append((f"truncated to {int(frac * 100)}%", path))
    for label, edit in [
        ("no /runs/status", lambda f: f.__delitem__("runs/status")),
        ("no /final/y", lambda f: f.__delitem__("final/y")),
        ("no /design", lambda f: f.__delitem__("design")),
        ("/final/y/mean of text", lambda f: (f.__delitem__("final/y/mean"),
                                              f.create_dataset("final/y/mean", data=np.bytes_("x")))),
        ("/final/y/count too short", lambda f: (f.__delitem__("final/y/count"),
                                                 f.create_dataset("final/y/count", data=np.zeros(2, np.int64)))),
        ("no file_kind", lambda f: f.attrs.__delitem__("file_kind")),
    ]:
        path = os.path.join(tmp, label.replace("/", "_").replace(" ", "_") + ".h5")
        shutil.copy(good, path)
        with h5py.File(path, "r+") as f:
            edit(f)
        out.append((label, path))
    return out


def refused(what, args, path):
    p = icnsim(*args, check=False)
    msg = (p.stdout + p.stderr).strip()
    ok = p.returncode == 2 and os.path.basename(path) in p.stderr and "terminate" not in msg
    check(ok, f"{what}: exit {p.returncode}: {msg[-300:]}")


def main():
    tmp = tempfile.mkdtemp(prefix="icn_damaged_")
    cfg = write(os.path.join(tmp, "s.toml"), CONFIG)
    good = os.path.join(tmp, "good.h5")
    icnsim("sweep", cfg, "-o", good, "--progress-every", "0")
    shard, shard1 = os.path.join(tmp, "shard0.h5"), os.path.join(tmp, "shard1.h5")
    icnsim("sweep", cfg, "-o", shard, "--shard", "0/2", "--progress-every", "0")
    icnsim("sweep", cfg, "-o", shard1, "--shard", "1/2", "--progress-every", "0")
    for label, path in damaged(tmp, good):
        refused(f"inspect, {label}", ["inspect", path], path)
        if label not in ("/final/y/count too short", "no /runs/status"):  # analyze reads neither
            refused(f"analyze, {label}", ["analyze", path, "--bootstrap", "0"], path)
    out = os.path.join(tmp, "merged.h5")
    for label, path in damaged(tmp, shard):
        refused(f"merge, {label}", ["merge", path, shard1, "-o", out], path)
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
