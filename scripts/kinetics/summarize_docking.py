#!/usr/bin/python3
"""Collects the docking of the kinetics reference set (scripts/kinetics/dock_reference.sh) into
DOCKED/summary.csv (one row per ligand) and DOCKED/redocking.csv (the crystal ligands: heavy-atom RMSD
of the docked poses to the crystal pose, atom i against atom i: the docked PDBQT keeps the input's atom
order, so no matching is needed and no symmetry is exploited)."""
import argparse
import csv
import json
import math
import os
import sys

CRYSTALS = ('5lny', '5tmn', '3utu')
SERIES_OF_CRYSTAL = {'5lny': 'hsp90_5lny', '5tmn': 'thermolysin_5lwd', '3utu': 'thrombin_3utu'}


def heavy_atoms_and_torsdof(path):
    heavy, torsdof = 0, None
    with open(path) as f:
        for line in f:
            if line.startswith(('ATOM', 'HETATM')) and line[77:79].strip() not in ('H', 'HD'):
                heavy += 1
            elif line.startswith('TORSDOF'):
                torsdof = int(line.split()[1])
    return heavy, torsdof


def heavy_coords_by_model(path):
    """Heavy-atom coordinates of each MODEL of a PDBQT file (one model when there is no MODEL record)."""
    models, current = [], []
    with open(path) as f:
        for line in f:
            if line.startswith('MODEL'):
                current = []
            elif line.startswith('ENDMDL'):
                models.append(current)
                current = []
            elif line.startswith(('ATOM', 'HETATM')) and line[77:79].strip() not in ('H', 'HD'):
                current.append((line[77:79].strip(), float(line[30:38]), float(line[38:46]), float(line[46:54])))
    if current:
        models.append(current)
    return models


def rmsd(a, b, where):
    if len(a) != len(b) or any(x[0] != y[0] for x, y in zip(a, b)):
        raise ValueError(f'{where}: the docked pose and the crystal pose have different heavy atoms')
    return math.sqrt(sum((x[1] - y[1]) ** 2 + (x[2] - y[2]) ** 2 + (x[3] - y[3]) ** 2 for x, y in zip(a, b)) / len(a))


def docking_result(docked, lid):
    d = os.path.join(docked, lid)
    with open(os.path.join(d, 'dock.json')) as f:
        poses = json.load(f)['ligands'][0]['poses']
    with open(os.path.join(d, 'wall_time_s')) as f:
        wall = float(f.read())
    cpu = float('nan')
    if os.path.exists(os.path.join(d, 'cpu_time_s')):
        with open(os.path.join(d, 'cpu_time_s')) as f:
            cpu = float(f.read())
    return poses, wall, cpu


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--reference', default=os.path.join(repo, 'inputs/kinetics/reference.csv'))
    ap.add_argument('--prepared', default=os.path.join(repo, 'inputs/kinetics/prepared'))
    ap.add_argument('--docked', default=os.path.join(repo, 'out/kinetics/docked'))
    ap.add_argument('--exhaustiveness', default='', help='recorded in the summary')
    ap.add_argument('--seed', default='', help='recorded in the summary')
    args = ap.parse_args()
    with open(args.reference, newline='') as f:
        rows = list(csv.DictReader(f))
    out_rows, missing = [], []
    for r in rows:
        lid = r['ligand_id']
        if not os.path.exists(os.path.join(args.docked, lid, 'wall_time_s')):
            missing.append(lid)
            continue
        poses, wall, cpu = docking_result(args.docked, lid)
        heavy, torsdof = heavy_atoms_and_torsdof(os.path.join(args.prepared, 'ligands', lid + '.pdbqt'))
        koff = float(r['koff_per_s'])
        out_rows.append({'ligand_id': lid, 'series': r['series'], 'koff_per_s': r['koff_per_s'],
                         'log10_residence_time_s': f'{-math.log10(koff):.4f}',
                         'best_vina_score_kcal_per_mol': f'{poses[0]["score"]:.3f}',
                         'heavy_atoms': heavy, 'torsions': torsdof, 'n_poses': len(poses),
                         'dock_wall_time_s': f'{wall:.2f}', 'dock_cpu_time_s': f'{cpu:.2f}',
                         'exhaustiveness': args.exhaustiveness,
                         'seed': args.seed})
    path = os.path.join(args.docked, 'summary.csv')
    with open(path, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(out_rows[0].keys()) if out_rows else ['ligand_id'])
        w.writeheader()
        w.writerows(out_rows)
    print(f'{path}: {len(out_rows)} ligands' + (f' ({len(missing)} not docked yet: {" ".join(missing)})'
                                                 if missing else ''))
    for series in sorted({r['series'] for r in out_rows}):
        s = [r for r in out_rows if r['series'] == series]
        scores = [float(r['best_vina_score_kcal_per_mol']) for r in s]
        walls = [float(r['dock_wall_time_s']) for r in s]
        cpus = [float(r['dock_cpu_time_s']) for r in s]
        print(f'  {series}: {len(s)} ligands, best score {min(scores):.2f} .. {max(scores):.2f} kcal/mol, '
              f'wall time {min(walls):.1f} .. {max(walls):.1f} s (mean {sum(walls) / len(walls):.1f} s), '
              f'CPU time mean {sum(cpus) / len(cpus):.1f} s')

    red = []
    for c in CRYSTALS:
        lid = 'crystal_' + c
        if not os.path.exists(os.path.join(args.docked, lid, 'wall_time_s')):
            continue
        poses, wall, cpu = docking_result(args.docked, lid)
        crystal = heavy_coords_by_model(os.path.join(args.prepared, 'crystal', c + '_ligand.pdbqt'))[0]
        docked = heavy_coords_by_model(os.path.join(args.docked, lid, lid + '_out.pdbqt'))
        where = os.path.join(args.docked, lid)
        rms = [rmsd(m, crystal, where) for m in docked]
        best_mode = min(range(len(rms)), key=lambda i: rms[i])
        red.append({'crystal': c, 'series': SERIES_OF_CRYSTAL[c], 'heavy_atoms': len(crystal),
                    'best_score_kcal_per_mol': f'{poses[0]["score"]:.3f}',
                    'rmsd_best_pose_angstrom': f'{rms[0]:.2f}',
                    'closest_mode': best_mode + 1, 'closest_mode_rmsd_angstrom': f'{rms[best_mode]:.2f}',
                    'closest_mode_score_kcal_per_mol': f'{poses[best_mode]["score"]:.3f}',
                    'n_poses': len(poses), 'dock_wall_time_s': f'{wall:.2f}', 'dock_cpu_time_s': f'{cpu:.2f}'})
    if red:
        path = os.path.join(args.docked, 'redocking.csv')
        with open(path, 'w', newline='') as f:
            w = csv.DictWriter(f, fieldnames=list(red[0].keys()))
            w.writeheader()
            w.writerows(red)
        print(f'{path}:')
        for r in red:
            print(f'  {r["crystal"]}: best pose {r["best_score_kcal_per_mol"]} kcal/mol, heavy-atom RMSD to the '
                  f'crystal {r["rmsd_best_pose_angstrom"]} A; closest of {r["n_poses"]} modes: mode '
                  f'{r["closest_mode"]}, {r["closest_mode_rmsd_angstrom"]} A, {r["closest_mode_score_kcal_per_mol"]} '
                  f'kcal/mol')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (ValueError, OSError, KeyError, IndexError) as err:
        print(f'summarize_docking.py: error: {err}', file=sys.stderr)
        sys.exit(1)
