#!/usr/bin/python3
"""Sensitivity indices that `icnsim analyze` stored in a sweep file (/analysis).

One panel per analysed output. Sobol' (method attribute `sobol`, a saltelli design):
first-order S1 and total ST per parameter as bars with their bootstrap intervals
(s1, s1_lo, s1_hi, st, st_lo, st_hi). Morris (method `morris`): mu* against sigma of the
elementary effects, each parameter labelled, with the interval of mu* as a horizontal bar
and the lines sigma / mu* = 0.1 and 1 for reference (below 0.1: almost linear; above 1:
strongly non-linear or interacting). --s2: the second-order Sobol' indices as a matrix.

examples:
  plot_sensitivity.py results.h5                      # every output of /analysis/final
  plot_sensitivity.py results.h5 final_firms mean_sales -o s.png
  plot_sensitivity.py results.h5 --statistic window
  plot_sensitivity.py results.h5 y --s2
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icnplot as ip  # noqa: E402
from icnplot import np, plt  # noqa: E402

STATISTICS = ("final", "tick", "window")
MAX_DEFAULT_PANELS = 6


def interval(g, name, values):
    """Error-bar half widths [2, D] from <name>_lo/_hi (zeros where absent or NaN)."""
    if f"{name}_lo" not in g or f"{name}_hi" not in g:
        return None
    lo = np.asarray(g[f"{name}_lo"][()], dtype=float)
    hi = np.asarray(g[f"{name}_hi"][()], dtype=float)
    if not np.any(np.isfinite(lo) & np.isfinite(hi)):
        return None
    return np.nan_to_num(np.vstack([values - lo, hi - values]).clip(min=0))


def need(res, g, path, name):
    if name not in g:
        raise ip.PlotError(f"{res.path}: no dataset /{path}/{name}")
    return np.asarray(g[name][()], dtype=float)


def sobol_panel(ax, res, g, path, params):
    s1 = need(res, g, path, "s1")
    st = need(res, g, path, "st")
    x = np.arange(len(params))
    w = 0.38
    e1, et = interval(g, "s1", s1), interval(g, "st", st)
    ax.bar(x - w / 2, s1, w, yerr=e1, capsize=3, color="#4c72b0", label="S1 (first order)",
           error_kw={"lw": 1})
    ax.bar(x + w / 2, st, w, yerr=et, capsize=3, color="#dd8452", label="ST (total)", error_kw={"lw": 1})
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(x)
    ax.set_xticklabels(params, rotation=30 if len(params) > 4 else 0, ha="right" if len(params) > 4 else "center",
                       fontsize=8)
    ax.set_ylabel("Sobol' index")
    reach = [s1, st, [0.0, 1.0]]
    for v, e in ((s1, e1), (st, et)):
        if e is not None:
            reach += [v - e[0], v + e[1]]
    reach = np.concatenate(reach)
    reach = reach[np.isfinite(reach)]
    ax.set_ylim(min(0.0, reach.min() - 0.05), max(1.05, reach.max() + 0.1))
    ax.grid(axis="y", alpha=0.3, lw=0.5)
    ax.legend(fontsize=7, loc="upper right")
    extra = []
    boot = int(g.attrs.get("bootstrap", 0))
    if boot:
        extra.append(f"{float(g.attrs.get('confidence', 0.95)) * 100:.0f} % CI, {boot} resamples")
    else:
        extra.append("no intervals (bootstrap 0)")
    return extra


def s2_panel(fig, ax, res, g, path, params):
    if "s2" not in g:
        raise ip.PlotError(f"{res.path}: no dataset /{path}/s2 (second-order indices need a saltelli "
                           "design with second_order = true)")
    s2 = np.asarray(g["s2"][()], dtype=float)
    d = len(params)
    if s2.shape != (d, d):
        raise ip.PlotError(f"{res.path}: /{path}/s2 has shape {s2.shape}, expected ({d}, {d})")
    shown = np.where(np.triu(np.ones((d, d), bool), 1), s2, np.nan)  # symmetric: the upper half
    top = np.nanmax(np.abs(shown)) if np.any(np.isfinite(shown)) else 1.0
    im = ax.imshow(shown, cmap="RdBu_r", vmin=-top, vmax=top, interpolation="nearest")
    lo, hi = (np.asarray(g[k][()], dtype=float) if k in g else None for k in ("s2_lo", "s2_hi"))
    for i in range(d):
        for k in range(i + 1, d):
            if np.isfinite(s2[i, k]):
                text = f"{s2[i, k]:.2f}"
                if lo is not None and hi is not None and np.isfinite(lo[i, k]) and np.isfinite(hi[i, k]):
                    text += f"\n[{lo[i, k]:.2f}, {hi[i, k]:.2f}]"
                ax.text(k, i, text, ha="center", va="center", fontsize=7,
                        color="white" if abs(s2[i, k]) > 0.6 * top else "black")
    ax.set_xticks(range(d))
    ax.set_xticklabels(params, rotation=30 if d > 4 else 0, fontsize=8)
    ax.set_yticks(range(d))
    ax.set_yticklabels(params, fontsize=8)
    fig.colorbar(im, ax=ax, label="S2 (second order)", shrink=0.8)
    return ["S2 with its interval, upper half (symmetric)"]


def morris_panel(ax, res, g, path, params):
    mu_star = need(res, g, path, "mu_star")
    sigma = need(res, g, path, "sigma")
    err = interval(g, "mu_star", mu_star)
    ax.errorbar(mu_star, sigma, xerr=err, fmt="o", color="#4c72b0", ms=6, capsize=3, lw=1,
                label="parameter (mu* interval)" if err is not None else "parameter")
    for name, m, s in zip(params, mu_star, sigma):
        if np.isfinite(m) and np.isfinite(s):
            ax.annotate(name, (m, s), textcoords="offset points", xytext=(5, 4), fontsize=8)
    reach = mu_star if err is None else mu_star + err[1]
    finite = np.concatenate([reach[np.isfinite(reach)], sigma[np.isfinite(sigma)], [1e-12]])
    top = float(finite.max()) * 1.15
    line = np.array([0, top])
    ax.plot(line, line, ls="--", color="#888888", lw=0.8, label="sigma / mu* = 1")
    ax.plot(line, 0.1 * line, ls=":", color="#888888", lw=0.8, label="sigma / mu* = 0.1")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("mu* (mean |elementary effect|)")
    ax.set_ylabel("sigma (sd of elementary effects)")
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=7, loc="upper left")
    used, total = g.attrs.get("trajectories_used"), g.attrs.get("trajectories_total")
    return [f"{used} of {total} trajectories"] if used is not None else []


def main():
    ap = ip.argparser(__doc__)
    ap.add_argument("results", help="a sweep file analysed with `icnsim analyze`")
    ap.add_argument("outputs", nargs="*", help=f"outputs to draw (default: every analysed one, at most {MAX_DEFAULT_PANELS})")
    ap.add_argument("--statistic", choices=STATISTICS,
                    help="which analysis: final, tick or window (default: final if present, else the first found)")
    ap.add_argument("--s2", action="store_true",
                    help="Sobol': draw the second-order indices S2 as a matrix instead of S1/ST bars "
                         "(needs second_order = true in the design)")
    ip.add_output_options(ap, "sensitivity")
    args = ap.parse_args()

    res = ip.Results(args.results)
    hint = f"run `icnsim analyze {args.results}` first"
    if not res.has("analysis"):
        raise ip.PlotError(f"{res.path}: no /analysis group ({hint}; needs a saltelli or morris design)")
    present = [s for s in STATISTICS if res.has(f"analysis/{s}") and len(res.f[f"analysis/{s}"])]
    if not present:
        raise ip.PlotError(f"{res.path}: /analysis holds no analysed output ({hint})")
    stat = args.statistic or ("final" if "final" in present else present[0])
    if stat not in present:
        raise ip.PlotError(f"{res.path}: no /analysis/{stat} (present: {', '.join(present)}); "
                           f"see `icnsim analyze --help` for --tick and --window")
    group = res.f[f"analysis/{stat}"]
    available = sorted(group.keys())
    wanted = [o for t in args.outputs for o in ip.parse_list(t)]
    for o in wanted:
        if o not in group:
            raise ip.PlotError(f"{res.path}: no /analysis/{stat}/{o} (analysed: {ip.short_list(available)}); "
                               f"run `icnsim analyze {args.results} --observables {o}`")
    if not wanted:
        wanted = available[:MAX_DEFAULT_PANELS]
        if len(available) > MAX_DEFAULT_PANELS:
            ip.note(f"{len(available)} analysed outputs; drawing the first {MAX_DEFAULT_PANELS} (name them to choose)")

    n = len(wanted)
    cols = 1 if n == 1 else 2 if n in (2, 4) else 3
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=ip.parse_figsize(args.figsize, (5.6 * cols, 4.2 * rows)),
                             squeeze=False)
    methods = set()
    for ax, out in zip(axes.flat, wanted):
        path = f"analysis/{stat}/{out}"
        g = group[out]
        method = g.attrs.get("method")
        method = method.decode() if isinstance(method, bytes) else method
        if method is None:
            raise ip.PlotError(f"{res.path}: /{path} has no attribute method")
        params = ip.decode(g["parameter_names"][()]) if "parameter_names" in g else res.parameters()
        if method == "morris" and args.s2:
            raise ip.PlotError(f"--s2: {res.path}: /{path} is a Morris analysis; S2 exists only for Sobol' indices")
        if method == "sobol" and args.s2:
            extra = s2_panel(fig, ax, res, g, path, params)
        elif method == "sobol":
            extra = sobol_panel(ax, res, g, path, params)
        elif method == "morris":
            extra = morris_panel(ax, res, g, path, params)
        else:
            raise ip.PlotError(f"{res.path}: /{path} has method '{method}'; expected sobol or morris")
        methods.add(method)
        share = g.attrs.get("noise_share", np.nan)
        if np.isfinite(share):
            extra.append(f"noise share {float(share):.2g}")
        when = ""
        if stat == "tick":
            when = f" at tick {int(g.attrs.get('tick', -1))}"
        elif stat == "window":
            when = f" over ticks {int(g.attrs.get('window_first', -1))}..{int(g.attrs.get('window_last', -1))}"
        ax.set_title(f"{out}{when}\n" + "; ".join(extra), fontsize=9)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    kind = " and ".join(sorted({"sobol": "Sobol' indices", "morris": "Morris screening"}[m] for m in methods))
    fig.suptitle(args.title or f"{res.attr('model', '?')}: {kind} ({os.path.basename(res.path)})", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    ip.save(fig, args.output or ip.default_output(args.results, "sensitivity"), args.dpi)
    return 0


if __name__ == "__main__":
    ip.run_main(main)
