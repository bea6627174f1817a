#!/usr/bin/env python3
"""The binding landscape and its unbinding pathways. Every state is a point:
x its distance from the pocket (Å, /builder/states/pocket_distance_angstrom
of a landscape network file; the state index where the file has none), y its
free energy G (kcal/mol; unbound states at the 1 M standard state). Points
are coloured by layer (/builder/states/layer: 0 pocket, 1 channel, 2
surface; by macrostate where absent). Each connection is a thin line
coloured by its barrier G‡ − min(G_i, G_j) (Eyring edges; explicit-rate
edges have no barrier and are dotted grey). The top unbinding pathways of
transition-path theory (/exact/tpt of a `pandakinetics solve` output) are
drawn over it, each with its share of the total reactive flux F in the
legend.

    plot_landscape.py network.h5 [--tpt solve.h5] [--pathways 5] --output landscape.png

The first file may be the solve output itself (it holds /network). States
past the builder's rows (the unbound bulk state) are drawn just beyond the
farthest built state.
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

import pkio  # noqa: E402

LAYERS = {0: ("pocket", "tab:blue"), 1: ("channel", "tab:green"), 2: ("surface", "tab:purple")}
PATH_COLOURS = ["crimson", "darkorange", "deeppink", "saddlebrown", "gold", "darkviolet", "teal", "olive"]


def builder_states(f, n):
    """(pocket distance in Å or None, layer or None) from /builder/states. The
    builder has one row per built state, in /network/states order; states past
    its rows (the unbound bulk state, last in the network) get NaN distance and
    layer -1."""
    g = f.get("builder/states")
    if g is None:
        return None, None
    out = []
    for name, fill in (("pocket_distance_angstrom", np.nan), ("layer", -1)):
        if name not in g:
            out.append(None)
            continue
        v = g[name][:]
        if len(v) > n:
            raise SystemExit(f"{f.filename}: /builder/states/{name} has {len(v)} entries for {n} states")
        out.append(np.concatenate([v, np.full(n - len(v), fill, dtype=v.dtype if fill == -1 else float)]))
    return out[0], out[1]


def pathways(tpt):
    """[(state indices, flux fraction)] in the order solve listed them."""
    states, offsets = tpt["pathways/states"][:], tpt["pathways/offsets"][:]
    frac = tpt["pathways/flux_fraction"][:]
    return [(states[offsets[p]:offsets[p + 1]], frac[p]) for p in range(len(offsets) - 1)]


def has_tpt(path):
    """True when the file at `path` holds /exact/tpt (closes it again)."""
    with h5py.File(path, "r") as f:
        return "exact/tpt" in f


def tpt_group(network_file, tpt_path):
    """/exact/tpt of the solve output, else of the network file itself, or None."""
    for src in (tpt_path, network_file):
        g = pkio.exact_group(src)
        if g is not None and "tpt" in g:
            return g["tpt"]
    return None


def edge_lines(net, x):
    """Unique connections as segments with their barrier (NaN: explicit rate)."""
    G = net["G"]
    seen, segs, barrier = set(), [], []
    for a, b, k, v in zip(net["edge_from"], net["edge_to"], net["edge_kind"], net["edge_value"]):
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        segs.append([(x[a], G[a]), (x[b], G[b])])
        barrier.append(v - min(G[a], G[b]) if k == 0 else np.nan)
    return segs, np.array(barrier)


def draw(network_path, output, tpt=None, max_paths=5):
    f = h5py.File(network_path, "r")
    net = pkio.network(f)
    n, G = len(net["id"]), net["G"]
    dist, layer = builder_states(f, n)
    x = dist if dist is not None else np.arange(n, dtype=float)
    unplaced = ~np.isfinite(x)
    if unplaced.any():  # states without a distance (the bulk): just beyond the farthest built state
        span = np.nanmax(x) - np.nanmin(x) if (~unplaced).any() else 1.0
        x = np.where(unplaced, (np.nanmax(x) if (~unplaced).any() else 0.0) + 0.1 * span + 1.0, x)
    fig, ax = plt.subplots(figsize=(9.0, 5.6))
    segs, barrier = edge_lines(net, x)
    eyring = np.isfinite(barrier)
    if eyring.any():
        lc = LineCollection([s for s, e in zip(segs, eyring) if e], array=barrier[eyring], cmap="viridis",
                            linewidths=0.6, alpha=0.7, zorder=1)
        ax.add_collection(lc)
        fig.colorbar(lc, ax=ax, pad=0.01).set_label("barrier G‡ − min(G_i, G_j) (kcal/mol)")
    if (~eyring).any():
        ax.add_collection(LineCollection([s for s, e in zip(segs, eyring) if not e], colors="0.6", linewidths=0.6,
                                         linestyles=":", zorder=1))
    groups = ([(layer == k, name, c) for k, (name, c) in LAYERS.items()] if layer is not None else
              [(net["macrostate"] == m, m, pkio.COLOURS[m]) for m in ("bound", "other", "unbound")])
    for sel, name, colour in groups:
        if sel.any():
            ax.scatter(x[sel], G[sel], s=14 if n > 200 else 30, color=colour, zorder=3, label=f"{name} ({int(sel.sum())})")
    if layer is not None:  # unbound (bulk) states of a landscape have no layer of the three
        for m, name in (("unbound", "bulk (unbound)"), ("other", "no layer")):
            sel = ~np.isin(layer, list(LAYERS)) & (net["macrostate"] == m if m == "unbound" else net["macrostate"] != "unbound")
            if sel.any():
                ax.scatter(x[sel], G[sel], s=14 if n > 200 else 30, color=pkio.COLOURS[m], zorder=3,
                           label=f"{name} ({int(sel.sum())})")
    title = f"{n} states, {len(segs)} connections"
    group = tpt_group(f, tpt)
    if group is not None:
        if len(group["forward_committor"]) != n:
            raise SystemExit(f"{tpt}: /exact/tpt has {len(group['forward_committor'])} states, the network {n}")
        for p, (states, frac) in enumerate(pathways(group)[:max_paths]):
            ax.plot(x[states], G[states], color=PATH_COLOURS[p % len(PATH_COLOURS)], lw=max(1.2, 3.5 - 0.5 * p),
                    alpha=0.6, zorder=2, solid_capstyle="round", label=f"path {p + 1}: {100 * frac:.1f} % of F")
        title += (f"; TPT bound→unbound: F = {group['total_flux_per_s'][0]:.3g} 1/s, "
                  f"k_AB = {group['rate_per_s'][0]:.3g} 1/s")
    ax.autoscale_view()
    ax.set_xlabel("distance from the pocket (Å)" if dist is not None else "state index (no /builder/states/pocket_distance_angstrom)")
    ax.set_ylabel("free energy G (kcal/mol)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("network", help="HDF5 file with /network (a landscape network file, or the solve output)")
    p.add_argument("--tpt", help="pandakinetics solve output with /exact/tpt (default: the first file, if it has one)")
    p.add_argument("--pathways", type=int, default=5, help="most pathways to highlight (default 5)")
    p.add_argument("--output", default="landscape.png", help="PNG to write (default landscape.png)")
    a = p.parse_args(argv)
    draw(a.network, a.output, a.tpt, a.pathways)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
