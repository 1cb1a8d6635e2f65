#!/usr/bin/python3
"""An output of a sweep against one swept parameter (line) or two (heat map).

The output is a final summary (/final/<name>/mean, count, var, quantiles) or an
observable at the last tick (the last column of /series/<name>/mean, or --tick T). The
parameters and their values are /design/parameter_names and /design/points.

One parameter (--x): the mean over replicates with 95 % confidence bars of the mean
(1.96 sqrt(var / count)) and the 25-75 % band of the replicates (--median: their median,
no bars); when the design varies other parameters too, one line per combination of them
(a scatter beyond 8 combinations). Two parameters (--x, --y): a heat map of the mean
(cells of the grid; a coloured scatter for a design that is not a grid); points that
share (x, y) are averaged.

examples:
  plot_compare.py grid.h5 final_firms --x alpha0
  plot_compare.py grid.h5 total_sales --x alpha0 --y w_geo -o heat.png
  plot_compare.py grid.h5 firms --x alpha0 --tick 100
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icnplot as ip  # noqa: E402
from icnplot import np, plt  # noqa: E402

MAX_LINES = 8


def load_output(res, name, tick, median=False):
    """(label, mean, halfwidth, q25, q75) per point."""
    if not res.has("final/final_names") and not res.has("series/observable_names"):
        res.need("final/final_names")  # neither list: say which dataset is missing
    finals = res.finals() if res.has("final/final_names") else []
    observables = res.observables() if res.has("series/observable_names") else []
    if name in finals and tick is None:
        g = f"final/{name}"
        mean = np.asarray(res.array(f"{g}/mean"), dtype=float)
        var = np.asarray(res.array(f"{g}/var"), dtype=float)
        count = np.asarray(res.array(f"{g}/count"), dtype=float)
        q = np.asarray(res.array(f"{g}/quantiles"), dtype=float)
        label = f"{name} (final)"
    elif name in observables:
        g = f"series/{name}"
        ticks = res.ticks()
        col = len(ticks) - 1
        if tick is not None:
            hit = np.flatnonzero(ticks == tick)
            if hit.size == 0:
                raise ip.PlotError(f"--tick: {tick} is outside {int(ticks[0])}..{int(ticks[-1])} of {res.path}")
            col = int(hit[0])
        mean = np.asarray(res.need(f"{g}/mean")[:, col], dtype=float)
        var = np.asarray(res.need(f"{g}/var")[:, col], dtype=float)
        count = np.asarray(res.need(f"{g}/count")[:, col], dtype=float)
        q = np.asarray(res.need(f"{g}/quantiles")[:, col, :], dtype=float)
        label = f"{name} at tick {int(ticks[col])}"
    else:
        extra = " (--tick applies to observables only)" if name in finals else ""
        raise ip.PlotError(f"{res.path}: no final '{name}' in /final/final_names and no observable "
                           f"'{name}' in /series/observable_names{extra}; finals: {ip.short_list(finals)}")
    qi = res.quantile_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(count > 1, 1.96 * np.sqrt(np.maximum(var, 0) / count), 0.0)
    if median:  # the replicates' median, with no confidence bars
        return label, q[:, qi[2]], None, q[:, qi[1]], q[:, qi[3]]
    return label, mean, half, q[:, qi[1]], q[:, qi[3]]


def parameter(res, names, text, flag):
    if text not in names:
        raise ip.PlotError(f"{flag}: {res.path} has no swept parameter '{text}' "
                           f"(/design/parameter_names: {', '.join(names) or 'none'})")
    return names.index(text)


def line_plot(ax, res, names, pts, xi, label, mean, half, q25, q75):
    stat = "mean ± 95 % CI" if half is not None else "median"
    others = [j for j in range(len(names)) if j != xi]
    keys = [tuple(pts[p, others]) for p in range(len(pts))]
    groups = list(dict.fromkeys(keys))
    log = res.factor_is_log(names[xi])
    if len(groups) > MAX_LINES:
        ip.note(f"{len(groups)} combinations of the other parameters; drawing a scatter")
        ax.errorbar(pts[:, xi], mean, yerr=half, fmt="o", ms=3, lw=0.8, alpha=0.7, color="C0",
                    label=f"{stat}, each point")
    else:
        for k, key in enumerate(groups):
            idx = np.array([p for p in range(len(pts)) if keys[p] == key])
            idx = idx[np.argsort(pts[idx, xi], kind="stable")]
            c = f"C{k % 10}"
            tag = ", ".join(f"{names[j]}={ip.fmt(v)}" for j, v in zip(others, key))
            if len(groups) <= 3:  # more bands than that hide each other
                ax.fill_between(pts[idx, xi], q25[idx], q75[idx], color=c, alpha=0.18, lw=0,
                                label="25-75 % of replicates" if k == 0 else None)
            # Lines side by side a little, so that their error bars do not hide each other.
            shift = (k - (len(groups) - 1) / 2) * 0.008
            xs = pts[idx, xi]
            if len(groups) > 1:
                span = np.ptp(pts[:, xi]) or 1.0
                xs = xs * np.exp(shift * np.log(max(pts[:, xi].max() / pts[:, xi].min(), 1.0 + 1e-9))) \
                    if log and pts[:, xi].min() > 0 else xs + shift * span
            ax.errorbar(xs, mean[idx], yerr=None if half is None else half[idx], fmt="-o", ms=3.5, lw=1.4,
                        capsize=3, color=c, label=(stat + (f": {tag}" if tag else "")))
    if log:
        ax.set_xscale("log")
    levels = np.unique(pts[:, xi])
    if len(levels) <= 12:  # a grid: tick the levels themselves
        ax.set_xticks(levels)
        ax.set_xticklabels([ip.fmt(v) for v in levels])
        ax.minorticks_off()
    ax.set_xlabel(names[xi] + (" (log scale)" if log else ""))
    ax.set_ylabel(label)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=7, framealpha=0.85)


def heat_map(fig, ax, res, names, pts, xi, yi, label, mean, stat="mean"):
    cells = {}
    for p in range(len(pts)):
        cells.setdefault((pts[p, xi], pts[p, yi]), []).append(mean[p])
    if len(names) > 2 and any(len(v) > 1 for v in cells.values()):
        ip.note("points sharing (x, y) differ in other parameters; their means are averaged")
    xs = np.array(sorted({k[0] for k in cells}))
    ys = np.array(sorted({k[1] for k in cells}))
    grid = len(xs) * len(ys) == len(cells) and len(xs) > 1 and len(ys) > 1
    if grid:
        z = np.full((len(ys), len(xs)), np.nan)
        for (x, y), v in cells.items():
            z[np.searchsorted(ys, y), np.searchsorted(xs, x)] = np.nanmean(v) if np.any(np.isfinite(v)) else np.nan
        im = ax.imshow(z, origin="lower", aspect="auto", cmap="viridis", interpolation="nearest",
                       extent=(-0.5, len(xs) - 0.5, -0.5, len(ys) - 0.5))
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels([ip.fmt(v) for v in xs], fontsize=8, rotation=45 if len(xs) > 8 else 0)
        ax.set_yticks(range(len(ys)))
        ax.set_yticklabels([ip.fmt(v) for v in ys], fontsize=8)
        if z.size <= 64:
            finite = z[np.isfinite(z)]
            mid = (finite.min() + finite.max()) / 2 if finite.size else 0
            for r in range(len(ys)):
                for c in range(len(xs)):
                    if np.isfinite(z[r, c]):
                        ax.text(c, r, f"{z[r, c]:.3g}", ha="center", va="center", fontsize=7,
                                color="white" if z[r, c] < mid else "black")
    else:
        keys = list(cells)
        vals = [np.nanmean(cells[k]) for k in keys]
        im = ax.scatter([k[0] for k in keys], [k[1] for k in keys], c=vals, cmap="viridis", s=40,
                        edgecolors="none")
        if res.factor_is_log(names[xi]):
            ax.set_xscale("log")
        if res.factor_is_log(names[yi]):
            ax.set_yscale("log")
    ax.set_xlabel(names[xi])
    ax.set_ylabel(names[yi])
    fig.colorbar(im, ax=ax, label=f"{stat} {label}")


def main():
    ap = ip.argparser(__doc__)
    ap.add_argument("results", help="an icnsim sweep results file (.h5)")
    ap.add_argument("output_name", metavar="OUTPUT", help="a final summary or an observable")
    ap.add_argument("--x", metavar="PARAM", help="the parameter on the x axis (default: the first swept one)")
    ap.add_argument("--y", metavar="PARAM", help="a second parameter: draw a heat map")
    ap.add_argument("--tick", type=int, help="an observable at this tick instead of the last")
    ap.add_argument("--median", action="store_true",
                    help="the replicates' median instead of the mean (no confidence bars)")
    ip.add_output_options(ap, "compare")
    args = ap.parse_args()

    res = ip.Results(args.results)
    if res.kind != "sweep":
        raise ip.PlotError(f"{res.path} is a run file (one replicate); comparisons need a sweep file")
    names = res.parameters()
    pts = res.points()
    if not names:
        raise ip.PlotError(f"{res.path}: /design/parameter_names is empty (a single-point design); "
                           "nothing to compare against")
    xi = parameter(res, names, args.x, "--x") if args.x else 0
    yi = parameter(res, names, args.y, "--y") if args.y else None
    if yi == xi:
        raise ip.PlotError("--x and --y name the same parameter")
    label, mean, half, q25, q75 = load_output(res, args.output_name, args.tick, args.median)
    if mean.shape[0] != pts.shape[0]:
        raise ip.PlotError(f"{res.path}: {mean.shape[0]} rows of {args.output_name} for {pts.shape[0]} design points")

    fig, ax = plt.subplots(figsize=ip.parse_figsize(args.figsize, (7.5, 5.0)))
    if yi is None:
        line_plot(ax, res, names, pts, xi, label, mean, half, q25, q75)
        what = f"{label} against {names[xi]}"
    else:
        stat = "median" if args.median else "mean"
        heat_map(fig, ax, res, names, pts, xi, yi, label, mean, stat)
        what = f"{stat} {label} over {names[xi]} × {names[yi]}"
    reps = res.attr("replicates", "?")
    ax.set_title(args.title or f"{res.attr('model', '?')}: {what}\n"
                 f"{ip.plural(pts.shape[0], 'point')}, {ip.plural(reps, 'replicate')} each ({os.path.basename(res.path)})", fontsize=10)
    fig.tight_layout()
    ip.save(fig, args.output or ip.default_output(args.results, f"{args.output_name}_compare"), args.dpi)
    return 0


if __name__ == "__main__":
    ip.run_main(main)
