#!/usr/bin/env python3
"""Reads docking outputs with independent tools and checks they agree.

PDBQT through AutoDock Vina's own `vina_split`, SDF through Open Babel's
`obabel` and RDKit, the poses HDF5 through h5py against the layout in
docs/formats.md. Coordinates and scores must agree across all of them.

usage: check_dock_outputs.py --pdbqt F --sdf F --h5 F --ligand NAME --poses N [--best SCORE]
"""
import argparse
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def pdbqt_models(path):
    """(scores, [coords of all atom lines]) via vina_split."""
    with tempfile.TemporaryDirectory() as d:
        prefix = os.path.join(d, "m_")
        r = subprocess.run(["vina_split", "--input", path, "--ligand", prefix], capture_output=True, text=True)
        if r.returncode != 0:
            fail("vina_split failed: " + r.stdout + r.stderr)
        files = sorted(glob.glob(prefix + "*.pdbqt"), key=lambda f: int(f[len(prefix):-6]))
        scores, coords = [], []
        for f in files:
            xyz = []
            for line in open(f):
                if line.startswith("REMARK VINA RESULT:"):
                    scores.append(float(line.split()[3]))
                if line.startswith(("ATOM", "HETATM")):
                    xyz.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
            coords.append(np.array(xyz))
        return scores, coords


def obabel_sdf(path):
    r = subprocess.run(["obabel", "-isdf", path, "-oxyz"], capture_output=True, text=True)
    if r.returncode != 0:
        fail("obabel failed: " + r.stderr)
    lines = r.stdout.splitlines()
    mols, i = [], 0
    while i < len(lines):
        n = int(lines[i])
        mols.append(np.array([[float(x) for x in l.split()[1:4]] for l in lines[i + 2:i + 2 + n]]))
        i += 2 + n
    r = subprocess.run(["obabel", "-isdf", path, "-otxt", "--append", "score_kcal_per_mol"], capture_output=True,
                       text=True)
    scores = [float(l.split()[-1]) for l in r.stdout.splitlines() if l.strip()]
    return scores, mols


def rdkit_sdf(path):
    try:
        from rdkit import Chem
    except ImportError:
        print("note: RDKit not installed (Debian: python3-rdkit); RDKit check skipped")
        return None
    mols = list(Chem.SDMolSupplier(path, removeHs=False))
    if any(m is None for m in mols):
        fail("RDKit could not read every record of " + path)
    return ([float(m.GetProp("score_kcal_per_mol")) for m in mols],
            [m.GetConformer().GetPositions() for m in mols])


def skip_unless_readers_installed():
    """Exits 77 (SKIPPED under ctest) naming the independent readers that are missing."""
    missing = [f"{p} (Debian: {pkg})" for p, pkg in (("vina_split", "autodock-vina"), ("obabel", "openbabel"))
               if shutil.which(p) is None]
    if importlib.util.find_spec("rdkit") is None:
        missing.append("Python module rdkit (Debian: python3-rdkit)")
    if missing:
        print("SKIPPED: not found: " + ", ".join(missing))
        sys.exit(77)


def main():
    skip_unless_readers_installed()
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdbqt", required=True)
    ap.add_argument("--sdf", required=True)
    ap.add_argument("--h5", required=True)
    ap.add_argument("--ligand", required=True)
    ap.add_argument("--poses", type=int, required=True)
    ap.add_argument("--best", type=float)
    a = ap.parse_args()

    with h5py.File(a.h5, "r") as f:
        if f.attrs["format"] != b"pandakinetics-poses" and f.attrs["format"] != "pandakinetics-poses":
            fail("format attribute")
        if int(f.attrs["format_version"]) != 1:
            fail("format_version")
        g = f["ligands"][a.ligand]
        n, T = int(g.attrs["n_atoms"]), int(g.attrs["n_torsions"])
        P = a.poses
        shapes = {"coordinates_angstrom": (P, n, 3), "score_kcal_per_mol": (P,), "inter_kcal_per_mol": (P,),
                  "intra_kcal_per_mol": (P,), "position_angstrom": (P, 3), "orientation_wxyz": (P, 4),
                  "torsions_rad": (P, T), "site": (P,), "xs_type": (n,), "element": (n,)}
        for k, s in shapes.items():
            if g[k].shape != s:
                fail(f"{k} has shape {g[k].shape}, expected {s}")
        for k in ["coordinates_angstrom", "score_kcal_per_mol", "position_angstrom", "orientation_wxyz",
                  "torsions_rad"]:
            if g[k].dtype != np.float64:
                fail(k + " is not float64")
        if g["site"].dtype != np.int32 or g["xs_type"].dtype != np.int32:
            fail("site / xs_type are not int32")
        h5_xyz = g["coordinates_angstrom"][()]
        h5_score = g["score_kcal_per_mol"][()]
        q = g["orientation_wxyz"][()]
        if not np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-9):
            fail("orientations are not unit quaternions")
        if np.any(np.diff(h5_score) < 0):
            fail("poses not sorted by score")
        if "pdbqt" not in g.attrs or "ROOT" not in (g.attrs["pdbqt"] if isinstance(g.attrs["pdbqt"], str)
                                                    else g.attrs["pdbqt"].decode()):
            fail("pdbqt attribute missing")
        boxes = f["boxes"]
        if boxes["center_angstrom"].shape[1] != 3 or boxes["size_angstrom"].shape != boxes["center_angstrom"].shape:
            fail("boxes shapes")

    v_scores, v_xyz = pdbqt_models(a.pdbqt)
    if len(v_scores) != P:
        fail(f"vina_split found {len(v_scores)} models, expected {P}")
    o_scores, o_xyz = obabel_sdf(a.sdf)
    if len(o_xyz) != P:
        fail(f"obabel read {len(o_xyz)} molecules, expected {P}")
    rd = rdkit_sdf(a.sdf)
    for p in range(P):
        # PDBQT prints 3 decimals, SDF 4; the HDF5 has full precision.
        if v_xyz[p].shape != h5_xyz[p].shape or np.abs(v_xyz[p] - h5_xyz[p]).max() > 6e-4:
            fail(f"pose {p + 1}: PDBQT coordinates differ from the HDF5")
        if np.abs(o_xyz[p] - h5_xyz[p]).max() > 6e-5:
            fail(f"pose {p + 1}: SDF (Open Babel) coordinates differ from the HDF5")
        if abs(v_scores[p] - h5_score[p]) > 6e-4 or abs(o_scores[p] - h5_score[p]) > 6e-4:
            fail(f"pose {p + 1}: scores differ: PDBQT {v_scores[p]}, SDF {o_scores[p]}, HDF5 {h5_score[p]}")
        if rd is not None:
            if abs(rd[0][p] - h5_score[p]) > 6e-4 or np.abs(rd[1][p] - h5_xyz[p]).max() > 6e-5:
                fail(f"pose {p + 1}: RDKit reads different coordinates or score")
    if a.best is not None and abs(h5_score[0] - a.best) > 6e-4:
        fail(f"best score {h5_score[0]} != {a.best}")
    print(f"ok: {P} poses agree across vina_split, obabel, {'RDKit, ' if rd else ''}h5py")


if __name__ == "__main__":
    main()
