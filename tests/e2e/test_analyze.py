"""`icnsim analyze`: Sobol' indices of an Ishigami Saltelli sweep agree with the closed forms
within their bootstrap intervals; replicate noise shows up in the noise share (and in the
window statistic as the documented stand-ins predict); Morris screening of Sobol'-G ranks
the inert factors last; a failed point drops its base sample; bad input exits 2; and the
whole chain runs on an agent-based model. Reads everything back with h5py."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

ICNSIM = os.environ["ICNSIM"]
MPIEXEC = os.environ.get("ICN_MPIEXEC") or "mpirun"

# Ishigami (a = 7, b = 0.1) closed forms, Sobol' & Levitan (1999).
S1_TRUE = np.array([0.3139, 0.4424, 0.0])
ST_TRUE = np.array([0.5576, 0.4424, 0.2437])


def env():
    e = dict(os.environ, OMP_NUM_THREADS="1", OMP_WAIT_POLICY="passive")
    if os.geteuid() == 0:
        e.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return e


def icnsim(*args, expect=0):
    p = subprocess.run([ICNSIM, *args], env=env(), capture_output=True, text=True, timeout=300)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"icnsim {' '.join(args)} -> {p.returncode} (expected {expect})\n"
                             f"{p.stdout}\n{p.stderr}")
    return p


def sweep(tmp, name, text, ranks=2):
    cfg = os.path.join(tmp, name + ".toml")
    with open(cfg, "w") as f:
        f.write(text)
    out = os.path.join(tmp, name + ".h5")
    cmd = [MPIEXEC, "--oversubscribe", "--bind-to", "none", "-np", str(ranks),
           "-x", "OMP_NUM_THREADS", "-x", "OMP_WAIT_POLICY", ICNSIM, "sweep", cfg, "-o", out,
           "--progress-every", "0"]
    p = subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return out


def ishigami_config(n, replicates=1, noise_sd=0.0, ticks=0, kind="saltelli", seed=7):
    factors = "".join(f'[[design.factors]]\nname = "x{i}"\nlo = -3.141592653589793\n'
                      f'hi = 3.141592653589793\n' for i in (1, 2, 3))
    return (f'[run]\nmodel = "ishigami"\nticks = {ticks}\nseed = {seed}\n'
            f'[model]\nnoise_sd = {noise_sd}\n'
            f'[design]\nkind = "{kind}"\nn = {n}\nseed = 3\n{factors}'
            f'[ensemble]\nreplicates = {replicates}\nchunk = 4\n')


def group(path, statistic, observable):
    """The analysis group as a dict of numpy arrays plus its attributes."""
    with h5py.File(path, "r") as h:
        g = h[f"analysis/{statistic}/{observable}"]
        out = {k: g[k][()] for k in g}
        out["attrs"] = dict(g.attrs)
        out["siblings"] = sorted(h[f"analysis/{statistic}"].keys())
    return out


def check_closed_forms(a, label):
    """Each index within twice its interval's half-width (about 4 bootstrap standard errors)
    of the closed form, and the intervals narrow enough that this is a real check."""
    for name, true in (("s1", S1_TRUE), ("st", ST_TRUE)):
        est, lo, hi = a[name], a[name + "_lo"], a[name + "_hi"]
        half = (hi - lo) / 2
        assert np.all(lo <= est) and np.all(est <= hi), f"{label} {name}: {lo} {est} {hi}"
        assert np.all(half < 0.15), f"{label} {name}: intervals too wide to test anything: {half}"
        err = np.abs(est - true)
        assert np.all(err <= 2 * half + 1e-3), \
            f"{label} {name} = {est}, closed form {true}, |error| {err}, half-widths {half}"


def test_ishigami(tmp):
    out = sweep(tmp, "ishigami", ishigami_config(512))
    p = icnsim("analyze", out, "--bootstrap", "500", "--seed", "4")
    for word in ("x1", "x2", "x3", "S1", "ST", "[lo, hi]", "noise share: not estimated"):
        assert word in p.stdout, f"'{word}' missing from the table:\n{p.stdout}"
    a = group(out, "final", "y")
    check_closed_forms(a, "ishigami")
    assert [n.decode() if isinstance(n, bytes) else n for n in a["parameter_names"]] == \
        ["x1", "x2", "x3"]
    assert a["attrs"]["method"] == "sobol" and a["attrs"]["bootstrap"] == 500
    assert a["attrs"]["seed"] == 4 and a["attrs"]["statistic"] == "final"
    assert a["attrs"]["blocks_used"] == 512 and len(a["dropped_blocks"]) == 0
    assert len(a["unusable_points"]) == 0 and a["attrs"]["noise_estimated"] == 0
    # V of Ishigami is 13.845; Sobol'-sequence sampling at N = 512 lands within a few %.
    assert abs(a["attrs"]["variance"] - 13.8446) < 0.1 * 13.8446, a["attrs"]["variance"]

    # The noise-free series value at tick 0 is the same number as the final output, so its
    # indices are bit-identical; a rerun replaces the group (one child, new attributes).
    icnsim("analyze", out, "--statistic", "tick", "--tick", "0", "--observables", "y_exact",
           "--bootstrap", "500", "--seed", "4")
    t = group(out, "tick", "y_exact")
    for k in ("s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"):
        assert np.array_equal(t[k], a[k]), k
    icnsim("analyze", out, "--bootstrap", "50", "--confidence", "0.9")
    b = group(out, "final", "y")
    assert b["siblings"] == ["y"] and b["attrs"]["bootstrap"] == 50
    assert b["attrs"]["confidence"] == 0.9
    assert np.array_equal(b["s1"], a["s1"]), "point estimates do not depend on the bootstrap"
    assert np.all(b["s1_hi"] - b["s1_lo"] < a["s1_hi"] - a["s1_lo"]), "90% inside 95%"
    with h5py.File(out, "r") as h:
        assert "tick" in h["analysis"] and h["series/y"]["mean"].shape == (2560, 1)
    return out


def test_second_order(tmp):
    text = ishigami_config(256).replace("seed = 3\n", "seed = 3\nsecond_order = true\n")
    out = sweep(tmp, "ishigami_s2", text)
    p = icnsim("analyze", out, "--bootstrap", "300")
    assert "second order" in p.stdout and "x1 x x3" in p.stdout, p.stdout
    a = group(out, "final", "y")
    assert a["s2"].shape == (3, 3) and np.isnan(a["s2"][0, 0])
    # S13 = V13 / V = 0.2437; S12 = S23 = 0.
    half = (a["s2_hi"] - a["s2_lo"]) / 2
    want = {(0, 1): 0.0, (0, 2): 0.2437, (1, 2): 0.0}
    for (i, k), v in want.items():
        assert abs(a["s2"][i, k] - v) <= 2 * half[i, k] + 1e-3, (i, k, a["s2"][i, k], half[i, k])
        assert a["s2"][i, k] == a["s2"][k, i]


def test_noise(tmp):
    # Noise sd 3 with 3 replicates adds 9 / 3 = 3 to the variance of a point's mean:
    # noise share about 3 / (13.8 + 3) = 0.18, above the 0.1 warning line.
    noisy = sweep(tmp, "noisy", ishigami_config(256, replicates=3, noise_sd=3.0, ticks=4))
    quiet = sweep(tmp, "quiet", ishigami_config(256, replicates=3, noise_sd=0.0, ticks=4))
    pn = icnsim("analyze", noisy, "--bootstrap", "300")
    pq = icnsim("analyze", quiet, "--bootstrap", "300")
    n, q = group(noisy, "final", "y"), group(quiet, "final", "y")
    assert q["attrs"]["noise_estimated"] == 1 and q["attrs"]["noise_share"] == 0.0
    share = n["attrs"]["noise_share"]
    assert 0.12 < share < 0.26, share
    assert abs(n["attrs"]["within_var"] - 9.0) < 1.0, n["attrs"]["within_var"]
    assert "warning:" in pn.stdout and "more replicates" in pn.stdout, pn.stdout
    assert "warning:" not in pq.stdout, pq.stdout
    # The correction removes the noise from V: about the noise-free V, and below the
    # uncorrected V by the noise term.
    v_corr = n["attrs"]["variance"]
    icnsim("analyze", noisy, "--bootstrap", "0", "--no-noise-correction")
    raw = group(noisy, "final", "y")
    assert raw["attrs"]["noise_correction"] == 0 and np.all(np.isnan(raw["s1_lo"]))
    assert abs(raw["attrs"]["variance"] - v_corr - n["attrs"]["noise_var"]) < 1e-9 * v_corr
    assert abs(v_corr - 13.8446) < 0.15 * 13.8446, v_corr
    # ST is biased up by the noise without the correction (0.5 noise / V per factor).
    assert np.all(raw["st"] > n["st"]), (raw["st"], n["st"])

    # Window 1..4 of noise redrawn every tick: "independent" is exact, Var/4 of a tick's;
    # "correlated" is the upper bound, one tick's variance.
    icnsim("analyze", noisy, "--window", "1:4", "--window-noise", "independent",
           "--observables", "y", "--bootstrap", "0")
    ind = group(noisy, "window", "y")
    icnsim("analyze", noisy, "--window", "1:4", "--observables", "y", "--bootstrap", "0")
    cor = group(noisy, "window", "y")
    assert ind["attrs"]["window_noise"] == "independent" and cor["attrs"]["window_noise"] == "correlated"
    assert cor["attrs"]["window_first"] == 1 and cor["attrs"]["window_last"] == 4
    # Against one tick's noise (the final value's): independent is about 1/4 (exact in
    # expectation); correlated is (mean of 4 sample sds)^2, about 0.84 of it with 3
    # replicates (E s = 0.886 sigma for 2 degrees of freedom), and never below independent.
    one_tick = n["attrs"]["noise_var"]
    assert 0.22 < ind["attrs"]["noise_var"] / one_tick < 0.28, ind["attrs"]["noise_var"] / one_tick
    assert 0.75 < cor["attrs"]["noise_var"] / one_tick < 0.95, cor["attrs"]["noise_var"] / one_tick
    assert ind["attrs"]["noise_share"] < 0.5 * cor["attrs"]["noise_share"]


def test_failed_block(tmp, ishigami_file):
    # Point 17 is AB_2 of base sample 3 (blocks of D + 2 = 5 rows); all its replicates failed.
    broken = os.path.join(tmp, "broken.h5")
    shutil.copy(ishigami_file, broken)
    with h5py.File(broken, "r+") as h:
        del h["analysis"]
        h["final/y/count"][17] = 0
        h["final/y/mean"][17] = np.nan
    p = icnsim("analyze", broken, "--bootstrap", "500")
    assert "dropped base samples" in p.stdout and "17" in p.stdout, p.stdout
    a = group(broken, "final", "y")
    assert list(a["unusable_points"]) == [17] and list(a["dropped_blocks"]) == [3]
    assert a["attrs"]["blocks_used"] == 511 and a["attrs"]["blocks_total"] == 512
    check_closed_forms(a, "one block dropped")

    # Only one complete base sample: the estimator stops with a clear message, exit 2, and
    # nothing is written.
    with h5py.File(broken, "r+") as h:
        del h["analysis"]
        c = h["final/y/count"][:]
        c[5:] = 0
        h["final/y/count"][:] = c
    p = icnsim("analyze", broken, expect=2)
    assert "broken.h5" in p.stderr and "at least 2" in p.stderr, p.stderr
    with h5py.File(broken, "r") as h:
        assert "analysis" not in h


def test_morris(tmp):
    factors = "".join(f'[[design.factors]]\nname = "x{i}"\nlo = 0.0\nhi = 1.0\n'
                      for i in range(1, 9))
    text = ('[run]\nmodel = "sobol-g"\nticks = 0\nseed = 1\n'
            '[design]\nkind = "morris"\ntrajectories = 20\nmorris_levels = 4\nseed = 5\n'
            f'{factors}[ensemble]\nreplicates = 1\n')
    out = sweep(tmp, "morris", text)
    p = icnsim("analyze", out, "--bootstrap", "200")
    assert "mu*" in p.stdout and "sigma" in p.stdout, p.stdout
    m = group(out, "final", "y")
    assert m["attrs"]["method"] == "morris" and m["attrs"]["trajectories_used"] == 20
    rank = list(m["ranking"])
    # a = 0, 1, 4.5, 9 for x1..x4 and 99 for the inert x5..x8.
    assert rank[0] == 0 and set(rank[4:]) == {4, 5, 6, 7}, rank
    assert np.all(m["mu_star"][4:] < 0.1 * m["mu_star"][0]), m["mu_star"]
    assert np.all(m["mu_star_lo"] <= m["mu_star"]) and np.all(m["mu_star"] <= m["mu_star_hi"])
    assert np.all(m["sigma"] >= 0) and np.all(np.abs(m["mu"]) <= m["mu_star"] + 1e-12)


def test_bad_input(tmp, ishigami_file):
    lhs = sweep(tmp, "lhs", ishigami_config(8, kind="lhs"), ranks=1)
    p = icnsim("analyze", lhs, expect=2)
    assert "analysis needs a saltelli or morris design" in p.stderr and "lhs.h5" in p.stderr, \
        p.stderr
    missing = os.path.join(tmp, "missing.h5")
    p = icnsim("analyze", missing, expect=2)
    assert "missing.h5" in p.stderr, p.stderr
    junk = os.path.join(tmp, "junk.h5")
    with open(junk, "w") as f:
        f.write("not HDF5\n")
    p = icnsim("analyze", junk, expect=2)
    assert "junk.h5" in p.stderr, p.stderr
    p = icnsim("analyze", lhs, "--statistic", "window", expect=2)
    assert "--window" in p.stderr, p.stderr
    p = icnsim("analyze", ishigami_file, "--observables", "y,nope", expect=2)
    assert "'nope'" in p.stderr and p.stdout == "", (p.stdout, p.stderr)
    p = icnsim("analyze", ishigami_file, "--tick", "1", expect=2)
    assert "outside the series" in p.stderr, p.stderr


def test_agent_model(tmp):
    """A small Saltelli study of an agent-based model runs end to end and gives finite
    indices with intervals for an output its factors clearly drive."""
    models = icnsim("params").stdout
    if 'model "cluster"' in models:
        # Tiny populations, 5 ticks: seconds. Start capital drives the capital outputs.
        model, observable, driver = "cluster", "mean_capital", 1
        body = ('[model]\nn_sme = 40\nn_leading = 2\nn_themes = 3\nn_products = 20\n'
                'n_raw_products = 4\nn_end_products = 4\nmetrics_every = 5\n')
        factors = [("alpha0", 0.2, 0.8), ("initial_capital", 10000.0, 40000.0),
                   ("partner_cost", 50.0, 200.0), ("q_exchange", 0.5, 1.0)]
    else:
        model, observable, driver = "cowan-jonard", "mean_knowledge", 0
        body = '[model]\nn_agents = 24\ndegree = 4\ncategories = 3\n'
        factors = [("alpha", 0.2, 0.8), ("rewiring_p", 0.0, 0.5), ("q_exchange", 0.5, 1.0)]
    text = (f'[run]\nmodel = "{model}"\nticks = 5\nseed = 2\n{body}'
            '[design]\nkind = "saltelli"\nn = 16\nseed = 1\n')
    for name, lo, hi in factors:
        text += f'[[design.factors]]\nname = "{name}"\nlo = {lo}\nhi = {hi}\n'
    text += '[ensemble]\nreplicates = 2\nchunk = 2\n'
    out = sweep(tmp, "agent", text)
    icnsim("analyze", out, "--bootstrap", "200", "--window", "3:5")
    a = group(out, "window", observable)
    d = len(factors)
    for k in ("s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"):
        assert a[k].shape == (d,) and np.all(np.isfinite(a[k])), (k, a[k])
    assert np.all(a["s1_lo"] <= a["s1_hi"]) and np.all(a["st_lo"] <= a["st_hi"])
    assert a["attrs"]["noise_estimated"] == 1 and np.isfinite(a["attrs"]["noise_share"])
    assert int(np.argmax(a["st"])) == driver, (factors, a["st"])
    with h5py.File(out, "r") as h:
        n_obs = len(h["series/observable_names"])
        assert sorted(h["analysis/window"].keys()) == sorted(
            n.decode() if isinstance(n, bytes) else n for n in h["series/observable_names"][:])
    return model, n_obs


def main():
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        ishigami_file = test_ishigami(tmp)
        test_second_order(tmp)
        test_noise(tmp)
        test_failed_block(tmp, ishigami_file)
        test_morris(tmp)
        test_bad_input(tmp, ishigami_file)
        model, n_obs = test_agent_model(tmp)
    print(f"analyze OK ({time.time() - t0:.1f} s; agent model {model}, {n_obs} observables)")


if __name__ == "__main__":
    sys.exit(main())
