"""Every dataset and attribute that docs/output-format.md documents for sweep results is
in a results file with the documented type and shape, and the file holds nothing that the
page does not document; the same for the datasets of a run file with snapshots. The page's
tables are parsed, so the page and the writer cannot drift apart."""
import os
import re
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import icnsim, mpirun, names, write  # noqa: E402

DOC = os.path.join(os.environ.get("ICN_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")),
                   "docs", "output-format.md")

CONFIG = """
[run]
model = "cowan-jonard"
ticks = 3
[model]
n_agents = 12
degree = 2
categories = 2
[design]
kind = "morris"
trajectories = 2
morris_levels = 4
[[design.factors]]
name = "alpha"
lo = 0.1
hi = 0.9
[[design.factors]]
name = "rewiring_p"
lo = 0.0
hi = 0.5
[ensemble]
replicates = 3
chunk = 2
"""


def table(text, heading):
    """Rows (lists of cells, backticks stripped) of the first table after `heading`."""
    start = text.index(heading + "\n")
    rows = []
    for line in text[start:].splitlines()[1:]:
        if line.startswith("#"):
            break
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if set(cells[0]) <= set("-") or cells[0] in ("path", "object"):
            continue
        rows.append(cells)
    assert rows, f"no table under {heading}"
    return rows


def expand(path, f):
    """Concrete paths of a documented path with <observable> / <final> placeholders."""
    obs = names(f["series/observable_names"][:])
    fin = names(f["final/final_names"][:])
    paths = [path]
    if "<observable>" in path:
        paths = [p.replace("<observable>", o) for p in paths for o in obs]
    if "<final>" in path:
        paths = [p.replace("<final>", x) for p in paths for x in fin]
    return paths


def sizes(f):
    return {
        "n_points": f["design/points"].shape[0],
        "n_params": len(f["design/parameter_names"]),
        "n_ticks": int(f.attrs["ticks"]) + 1,
        "n_q": len(f["series/quantile_levels"]),
        "n_obs": len(f["series/observable_names"]),
        "n_finals": len(f["final/final_names"]),
        "n_runs": f["design/points"].shape[0] * int(f.attrs["replicates"]),
        "n_ranks": int(f.attrs["n_ranks"]),
    }


def shape_of(text, n):
    return tuple(int(tok) if tok.isdigit() else n[tok] for tok in text.strip("[]").replace(" ", "").split(","))


def type_ok(value, doc_type):
    if doc_type == "string":
        return isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype.kind in "OS")
    if doc_type == "int64":
        return np.asarray(value).dtype == np.int64
    if doc_type == "float64":
        return np.asarray(value).dtype == np.float64
    raise AssertionError(f"unknown documented type {doc_type}")


def present(when, kept):
    if when == "always":
        return True
    if when == "--keep-runs":
        return kept
    if when == "--shard i/n":
        return False  # this test's files are not shards (tests/e2e/test_shard_merge.py)
    if when == "under Slurm":
        return "SLURM_JOB_ID" in os.environ
    raise AssertionError(f"unknown 'when' {when}")


def undocumented(f, path, documented, errors):
    """Every dataset in the file must be one the page documents."""
    actual = []
    f.visititems(lambda name, obj: actual.append(name) if isinstance(obj, h5py.Dataset) else None)
    for p in actual:
        if p not in documented:
            errors.append(f"{path}: undocumented dataset /{p}")


def check(path, doc, kept, errors):
    with h5py.File(path, "r") as f:
        n = sizes(f)
        documented = set()
        for cells in table(doc, "### Sweep datasets"):
            dpath, dtype, shape, when = cells[0], cells[1], cells[2], cells[3]
            for p in expand(dpath.lstrip("/"), f):
                documented.add(p)
                if p not in f:
                    if present(when, kept):
                        errors.append(f"{path}: missing dataset /{p}")
                    continue
                if not present(when, kept):
                    errors.append(f"{path}: /{p} present but documented only with {when}")
                ds = f[p]
                if dtype == "string":
                    if ds.dtype.kind not in "OS":
                        errors.append(f"/{p}: type {ds.dtype}, documented string")
                elif ds.dtype != np.dtype(dtype):
                    errors.append(f"/{p}: type {ds.dtype}, documented {dtype}")
                if ds.shape != shape_of(shape, n):
                    errors.append(f"/{p}: shape {ds.shape}, documented {shape} = {shape_of(shape, n)}")
        undocumented(f, path, documented, errors)
        attr_rows = table(doc, "## Provenance (both kinds)") + table(doc, "### Sweep attributes")
        for obj, name, dtype, when in (r[:4] for r in attr_rows):
            g = f[obj]
            if name not in g.attrs:
                if present(when, kept):
                    errors.append(f"{path}: missing attribute {name} on {obj}")
                continue
            if not type_ok(g.attrs[name], dtype):
                errors.append(f"attribute {obj} {name}: {type(g.attrs[name])}, documented {dtype}")
        # Values the page promises.
        assert f.attrs["file_kind"] == "sweep"
        assert list(f["series/quantile_levels"][:]) == [0.05, 0.25, 0.5, 0.75, 0.95]
        assert list(f["series/tick"][:]) == list(range(n["n_ticks"]))
        assert names(f["design/kind"][:]) == ["morris"]
        assert f["design"].attrs["morris_levels"] == 4 and f["design"].attrs["base_n"] == 2
        assert abs(f["design"].attrs["morris_delta"] - 4 / 6) < 1e-15
        assert "[design]" in f.attrs["config"] and "[ensemble]" in f.attrs["config"]
        point = f["runs/point"][:]
        assert list(point) == [p for p in range(n["n_points"]) for _ in range(3)]
        assert list(f["runs/replicate"][:]) == [0, 1, 2] * n["n_points"]
        assert np.all(f["runs/status"][:] == 0)
        for o in names(f["series/observable_names"][:]):
            last = f["series"][o]["mean"][:, -1]
            runs_last = f["runs/last"][o][:]
            want = np.array([runs_last[point == p].mean() for p in range(n["n_points"])])
            assert np.allclose(last, want, rtol=1e-12, atol=1e-12), o


RUN_SHAPES = {"[n_ticks]", "[n_obs]", "[n_finals]", "[1]", "[actors]", "[edges]"}


def run_rows(doc):
    """(path, type, shape) of the run file table; `a/x`, `y` cells give a/x and a/y."""
    out = []
    for cells in table(doc, "## Run file (`icnsim run`)"):
        parts = [p.strip().strip("`") for p in cells[0].split(",")]
        base = parts[0].rsplit("/", 1)[0]
        for i, p in enumerate(parts):
            out.append((parts[0] if i == 0 else f"{base}/{p}", cells[1], cells[2]))
    return out


def check_run(path, doc, errors):
    """A cluster run file with snapshots: every dataset documented, every documented one present."""
    with h5py.File(path, "r") as f:
        obs, fin = names(f["series/observable_names"][:]), names(f["final/final_names"][:])
        snaps = sorted(f["snapshots"].keys())
        if snaps != ["tick_0", "tick_2", "tick_4", "tick_5"]:
            errors.append(f"{path}: snapshot groups {snaps}, expected every 2 ticks and the last")
        documented = set()
        for dpath, dtype, shape in run_rows(doc):
            if shape not in RUN_SHAPES:
                errors.append(f"run file table: unknown shape {shape} of {dpath}")
            paths = [dpath.lstrip("/")]
            for ph, values in (("<observable>", obs), ("<final>", fin), ("tick_<t>", snaps)):
                if ph in dpath:
                    paths = [p.replace(ph, v) for p in paths for v in values]
            for p in paths:
                documented.add(p)
                if p not in f:
                    errors.append(f"{path}: missing dataset /{p}")
                    continue
                ds = f[p]
                if dtype == "string":
                    ok = ds.dtype.kind in "OS"
                else:
                    ok = ds.dtype == np.dtype(dtype)
                if not ok:
                    errors.append(f"/{p}: type {ds.dtype}, documented {dtype}")
                group = p.rsplit("/", 1)[0]
                n = {"[n_ticks]": len(f["series/tick"]), "[n_obs]": len(obs), "[n_finals]": len(fin),
                     "[1]": 1}
                if p.startswith("snapshots/"):
                    n["[actors]"] = len(f[group]["ids"])
                    n["[edges]"] = len(f[group]["edge_src"])
                if shape in n and ds.shape != (n[shape],):
                    errors.append(f"/{p}: shape {ds.shape}, documented {shape} = ({n[shape]},)")
        undocumented(f, path, documented, errors)
        last = f["snapshots/tick_5"]
        if len(last["ids"]) == 0 or not np.all(np.isfinite(last["capital"][:])):
            errors.append(f"{path}: the last snapshot has no actors or a non-finite capital")


def main():
    with open(DOC) as fh:
        doc = fh.read()
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = write(os.path.join(tmp, "c.toml"), CONFIG)
        kept = os.path.join(tmp, "kept.h5")
        mpirun(2, "sweep", cfg, "-o", kept, "--keep-runs", threads=2)
        check(kept, doc, True, errors)
        plain = os.path.join(tmp, "plain.h5")
        icnsim("sweep", cfg, "-o", plain)
        check(plain, doc, False, errors)
        # The documented shape symbols resolve: n_ranks is 2 in the first file.
        with h5py.File(kept) as f:
            assert f["timing/busy_seconds"].shape == (2,)
        run = os.path.join(tmp, "run.h5")
        icnsim("run", "--ticks", "5", "--set", "model.n_sme=40",
               "--set", "model.n_leading=4", "--snapshot-every", "2", "-o", run)
        check_run(run, doc, errors)
    for e in errors:
        print("FAIL:", e)
    if errors:
        sys.exit(1)
    print("results layout: ok")


if __name__ == "__main__":
    main()
