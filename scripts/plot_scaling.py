#!/usr/bin/python3
"""Speed-up and parallel efficiency against cores, from the scaling harness's CSV.

The CSV has the header
  study,mode,ranks,threads,cores,tasks,wall_s,speedup,efficiency,oversubscribed,host_cores,steal_s
(steal_s, the host's steal during the runs, is not plotted and may be absent) with study
strong|weak, mode replicates (OpenMP across replicates), inside (threads inside
a replicate) or ranks (MPI ranks of one thread); speedup and efficiency are relative to the
1-core run of the same study and mode. One line per (study, mode): strong scaling solid,
weak scaling dashed, with the ideal (speed-up = cores, efficiency = 1). Points that ran
with more cores than the host has (oversubscribed = 1) are hollow: their times measure
time-sharing, not scaling.

examples:
  plot_scaling.py scaling.csv
  plot_scaling.py scaling.csv --study strong -o strong.png
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icnplot as ip  # noqa: E402
from icnplot import np, plt  # noqa: E402

COLUMNS = ["study", "mode", "ranks", "threads", "cores", "tasks", "wall_s", "speedup", "efficiency",
           "oversubscribed", "host_cores"]
NUMERIC = ["ranks", "threads", "cores", "tasks", "wall_s", "speedup", "efficiency", "oversubscribed",
           "host_cores"]
MODE_COLOUR = {"replicates": "C0", "inside": "C1", "ranks": "C2"}
STUDY_STYLE = {"strong": "-", "weak": "--"}


def read(path):
    if not os.path.exists(path):
        raise ip.PlotError(f"{path}: no such file")
    try:
        with open(path, newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames:
                reader.fieldnames = [h.strip() for h in reader.fieldnames]
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise ip.PlotError(f"{path}: the header lacks the column(s) {', '.join(missing)} "
                                   f"(expected {','.join(COLUMNS)})")
            rows = []
            for n, row in enumerate(reader, start=2):
                try:
                    rec = {c: float(row[c]) for c in NUMERIC}
                except (TypeError, ValueError):
                    raise ip.PlotError(f"{path}:{n}: a numeric column is empty or not a number") from None
                rec["study"], rec["mode"] = row["study"].strip(), row["mode"].strip()
                rows.append(rec)
    except UnicodeDecodeError:
        raise ip.PlotError(f"{path}: not a text CSV file") from None
    except OSError as e:
        raise ip.PlotError(f"{path}: cannot read ({e.strerror or e})") from None
    if not rows:
        raise ip.PlotError(f"{path}: no data rows under the header")
    return rows


def main():
    ap = ip.argparser(__doc__)
    ap.add_argument("csv", help="the scaling harness's CSV file")
    ap.add_argument("--study", choices=("strong", "weak"), help="draw only this study (default: both)")
    ap.add_argument("--mode", help="draw only these modes, e.g. replicates,ranks (default: all)")
    ip.add_output_options(ap, "scaling")
    args = ap.parse_args()

    rows = read(args.csv)
    if args.study:
        rows = [r for r in rows if r["study"] == args.study]
    if args.mode:
        modes = ip.parse_list(args.mode)
        rows = [r for r in rows if r["mode"] in modes]
    if not rows:
        raise ip.PlotError(f"{args.csv}: no rows for the chosen --study/--mode")

    from matplotlib.lines import Line2D

    fig, (a_sp, a_eff) = plt.subplots(1, 2, figsize=ip.parse_figsize(args.figsize, (12.0, 5.0)))
    groups = {}
    for r in rows:
        groups.setdefault((r["study"], r["mode"]), []).append(r)
    host = sorted({int(r["host_cores"]) for r in rows})
    over = any(r["oversubscribed"] for r in rows)
    top = max(r["cores"] for r in rows)
    for k, ((study, mode), rs) in enumerate(sorted(groups.items())):
        rs.sort(key=lambda r: r["cores"])
        cores = np.array([r["cores"] for r in rs])
        colour = MODE_COLOUR.get(mode, f"C{3 + k % 7}")
        style = STUDY_STYLE.get(study, ":")
        label = f"{study}, {mode}"
        levels = np.unique(cores)
        repeated = len(levels) < len(cores)
        for ax, key in ((a_sp, "speedup"), (a_eff, "efficiency")):
            v = np.array([r[key] for r in rs])
            hollow = np.array([bool(r["oversubscribed"]) for r in rs])
            # Repetitions of a core count: the line through their medians, each one a dot.
            med = np.array([np.median(v[cores == c]) for c in levels])
            med_hollow = np.array([hollow[cores == c].any() for c in levels])
            ax.plot(levels, med, ls=style, color=colour, lw=1.5,
                    label=label + (" (median of repetitions)" if repeated else ""))
            ax.plot(levels[~med_hollow], med[~med_hollow], "o", color=colour, ms=6)
            ax.plot(levels[med_hollow], med[med_hollow], "o", mfc="white", mec=colour, mew=1.5, ms=6)
            if repeated:
                ax.plot(cores, v, ".", color=colour, ms=3, alpha=0.6)
    grid = np.array([1.0, top])
    a_sp.plot(grid, grid, color="black", lw=0.8, ls=":", label="ideal: speed-up = cores")
    a_eff.axhline(1.0, color="black", lw=0.8, ls=":", label="ideal (efficiency 1)")
    for ax in (a_sp, a_eff):
        for h in host:
            if h < top:
                ax.axvline(h, color="#999999", lw=0.8, ls="-.")
                ax.axvspan(h, top * 1.1, color="#999999", alpha=0.08, lw=0)
                ax.text(h, 0.02, f" host: {h} cores", transform=ax.get_xaxis_transform(), fontsize=7,
                        color="#666666", rotation=90, va="bottom", ha="right")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("cores (ranks × threads)")
        ticks = sorted({int(r["cores"]) for r in rows})
        ax.set_xticks(ticks)
        ax.set_xticklabels([str(t) for t in ticks])
        ax.grid(alpha=0.3, lw=0.5)
    a_sp.set_xlim(0.9, top * 1.1)
    a_eff.set_xlim(0.9, top * 1.1)
    a_sp.set_yscale("log", base=2)  # log-log: the ideal is the diagonal
    a_sp.set_yticks(ticks)
    a_sp.set_yticklabels([str(t) for t in ticks])
    a_sp.minorticks_off()
    a_sp.set_ylabel("speed-up over 1 core")
    a_eff.set_ylabel("parallel efficiency")
    a_eff.set_ylim(0, max(1.15, max(r["efficiency"] for r in rows) * 1.1))
    a_sp.set_title("speed-up", fontsize=10)
    a_eff.set_title("efficiency (weak: time(1) / time(n) at n× the work)", fontsize=10)
    handles, labels = a_sp.get_legend_handles_labels()
    if over:
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="black", mew=1.5))
        labels.append("hollow: oversubscribed (cores > host cores)")
    a_sp.legend(handles, labels, fontsize=7, loc="upper left")
    title = args.title or (f"icnsim scaling ({os.path.basename(args.csv)}; host cores: "
                           f"{', '.join(map(str, host))})")
    if over and not args.title:
        title += ": hollow points oversubscribed, not a scaling measurement"
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    ip.save(fig, args.output or ip.default_output(args.csv, "scaling"), args.dpi)
    return 0


if __name__ == "__main__":
    ip.run_main(main)
