"""Shared helpers of the sweep end-to-end tests (not a test itself): run icnsim with and
without mpirun, read every dataset of a results file, compare datasets bit for bit."""
import os
import subprocess

import h5py
import numpy as np

ICNSIM = os.environ["ICNSIM"]
MPIEXEC = os.environ.get("ICN_MPIEXEC", "mpirun")

# /runs columns that depend on who ran what and how fast.
SCHEDULE_DEPENDENT = {"runs/wall_seconds", "runs/rank"}


def env(threads=1):
    e = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive")
    if os.geteuid() == 0:
        e.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    return e


def icnsim(*args, threads=1, check=True):
    """Runs icnsim without mpirun; returns the CompletedProcess."""
    p = subprocess.run([ICNSIM, *args], env=env(threads), capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"icnsim {' '.join(args)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def mpirun(ranks, *args, threads=1, check=True):
    """Runs icnsim under mpirun with `ranks` ranks of `threads` OpenMP threads."""
    cmd = [MPIEXEC, "--oversubscribe", "--bind-to", "none", "-np", str(ranks),
           "-x", "OMP_NUM_THREADS", "-x", "OMP_WAIT_POLICY", ICNSIM, *args]
    p = subprocess.run(cmd, env=env(threads), capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def datasets(path):
    """Every dataset of an HDF5 file by path, as numpy arrays."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return out


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a.view(np.uint64 if a.itemsize == 8 else np.uint32),
                              b.view(np.uint64 if b.itemsize == 8 else np.uint32))
    return np.array_equal(a, b)


def diff_results(ref_path, other_path):
    """Names of the datasets whose bits differ (schedule-dependent ones skipped)."""
    ref, other = datasets(ref_path), datasets(other_path)
    diffs = sorted(set(ref) ^ set(other))
    for name in sorted(set(ref) & set(other)):
        if name in SCHEDULE_DEPENDENT or name.startswith("timing/"):
            continue
        if not same_bits(ref[name], other[name]):
            diffs.append(name)
    return diffs


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def names(ds):
    return [n.decode() if isinstance(n, bytes) else n for n in ds]


# A test's checks: check() prints each outcome and remembers the failures; exit_status()
# prints the count and gives the process status.
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def exit_status():
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0
