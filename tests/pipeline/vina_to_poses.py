#!/usr/bin/env python3
"""Vina's docking output (multi-model PDBQT) -> a poses HDF5 file in the
layout of docs/formats.md "Docked poses", for tests of the network stage on
poses that do not come from our docking.

Each model's conformation (root position, orientation relative to the
input pose, torsions relative to the input pose) is fitted independently of
the program's kinematics: the root by a least-squares rigid fit (Kabsch) of
the ROOT atoms, then every BRANCH in file order by the dihedral angle that
maps the input subtree onto the model about the branch bond. The stored
coordinates are rebuilt from the fitted conformation (the rebuild differs
from Vina's 3-decimal coordinates by a few 1e-3 Å at most, printed), so the
file is self-consistent; `pandakinetics network` checks that its own
kinematics rebuilds them. Scores, INTER and INTRA come from Vina's REMARK
lines. xs_type is not computed here (-1).

    vina_to_poses.py --ligand inputs/dock/ligand.pdbqt --vina out.pdbqt --receptor R.pdbqt \\
        --center 11 90.5 57.5 --size 22 24 28 --output poses.h5
"""
import argparse
import os
import sys

import h5py
import numpy as np


def atoms_and_tree(lines):
    """Atom coordinates in file order and the torsion tree: per atom its node; per node (parent, from, to)."""
    xyz, elements, serial_index, atom_node = [], [], {}, []
    nodes = [(-1, -1, -1)]
    stack = [0]
    for line in lines:
        rec = line[:6].strip()
        if rec in ("ATOM", "HETATM"):
            serial_index[int(line[6:11])] = len(xyz)
            xyz.append([float(line[30:38]), float(line[38:46]), float(line[46:54])])
            ad = line[77:79].strip()
            elements.append({"A": "C", "NA": "N", "OA": "O", "HD": "H", "SA": "S", "NS": "N", "OS": "O"}.get(ad, ad))
            atom_node.append(stack[-1])
        elif rec == "BRANCH":
            a, b = int(line.split()[1]), int(line.split()[2])
            nodes.append((stack[-1], a, b))
            stack.append(len(nodes) - 1)
        elif rec == "ENDBRANCH":
            stack.pop()
    nodes = [(p, serial_index.get(a, -1), serial_index.get(b, -1)) for p, a, b in nodes]
    return np.array(xyz), elements, np.array(atom_node), nodes


def rotation(axis, angle):
    axis = axis / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k


def quaternion(R):
    w = np.sqrt(max(0.0, 1 + R[0, 0] + R[1, 1] + R[2, 2])) / 2
    x = np.copysign(np.sqrt(max(0.0, 1 + R[0, 0] - R[1, 1] - R[2, 2])) / 2, R[2, 1] - R[1, 2])
    y = np.copysign(np.sqrt(max(0.0, 1 - R[0, 0] + R[1, 1] - R[2, 2])) / 2, R[0, 2] - R[2, 0])
    z = np.copysign(np.sqrt(max(0.0, 1 - R[0, 0] - R[1, 1] + R[2, 2])) / 2, R[1, 0] - R[0, 1])
    q = np.array([w, x, y, z])
    return q / np.linalg.norm(q)


def subtree(nodes, k):
    out = {k}
    for j in range(k + 1, len(nodes)):
        if nodes[j][0] in out:
            out.add(j)
    return out


def fit(ref, model, atom_node, nodes):
    """Conformation (p, q, torsions) of `model` relative to the input `ref`, and the rebuilt coordinates."""
    root = np.where(atom_node == 0)[0]
    origin = root[0]
    a = ref[root] - ref[origin]
    b = model[root] - model[origin]
    u, _, vt = np.linalg.svd(a.T @ b)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    R = vt.T @ np.diag([1, 1, d]) @ u.T
    p = model[origin].copy()
    cur = (ref - ref[origin]) @ R.T + p
    torsions = []
    for k in range(1, len(nodes)):
        _, fa, ta = nodes[k]
        axis = cur[ta] - cur[fa]
        axis /= np.linalg.norm(axis)
        moving = np.where(np.isin(atom_node, list(subtree(nodes, k))))[0]
        s, c = 0.0, 0.0
        # The piece's own atoms and its children's axis atoms (which only this torsion moves) fix its angle.
        own = list(np.where(atom_node == k)[0]) + [nodes[j][2] for j in range(k + 1, len(nodes)) if nodes[j][0] == k]
        for i in own:
            if i == ta:
                continue
            v0 = cur[i] - cur[ta]
            v1 = model[i] - cur[ta]
            v0 -= axis * (v0 @ axis)
            v1 -= axis * (v1 @ axis)
            s += np.cross(v0, v1) @ axis
            c += v0 @ v1
        angle = np.arctan2(s, c)
        Rk = rotation(axis, angle)
        cur[moving] = (cur[moving] - cur[ta]) @ Rk.T + cur[ta]
        torsions.append(float(np.remainder(angle + np.pi, 2 * np.pi) - np.pi))
    return p, quaternion(R), np.array(torsions), cur


def models(path):
    out, cur, remarks = [], None, {}
    for line in open(path):
        if line.startswith("MODEL"):
            cur, remarks = [], {}
        elif line.startswith("REMARK VINA RESULT:"):
            remarks["score"] = float(line.split()[3])
        elif line.startswith("REMARK INTER:"):
            remarks["inter"] = float(line.split()[2])
        elif line.startswith("REMARK INTRA:"):
            remarks["intra"] = float(line.split()[2])
        elif line.startswith("ENDMDL"):
            out.append((cur, remarks))
        elif cur is not None:
            cur.append(line)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ligand", required=True, help="the input ligand PDBQT that Vina docked")
    ap.add_argument("--vina", required=True, help="Vina's output PDBQT (MODEL ... ENDMDL with REMARK lines)")
    ap.add_argument("--receptor", required=True, help="receptor path stored in the file")
    ap.add_argument("--center", type=float, nargs=3, required=True, help="search box centre, Å")
    ap.add_argument("--size", type=float, nargs=3, required=True, help="search box size, Å")
    ap.add_argument("--name", default="ligand", help="ligand group name (default ligand)")
    ap.add_argument("--output", required=True, help="poses HDF5 file to write")
    a = ap.parse_args(argv)
    text = open(a.ligand).read()
    ref, elements, atom_node, nodes = atoms_and_tree(text.splitlines())
    rows = []
    worst = 0.0
    for lines, rem in models(a.vina):
        xyz, _, node2, _ = atoms_and_tree(lines)
        if len(xyz) != len(ref) or not np.array_equal(node2, atom_node):
            sys.exit(f"{a.vina}: a model's atoms or torsion tree differ from {a.ligand}")
        p, q, t, rebuilt = fit(ref, xyz, atom_node, nodes)
        worst = max(worst, float(np.abs(rebuilt - xyz).max()))
        rows.append((rem["score"], rem["inter"], rem["intra"], p, q, t, rebuilt))
    rows.sort(key=lambda r: r[0])
    torsdof = int([l for l in text.splitlines() if l.startswith("TORSDOF")][0].split()[1])
    with h5py.File(a.output + ".tmp", "w") as f:
        f.attrs["format"] = "pandakinetics-poses"
        f.attrs["format_version"] = np.int32(1)
        f.attrs["receptor"] = a.receptor
        g = f.create_group(f"ligands/{a.name}")
        g.attrs["source"] = a.ligand
        g.attrs["n_atoms"] = np.int32(len(ref))
        g.attrs["n_torsions"] = np.int32(len(nodes) - 1)
        g.attrs["torsdof"] = np.int32(torsdof)
        g.attrs["pdbqt"] = text
        g["coordinates_angstrom"] = np.array([r[6] for r in rows])
        g["score_kcal_per_mol"] = np.array([r[0] for r in rows])
        g["inter_kcal_per_mol"] = np.array([r[1] for r in rows])
        g["intra_kcal_per_mol"] = np.array([r[2] for r in rows])
        g["position_angstrom"] = np.array([r[3] for r in rows])
        g["orientation_wxyz"] = np.array([r[4] for r in rows])
        g["torsions_rad"] = np.array([r[5] for r in rows]).reshape(len(rows), len(nodes) - 1)
        g["site"] = np.zeros(len(rows), dtype=np.int32)
        g["xs_type"] = np.full(len(ref), -1, dtype=np.int32)
        g["element"] = np.array(elements, dtype="S2")
        f["boxes/center_angstrom"] = np.array([a.center])
        f["boxes/size_angstrom"] = np.array([a.size])
    os.replace(a.output + ".tmp", a.output)
    print(f"wrote {a.output}: {len(rows)} poses, scores {rows[0][0]} .. {rows[-1][0]} kcal/mol; "
          f"rebuilt coordinates within {worst:.4f} Å of Vina's")


if __name__ == "__main__":
    sys.exit(main())
