#!/usr/bin/env python3
"""Compares PDBQT ligands prepared by `pandakinetics prepare` with Open
Babel's from the same 3-D coordinates (check_prepare_parity.sh).

  compare_pdbqt.py structure SET.sdf OURS/ OB/ REFERENCE.csv PLACE/
      Per ligand: the AutoDock type of every heavy atom and the number of
      polar hydrogens (HD) equal (atoms matched by coordinates); TORSDOF
      equals Open Babel's corrected by the documented differences, counted on
      the RDKit molecule independently of either program:
        - a single bond to a nitrile carbon (Open Babel turns it; Meeko does
          not: the nitrile lies on the axis): one less;
        - the exocyclic N-C bond of an aromatic amidine (N(H)-c(:n), e.g.
          2-aminopyrimidine): Open Babel holds it rigid as an amidine, Meeko
          (whose amide pattern needs a C=N double bond) turns it: one more.
      Then writes both files of each ligand, moved so that the heavy atoms'
      centroid lies at its receptor's box centre (the same shift for both),
      to PLACE/<receptor>/ and PLACE/<receptor>.box ("receptor cx cy cz sx
      sy sz"); imatinib stays at its pose in the Abl complex.
  compare_pdbqt.py scores LOG...
      `dock --score_only` output: for each ligand the intermolecular energy
      of both preparations equal within 0.01 kcal/mol, and the total too
      when N_rot is the same.
"""
import csv, math, os, re, sys


def read_pdbqt(path):
    atoms, torsdof = {}, None
    for line in open(path):
        if line.startswith(('ATOM', 'HETATM')):
            key = tuple(round(float(line[c:c + 8]), 2) for c in (30, 38, 46))
            atoms.setdefault(line[77:79].strip(), []).append(key)
        elif line.startswith('TORSDOF'):
            torsdof = int(line.split()[1])
    return atoms, torsdof


def by_position(atoms):
    return {xyz: t for t, lst in atoms.items() for xyz in lst if t != 'HD'}


def documented_difference(mol):
    """(nitrile bonds Open Babel turns and Meeko does not, aromatic-amidine
    N-C bonds Meeko turns and Open Babel does not): see above."""
    from rdkit import Chem
    nitriles = amidines = 0
    for b in mol.GetBonds():
        if b.GetBondType() != Chem.BondType.SINGLE or b.IsInRing():
            continue
        for x, y in ((b.GetBeginAtom(), b.GetEndAtom()), (b.GetEndAtom(), b.GetBeginAtom())):
            heavy_x = [a for a in x.GetNeighbors() if a.GetAtomicNum() > 1 and a.GetIdx() != y.GetIdx()]
            nitrile = y.GetAtomicNum() == 6 and any(
                c.GetBondType() == Chem.BondType.TRIPLE and c.GetOtherAtom(y).GetAtomicNum() == 7 for c in y.GetBonds())
            if nitrile and heavy_x:
                nitriles += 1
            amidine = (x.GetAtomicNum() == 7 and not x.GetIsAromatic() and x.GetDegree() == 3 and y.GetIsAromatic()
                       and y.GetAtomicNum() == 6 and any(a.GetAtomicNum() == 7 and a.GetIsAromatic() for a in y.GetNeighbors()))
            if amidine and heavy_x:
                amidines += 1
    return nitriles, amidines


def structure(sdf, ours_dir, ob_dir, reference_csv, place):
    from rdkit import Chem
    boxes = {}
    for row in csv.DictReader(open(reference_csv)):
        receptor = os.path.basename(row['receptor_structure']).replace('_protein.pdb', '').replace('.pdb', '')
        boxes[row['series']] = (receptor, [float(row[k]) for k in ('box_center_x', 'box_center_y', 'box_center_z',
                                                                     'box_size_x', 'box_size_y', 'box_size_z')])
    boxes['abl_imatinib'] = ('abl', None)
    fails, counts, differ = 0, {'types': 0, 'torsions': 0}, 0
    for i, mol in enumerate(Chem.SDMolSupplier(sdf, removeHs=False), start=1):
        name = mol.GetProp('_Name')
        ours, t_ours = read_pdbqt(os.path.join(ours_dir, name + '.pdbqt'))
        ob, t_ob = read_pdbqt(os.path.join(ob_dir, 'lig%d.pdbqt' % i))
        p_ours, p_ob = by_position(ours), by_position(ob)
        heavy = sum(1 for a in mol.GetAtoms() if a.GetAtomicNum() > 1)
        problems = []
        if p_ours != p_ob or len(p_ours) != heavy:
            bad = sorted((p_ours.get(k), p_ob.get(k)) for k in set(p_ours) | set(p_ob) if p_ours.get(k) != p_ob.get(k))
            problems.append('heavy-atom types differ (ours, Open Babel): %s' % bad)
        if len(ours.get('HD', [])) != len(ob.get('HD', [])):
            problems.append('HD: ours %d, Open Babel %d' % (len(ours.get('HD', [])), len(ob.get('HD', []))))
        else:
            counts['types'] += 1
        nitriles, amidines = documented_difference(mol)
        differ += nitriles + amidines > 0
        expected = t_ob - nitriles + amidines
        if t_ours != expected:
            problems.append('TORSDOF: ours %s, expected %d' % (t_ours, expected))
        else:
            counts['torsions'] += 1
        print('%-20s %2d heavy atoms  TORSDOF ours %2d  Open Babel %2d  (nitrile bonds %d, aromatic amidines %d)  %s' %
              (name, heavy, t_ours, t_ob, nitriles, amidines, 'FAIL: ' + '; '.join(problems) if problems else 'ok'))
        fails += bool(problems)
        # Placed copies for scoring.
        receptor, box = boxes[mol.GetProp('series')]
        os.makedirs(os.path.join(place, receptor), exist_ok=True)
        shift = (0.0, 0.0, 0.0)
        if box:
            c = [sum(x[k] for x in p_ours) / len(p_ours) for k in range(3)]
            shift = tuple(box[k] - c[k] for k in range(3))
            box = box[:3] + [max(v, 40.0) for v in box[3:]]  # the placed ligand inside; scores do not depend on it
            with open(os.path.join(place, receptor + '.box'), 'w') as f:
                f.write('%s %s\n' % (receptor, ' '.join('%g' % v for v in box)))
        for tag, src in (('ours', os.path.join(ours_dir, name + '.pdbqt')), ('ob', os.path.join(ob_dir, 'lig%d.pdbqt' % i))):
            with open(os.path.join(place, receptor, '%s_%s.pdbqt' % (tag, name)), 'w') as out:
                for line in open(src):
                    if line.startswith(('ATOM', 'HETATM')):
                        xyz = [float(line[c:c + 8]) + shift[k] for k, c in enumerate((30, 38, 46))]
                        line = line[:30] + '%8.3f%8.3f%8.3f' % tuple(xyz) + line[54:]
                    out.write(line)
    print('types identical on %d, TORSDOF as documented on %d of %d ligands (%d with a documented difference)' %
          (counts['types'], counts['torsions'], i, differ))
    return 1 if fails else 0


def scores(logs):
    result = {}
    for log in logs:
        cur = None
        for line in open(log):
            m = re.match(r'Ligand: (\S+)', line)
            if m:
                cur = result.setdefault(os.path.basename(m.group(1)).replace('.pdbqt', ''), {})
            elif cur is not None and 'N_rot' in line:
                cur['nrot'] = float(re.search(r'N_rot ([\d.]+)', line).group(1))
            elif cur is not None and line.startswith('Estimated Free Energy of Binding'):
                cur['total'] = float(line.split(':')[1].split()[0])
            elif cur is not None and line.startswith('(1) Final Intermolecular Energy'):
                cur['inter'] = float(line.split(':')[1].split()[0])
    fails = n_total = n_inter = 0
    worst = 0.0
    for key in sorted(k for k in result if k.startswith('ours_')):
        name = key[5:]
        a, b = result[key], result.get('ob_' + name)
        if not b or 'inter' not in a or 'inter' not in b:
            print('%-20s FAIL: a score is missing' % name)
            fails += 1
            continue
        ok = abs(a['inter'] - b['inter']) <= 0.01
        n_inter += 1
        worst = max(worst, abs(a['inter'] - b['inter']))
        msg = 'inter %.3f / %.3f' % (a['inter'], b['inter'])
        if a['nrot'] == b['nrot']:
            ok = ok and abs(a['total'] - b['total']) <= 0.01
            worst = max(worst, abs(a['total'] - b['total']))
            n_total += 1
            msg += ', total %.3f / %.3f' % (a['total'], b['total'])
        else:
            msg += ', N_rot %g / %g (documented difference: totals not compared)' % (a['nrot'], b['nrot'])
        print('%-20s ours / Open Babel: %s  %s' % (name, msg, 'ok' if ok else 'FAIL'))
        fails += not ok
    print('score_only: intermolecular energies equal on %d ligands, totals on %d; largest difference %.3f kcal/mol' %
          (n_inter - fails, n_total, worst))
    return 1 if fails or n_inter == 0 else 0


if __name__ == '__main__':
    if sys.argv[1] == 'structure':
        sys.exit(structure(*sys.argv[2:7]))
    sys.exit(scores(sys.argv[2:]))
