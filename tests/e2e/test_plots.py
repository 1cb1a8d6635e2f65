"""The plot scripts (scripts/plot_*.py) on small results files made here with the real
icnsim: a cluster run with network snapshots and a shock, a grid sweep, a Saltelli sweep
of Ishigami and a Morris sweep of the cluster model (both analysed), and a hand-written
scaling CSV. Each script must write a PNG of exactly figsize x dpi pixels that is not
blank (pixel variance and coloured pixels above a floor); the shared helpers give known
answers (shock onsets from the stored configuration, stage runs, torus edge pieces); and a
file that lacks what a script needs ends in exit 2 with one line naming the file and the
dataset, never a traceback."""
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.dont_write_bytecode = True  # importing the helpers and scripts leaves no __pycache__ behind
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import check, exit_status, icnsim, write  # noqa: E402

SOURCE = os.environ.get("ICN_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCRIPTS = os.path.join(SOURCE, "scripts")
PYTHON = os.environ.get("ICN_PYTHON") or sys.executable
sys.path.insert(0, SCRIPTS)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402

SMALL = '[model]\nn_sme = 60\nn_leading = 4\n'
SHOCK = ('[[model.shocks]]\ntype = "demand"\nonset = 20\nduration = 10\nmagnitude = 0.5\n'
         'shape = "step"\n')
RUN = '[run]\nmodel = "cluster"\nticks = 60\nseed = 3\n' + SMALL + SHOCK
GRID = ('[run]\nmodel = "cluster"\nticks = 30\nseed = 4\n' + SMALL
        + '[design]\nkind = "grid"\n'
        + '[[design.factors]]\nname = "alpha0"\nlo = 0.1\nhi = 0.9\nn_levels = 3\n'
        + '[[design.factors]]\nname = "w_geo"\nlo = 0.0\nhi = 1.0\nn_levels = 2\n'
        + '[ensemble]\nreplicates = 3\nchunk = 3\n')
SALTELLI = ('[run]\nmodel = "ishigami"\nticks = 0\nseed = 5\n[design]\nkind = "saltelli"\nn = 64\n'
            'second_order = true\n'
            + "".join(f'[[design.factors]]\nname = "x{i}"\nlo = -3.141592653589793\nhi = 3.141592653589793\n'
                      for i in (1, 2, 3))
            + '[ensemble]\nreplicates = 1\n')
MORRIS = ('[run]\nmodel = "cluster"\nticks = 10\nseed = 6\n' + SMALL
          + '[design]\nkind = "morris"\ntrajectories = 3\nmorris_levels = 4\n'
          + '[[design.factors]]\nname = "alpha0"\nlo = 0.1\nhi = 0.9\n'
          + '[[design.factors]]\nname = "w_geo"\nlo = 0.0\nhi = 1.0\n'
          + '[ensemble]\nreplicates = 2\nchunk = 2\n')
SCALING = """study,mode,ranks,threads,cores,tasks,wall_s,speedup,efficiency,oversubscribed,host_cores
strong,replicates,1,1,1,32,10.0,1.0,1.0,0,2
strong,replicates,1,2,2,32,5.3,1.887,0.943,0,2
strong,replicates,1,4,4,32,5.1,1.961,0.490,1,2
strong,ranks,1,1,1,32,10.2,1.0,1.0,0,2
strong,ranks,2,1,2,32,5.6,1.821,0.911,0,2
weak,inside,1,1,1,8,3.0,1.0,1.0,0,2
weak,inside,1,2,2,16,3.4,1.765,0.882,0,2
"""

# Size of every test figure: 6.4 x 4.0 inches at 50 dpi = 320 x 200 pixels.
FIG = ["--figsize", "6.4,4", "--dpi", "50"]
WIDTH, HEIGHT = 320, 200
# At this size an empty white figure has pixel variance 0 and no coloured pixel; empty
# axes with a title and labels have a variance of 0.006 and none coloured; the scripts'
# figures have 0.013 or more and 0.5 % or more coloured pixels.
VARIANCE_FLOOR = 0.009
COLOURED_FLOOR = 0.002  # share of pixels whose channels differ by more than 0.15


def script(name, *args):
    return subprocess.run([PYTHON, os.path.join(SCRIPTS, name), *args], capture_output=True, text=True,
                          timeout=120)


def png_ok(path, what, width=WIDTH, height=HEIGHT):
    if not check(os.path.isfile(path), f"{what}: {os.path.basename(path)} written"):
        return False
    img = mpimg.imread(path)[:, :, :3]
    check(img.shape[:2] == (height, width), f"{what}: {img.shape[1]}x{img.shape[0]} pixels, expected {width}x{height}")
    var = float(img.var())
    coloured = float(np.mean(img.max(axis=2) - img.min(axis=2) > 0.15))
    check(var > VARIANCE_FLOOR, f"{what}: pixel variance {var:.4f} > {VARIANCE_FLOOR}")
    check(coloured > COLOURED_FLOOR, f"{what}: coloured pixels {coloured:.4f} > {COLOURED_FLOOR}")
    return True


def draws(name, out, *args, what=None):
    what = what or f"{name} {' '.join(a for a in args if not a.startswith('/'))}"
    p = script(name, *args, "-o", out, *FIG)
    if not check(p.returncode == 0, f"{what}: exit 0 (got {p.returncode}: {p.stderr.strip()[-400:]})"):
        return p
    check(p.stdout.strip().splitlines()[-1] == out, f"{what}: prints the path it wrote")
    png_ok(out, what)
    return p


def refuses(name, args, words, what):
    """The script exits 2 with one line on stderr holding `words`, and no traceback."""
    p = script(name, *args)
    err = p.stderr.strip()
    check(p.returncode == 2, f"{what}: exit 2 (got {p.returncode})")
    check("Traceback" not in p.stderr and len(err.splitlines()) == 1, f"{what}: one line, no traceback: {err[:300]}")
    for w in words:
        check(w in err, f"{what}: message names '{w}'")


def copy_without(src, dst, *paths):
    """A copy of the HDF5 file `src` without the objects `paths`."""
    with h5py.File(src, "r") as a, h5py.File(dst, "w") as b:
        for k, v in a.attrs.items():
            b.attrs[k] = v
        for k in a:
            a.copy(k, b)
        for p in paths:
            del b[p]
    return dst


def main():
    import icnplot as ip
    import plot_network
    import plot_trajectories

    with tempfile.TemporaryDirectory() as tmp:
        j = lambda *p: os.path.join(tmp, *p)  # noqa: E731
        run = j("run.h5")
        icnsim("run", write(j("run.toml"), RUN), "-o", run, "--snapshot-every", "30")
        grid = j("grid.h5")
        icnsim("sweep", write(j("grid.toml"), GRID), "-o", grid, "--progress-every", "0", threads=2)
        sal = j("saltelli.h5")
        icnsim("sweep", write(j("sal.toml"), SALTELLI), "-o", sal, "--progress-every", "0", threads=2)
        icnsim("analyze", sal, "--bootstrap", "100")
        mor = j("morris.h5")
        icnsim("sweep", write(j("mor.toml"), MORRIS), "-o", mor, "--progress-every", "0", threads=2)
        icnsim("analyze", mor, "--observables", "final_firms,mean_sales")
        csv = write(j("scaling.csv"), SCALING)

        # Known answers of the shared helpers.
        res = ip.Results(run)
        shocks = res.shocks()
        check([(s["type"], s["onset"], s["duration"]) for s in shocks] == [("demand", 20.0, 10.0)],
              f"the stored configuration's shock: {shocks}")
        res.close()
        # Without the configured shock, its onset comes from the shock_demand observable.
        bare = copy_without(run, j("bare.h5"))
        with h5py.File(bare, "r+") as f:
            cfg = f.attrs["config"]
            f.attrs["config"] = re.sub(r"(?m)^shocks = .*$", 'shocks = ""', cfg)
            check(f.attrs["config"] != cfg, "the stored configuration has a shocks line")
        res = ip.Results(bare)
        marks = plot_trajectories.shock_marks(res, res.observables(), [0])
        check(marks == [(20.0, "demand", None)], f"shock onset from the observable: {marks}")
        res.close()
        segs = ip.stage_segments(np.array([-1, -1, 1, 1, 1, 2]), np.arange(6))
        check(segs == [(0, 1, -1), (2, 4, 1), (5, 5, 2)], f"stage runs {segs}")
        x, y = np.array([0.05, 0.95, 0.5]), np.array([0.5, 0.5, 0.5])
        pieces, wrapped = plot_network.torus_segments(x, y, np.array([0, 0]), np.array([1, 2]))
        ends = sorted(round(float(s[1][0]), 6) for s in pieces)
        check(wrapped == 1 and len(pieces) == 3 and ends == [-0.05, 0.5, 1.05],
              f"torus edges: one straight, one wrapping edge in two pieces leaving the square ({ends})")

        # Each script draws.
        draws("plot_trajectories.py", j("t_run.png"), run, "firms", "total_sales", "shock_demand", "lifecycle_stage",
              what="trajectories of a run (shock, stages)")
        draws("plot_trajectories.py", j("t_grid.png"), grid, "firms", "total_sales", what="trajectories of 6 grid points")
        draws("plot_trajectories.py", j("t_two.png"), grid, "total_sales", "--points", "5,0", "--logy",
              what="trajectories of a subset of points")
        draws("plot_trajectories.py", j("t_with.png"), grid, "firms", "--points", "1", "--with", run,
              "--with", grid + ":4", what="trajectories of a sweep point with a run and another point")
        p = script("plot_trajectories.py", grid, "firms", "lifecycle_stage", "--outdir", j("dir"), *FIG)
        check(p.returncode == 0, f"trajectories --outdir: exit 0 ({p.stderr.strip()[-300:]})")
        for name in ("firms", "lifecycle_stage"):
            png_ok(j("dir", f"{name}.png"), f"trajectories --outdir {name}.png")
        draws("plot_compare.py", j("c_line.png"), grid, "final_firms", "--x", "alpha0", what="compare: line")
        draws("plot_compare.py", j("c_median.png"), grid, "firms", "--x", "w_geo", "--median", "--tick", "20",
              what="compare: median of an observable at a tick")
        draws("plot_compare.py", j("c_heat.png"), grid, "total_sales", "--x", "alpha0", "--y", "w_geo",
              what="compare: heat map")
        draws("plot_sensitivity.py", j("s_sobol.png"), sal, what="sensitivity: Sobol' bars")
        draws("plot_sensitivity.py", j("s_s2.png"), sal, "y", "--s2", what="sensitivity: Sobol' S2 matrix")
        draws("plot_sensitivity.py", j("s_morris.png"), mor, "final_firms", "mean_sales", what="sensitivity: Morris")
        draws("plot_network.py", j("n.png"), run, what="network, last snapshot")
        draws("plot_network.py", j("n30.png"), run, "--tick", "30", "--edges", "business,partnership",
              what="network at tick 30, two edge kinds")
        old = copy_without(run, j("old.h5"), "snapshots/tick_60/capital")
        p = draws("plot_network.py", j("n_old.png"), old, what="network without capital")
        check("no capital" in p.stderr, "network without capital: says the markers are of one size")
        draws("plot_scaling.py", j("sc.png"), csv, what="scaling")
        for name in ("trajectories", "compare", "sensitivity", "network", "scaling"):
            p = script(f"plot_{name}.py", "--help")
            check(p.returncode == 0 and "usage:" in p.stdout, f"plot_{name}.py --help")

        # Clear errors.
        refuses("plot_trajectories.py", [j("missing.h5")], ["missing.h5", "no such file"], "missing file")
        refuses("plot_trajectories.py", [copy_without(run, j("nofirms.h5"), "series/firms"), "firms"],
                ["nofirms.h5", "/series/firms"], "run file lacking /series/firms")
        refuses("plot_trajectories.py", [grid, "no_such_observable"], ["no observable 'no_such_observable'"],
                "unknown observable")
        refuses("plot_trajectories.py", [copy_without(grid, j("noq.h5"), "series/firms/quantiles"), "firms"],
                ["noq.h5", "/series/firms/quantiles"], "sweep file lacking quantiles")
        refuses("plot_trajectories.py", [grid, "firms", "--with", j("nofirms.h5")], ["nofirms.h5", "/series/firms"],
                "--with a file lacking the observable")
        refuses("plot_compare.py", [copy_without(grid, j("nopts.h5"), "design/points"), "final_firms"],
                ["nopts.h5", "/design/points"], "sweep file lacking /design/points")
        refuses("plot_compare.py", [grid, "final_firms", "--x", "nope"], ["--x", "nope", "alpha0"], "unknown parameter")
        refuses("plot_sensitivity.py", [grid], ["grid.h5", "/analysis", "icnsim analyze"], "file without /analysis")
        refuses("plot_sensitivity.py", [copy_without(sal, j("nos1.h5"), "analysis/final/y/s1")],
                ["nos1.h5", "/analysis/final/y/s1"], "analysis lacking s1")
        refuses("plot_sensitivity.py", [mor, "--s2"], ["--s2", "morris.h5", "Morris"], "--s2 of a Morris file")
        refuses("plot_network.py", [grid], ["grid.h5", "/snapshots", "--snapshot-every"], "file without snapshots")
        refuses("plot_network.py", [copy_without(run, j("nox.h5"), "snapshots/tick_60/x")],
                ["nox.h5", "/snapshots/tick_60/x"], "snapshot lacking x")
        refuses("plot_scaling.py", [write(j("bad.csv"), "study,mode,cores\nstrong,ranks,1\n")],
                ["bad.csv", "speedup"], "CSV lacking columns")
        refuses("plot_trajectories.py", [csv], ["scaling.csv", "HDF5"], "a CSV given as results file")
    return exit_status()


if __name__ == "__main__":
    sys.exit(main())
