"""Interrupted sweeps resume to the same results (issue 6).

- SIGTERM (serial) and SIGUSR1 (to mpirun, which forwards it) and SIGTERM to every rank
  (as Slurm sends it): exit 3 within the documented bound (the replicates running, plus the
  checkpoint), then --resume at another rank/thread count gives bit-identical statistics;
- kill -9 of the whole mpirun at random moments, resumed (sometimes at another rank count)
  until done: bit-identical statistics;
- --deadline: exit 3 in time, resumable;
- a truncated or corrupted checkpoint, one of another configuration, and a new sweep over
  an unfinished sweep's checkpoint are refused with exit 2 and a message naming the file.
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helpers import ICNSIM, MPIEXEC, check, diff_results, env, exit_status, icnsim, write  # noqa: E402

# About 0.1 s per replicate: long enough to interrupt, short enough for a test.
CONFIG = """
[run]
model = "cowan-jonard"
ticks = 1000
seed = 5
[model]
n_agents = 300
[design]
kind = "lhs"
n = 6
[[design.factors]]
name = "rewiring_p"
lo = 0.0
hi = 0.9
[[design.factors]]
name = "alpha"
lo = 0.2
hi = 0.8
[ensemble]
replicates = 8
chunk = 2
progress_every = 0.0
"""
TASKS = 48
# A stop must end within one tick plus the checkpoint write (running replicates are
# abandoned); the slack covers a loaded test machine and mpirun's own exit.
STOP_BOUND_S = 10.0

def sweep_cmd(ranks, out, *extra):
    base = [ICNSIM, "sweep", CFG, "-o", out, *extra]
    if ranks == 0:
        return base
    return [MPIEXEC, "--oversubscribe", "--bind-to", "none", "-np", str(ranks),
            "-x", "OMP_NUM_THREADS", "-x", "OMP_WAIT_POLICY", *base]


def start(ranks, out, *extra, threads=1):
    return subprocess.Popen(sweep_cmd(ranks, out, *extra), env=env(threads), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def finish(p, timeout=300):
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out + err


def run(ranks, out, *extra, threads=1):
    return finish(start(ranks, out, *extra, threads=threads))


def ranks_of(p):
    """Pids of the icnsim processes under mpirun `p` (its children)."""
    r = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True)
    return [int(x) for x in r.stdout.split()]


def handles(pid, sig):
    """Whether process `pid` has installed a handler for `sig` (bit sig-1 of SigCgt)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return (int(line.split()[1], 16) >> (sig - 1)) & 1 == 1
    except OSError:
        pass
    return False


def wait_armed(p, ranks, timeout=60):
    """Waits until every icnsim process of `p` catches the stop signals. Under load a
    process can take seconds to start; a signal sent before that kills it outright."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        pids = [p.pid] if ranks == 0 else ranks_of(p)
        if len(pids) == max(ranks, 1) and all(
                handles(pid, s) for pid in pids
                for s in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1)):
            return
        time.sleep(0.02)
    raise AssertionError(f"the sweep's {max(ranks, 1)} process(es) never armed their signal handlers")


def wait_for(path, timeout=60):
    t0 = time.time()
    while not os.path.exists(path) and time.time() - t0 < timeout:
        time.sleep(0.05)
    return os.path.exists(path)


def resume_until_done(out, ranks_choices, rng):
    """Resumes `out` (or starts it when no checkpoint exists) until it completes."""
    for _ in range(20):
        extra = ["--resume"] if os.path.exists(out + ".ckpt") else ["--overwrite"]
        ranks = rng.choice(ranks_choices)
        code, log = run(ranks, out, *extra)
        print(f"   {' '.join(extra)} on {ranks} rank(s) -> exit {code}", flush=True)
        if code == 0:
            return True
        if code != 3:
            print(log)
            return False
    return False


def stop_and_resume(label, ranks, deliver, resume_ranks, resume_threads):
    out = os.path.join(TMP, label + ".h5")
    p = start(ranks, out, "--checkpoint-every", "0.3", threads=1)
    wait_armed(p, ranks)
    time.sleep(0.2 * REF_SECONDS)  # a fraction of the run, however fast this machine is
    t0 = time.time()
    deliver(p)
    code, log = finish(p)
    took = time.time() - t0
    check(code == 3, f"{label}: stopped with exit 3 (got {code}){'' if code == 3 else log}")
    check(took < STOP_BOUND_S, f"{label}: stopped {took:.2f} s after the signal (bound {STOP_BOUND_S} s)")
    check("--resume" in log, f"{label}: the message says how to resume")
    check(os.path.exists(out + ".ckpt") and not os.path.exists(out), f"{label}: checkpoint, no results")
    code, log = run(resume_ranks, out, "--resume", threads=resume_threads)
    check(code == 0, f"{label}: resumed on {resume_ranks} rank(s) x {resume_threads} thread(s) (exit {code}){'' if code == 0 else log}")
    check(not os.path.exists(out + ".ckpt"), f"{label}: checkpoint removed after the results were written")
    diffs = diff_results(REF, out) if os.path.exists(out) else ["<no results>"]
    check(diffs == [], f"{label}: bit-identical to the uninterrupted run {diffs}")


def sigterm_rank0(p):
    os.kill(p.pid, signal.SIGTERM)


def sigusr1_mpirun(p):
    os.kill(p.pid, signal.SIGUSR1)  # mpirun forwards SIGUSR1 to every rank


def sigterm_every_rank(p):
    for pid in ranks_of(p):  # as Slurm does; mpirun itself would SIGKILL after 1 s
        os.kill(pid, signal.SIGTERM)


def refused(args, *patterns):
    p = icnsim(*args, check=False)
    ok = p.returncode == 2 and all(s in p.stderr for s in patterns)
    check(ok, f"icnsim {' '.join(args[-3:])} refused with exit 2 and {patterns}" +
          ("" if ok else f": exit {p.returncode}, {p.stderr}"))


with tempfile.TemporaryDirectory() as TMP:
    CFG = write(os.path.join(TMP, "sweep.toml"), CONFIG)
    REF = os.path.join(TMP, "ref.h5")
    t0 = time.time()
    code, log = run(0, REF)
    assert code == 0, log
    REF_SECONDS = time.time() - t0
    print(f"reference: {TASKS} tasks in {REF_SECONDS:.1f} s", flush=True)

    stop_and_resume("sigterm", 0, sigterm_rank0, 2, 1)
    stop_and_resume("sigusr1_mpirun", 2, sigusr1_mpirun, 0, 2)
    stop_and_resume("sigterm_ranks", 3, sigterm_every_rank, 1, 1)

    # Long replicates (about 20 s each) do not delay a stop: they are abandoned at a tick.
    CFG_LONG = write(os.path.join(TMP, "long.toml"), CONFIG.replace("ticks = 1000", "ticks = 200000"))
    out = os.path.join(TMP, "long.h5")
    p = subprocess.Popen([ICNSIM, "sweep", CFG_LONG, "-o", out], env=env(2), text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    wait_armed(p, 0)
    time.sleep(1.0)
    t0 = time.time()
    p.send_signal(signal.SIGTERM)
    code, log = finish(p)
    took = time.time() - t0
    check(code == 3 and "after 0 of 48 tasks" in log and took < 5.0,
          f"long replicates: abandoned, exit 3 {took:.2f} s after SIGTERM (got {code}: {log.strip()[-150:]})")

    # `icnsim run` of a configuration with [ensemble] runs the sweep: it resumes the same way.
    out = os.path.join(TMP, "run_ensemble.h5")

    def icnsim_run(*extra):
        return subprocess.Popen([ICNSIM, "run", CFG, "-o", out, *extra], env=env(1), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    p = icnsim_run()
    wait_armed(p, 0)
    time.sleep(0.2 * REF_SECONDS)
    os.kill(p.pid, signal.SIGINT)
    code, log = finish(p)
    check(code == 3 and "--resume" in log, f"icnsim run [ensemble]: SIGINT stops it with exit 3 (got {code})")
    code, log = finish(icnsim_run())
    check(code == 2 and "--resume" in log, f"icnsim run [ensemble]: a rerun without --resume is refused (got {code})")
    code, log = finish(icnsim_run("--resume"))
    check(code == 0 and os.path.exists(out) and diff_results(REF, out) == [],
          f"icnsim run --resume: completes bit-identical to the sweep (exit {code}){'' if code == 0 else log}")

    # kill -9 of everything at random moments, checkpoints every 0.2 s, then resumes.
    rng = random.Random(6)
    for trial in range(3):
        out = os.path.join(TMP, f"kill9_{trial}.h5")
        p = start(rng.choice([1, 2, 3]), out, "--checkpoint-every", "0.2")
        time.sleep(rng.uniform(0.8, 3.0))
        leftovers = ranks_of(p)
        os.killpg(p.pid, signal.SIGKILL)
        for pid in leftovers:  # ranks in their own process group, if any
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.wait()
        time.sleep(0.2)
        alive = subprocess.run(["pgrep", "-f", out], capture_output=True, text=True).stdout.split()
        check(alive == [], f"kill -9 trial {trial}: no process of the job survives {alive}")
        state = "checkpoint" if os.path.exists(out + ".ckpt") else "no checkpoint yet"
        print(f"kill -9 trial {trial}: killed, {state}, results {'there' if os.path.exists(out) else 'absent'}", flush=True)
        done = resume_until_done(out, [0, 1, 2, 3], rng)
        check(done, f"kill -9 trial {trial}: resumed to completion")
        diffs = diff_results(REF, out) if done else ["<no results>"]
        check(diffs == [], f"kill -9 trial {trial}: bit-identical {diffs}")

    # A deadline stops the sweep in time; the resume completes it. First one that leaves
    # no time at all (its reserve exceeds it): no task may start.
    out = os.path.join(TMP, "deadline.h5")
    code, log = run(2, out, "--deadline", "30s", "--deadline-reserve", "60")
    check(code == 3 and "stopped by deadline after 0 of 48 tasks" in log,
          f"--deadline inside the reserve: exit 3 before any task (got {code}: {log.strip()[-200:]})")
    t0 = time.time()
    code, log = run(0, out, "--resume", "--deadline", "1s", "--deadline-reserve", "0")
    took = time.time() - t0
    if code == 0:  # a fast machine finished before the deadline: nothing to check but the result
        print(f"note: --deadline 1s: the sweep finished in {took:.1f} s, before its deadline")
    else:
        check(code == 3 and "stopped by deadline" in log,
              f"--deadline 1s: exit 3 by deadline (got {code}: {log.strip()[-200:]})")
        check(took < 1.0 + STOP_BOUND_S, f"--deadline 1s: ended after {took:.1f} s")
        code, log = run(3, out, "--resume")
    check(code == 0 and diff_results(REF, out) == [], "--deadline: resumed to identical results")

    # Refusals.
    out = os.path.join(TMP, "bad.h5")
    p = start(0, out, "--checkpoint-every", "0")
    wait_armed(p, 0)
    time.sleep(0.2 * REF_SECONDS)
    os.kill(p.pid, signal.SIGINT)
    code, _ = finish(p)
    assert code == 3, code
    ckpt = out + ".ckpt"
    good = open(ckpt, "rb").read()

    refused([ICNSIM, "sweep", CFG, "-o", out][1:], ckpt, "--resume", "--overwrite")
    refused(["sweep", CFG, "-o", out, "--resume", "--set", "run.seed=6"], ckpt,
            "does not match this run", "another configuration", "--force")
    refused(["sweep", CFG, "-o", out, "--resume", "--replicates", "9"], ckpt, "cannot be used, even with --force")
    with open(ckpt, "wb") as f:
        f.write(good[: len(good) // 2])
    refused(["sweep", CFG, "-o", out, "--resume"], ckpt, "truncated checkpoint")
    with open(ckpt, "wb") as f:
        f.write(good[:100] + bytes([good[100] ^ 0x10]) + good[101:])
    refused(["sweep", CFG, "-o", out, "--resume"], ckpt, "checksum mismatch")
    with open(ckpt, "wb") as f:
        f.write(b"[run]\nmodel = 'x'\n")
    refused(["sweep", CFG, "-o", out, "--resume"], ckpt, "not an icnsim checkpoint")
    refused(["sweep", CFG, "-o", os.path.join(TMP, "fresh.h5"), "--resume"], "fresh.h5.ckpt", "cannot open")
    refused(["sweep", CFG, "-o", out, "--checkpoint", "/nonexistent-dir/x.ckpt"], "/nonexistent-dir", "does not exist")

    # --force accepts another configuration's checkpoint (and says so).
    with open(ckpt, "wb") as f:
        f.write(good)
    p = icnsim("sweep", CFG, "-o", out, "--resume", "--force", "--set", "model.n_agents=301", check=False)
    check(p.returncode == 0 and "--force" in p.stderr and "other design points" in p.stderr,
          f"--force: resumed with a warning (exit {p.returncode}): {p.stderr.strip()[:300]}")

sys.exit(exit_status())
