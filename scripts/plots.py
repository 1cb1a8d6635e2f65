#!/usr/bin/python3
"""Draws the per-tick observables of an icnsim results file (sweep or single run).

usage: plots.py RESULTS.h5 OUTDIR [--observables a,b,...] [--point P]

For a sweep file each panel shows the mean over replicates with the 5-95 % and 25-75 %
quantile bands of one design point; for a run file, the replicate's series. Needs Debian's
python3-h5py, python3-numpy and python3-matplotlib (/usr/bin/python3).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DEFAULT = ["firms", "total_sales", "partnerships", "networks", "knowledge_stock",
           "knowledge_diversity", "net_clustering", "net_giant_share", "herfindahl"]


def names(ds):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in ds[:]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("outdir")
    ap.add_argument("--observables", default="")
    ap.add_argument("--point", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    with h5py.File(a.results, "r") as h:
        kind = h.attrs["file_kind"]
        available = names(h["series/observable_names"])
        wanted = [o for o in (a.observables.split(",") if a.observables else DEFAULT) if o in available]
        if not wanted:
            wanted = available[:9]
        ticks = h["series/tick"][:]
        cols = 3
        rows = (len(wanted) + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
        for ax, obs in zip(axes.flat, wanted):
            if kind == "sweep":
                g = h["series"][obs]
                q = g["quantiles"][a.point]  # [n_ticks, n_q]
                ax.fill_between(ticks, q[:, 0], q[:, 4], alpha=0.2, color="C0", label="5-95 %")
                ax.fill_between(ticks, q[:, 1], q[:, 3], alpha=0.35, color="C0", label="25-75 %")
                ax.plot(ticks, g["mean"][a.point], color="C0", lw=1.2, label="mean")
            else:
                ax.plot(ticks, h["series"][obs][:], color="C0", lw=1.2)
            ax.set_title(obs, fontsize=9)
            ax.set_xlabel("tick", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[len(wanted):]:
            ax.axis("off")
        if kind == "sweep":
            axes.flat[0].legend(fontsize=7)
            reps = int(h.attrs["replicates"])
            fig.suptitle(f"{h.attrs['model']}: point {a.point}, {reps} replicates", fontsize=10)
        else:
            fig.suptitle(f"{h.attrs['model']}: one replicate, seed {h.attrs['master_seed']}", fontsize=10)
        fig.tight_layout()
        out = os.path.join(a.outdir, os.path.splitext(os.path.basename(a.results))[0] + ".png")
        fig.savefig(out, dpi=110)
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
