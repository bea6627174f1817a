#!/usr/bin/env python3
"""Docked poses' scores from a poses HDF5 file (pandakinetics dock
--out_h5; layout in docs/pipeline.md): for every ligand, the Vina score of
each pose in rank order (kcal/mol), coloured by the search box (site) that
produced it, with the intermolecular and intramolecular parts.

    plot_poses.py poses.h5 --output poses.png
"""
import argparse
import sys

import h5py
import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import pkio  # noqa: E402


def draw(path, output):
    f = h5py.File(path, "r")
    if pkio.kind(f) != "poses" or "ligands" not in f:
        raise SystemExit(f"{path}: not a poses file (root attribute format = pandakinetics-poses, /ligands)")
    names = list(f["ligands"].keys())
    if not names:
        raise SystemExit(f"{path}: /ligands is empty")
    fig, axes = plt.subplots(1, len(names), figsize=(5.5 * len(names), 4.2), squeeze=False)
    for ax, name in zip(axes[0], names):
        g = f["ligands"][name]
        score = g["score_kcal_per_mol"][:]
        rank = np.arange(1, len(score) + 1)
        site = g["site"][:] if "site" in g else np.zeros(len(score), dtype=int)
        sc = ax.scatter(rank, score, c=site, cmap="viridis", s=25, zorder=3, label="Vina score")
        if "inter_kcal_per_mol" in g:
            ax.plot(rank, g["inter_kcal_per_mol"][:], "x", color="tab:red", ms=4, label="intermolecular")
        if "intra_kcal_per_mol" in g:
            ax.plot(rank, g["intra_kcal_per_mol"][:], "+", color="tab:green", ms=5, label="intramolecular")
        if len(np.unique(site)) > 1:
            fig.colorbar(sc, ax=ax, label="site (search box)")
        ax.set_xlabel("pose (rank by score)")
        ax.set_ylabel("energy (kcal/mol)")
        ax.set_title(f"{name}: {len(score)} poses, best {score.min():.2f} kcal/mol", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(output, dpi=110)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="poses HDF5 file")
    p.add_argument("--output", default="poses.png", help="PNG to write (default poses.png)")
    a = p.parse_args(argv)
    draw(a.file, a.output)
    print(f"wrote {a.output}")


if __name__ == "__main__":
    sys.exit(main())
