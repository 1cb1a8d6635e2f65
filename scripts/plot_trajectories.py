#!/usr/bin/python3
"""Observables of an icnsim results file over ticks.

Sweep file (icnsim sweep, or icnsim run with [ensemble]): per design point the mean over
replicates with the 5-95 % and 25-75 % bands of the replicates (/series/<obs>/mean and
/series/<obs>/quantiles). Run file (icnsim run): the replicate's series (/series/<obs>).
Shock onsets (and ends) are marked with vertical lines, taken from the [[model.shocks]] of
the stored configuration and from the first nonzero tick of the shock_* observables. The
life-cycle stages (the lifecycle_stage observable; for a sweep the median of one point)
shade the background.

examples:
  plot_trajectories.py results.h5                         # firms, sales, diversity, clustering
  plot_trajectories.py results.h5 firms herfindahl -o f.png
  plot_trajectories.py sweep.h5 total_sales --points 0,4-6
  plot_trajectories.py results.h5 firms total_sales --outdir plots/   # one PNG each
  plot_trajectories.py shock.h5 total_sales --with baseline.h5   # a scenario against its baseline
  plot_trajectories.py results.h5 --list                  # the observables in the file
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icnplot as ip  # noqa: E402
from icnplot import np, plt  # noqa: E402

DEFAULT = ["firms", "total_sales", "knowledge_diversity", "net_clustering"]
MAX_DEFAULT_POINTS = 6


def choose_points(res, text):
    n = res.n_points()
    if text:
        return ip.parse_points(text, n, res.path)
    if n <= MAX_DEFAULT_POINTS:
        return list(range(n))
    picked = sorted(set(int(round(v)) for v in np.linspace(0, n - 1, 5)))
    ip.note(f"{n} design points; drawing {','.join(map(str, picked))} (choose with --points)")
    return picked


def shock_marks(res, observables, points):
    """[(tick, label, end_tick_or_None)]: configured shocks, then shock_* onsets not covered."""
    marks = []
    for s in res.shocks():
        end = s["onset"] + s["duration"] if s["duration"] > 0 and s["shape"] != "ramp" else None
        marks.append((s["onset"], s["type"], end))
    configured = {m[1] for m in marks}
    for obs in observables:
        if not obs.startswith("shock_") or obs[len("shock_"):] in configured:
            continue
        if res.kind == "run":
            v = res.series(obs)[None, :]
        else:
            v, _ = res.sweep_series(obs, points)
        on = np.any(np.nan_to_num(v) != 0, axis=0)
        ticks = res.ticks()
        for t in np.flatnonzero(on & ~np.concatenate(([False], on[:-1]))):
            marks.append((ticks[t], obs[len("shock_"):], None))
    return marks


def stage_codes(res, observables, stage_point):
    if "lifecycle_stage" not in observables:
        return None
    if res.kind == "run":
        return res.series("lifecycle_stage")
    _, q = res.sweep_series("lifecycle_stage", [stage_point])
    return q[0, :, 2]  # the median


def draw_source(ax, src, obs, colour0, band_labels):
    """One results file's curves: a run's series, or per point the mean and two bands."""
    res, points, ticks, labels = src["res"], src["points"], src["ticks"], src["labels"]
    if res.kind == "run":
        ax.plot(ticks, res.series(obs), color=f"C{colour0 % 10}", lw=1.3, label=labels[0])
        return
    mean, q = res.sweep_series(obs, points)
    one = len(points) == 1
    for i in range(len(points)):
        c = f"C{(colour0 + i) % 10}"
        ax.fill_between(ticks, q[i, :, 0], q[i, :, 4], color=c, alpha=0.15 if one else 0.08, lw=0,
                        label="5-95 %" if band_labels else None)
        ax.fill_between(ticks, q[i, :, 1], q[i, :, 3], color=c, alpha=0.3 if one else 0.18, lw=0,
                        label="25-75 %" if band_labels else None)
        ax.plot(ticks, mean[i], color=c, lw=1.4, label="mean" if band_labels else labels[i])
        if len(ticks) == 1:
            ax.plot(ticks, mean[i], "o", color=c)


def draw_panel(ax, sources, obs, segments, marks, legend, logy=False):
    if segments:
        ip.shade_stages(ax, segments)
    simple = len(sources) == 1 and len(sources[0]["points"]) == 1 and sources[0]["res"].kind == "sweep"
    colour = 0
    for src in sources:
        draw_source(ax, src, obs, colour, band_labels=simple)
        colour += len(src["points"])
    ticks = np.concatenate([src["ticks"] for src in sources])
    for tick, what, end in marks:
        ax.axvline(tick, color="#333333", ls="--", lw=1.0, zorder=3)
        if end is not None:
            ax.axvline(end, color="#333333", ls=":", lw=1.0, zorder=3)
        ax.text(tick, 0.98, f" {what} shock", transform=ax.get_xaxis_transform(), rotation=90,
                va="top", ha="right", fontsize=7, color="#333333")
    if obs == "lifecycle_stage":
        codes = sorted(ip.STAGES)
        ax.set_yticks(codes)
        ax.set_yticklabels([ip.STAGES[c][0] for c in codes], fontsize=7)
    ax.set_title(obs, fontsize=10)
    ax.set_xlabel("tick", fontsize=9)
    ax.tick_params(labelsize=8)
    lo, hi = float(ticks.min()), float(ticks.max())
    ax.set_xlim(lo, hi if hi > lo else lo + 1)
    ax.grid(alpha=0.25, lw=0.5)
    if logy and obs != "lifecycle_stage":
        ax.set_yscale("symlog" if np.nanmin(ax.get_ylim()) <= 0 else "log")
    if legend:
        ax.legend(fontsize=7, loc="best", framealpha=0.85)


def source(res, points, named):
    """What draw_source needs of a file: its points, ticks and curve labels."""
    base = os.path.basename(res.path)
    if res.kind == "run":
        return {"res": res, "points": [0], "ticks": res.ticks(), "labels": [base if named else "replicate"]}
    names, pts = res.parameters(), res.points()
    labels = [res.point_label(p, names, pts) for p in points]
    if named:
        labels = [f"{base}" + (f", {lab}" if res.n_points() > 1 else "") for lab in labels]
    return {"res": res, "points": points, "ticks": res.ticks(), "labels": labels}


def figure(res, observables, all_obs, points, args, extras=()):
    ticks = res.ticks()
    sources = [source(res, points, named=bool(extras))] + [source(r, p, named=True) for r, p in extras]
    stage_point = points[0] if res.kind == "sweep" else 0
    if res.kind == "sweep" and args.stage_point is not None:
        stage_point = ip.parse_points(str(args.stage_point), res.n_points(), res.path)[0]
    codes = None if args.no_stages else stage_codes(res, all_obs, stage_point)
    segments = ip.stage_segments(codes, ticks) if codes is not None else []
    marks = [] if args.no_shocks else shock_marks(res, all_obs, points if res.kind == "sweep" else [0])

    n = len(observables)
    cols = 1 if n == 1 else 2 if n in (2, 4) else 3
    rows = (n + cols - 1) // cols
    size = ip.parse_figsize(args.figsize, (5.2 * cols, 3.4 * rows + (0.7 if segments else 0.4)))
    fig, axes = plt.subplots(rows, cols, figsize=size, squeeze=False)
    for k, (ax, obs) in enumerate(zip(axes.flat, observables)):
        draw_panel(ax, sources, obs, segments, marks, legend=(k == 0), logy=args.logy)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    if args.title:
        title = args.title
    elif extras:
        title = f"{res.attr('model', '?')}: {os.path.basename(res.path)} against " + ", ".join(
            os.path.basename(r.path) for r, _ in extras)
    elif res.kind == "sweep":
        reps = res.attr("replicates", "?")
        which = f"point {points[0]}" if len(points) == 1 and res.n_points() > 1 else f"{len(points)} points"
        title = f"{res.attr('model', '?')}: {which}, {ip.plural(reps, 'replicate')} each ({os.path.basename(res.path)})"
        if res.n_points() == 1:
            title = f"{res.attr('model', '?')}: {ip.plural(reps, 'replicate')} ({os.path.basename(res.path)})"
    else:
        title = f"{res.attr('model', '?')}: one replicate, seed {res.attr('master_seed', '?')} ({os.path.basename(res.path)})"
    fig.suptitle(title, fontsize=10)
    bottom = 0.0
    if segments:
        handles = ip.stage_handles({c for _, _, c in segments})
        where = f" of {os.path.basename(res.path)}" if extras else ""
        if res.kind == "sweep":
            where += " (median over replicates" + (f", point {stage_point})" if res.n_points() > 1 else ")")
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, frameon=False,
                   title=f"life-cycle stage{where}", title_fontsize=8)
        bottom = min(0.35, 0.55 / size[1])
    fig.tight_layout(rect=(0, bottom, 1, 0.96))
    return fig


def main():
    ap = ip.argparser(__doc__)
    ap.add_argument("results", help="an icnsim results file (.h5)")
    ap.add_argument("observables", nargs="*",
                    help=f"observables to draw (default: those of {', '.join(DEFAULT)} in the file)")
    ip.add_output_options(ap, "trajectories")
    ap.add_argument("--outdir", metavar="DIR", help="write one PNG per observable, DIR/<observable>.png, instead")
    ap.add_argument("--points", metavar="LIST",
                    help=f"sweep: design points to draw, e.g. 0,3,5-7 (default: all if at most "
                         f"{MAX_DEFAULT_POINTS}, else 5 spread over the design)")
    ap.add_argument("--stage-point", type=int, metavar="P",
                    help="sweep: the point whose median life-cycle stage is shaded (default: the first drawn)")
    ap.add_argument("--logy", action="store_true", help="logarithmic y axes (symlog where values reach 0)")
    ap.add_argument("--no-stages", action="store_true", help="do not shade the life-cycle stages")
    ap.add_argument("--no-shocks", action="store_true", help="do not mark shock onsets")
    ap.add_argument("--with", dest="others", action="append", default=[], metavar="FILE[:P]",
                    help="also draw another results file (e.g. the baseline of a shock scenario): a run "
                         "file's series, or point P (default 0) of a sweep file; may be repeated")
    ap.add_argument("--list", action="store_true", help="print the file's observables and exit")
    args = ap.parse_args()
    if args.output and args.outdir:
        raise ip.PlotError("give -o or --outdir, not both")

    res = ip.Results(args.results)
    all_obs = res.observables()
    if args.list:
        print("\n".join(all_obs))
        return 0
    wanted = [o for t in args.observables for o in ip.parse_list(t)]
    if not wanted:
        wanted = [o for o in DEFAULT if o in all_obs] or all_obs[:4]
    if not wanted:
        raise ip.PlotError(f"{res.path}: /series/observable_names is empty")
    for obs in wanted:
        res.check_observable(obs)
        res.need(f"series/{obs}")
    if res.kind == "run" and args.points:
        raise ip.PlotError(f"--points: {res.path} is a run file (one replicate, no design points)")
    points = choose_points(res, args.points) if res.kind == "sweep" else [0]
    extras = []
    for spec in args.others:
        path, point = spec, 0
        if not os.path.exists(spec) and ":" in spec and spec.rsplit(":", 1)[1].isdigit():
            path, point = spec.rsplit(":", 1)[0], int(spec.rsplit(":", 1)[1])
        other = ip.Results(path)
        for obs in wanted:
            other.check_observable(obs)
            other.need(f"series/{obs}")
        if other.kind == "sweep":
            extras.append((other, ip.parse_points(str(point), other.n_points(), other.path)))
        elif point:
            raise ip.PlotError(f"--with {spec}: {path} is a run file (one replicate, no design points)")
        else:
            extras.append((other, [0]))
    if args.outdir:
        if not os.path.isdir(args.outdir):
            os.makedirs(args.outdir, exist_ok=True)
        for obs in wanted:
            fig = figure(res, [obs], all_obs, points, args, extras)
            ip.save(fig, os.path.join(args.outdir, f"{obs}.png"), args.dpi)
    else:
        fig = figure(res, wanted, all_obs, points, args, extras)
        ip.save(fig, args.output or ip.default_output(args.results, "trajectories"), args.dpi)
    return 0


if __name__ == "__main__":
    ip.run_main(main)
