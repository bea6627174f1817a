#!/usr/bin/python3
"""Checks prepared PDBQT files of the kinetics reference set against independent programs.

For every ligand (or those of --ligands):
  * heavy-atom count and formula (no H) of the PDBQT's AutoDock types equal RDKit's from the SMILES;
  * TORSDOF equals an independent count of rotatable bonds on the RDKit molecule (single, not in a ring,
    not C(=O|S|N)-N, no sp atom, each end with another heavy or polar-H neighbour);
  * the Gasteiger charges sum to the SMILES' formal charge (within 0.05 e), so the protonation survived.
For every crystal ligand (unless --no-scores): `vina --score_only` in its prepared receptor and the
series' box gives a finite total, and `pandakinetics dock --score_only` (with --pandakinetics) agrees
with it to 0.01 kcal/mol.
With --compare DIR: every file of DIR's SHA256SUMS that was also written here is byte-identical.

Prints one line per check with its figures; exit 0 when all pass, 1 when one fails.
"""
import argparse
import collections
import csv
import hashlib
import math
import os
import re
import subprocess
import sys

from rdkit import Chem

AD_ELEMENT = {'C': 'C', 'A': 'C', 'N': 'N', 'NA': 'N', 'O': 'O', 'OA': 'O', 'S': 'S', 'SA': 'S',
              'P': 'P', 'F': 'F', 'Cl': 'Cl', 'Br': 'Br', 'I': 'I', 'H': 'H', 'HD': 'H'}
CRYSTAL_FILES = {'structures/5lny.pdb:HETATM 70K': '5lny', 'structures/3utu_crystal_ligand.sdf': '3utu',
                 'structures/5tmn_crystal_ligand.sdf': '5tmn'}
RECEPTOR_FILES = {'structures/5lny.pdb': '5lny', 'structures/5tmn_protein.pdb': '5tmn',
                  'structures/3utu_protein.pdb': '3utu'}
SCORE_TOLERANCE = 0.01   # kcal/mol


def read_pdbqt(path):
    elements, charge, torsdof = [], 0.0, None
    with open(path) as f:
        for n, line in enumerate(f, start=1):
            if line.startswith(('ATOM', 'HETATM')):
                t = line[77:79].strip()
                if t not in AD_ELEMENT:
                    raise ValueError(f'{path}:{n}: unknown AutoDock type "{t}"')
                elements.append(AD_ELEMENT[t])
                charge += float(line[68:76])
            elif line.startswith('TORSDOF'):
                torsdof = int(line.split()[1])
    if torsdof is None:
        raise ValueError(f'{path}: no TORSDOF line')
    return elements, charge, torsdof


def formula(elements):
    c = collections.Counter(e for e in elements if e != 'H')
    return ''.join(f'{e}{c[e]}' for e in sorted(c))


def polar_h(atom):
    return atom.GetAtomicNum() == 1 and atom.GetNeighbors()[0].GetSymbol() in ('N', 'O', 'S')


def rule_torsions(mol):
    """Rotatable bonds by Vina's convention, counted on the RDKit molecule with explicit H."""
    def kept_neighbours(atom, other):
        return [n for n in atom.GetNeighbors() if n.GetIdx() != other.GetIdx()
                and (n.GetAtomicNum() > 1 or polar_h(n))]

    def is_sp(atom):
        return any(b.GetBondType() == Chem.BondType.TRIPLE for b in atom.GetBonds())

    def amide_like(c, n):
        return (c.GetSymbol() == 'C' and n.GetSymbol() == 'N' and
                any(b.GetBondType() == Chem.BondType.DOUBLE and b.GetOtherAtom(c).GetSymbol() in ('O', 'S', 'N')
                    for b in c.GetBonds()))

    count = 0
    for b in mol.GetBonds():
        a1, a2 = b.GetBeginAtom(), b.GetEndAtom()
        if b.GetBondType() != Chem.BondType.SINGLE or b.IsInRing():
            continue
        if a1.GetAtomicNum() == 1 or a2.GetAtomicNum() == 1 or is_sp(a1) or is_sp(a2):
            continue
        if amide_like(a1, a2) or amide_like(a2, a1):
            continue
        if kept_neighbours(a1, a2) and kept_neighbours(a2, a1):
            count += 1
    return count


def vina_total(args):
    proc = subprocess.run(args, capture_output=True, text=True)
    m = re.search(r'Estimated Free Energy of Binding\s*:\s*(\S+)', proc.stdout)
    if proc.returncode != 0 or not m:
        raise RuntimeError(' '.join(args) + ' failed: ' + (proc.stderr or proc.stdout).strip()[-400:])
    return float(m.group(1))


def box_args(row):
    return [f'--{k}={row["box_" + k]}' for k in
            ('center_x', 'center_y', 'center_z', 'size_x', 'size_y', 'size_z')]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--reference', default=os.path.join(repo, 'inputs/kinetics/reference.csv'))
    ap.add_argument('--prepared', default=os.path.join(repo, 'inputs/kinetics/prepared'),
                    help='folder written by prepare_reference.py')
    ap.add_argument('--ligands', default='', help='comma-separated ligand ids (default: every one found)')
    ap.add_argument('--pandakinetics', default='', help='pandakinetics executable for the score parity')
    ap.add_argument('--no-scores', action='store_true', help='skip the vina/pandakinetics scoring')
    ap.add_argument('--compare', default='', help='folder with a SHA256SUMS to hold the files to')
    args = ap.parse_args()
    with open(args.reference, newline='') as f:
        rows = list(csv.DictReader(f))
    wanted = set(x for x in args.ligands.split(',') if x)
    failures = 0

    def report(ok, text):
        nonlocal failures
        failures += 0 if ok else 1
        print(('ok    ' if ok else 'FAIL  ') + text)

    for row in rows:
        lid = row['ligand_id']
        path = os.path.join(args.prepared, 'ligands', lid + '.pdbqt')
        if (wanted and lid not in wanted) or (not wanted and not os.path.exists(path)):
            continue
        mol = Chem.AddHs(Chem.MolFromSmiles(row['smiles']))
        want_elements = [a.GetSymbol() for a in mol.GetAtoms()]
        elements, charge, torsdof = read_pdbqt(path)
        want_tors = rule_torsions(mol)
        fcharge = Chem.GetFormalCharge(mol)
        ok = (formula(elements) == formula(want_elements) and torsdof == want_tors
              and abs(charge - fcharge) < 0.05)
        report(ok, f'{lid}: heavy atoms {sum(e != "H" for e in elements)} (RDKit '
                   f'{sum(e != "H" for e in want_elements)}), formula {formula(elements)} (RDKit '
                   f'{formula(want_elements)}), TORSDOF {torsdof} (rule {want_tors}), charge sum '
                   f'{charge:+.3f} e (formal {fcharge:+d} e)')
    if not args.no_scores:
        done = set()
        for row in rows:
            crystal = CRYSTAL_FILES.get(row['crystal_ligand'])
            if crystal is None or crystal in done or (wanted and row['ligand_id'] not in wanted):
                continue
            done.add(crystal)
            receptor = os.path.join(args.prepared, 'receptors', RECEPTOR_FILES[row['receptor_structure']] + '.pdbqt')
            ligand = os.path.join(args.prepared, 'crystal', crystal + '_ligand.pdbqt')
            common = ['--receptor', receptor, '--ligand', ligand, '--score_only'] + box_args(row)
            v = vina_total(['vina'] + common)
            text = f'{crystal} crystal ligand: vina --score_only {v:.3f} kcal/mol'
            ok = math.isfinite(v)
            if args.pandakinetics:
                p = vina_total([args.pandakinetics, 'dock'] + common)
                ok = ok and abs(p - v) <= SCORE_TOLERANCE
                text += f', pandakinetics dock --score_only {p:.3f} kcal/mol, |diff| {abs(p - v):.3f} kcal/mol'
            report(ok, text)
    if args.compare:
        sums = {}
        with open(os.path.join(args.compare, 'SHA256SUMS')) as f:
            for line in f:
                digest, rel = line.split()
                sums[rel] = digest
        compared = 0
        for rel, digest in sorted(sums.items()):
            path = os.path.join(args.prepared, rel)
            if not os.path.exists(path):
                continue
            with open(path, 'rb') as f:
                got = hashlib.sha256(f.read()).hexdigest()
            compared += 1
            report(got == digest, f'{rel}: sha256 {got[:16]}... {"equals" if got == digest else "differs from"} '
                                  f'{args.compare}')
        report(compared > 0, f'{compared} files compared with {args.compare}')
    print(f'{failures} check(s) failed')
    return 1 if failures else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (ValueError, RuntimeError, OSError) as err:
        print(f'check_prepared.py: error: {err}', file=sys.stderr)
        sys.exit(1)
