"""Shared helpers of the icnsim plot scripts (scripts/plot_*.py); not a script itself.

Opens a results file (docs/output-format.md) and reads only the datasets that page
documents; every way a file can lack what a script needs ends in one line on stderr
naming the file and the missing dataset, and exit status 2 (no traceback). Needs Debian's
python3-h5py, python3-numpy and python3-matplotlib (run with /usr/bin/python3); draws
headless (Agg).
"""
import argparse
import os
import sys

import numpy as np

try:
    import tomllib  # Python 3.11 (Debian 12)
except ImportError:  # pragma: no cover - older Pythons: no shock marks from the configuration
    tomllib = None

try:
    import h5py
except ImportError:  # pragma: no cover - depends on the machine
    h5py = None


class _Pyplot:
    """matplotlib.pyplot on the headless Agg backend, imported at the first use: --help and
    the checks of the input, which end most failed calls, do not pay its second of start-up."""

    def __getattr__(self, name):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot

        return getattr(pyplot, name)


plt = _Pyplot()  # re-exported for the scripts

# Life-cycle stages: codes of include/icn/model/cluster/lifecycle.h (Stage).
STAGES = {  # code: (name, colour); no blue, which the series use
    -1: ("unclassified", "#d0d0d0"),
    0: ("sprouting", "#c2e699"),
    1: ("growth", "#41ab5d"),
    2: ("maturity", "#fdb863"),
    3: ("decline", "#e34a33"),
    4: ("renewal", "#b07cc6"),
}

# Cluster model codes (docs/model.md, "Actor types" and "Snapshots").
ACTOR_TYPES = {0: "SME", 1: "leading firm", 2: "university", 3: "intermediary",
               4: "government", 5: "financial institution", 6: "network HQ"}
EDGE_KINDS = {0: "geographic", 1: "business", 2: "partnership"}

# The quantile levels /series/quantile_levels holds (docs/output-format.md).
LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)

PROG = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "icnplot"


class PlotError(Exception):
    """What the user did or gave cannot be plotted; the message says why (one line)."""


def fail(message):
    """Prints `prog: error: message` and exits 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(2)


def note(message):
    print(f"{PROG}: note: {message}", file=sys.stderr)


def run_main(main):
    """Runs main(); a PlotError becomes one line on stderr and exit status 2."""
    try:
        status = main()
    except PlotError as e:
        fail(str(e))
    except OSError as e:  # a damaged file: HDF5 cannot read what the index promised
        fail(f"cannot read: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(status or 0)


def decode(values):
    """A string dataset's values as Python str."""
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


class Results:
    """An icnsim results file (`file_kind` sweep or run), read through checked accessors."""

    def __init__(self, path):
        if h5py is None:
            raise PlotError("needs h5py (Debian: apt-get install python3-h5py; run /usr/bin/python3)")
        self.path = path
        if not os.path.exists(path):
            raise PlotError(f"{path}: no such file")
        if os.path.isdir(path):
            raise PlotError(f"{path}: is a directory, not a results file")
        try:
            self.f = h5py.File(path, "r")
        except OSError as e:
            raise PlotError(f"{path}: cannot open as HDF5 ({str(e).splitlines()[0]})") from None
        kind = self.f.attrs.get("file_kind")
        if isinstance(kind, bytes):
            kind = kind.decode()
        if kind not in ("sweep", "run"):
            raise PlotError(f"{path}: no root attribute file_kind = sweep|run; not an icnsim results file")
        self.kind = kind

    # -- raw access -------------------------------------------------------------------
    def has(self, name):
        return name in self.f

    def need(self, name, hint=""):
        """The dataset or group at `name` (no leading slash); PlotError when absent."""
        if name not in self.f:
            raise PlotError(f"{self.path}: no dataset /{name}{' (' + hint + ')' if hint else ''}")
        return self.f[name]

    def array(self, name, hint=""):
        obj = self.need(name, hint)
        if not isinstance(obj, h5py.Dataset):
            raise PlotError(f"{self.path}: /{name} is a group, expected a dataset")
        return obj[()]

    def names(self, name):
        return decode(self.array(name))

    def attr(self, name, default=None, obj="/"):
        value = self.f[obj].attrs.get(name, default) if obj in self.f else default
        if isinstance(value, bytes):
            value = value.decode()
        return value

    # -- series -----------------------------------------------------------------------
    def observables(self):
        return self.names("series/observable_names")

    def finals(self):
        return self.names("final/final_names")

    def ticks(self):
        return np.asarray(self.array("series/tick"), dtype=float)

    def check_observable(self, obs):
        available = self.observables()
        if obs not in available:
            raise PlotError(f"{self.path}: no observable '{obs}' (/series/observable_names has "
                            f"{len(available)}: {short_list(available)})")

    def series(self, obs):
        """Run file: the observable's values [n_ticks]."""
        return np.asarray(self.array(f"series/{obs}"), dtype=float)

    def quantile_index(self):
        """Index of each of LEVELS in /series/quantile_levels."""
        levels = np.asarray(self.array("series/quantile_levels"), dtype=float)
        out = []
        for q in LEVELS:
            hit = np.flatnonzero(np.abs(levels - q) < 1e-9)
            if hit.size == 0:
                raise PlotError(f"{self.path}: /series/quantile_levels lacks the level {q}")
            out.append(int(hit[0]))
        return out

    def sweep_series(self, obs, points):
        """Sweep file: (mean [p, n_ticks], quantiles [p, n_ticks, 5] at LEVELS) of `points`."""
        mean = self.need(f"series/{obs}/mean")
        quant = self.need(f"series/{obs}/quantiles")
        qi = self.quantile_index()
        # h5py reads a selection of rows only in increasing order: read those, then reorder.
        rows = sorted(set(points))
        back = [rows.index(p) for p in points]
        return (np.asarray(mean[rows, :], dtype=float)[back],
                np.asarray(quant[rows, :, :], dtype=float)[back][:, :, qi])

    # -- design -----------------------------------------------------------------------
    def n_points(self):
        return int(self.need("design/points").shape[0])

    def parameters(self):
        return self.names("design/parameter_names")

    def points(self):
        return np.asarray(self.array("design/points"), dtype=float).reshape(self.n_points(), -1)

    def point_label(self, p, names=None, points=None, max_params=3):
        names = self.parameters() if names is None else names
        if not names:
            return f"point {p}"
        points = self.points() if points is None else points
        parts = [f"{n}={fmt(v)}" for n, v in zip(names[:max_params], points[p, :max_params])]
        if len(names) > max_params:
            parts.append("...")
        return f"point {p}: " + ", ".join(parts)

    # -- configuration ----------------------------------------------------------------
    def config(self):
        """The root attribute `config` parsed as TOML ({} when absent or unreadable)."""
        text = self.attr("config")
        if not text:
            return {}
        if tomllib is None:
            note("this Python has no tomllib (3.11+); the stored configuration is not read")
            return {}
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            note(f"{self.path}: the root attribute config is not valid TOML; ignored")
            return {}

    def shocks(self):
        """Shocks of the configuration: [{type, onset, duration, ...}], onset-sorted."""
        model = self.config().get("model", {})
        raw = model.get("shocks", [])
        if isinstance(raw, str):  # the text form "type=demand, onset=100, ...; type=..."
            items = []
            for chunk in raw.split(";"):
                fields = {}
                for kv in chunk.split(","):
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        fields[k.strip()] = v.strip().strip('"')
                if fields:
                    items.append(fields)
            raw = items
        out = []
        for s in raw if isinstance(raw, list) else []:
            if not isinstance(s, dict) or "onset" not in s:
                continue
            try:
                out.append({"type": str(s.get("type", "shock")), "onset": float(s["onset"]),
                            "duration": float(s.get("duration", 0) or 0),
                            "shape": str(s.get("shape", "step"))})
            except (TypeError, ValueError):
                continue
        return sorted(out, key=lambda s: s["onset"])

    def factor_is_log(self, name):
        """True when the configuration's [[design.factors]] entry `name` has log = true."""
        for fac in self.config().get("design", {}).get("factors", []) or []:
            if isinstance(fac, dict) and fac.get("name") == name:
                return bool(fac.get("log", False))
        return False

    def close(self):
        self.f.close()


def fmt(v):
    """A parameter value, short."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"


def plural(n, word):
    """'1 replicate', '16 replicates'."""
    return f"{n} {word}" + ("" if str(n) == "1" else "s")


def short_list(items, n=8):
    items = list(items)
    head = ", ".join(items[:n])
    return head + (f", ... ({len(items) - n} more)" if len(items) > n else "")


def parse_list(text):
    return [t.strip() for t in text.split(",") if t.strip()] if text else []


def parse_points(text, n_points, path):
    """'0,3,5-7' -> [0, 3, 5, 6, 7], each checked against n_points."""
    out = []
    for tok in parse_list(text):
        try:
            if "-" in tok[1:]:
                a, b = tok.split("-", 1)
                out.extend(range(int(a), int(b) + 1))
            else:
                out.append(int(tok))
        except ValueError:
            raise PlotError(f"--points: '{tok}' is not a point index or a range a-b") from None
    for p in out:
        if not 0 <= p < n_points:
            raise PlotError(f"--points: point {p} is outside 0..{n_points - 1} of {path}")
    return list(dict.fromkeys(out))


def stage_segments(codes, ticks):
    """Runs of equal stage code: [(first_tick, last_tick, code)]."""
    codes = np.rint(np.nan_to_num(np.asarray(codes, dtype=float), nan=-1)).astype(int)
    out = []
    start = 0
    for i in range(1, len(codes) + 1):
        if i == len(codes) or codes[i] != codes[start]:
            out.append((ticks[start], ticks[i - 1], int(codes[start])))
            start = i
    return out


def shade_stages(ax, segments, alpha=0.16):
    """Shades each stage run on `ax`; returns the codes drawn."""
    seen = []
    for t0, t1, code in segments:
        name, colour = STAGES.get(code, (f"stage {code}", "#cccccc"))
        ax.axvspan(t0 - 0.5, t1 + 0.5, color=colour, alpha=alpha, lw=0, zorder=0)
        if code not in seen:
            seen.append(code)
    return seen


def stage_handles(codes, alpha=0.35):
    from matplotlib.patches import Patch
    return [Patch(facecolor=STAGES.get(c, (None, "#cccccc"))[1], alpha=alpha,
                  label=STAGES.get(c, (f"stage {c}", None))[0]) for c in sorted(codes)]


def parse_figsize(text, default):
    if not text:
        return default
    try:
        w, h = (float(v) for v in text.lower().replace("x", ",").split(","))
    except ValueError:
        raise PlotError(f"--figsize: '{text}' is not W,H in inches (e.g. 8,5)") from None
    if not (0 < w <= 100 and 0 < h <= 100):
        raise PlotError(f"--figsize: {text} is outside (0, 100] inches")
    return (w, h)


def add_output_options(ap, what):
    ap.add_argument("-o", "--output", metavar="PNG",
                    help=f"where to write the picture (default: next to the input, <input>_{what}.png)")
    ap.add_argument("--figsize", metavar="W,H", help="figure size in inches (default depends on the panels)")
    ap.add_argument("--dpi", type=int, default=100, help="pixels per inch (default 100); the PNG is W*dpi x H*dpi")
    ap.add_argument("--title", help="figure title (default: made from the file)")


def default_output(path, what):
    stem = os.path.splitext(path)[0]
    return f"{stem}_{what}.png"


def save(fig, out, dpi):
    """Writes the figure at exactly figsize * dpi pixels and prints the path."""
    if dpi <= 0 or dpi > 1000:
        raise PlotError(f"--dpi: {dpi} is outside 1..1000")
    d = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(d):
        raise PlotError(f"{out}: directory {d} does not exist")
    try:
        fig.savefig(out, dpi=dpi)
    except OSError as e:
        raise PlotError(f"{out}: cannot write ({e.strerror or e})") from None
    finally:
        plt.close(fig)
    print(out)


def argparser(doc, epilog=None):
    """An ArgumentParser whose description is the script's docstring."""
    return argparse.ArgumentParser(description=doc, epilog=epilog,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
