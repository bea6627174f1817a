#!/usr/bin/env python3
"""Checks of multi-box docking output (tests/dock/check_dock_sites.sh), read
back with h5py, independently of the program's own readers.

  two --merged M.h5 --alone A0.h5 A1.h5 --boxes BOX0 BOX1
      /boxes holds BOX0, BOX1; sites in {0, 1}, both present; every pose's
      heavy atoms inside its box; scores ascending and equal to Vina's formula
      against the best pose's intra; each merged pose of site b is a pose of
      box b docked alone (same coordinates, inter and intra), in the same order.
  same X.h5 Y.h5            every dataset of both files equal
  network NET.json --sites S... [--merged M.h5]   every state's site is one of S
      and (with --merged) the site of its representative pose in M.h5
  blind --merged M.h5 --log LOG --vina VINA.pdbqt --size L
      the boxes printed in LOG are /boxes; all are L-Å cubes; one of them holds
      every heavy atom of Vina's best mode; poses inside their boxes.
"""
import argparse
import json
import re
import sys

import h5py
import numpy as np


def ligand(f):
    names = list(f["ligands"])
    assert len(names) == 1, names
    return f["ligands"][names[0]]


def heavy_mask(g):
    return np.array([e.decode() if isinstance(e, bytes) else str(e) for e in g["element"][()]]) != "H"


def check_inside(f):
    g = ligand(f)
    centre, size = f["boxes/center_angstrom"][()], f["boxes/size_angstrom"][()]
    xyz, site = g["coordinates_angstrom"][()][:, heavy_mask(g), :], g["site"][()]
    assert site.min() >= 0 and site.max() < len(centre), site
    # The search box is the grid's: ceil(size / 0.375 Å) voxels a side, centred (as Vina).
    span = np.ceil(size / 0.375 - 1e-9) * 0.375
    for p in range(len(site)):
        lo, hi = centre[site[p]] - span[site[p]] / 2, centre[site[p]] + span[site[p]] / 2
        assert np.all(xyz[p] >= lo - 1e-3) and np.all(xyz[p] <= hi + 1e-3), (p, site[p])
    s = g["score_kcal_per_mol"][()]
    assert np.all(np.diff(s) >= 0), s
    return g


def two(a):
    boxes = [[float(v) for v in b.split(",")] for b in a.boxes]
    with h5py.File(a.merged) as f:
        assert np.allclose(f["boxes/center_angstrom"][()], [b[:3] for b in boxes])
        assert np.allclose(f["boxes/size_angstrom"][()], [b[3:] for b in boxes])
        g = check_inside(f)
        site, xyz = g["site"][()], g["coordinates_angstrom"][()]
        inter, intra, score = g["inter_kcal_per_mol"][()], g["intra_kcal_per_mol"][()], g["score_kcal_per_mol"][()]
        assert set(site) == {0, 1}, site
        # score = (inter + intra - intra_best) / (1 + w N_rot): one normalisation for every pose
        ratio = (inter + intra - intra[0]) / score
        assert np.allclose(ratio, ratio[0], rtol=1e-9), ratio
        for b, alone in enumerate(a.alone):
            with h5py.File(alone) as h:
                ga = ligand(h)
                assert list(ga["site"][()]) == [0] * len(ga["site"][()])
                axyz, ainter, aintra = ga["coordinates_angstrom"][()], ga["inter_kcal_per_mol"][()], ga["intra_kcal_per_mol"][()]
                ascore = ga["score_kcal_per_mol"][()]
                k = 0
                for p in np.flatnonzero(site == b):
                    while k < len(axyz) and not np.array_equal(axyz[k], xyz[p]):
                        k += 1
                    assert k < len(axyz), f"merged pose {p} (site {b}) is not a pose of box {b} docked alone"
                    assert ainter[k] == inter[p] and aintra[k] == intra[p], (p, k)
                    # the best pose's box keeps its own scores (the same best pose, the same intra_best)
                    assert b != site[0] or abs(ascore[k] - score[p]) < 1e-12, (p, k, ascore[k], score[p])
                    k += 1
                if b == site[0]:
                    assert np.array_equal(xyz[0], axyz[0]), "the best pose is not its box's best"
        print(f"two boxes: {len(site)} poses, {np.sum(site == 0)} from box 0 and {np.sum(site == 1)} from box 1, "
              f"best {score[0]:.3f} kcal/mol (box {site[0]}); each box's poses are its own run's")


def same(a):
    with h5py.File(a.files[0]) as x, h5py.File(a.files[1]) as y:
        def walk(name, obj):
            if isinstance(obj, h5py.Dataset):
                assert np.array_equal(obj[()], y[name][()]), name
        x.visititems(walk)
    print("poses files identical:", a.files)


def network(a):
    # Which sites end up as states depends on the docking run (the GPU's
    # random streams differ from the CPU's) and on which states connect to
    # unbound; what must hold is that each state carries the site of its
    # representative pose and that the sites are the boxes'.
    j = json.load(open(a.files[0]))
    states = j["state_list"]
    assert states, "no states"
    sites = {s["site"] for s in states}
    assert sites <= set(a.sites), (sites, a.sites)
    if a.merged:
        import h5py
        with h5py.File(a.merged, "r") as f:
            pose_site = next(iter(f["ligands"].values()))["site"][()]
        for s in states:
            assert s["site"] == pose_site[s["representative_pose"]], s
    print(f"network: {len(states)} states from sites {sorted(sites)} of {sorted(a.sites)}, each its pose's site")


def blind(a):
    printed = re.findall(r"box (\d+): centre \(([-0-9.]+), ([-0-9.]+), ([-0-9.]+)\) Å, size \(([-0-9.]+), ([-0-9.]+), "
                         r"([-0-9.]+)\) Å", open(a.log).read())
    vina = []
    for line in open(a.vina):
        if line.startswith("ENDMDL"):
            break
        if line.startswith(("ATOM", "HETATM")) and line[77:79].strip() not in ("H", "HD"):
            vina.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
    vina = np.array(vina)
    with h5py.File(a.merged) as f:
        centre, size = f["boxes/center_angstrom"][()], f["boxes/size_angstrom"][()]
        assert len(printed) == len(centre) > 1, (len(printed), len(centre))
        for k, row in enumerate(printed):
            assert int(row[0]) == k
            assert np.allclose([float(v) for v in row[1:4]], centre[k], atol=5e-4)
            assert np.allclose([float(v) for v in row[4:7]], size[k], atol=5e-4)
        assert np.allclose(size, a.size)
        holding = [k for k in range(len(centre)) if np.all(np.abs(vina - centre[k]) <= size[k] / 2)]
        assert holding, "no blind box holds Vina's best pose"
        g = check_inside(f)
        print(f"blind: {len(centre)} boxes of {a.size} Å; Vina's best pose lies wholly in box(es) {holding}; "
              f"{len(g['site'])} poses from {len(set(g['site'][()]))} boxes, best {g['score_kcal_per_mol'][0]:.3f} kcal/mol")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["two", "same", "network", "blind"])
    p.add_argument("files", nargs="*")
    p.add_argument("--merged")
    p.add_argument("--alone", nargs="*", default=[])
    p.add_argument("--boxes", nargs="*", default=[])
    p.add_argument("--sites", nargs="*", type=int, default=[])
    p.add_argument("--log")
    p.add_argument("--vina")
    p.add_argument("--size", type=float)
    a = p.parse_args()
    {"two": two, "same": same, "network": network, "blind": blind}[a.what](a)


if __name__ == "__main__":
    sys.exit(main())
