#!/usr/bin/env python3
"""plot_benchmarks.py DIR: draws DIR/kmc.png (KMC steps/s against walkers per
replica and against network size) and DIR/io.png (parallel-HDF5 write MB/s
against ranks) from the CSV files benchmarks/run_benchmarks wrote. A CSV that
is absent is skipped."""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    d = sys.argv[1]
    kmc = rows(os.path.join(d, "kmc.csv"))
    if kmc:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, sweep, x, label in ((axes[0], "walkers", "walkers_per_replica", "walkers per replica"),
                                    (axes[1], "states", "states", "network states (out-degree 10)")):
            pts = sorted((int(r[x]), float(r["steps_per_s"]), r["replicas"], r["execution_space"])
                         for r in kmc if r["sweep"] == sweep)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-")
                ax.set_title(f"{pts[0][3]}, {pts[0][2]} replicas")
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xlabel(label)
            ax.set_ylabel("KMC steps/s")
        fig.suptitle("pandakinetics bench kmc (median of repeats)")
        fig.tight_layout()
        fig.savefig(os.path.join(d, "kmc.png"), dpi=120)
    io = rows(os.path.join(d, "io.csv"))
    if io:
        pts = sorted((int(r["ranks"]), float(r["write_MB_per_s"]), float(r["bytes_per_rank"])) for r in io)
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("MPI ranks")
        ax.set_ylabel("collective write, MB/s")
        ax.set_title(f"bench io, {pts[0][2] / 1e6:g} MB per rank")
        fig.tight_layout()
        fig.savefig(os.path.join(d, "io.png"), dpi=120)


if __name__ == "__main__":
    main()
