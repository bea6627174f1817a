#!/usr/bin/env python3
"""Occupancy versus time: the fraction of walkers in the bound, unbound and
other macrostates (and in the --top most occupied states) on the KMC time
grid, from /results/occupancy_total of a KMC output file. When the file, or
--exact (a pandakinetics solve output), holds the exact P(t) and the KMC
walkers started unbound (kmc --mode kon), the exact macrostate occupancies
are drawn over them (solve's P(t) starts from the unbound states); for a
run that started bound the exact curves are drawn in their own panel.
A solve file alone draws its exact P(t).

    plot_occupancy.py run.h5 [--exact solve.h5] [--top 4] --output occupancy.png
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pkio  # noqa: E402


def macro_sums(occ, macro):
    return {m: occ[:, macro == m].sum(axis=1) for m in ("bound", "unbound", "other") if (macro == m).any()}


def draw(path, exact_path, output, top=4):
    f = h5py.File(path, "r")
    net = pkio.network(f)
    ex = pkio.exact_group(f, exact_path)
    k = pkio.kind(f)
    if k != "kmc" and ex is None:
        raise SystemExit(f"{path}: neither KMC occupancies (/results/occupancy_total) nor an /exact group")
    started_unbound = pkio.parameter(f, "mode") == "kon" or pkio.parameter(f, "start") == "unbound"
    panels = 2 if (k == "kmc" and ex is not None and not started_unbound) else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.4 * panels, 4.4), squeeze=False)
    ax = axes[0][0]
    n = len(net["id"])
    if k == "kmc":
        t = f["results/time_grid_s"][:]
        occ = f["results/occupancy_total"][:].reshape(len(t), n).astype(float)
        total = occ[0].sum()
        occ /= total
        for m, y in macro_sums(occ, net["macrostate"]).items():
            ax.plot(t, y, color=pkio.COLOURS[m], lw=2, label=f"KMC {m}")
        for i in np.argsort(-occ.mean(axis=0))[:top]:
            ax.plot(t, occ[:, i], lw=0.8, ls=":", label=f"KMC state {net['name'][i]}")
        ax.set_title(f"KMC occupancy ({int(total)} walkers, start {pkio.parameter(f, 'mode', '?')} mode)")
    target = ax if panels == 1 else axes[0][1]
    if ex is not None and (k != "kmc" or panels == 2 or started_unbound):
        times = ex["times_s"][:]
        p = ex["occupancy"][:].reshape(len(times), n)
        for m, y in macro_sums(p, net["macrostate"]).items():
            target.plot(times, y, color=pkio.COLOURS[m], ls="--", lw=1.5, label=f"exact {m} (from unbound)")
        target.set_xscale("log")
        if panels == 2 or k != "kmc":
            target.set_title("Exact P(t) from the unbound start")
    for a in axes[0]:
        a.set_xlabel("time t (s)")
        a.set_ylabel("fraction of walkers (1)")
        a.set_ylim(-0.02, 1.02)
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="KMC output (or solve output) HDF5 file")
    p.add_argument("--exact", help="a pandakinetics solve output with the exact P(t)")
    p.add_argument("--top", type=int, default=4, help="also draw the N most occupied single states (default 4)")
    p.add_argument("--output", default="occupancy.png", help="PNG to write (default occupancy.png)")
    a = p.parse_args(argv)
    draw(a.file, a.exact, a.output, a.top)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
