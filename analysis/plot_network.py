#!/usr/bin/env python3
"""The network drawn with its free energies: every state is a point at its
free energy G (kcal/mol; unbound states at the 1 M standard state), bound
states on the left ordered by G, `other` states in the middle, unbound on
the right. An Eyring edge is drawn as a path from one state up to its
transition-state free energy G‡ and down to the other, so the barriers
can be read off the y axis; an explicit-rate edge is a dotted straight
line. Works on any file with a /network group (kmc, solve or network
output).

    plot_network.py run.h5 --output network.png [--labels 30]
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pkio  # noqa: E402


def layout(net):
    """x positions: bound | other | unbound blocks, each ordered by free energy."""
    x = np.zeros(len(net["id"]))
    start = 0.0
    for m in ("bound", "other", "unbound"):
        idx = np.where(net["macrostate"] == m)[0]
        idx = idx[np.argsort(net["G"][idx], kind="stable")]
        x[idx] = start + np.arange(len(idx))
        start += len(idx) + 1.0
    return x


def draw(path, output, max_labels=30):
    f = h5py.File(path, "r")
    net = pkio.network(f)
    x, G = layout(net), net["G"]
    fig, ax = plt.subplots(figsize=(max(6.4, 0.35 * len(x) + 3), 4.8))
    drawn = set()
    for a, b, k, v in zip(net["edge_from"], net["edge_to"], net["edge_kind"], net["edge_value"]):
        key = (min(a, b), max(a, b))
        if key in drawn:
            continue
        drawn.add(key)
        if k == 0:  # Eyring: up to the transition state and down again
            xm = 0.5 * (x[a] + x[b])
            ax.plot([x[a], xm, x[b]], [G[a], v, G[b]], color="0.55", lw=0.8)
            ax.plot([xm], [v], marker="_", color="k", ms=6)
        else:
            ax.plot([x[a], x[b]], [G[a], G[b]], color="0.55", lw=0.8, ls=":")
    for m in ("bound", "other", "unbound"):
        sel = net["macrostate"] == m
        if sel.any():
            ax.scatter(x[sel], G[sel], s=40, color=pkio.COLOURS[m], zorder=3, label=f"{m} ({int(sel.sum())})")
    if len(x) <= max_labels:
        for i in range(len(x)):
            ax.annotate(net["name"][i], (x[i], G[i]), textcoords="offset points", xytext=(3, -10), fontsize=7)
    ax.set_xticks([])
    ax.set_ylabel("free energy G (kcal/mol)")
    kinds = {0: "Eyring", 1: "rate", 2: "probability"}
    used = ", ".join(sorted({kinds.get(int(k), str(k)) for k in net["edge_kind"]}))
    ax.set_title(f"{len(x)} states, {len(drawn)} connections ({used}); bars: transition states", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="any HDF5 file with a /network group")
    p.add_argument("--labels", type=int, default=30, help="label the states when there are at most this many")
    p.add_argument("--output", default="network.png", help="PNG to write (default network.png)")
    a = p.parse_args(argv)
    draw(a.file, a.output, a.labels)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
