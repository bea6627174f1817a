#!/usr/bin/env python3
"""First-passage-time histograms from a KMC output file: time to the first
arrival in an unbound state (walkers that did not start unbound) and in a
bound state (walkers that did not start bound), on logarithmic bins.
Walkers that had not arrived by the end are counted in the title
(censored), not in the bars. When the file or --exact (a pandakinetics
solve output) has the exact survival S(t) of the bound state, the expected
count per bin, N (S(a) - S(b)) with S interpolated in log t, is drawn over
the unbinding histogram.

    plot_fpt.py run.h5 [--exact solve.h5] [--bins 40] --output fpt.png
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pkio  # noqa: E402


def draw(path, exact_path, output, bins=40):
    f = h5py.File(path, "r")
    if pkio.kind(f) != "kmc":
        raise SystemExit(f"{path}: not a KMC output file (no /results/walkers)")
    w = pkio.walkers(f)
    ex = pkio.exact_group(f, exact_path)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, title in ((axes[0], "first_passage_to_unbound_s", "to unbound (unbinding)"),
                           (axes[1], "first_passage_to_bound_s", "to bound (binding)")):
        fpt = w[key][:]
        eligible = fpt != 0
        seen = fpt[fpt > 0]
        censored = int((fpt < 0).sum())
        if len(seen) == 0:
            ax.text(0.5, 0.5, f"no first passages {title}\n({int(eligible.sum())} eligible walkers)",
                    ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        lo, hi = np.log10(seen.min()), np.log10(seen.max())
        if hi - lo < 1e-6:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.logspace(lo, hi, bins + 1)
        counts, _ = np.histogram(seen, edges)
        ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", alpha=0.7, label="KMC")
        if ex is not None and key == "first_passage_to_unbound_s":
            t, s = ex["times_s"][:], ex["bound_survival"][:]
            si = np.interp(np.log(edges), np.log(t), s, left=1.0, right=s[-1])
            expected = int(eligible.sum()) * (si[:-1] - si[1:])
            ax.step(edges[:-1], expected, where="post", color="k", ls="--", label="exact N (S(a) - S(b))")
        ax.set_xscale("log")
        ax.set_xlabel("first-passage time (s)")
        ax.set_ylabel("walkers per bin (1)")
        ax.set_title(f"First passage {title}: {len(seen)} seen, {censored} censored", fontsize=9)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="KMC output HDF5 file")
    p.add_argument("--exact", help="a pandakinetics solve output (exact S(t) drawn over the unbinding histogram)")
    p.add_argument("--bins", type=int, default=40, help="logarithmic bins (default 40)")
    p.add_argument("--output", default="fpt.png", help="PNG to write (default fpt.png)")
    a = p.parse_args(argv)
    draw(a.file, a.exact, a.output, a.bins)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
