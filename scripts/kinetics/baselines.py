#!/usr/bin/python3
"""Baselines the kinetic model must beat (issue 15, section 4): how well the bare docking score and the
ligand's size rank the measured residence times of the reference set.

Reads the summary.csv of scripts/kinetics/dock_reference.sh and prints, per series and pooled over all
ligands, the Spearman rank correlation rho and the Pearson r of
  * -(best Vina score) [kcal/mol]  against  log10(residence time tau = 1/koff [s]),
  * heavy-atom count                 against  log10(tau [s]),
with two-sided p-values (scipy.stats). A positive rho means "more negative score / bigger ligand,
longer residence". Pearson r is computed on log10 tau (the score is already a log-scale quantity).
"""
import argparse
import csv
import math
import os
import sys

from scipy import stats


def load(path):
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    need = ('series', 'koff_per_s', 'best_vina_score_kcal_per_mol', 'heavy_atoms')
    for n, r in enumerate(rows, start=2):
        for k in need:
            if k not in r or r[k] in ('', None):
                raise ValueError(f'{path}:{n}: no {k}')
        if float(r['koff_per_s']) <= 0:
            raise ValueError(f'{path}:{n}: koff_per_s {r["koff_per_s"]} is not positive')
    return rows


def correlations(rows):
    log_tau = [-math.log10(float(r['koff_per_s'])) for r in rows]
    out = {}
    for name, x in (('-Vina score', [-float(r['best_vina_score_kcal_per_mol']) for r in rows]),
                    ('heavy atoms', [float(r['heavy_atoms']) for r in rows])):
        rho, p_rho = stats.spearmanr(x, log_tau)
        r, p_r = stats.pearsonr(x, log_tau)
        out[name] = (rho, p_rho, r, p_r)
    return out, log_tau


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('summary', nargs='?', default=os.path.join(repo, 'out/kinetics/docked/summary.csv'),
                    help='summary.csv written by dock_reference.sh')
    args = ap.parse_args()
    rows = load(args.summary)
    groups = [(s, [r for r in rows if r['series'] == s]) for s in sorted({r['series'] for r in rows})]
    groups.append(('pooled', rows))
    print(f'{args.summary}: {len(rows)} ligands; tau = 1/koff (s); score in kcal/mol; rho, r dimensionless')
    print(f'{"series":<18} {"n":>3} {"log10 tau/s range":>18}  {"predictor":<12} {"Spearman rho":>12} '
          f'{"p":>8} {"Pearson r":>10} {"p":>8}')
    within = {'-Vina score': [], 'heavy atoms': []}
    for name, g in groups:
        if len(g) < 3:
            print(f'{name:<18} {len(g):>3}  (fewer than 3 ligands: no correlation)')
            continue
        res, log_tau = correlations(g)
        span = f'{min(log_tau):.2f} .. {max(log_tau):.2f}'
        for pred, (rho, p_rho, r, p_r) in res.items():
            print(f'{name:<18} {len(g):>3} {span:>18}  {pred:<12} {rho:>12.3f} {p_rho:>8.2g} {r:>10.3f} {p_r:>8.2g}')
            if name != 'pooled':
                within[pred].append(rho)
    for pred, v in within.items():
        if v:
            print(f'within-series Spearman rho of {pred}: mean {sum(v) / len(v):.3f} over {len(v)} series '
                  f'(min {min(v):.3f}, max {max(v):.3f})')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (ValueError, OSError) as err:
        print(f'baselines.py: error: {err}', file=sys.stderr)
        sys.exit(1)
