#!/usr/bin/python3
"""A network snapshot of a run file drawn on the unit torus.

`icnsim run --snapshot-every N` writes /snapshots/tick_<t>/{ids, types, x, y, capital,
edge_src, edge_dst, edge_kind}. Actors are coloured by type and their marker area grows
with their capital (uniform, with a note, where the snapshot has no capital: a model
without one, or a file written before snapshots had it); edges are coloured by kind and,
for the cluster model whose space is the torus, take the short way round: an edge that
wraps is drawn as two pieces, each leaving the square at the border (--wrap).

examples:
  plot_network.py run.h5                        # the last snapshot
  plot_network.py run.h5 --tick 50 --edges business,partnership -o net.png
  plot_network.py run.h5 --list                 # the snapshot ticks in the file
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import icnplot as ip  # noqa: E402
from icnplot import np, plt  # noqa: E402

TYPE_STYLE = {  # code: (colour, marker, z-order)
    0: ("#4c72b0", "o", 3), 1: ("#c44e52", "o", 4), 2: ("#55a868", "s", 5), 3: ("#8172b2", "D", 5),
    4: ("#000000", "*", 6), 5: ("#ccb974", "P", 5), 6: ("#da8bc3", "^", 5),
}
EDGE_STYLE = {0: ("#9e9e9e", 0.35, 0.5), 1: ("#4c72b0", 0.5, 0.6), 2: ("#dd8452", 0.8, 0.9)}


def snapshot_ticks(res):
    if not res.has("snapshots"):
        raise ip.PlotError(f"{res.path}: no /snapshots group (write one with "
                           "`icnsim run --snapshot-every N`)")
    ticks = []
    for name in res.f["snapshots"]:
        if name.startswith("tick_") and name[5:].isdigit():
            ticks.append(int(name[5:]))
    if not ticks:
        raise ip.PlotError(f"{res.path}: /snapshots holds no tick_<t> group")
    return sorted(ticks)


def torus_segments(x, y, src, dst):
    """Line segments [k, 2, 2] of the edges, the short way round the unit torus."""
    p = np.column_stack([x[src], y[src]])
    q = np.column_stack([x[dst], y[dst]])
    d = q - p
    d -= np.round(d)  # the short way: each component in [-0.5, 0.5]
    wraps = np.any(np.abs((p + d) - q) > 1e-12, axis=1)
    straight = np.stack([p[~wraps], q[~wraps]], axis=1)
    # A wrapping edge: from p towards p + d, and from q towards q - d; the axes' limits
    # [0, 1] clip both at the border.
    out_p = np.stack([p[wraps], p[wraps] + d[wraps]], axis=1)
    out_q = np.stack([q[wraps], q[wraps] - d[wraps]], axis=1)
    return np.concatenate([straight, out_p, out_q]), int(wraps.sum())


def main():
    ap = ip.argparser(__doc__)
    ap.add_argument("results", help="a run file with /snapshots")
    ap.add_argument("--tick", type=int, help="the snapshot to draw (default: the last)")
    ap.add_argument("--edges", metavar="KINDS",
                    help="edge kinds to draw, by name or code, e.g. business,partnership or 1,2; "
                         "'none' for no edges (default: all)")
    ap.add_argument("--wrap", choices=("auto", "yes", "no"), default="auto",
                    help="draw edges the short way round the torus (auto: for the cluster model, "
                         "whose space is the torus; other models' layouts are drawn straight)")
    ap.add_argument("--list", action="store_true", help="print the snapshot ticks and exit")
    ip.add_output_options(ap, "network")
    args = ap.parse_args()

    res = ip.Results(args.results)
    ticks = snapshot_ticks(res)
    if args.list:
        print("\n".join(map(str, ticks)))
        return 0
    tick = ticks[-1] if args.tick is None else args.tick
    if tick not in ticks:
        raise ip.PlotError(f"--tick: {res.path} has no snapshot at tick {tick} (snapshots: {ip.short_list(map(str, ticks))})")
    base = f"snapshots/tick_{tick}"
    ids = np.asarray(res.array(f"{base}/ids"), dtype=np.int64)
    types = np.asarray(res.array(f"{base}/types"), dtype=np.int64)
    x = np.asarray(res.array(f"{base}/x"), dtype=float)
    y = np.asarray(res.array(f"{base}/y"), dtype=float)
    src_id = np.asarray(res.array(f"{base}/edge_src"), dtype=np.int64)
    dst_id = np.asarray(res.array(f"{base}/edge_dst"), dtype=np.int64)
    kind = np.asarray(res.array(f"{base}/edge_kind"), dtype=np.int64)
    if not (len(ids) == len(types) == len(x) == len(y)):
        raise ip.PlotError(f"{res.path}: /{base}: ids, types, x, y differ in length")
    if not (len(src_id) == len(dst_id) == len(kind)):
        raise ip.PlotError(f"{res.path}: /{base}: edge_src, edge_dst, edge_kind differ in length")
    capital = None
    if res.has(f"{base}/capital"):
        capital = np.asarray(res.array(f"{base}/capital"), dtype=float)
        if len(capital) != len(ids):
            raise ip.PlotError(f"{res.path}: /{base}/capital has {len(capital)} values for {len(ids)} actors")
    else:
        ip.note(f"{res.path}: /{base} has no capital (a model without capital, or a file written before "
                "snapshots had it); markers of one size")

    cluster = res.attr("model") == "cluster"
    type_name = (lambda t: ip.ACTOR_TYPES.get(t, f"type {t}")) if cluster else (lambda t: f"type {t}")
    kind_name = (lambda k: ip.EDGE_KINDS.get(k, f"kind {k}")) if cluster else (lambda k: f"kind {k}")
    wrap = args.wrap == "yes" or (args.wrap == "auto" and cluster)
    want_kinds = sorted(set(kind.tolist()))
    if args.edges:
        want_kinds = []
        by_name = {kind_name(k): k for k in range(8)}
        for tok in ip.parse_list(args.edges):
            if tok == "none":
                continue
            if tok.isdigit():
                want_kinds.append(int(tok))
            elif tok in by_name:
                want_kinds.append(by_name[tok])
            else:
                raise ip.PlotError(f"--edges: unknown edge kind '{tok}' (kinds: "
                                   f"{', '.join(kind_name(k) for k in sorted(set(kind.tolist())))})")

    # Edge ends by index into the actor arrays.
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]

    def index(v):
        pos = np.searchsorted(sorted_ids, v)
        ok = (pos < len(ids)) & (sorted_ids[np.minimum(pos, len(ids) - 1)] == v)
        return order[np.minimum(pos, len(ids) - 1)], ok

    si, sok = index(src_id)
    di, dok = index(dst_id)
    if not np.all(sok & dok):
        ip.note(f"{int((~(sok & dok)).sum())} edges name an actor not in the snapshot; left out")

    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=ip.parse_figsize(args.figsize, (10.0, 8.0)))
    handles = []
    wrapped = 0
    for k in want_kinds:
        sel = (kind == k) & sok & dok
        if not np.any(sel):
            continue
        if wrap:
            segs, w = torus_segments(x, y, si[sel], di[sel])
        else:
            segs, w = np.stack([np.column_stack([x[si[sel]], y[si[sel]]]),
                                np.column_stack([x[di[sel]], y[di[sel]]])], axis=1), 0
        wrapped += w
        colour, alpha, lw = EDGE_STYLE.get(k, ("#7f7f7f", 0.4, 0.5))
        ax.add_collection(LineCollection(segs, colors=colour, alpha=alpha, linewidths=lw, zorder=1))
        handles.append(Line2D([], [], color=colour, lw=1.5, alpha=min(1, alpha + 0.3),
                              label=f"{kind_name(k)} ({int(sel.sum())})"))

    if capital is not None:
        c = np.clip(np.nan_to_num(capital, nan=0.0), 0, None)
        top = np.percentile(c, 99) if np.any(c > 0) else 1.0
        sizes = 6 + 120 * np.sqrt(np.minimum(c, top) / max(top, 1e-300))
    else:
        sizes = np.full(len(ids), 14.0)
    sizes *= min(1.0, np.sqrt(800 / max(len(ids), 1)))  # dense networks: smaller markers
    for t in sorted(set(types.tolist()), key=lambda t: TYPE_STYLE.get(t, ("", "", 7))[2]):
        sel = types == t
        colour, marker, z = TYPE_STYLE.get(t, ("#7f7f7f", "o", 7))
        # Firms and network headquarters by capital; the few institutions (whose capital
        # is not comparable) at one size that stands out.
        s = sizes[sel] if t in (0, 1, 6) or not cluster else np.full(int(sel.sum()), 200.0 if marker == "*" else 80.0)
        ax.scatter(x[sel], y[sel], s=s,
                   c=colour, marker=marker, alpha=0.85, edgecolors="white", linewidths=0.3, zorder=z)
        handles.append(Line2D([], [], ls="", marker=marker, color=colour, ms=7,
                              label=f"{type_name(t)} ({int(sel.sum())})"))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.tick_params(labelsize=8)
    for side in ax.spines.values():
        side.set_linestyle((0, (4, 3)))  # the border is not an edge of the world
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    size_note = ("marker area ~ capital of firms and headquarters (clipped at the 99th percentile)"
                 if capital is not None
                 else "no capital in this file: markers of one size")
    ax.set_title(args.title or f"{res.attr('model', '?')} network at tick {tick}: {len(ids)} actors, "
                 f"{int(np.isin(kind, want_kinds).sum())} edges drawn "
                 f"({f'{wrapped} wrap round the torus' if wrap else 'straight, not wrapped'})\n"
                 f"{size_note} ({os.path.basename(res.path)})", fontsize=9)
    fig.tight_layout()
    ip.save(fig, args.output or ip.default_output(args.results, f"network_{tick}"), args.dpi)
    return 0


if __name__ == "__main__":
    ip.run_main(main)
