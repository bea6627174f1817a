#!/usr/bin/env python3
"""Survival of the bound state: the probability S(t) that a walker started
bound has not yet reached an unbound state by time t.

From a KMC output file (pandakinetics kmc --output): the Kaplan-Meier
estimate over all walkers that did not start unbound (walkers still bound at
the end count as censored at their observation end, so the curve is not
biased by the finite horizon). The exact S(t) of the master equation is
drawn over it when the file, or the file given with --exact (pandakinetics
solve --output), has an /exact group. A solve file alone draws the exact
curve only.

    plot_survival.py run.h5 [--exact solve.h5] --output survival.png
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pkio  # noqa: E402


def draw(path, exact_path, output):
    f = h5py.File(path, "r")
    ex = pkio.exact_group(f, exact_path)
    k = pkio.kind(f)
    if k != "kmc" and ex is None:
        raise SystemExit(f"{path}: neither KMC walkers (/results/walkers) nor an /exact group to draw")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    summary = {}
    if k == "kmc":
        t, observed = pkio.bound_first_passages(f)
        if len(t) == 0:
            raise SystemExit(f"{path}: every walker started unbound; no bound survival to draw")
        kt, ks = pkio.kaplan_meier(t, observed)
        ax.step(kt[1:], ks[1:], where="post", label=f"KMC Kaplan-Meier ({len(t)} walkers, {int((~observed).sum())} censored)")
        summary["kmc_walkers"] = int(len(t))
        summary["kmc_censored"] = int((~observed).sum())
    if ex is not None:
        times, s = ex["times_s"][:], ex["bound_survival"][:]
        ax.plot(times, s, "k--", lw=1.5, label="exact (master equation)")
        summary["exact_points"] = int(len(times))
    ax.set_xscale("log")
    ax.set_xlabel("time t (s)")
    ax.set_ylabel("S(t): still bound (1)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Bound-state survival")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)
    return summary


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="KMC output (or solve output) HDF5 file")
    p.add_argument("--exact", help="a pandakinetics solve output whose /exact curve is drawn over the KMC one")
    p.add_argument("--output", default="survival.png", help="PNG to write (default survival.png)")
    a = p.parse_args(argv)
    draw(a.file, a.exact, a.output)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
