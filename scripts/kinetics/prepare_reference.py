#!/usr/bin/python3
"""Prepare the kinetics reference set (inputs/kinetics/) for docking: ligands from SMILES, receptors and
crystal ligands from the deposited structures, all written as AutoDock PDBQT.

Route (inputs/kinetics/README.md, "Preparation"):
  ligand   SMILES -> RDKit (protonation as written) -> explicit H -> ETKDG v3 (fixed seed) -> MMFF94
           -> MDL molfile -> Open Babel's PDBQT writer (AutoDock types, non-polar H merged, torsion tree
           with amide C-N bonds rigid) -> bonds to a nitrile carbon made rigid (they turn nothing) ->
           RDKit's Gasteiger charges (non-polar H charges added to their carbon) in place of Open Babel's
  receptor PDB -> protein atoms (chosen chains, alternate location A or the first), no H, no water, no
           HETATM except the metal ions the site needs -> Open Babel: H added at pH 7.4, rigid PDBQT
           with Gasteiger charges -> the metal ions appended (charge = formal charge +2)
  crystal  the deposited heavy atoms -> bond orders and charges from a template SMILES in the set's
           protonation convention -> H added at the crystal coordinates -> Open Babel's PDBQT writer

Usage: prepare_reference.py [--reference CSV] [--out DIR] [--ligands ID,ID,...] [--no-receptors]
The output is the same bytes on every run (RDKit 2022.09, Open Babel 3.1.1 of Debian 12).
"""
import argparse
import csv
import hashlib
import math
import os
import subprocess
import sys

from rdkit import Chem, rdBase
from rdkit.Chem import AllChem

EMBED_SEED = 20261207        # ETKDG v3 random seed (any fixed number; recorded in the README)
MMFF_MAX_ITERS = 10000
RECEPTOR_PH = 7.4
METAL_CONTACT_A = 3.0        # a kept metal ion lies this close to a kept protein heavy atom

# What each receptor structure keeps: chains (None = all) and the metal ions of the site.
RECEPTORS = {
    'structures/5lny.pdb': dict(name='5lny', chains=None, metals=()),
    'structures/5tmn_protein.pdb': dict(name='5tmn', chains={'E'}, metals=('ZN', 'CA')),
    'structures/3utu_protein.pdb': dict(name='3utu', chains=None, metals=()),
}

# Crystal ligands, with the SMILES that gives their bond orders and protonation (the set's convention).
# 3UTU's ligand is thrombin_3utu_01 (the compilation's "native" entry). 5LNY's 70K (the piperidine-1-carbonyl
# analogue, 1H-indazole) and 5TMN's Cbz-Gly(P)-Leu-Leu (ZGP(O)LL) are not members of the measured series.
CRYSTALS = {
    'structures/5lny.pdb:HETATM 70K': dict(
        name='5lny', template_smiles='CN(C(=O)c1cc2c(C(=O)N3CCCCC3)n[nH]c2cc1O)c1ccc(N2CCOCC2)cc1'),
    'structures/3utu_crystal_ligand.sdf': dict(name='3utu', template_id='thrombin_3utu_01'),
    'structures/5tmn_crystal_ligand.sdf': dict(
        name='5tmn', template_smiles='CC(C)C[C@H](NC(=O)[C@H](CC(C)C)N[P@](=O)([O-])CNC(=O)OCc1ccccc1)C(=O)[O-]'),
}


class PrepError(Exception):
    pass


def fail(where, what):
    raise PrepError(f'{where}: {what}')


def read_reference(path):
    required = ['series', 'ligand_id', 'smiles', 'koff_per_s', 'receptor_structure', 'crystal_ligand',
                'box_center_x', 'box_center_y', 'box_center_z', 'box_size_x', 'box_size_y', 'box_size_z']
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            fail(f'{path}:1', f'missing column(s) {", ".join(missing)}')
        rows = []
        for line, row in enumerate(reader, start=2):
            for c in required:
                if not row[c]:
                    fail(f'{path}:{line}', f'empty {c}')
            try:
                if float(row['koff_per_s']) <= 0:
                    fail(f'{path}:{line}', f'koff_per_s {row["koff_per_s"]} is not positive')
            except ValueError:
                fail(f'{path}:{line}', f'koff_per_s "{row["koff_per_s"]}" is not a number')
            row['_line'] = line
            rows.append(row)
    return rows


def run_obabel(args, stdin_text, where):
    proc = subprocess.run(['obabel'] + args, input=stdin_text, capture_output=True, text=True)
    if proc.returncode != 0 or '1 molecule converted' not in proc.stderr or not proc.stdout:
        fail(where, 'obabel ' + ' '.join(args) + ' failed: ' + proc.stderr.strip().replace('\n', ' | '))
    return proc.stdout


class Node:
    def __init__(self):
        self.atoms = []          # PDBQT atom lines of this rigid piece
        self.children = []       # (parent serial, child serial, Node)


def parse_tree(text, where):
    root, stack, torsdof = None, [], None
    for n, line in enumerate(text.splitlines(), start=1):
        tag = line.split()[0] if line.split() else ''
        if tag == 'ROOT':
            root = Node()
            stack = [root]
        elif tag in ('ATOM', 'HETATM'):
            if not stack:
                fail(f'{where} (PDBQT line {n})', 'atom outside ROOT/BRANCH')
            stack[-1].atoms.append(line)
        elif tag == 'BRANCH':
            child = Node()
            stack[-1].children.append((int(line.split()[1]), int(line.split()[2]), child))
            stack.append(child)
        elif tag == 'ENDBRANCH':
            if len(stack) < 2:
                fail(f'{where} (PDBQT line {n})', 'ENDBRANCH without BRANCH')
            stack.pop()
        elif tag == 'TORSDOF':
            torsdof = int(line.split()[1])
    if root is None or torsdof is None:
        fail(where, 'Open Babel wrote no torsion tree')
    return root, torsdof


def subtree_atoms(node):
    out = list(node.atoms)
    for _, _, child in node.children:
        out += subtree_atoms(child)
    return out


def atom_xyz(line):
    return float(line[30:38]), float(line[38:46]), float(line[46:54])


def moves_nothing(axis_from, axis_to, atoms, tol=0.3):
    """True when every atom lies on the rotation axis, within tol (A; crystal nitriles bend by a few
    degrees): the torsion moves nothing."""
    ax = [t - f for f, t in zip(axis_from, axis_to)]
    norm = sum(c * c for c in ax) ** 0.5
    for line in atoms:
        d = [p - f for f, p in zip(axis_from, atom_xyz(line))]
        cross = (d[1] * ax[2] - d[2] * ax[1], d[2] * ax[0] - d[0] * ax[2], d[0] * ax[1] - d[1] * ax[0])
        if sum(c * c for c in cross) ** 0.5 / norm > tol:
            return False
    return True


def is_sp(xyz_of_atom, sp_coords):
    return any(max(abs(p - q) for p, q in zip(xyz_of_atom, c)) < 0.002 for c in sp_coords)


def drop_void_torsions(node, coords, sp_coords):
    """Merges into their parent the branches that turn about a bond to an sp atom (a triple bond's atom)
    and whose atoms all lie on that axis. Open Babel makes the bond to a nitrile carbon a torsion; it
    moves no atom and would only add to Vina's N_rot (Meeko does not make it rotatable)."""
    kept = []
    for a, b, child in node.children:
        drop_void_torsions(child, coords, sp_coords)
        if (is_sp(coords[a], sp_coords) or is_sp(coords[b], sp_coords)) and \
                moves_nothing(coords[a], coords[b], subtree_atoms(child)):
            node.atoms += subtree_atoms(child)
        else:
            kept.append((a, b, child))
    node.children = kept


def emit_tree(root, title):
    """PDBQT text of the tree, atoms renumbered in output order (each node's atoms before its branches)."""
    out, new_serial = [], {}

    def atoms(node):
        for line in node.atoms:
            new_serial[int(line[6:11])] = len(new_serial) + 1
            out.append(f'{line[:6]}{new_serial[int(line[6:11])]:5d}{line[11:]}')

    def branch(node):
        for a, b, child in node.children:
            pos = len(out)
            out.append(None)
            atoms(child)
            out[pos] = f'BRANCH {new_serial[a]:3d} {new_serial[b]:3d}'
            branch(child)
            out.append(f'ENDBRANCH {new_serial[a]:3d} {new_serial[b]:3d}')

    def count(node):
        return sum(1 + count(c) for _, _, c in node.children)

    out.append('ROOT')
    atoms(root)
    out.append('ENDROOT')
    branch(root)
    out.append(f'TORSDOF {count(root)}')
    return f'REMARK  Name = {title}\n' + '\n'.join(out) + '\n'


def set_gasteiger_charges(root, mol, where):
    """Gasteiger charges from RDKit (which starts from the formal charges, so they sum to the net charge;
    Open Babel 3.1.1's sum to zero for an ion), each non-polar H's charge added to its heavy atom (the
    H is merged), written into the PDBQT atom lines, matched to RDKit's atoms by position."""
    AllChem.ComputeGasteigerCharges(mol)
    conf = mol.GetConformer()
    charge = {}
    for atom in mol.GetAtoms():
        q = atom.GetDoubleProp('_GasteigerCharge')
        if not math.isfinite(q):
            fail(where, f'RDKit gives no Gasteiger charge for atom {atom.GetIdx() + 1} ({atom.GetSymbol()})')
        owner = atom
        if atom.GetAtomicNum() == 1 and atom.GetNeighbors()[0].GetSymbol() not in ('N', 'O', 'S'):
            owner = atom.GetNeighbors()[0]
        charge[owner.GetIdx()] = charge.get(owner.GetIdx(), 0.0) + q
    positions = [(i, tuple(conf.GetAtomPosition(i))) for i in charge]

    def relabel(node):
        for k, line in enumerate(node.atoms):
            p = atom_xyz(line)
            hits = [i for i, c in positions if max(abs(a - b) for a, b in zip(p, c)) < 0.002]
            if len(hits) != 1:
                fail(where, f'PDBQT atom at {p} matches {len(hits)} RDKit atoms')
            node.atoms[k] = f'{line[:68]}{charge[hits[0]]:+8.3f}{line[76:]}'
        for _, _, child in node.children:
            relabel(child)
    relabel(root)
    written = len(subtree_atoms(root))
    if written != len(positions):
        fail(where, f'Open Babel wrote {written} atoms; RDKit has {len(positions)} heavy atoms and polar H')


def pdbqt_from_mol(mol, title, where):
    mol.SetProp('_Name', title)
    molblock = Chem.MolToMolBlock(mol)
    conf = mol.GetConformer()
    sp_coords = [tuple(conf.GetAtomPosition(a.GetIdx())) for a in mol.GetAtoms()
                 if any(b.GetBondType() == Chem.BondType.TRIPLE for b in a.GetBonds())]
    text = run_obabel(['-imol', '-opdbqt', '--partialcharge', 'gasteiger', '--title', title], molblock, where)
    root, torsdof = parse_tree(text, where)
    n_branches = sum(1 for l in text.splitlines() if l.startswith('BRANCH'))
    if n_branches != torsdof:
        fail(where, f'Open Babel wrote TORSDOF {torsdof} for {n_branches} branches')
    coords = {int(l[6:11]): atom_xyz(l) for l in subtree_atoms(root)}
    drop_void_torsions(root, coords, sp_coords)
    set_gasteiger_charges(root, mol, where)
    return emit_tree(root, title)


def ligand_pdbqt(smiles, ligand_id, where):
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        fail(where, f'RDKit cannot parse SMILES {smiles}')
    mol = Chem.AddHs(mol)
    params = AllChem.ETKDGv3()
    params.randomSeed = EMBED_SEED
    params.numThreads = 1
    if AllChem.EmbedMolecule(mol, params) != 0:
        fail(where, f'ETKDG v3 embedding failed for {ligand_id}')
    if not AllChem.MMFFHasAllMoleculeParams(mol):
        fail(where, f'MMFF94 has no parameters for {ligand_id}')
    if AllChem.MMFFOptimizeMolecule(mol, mmffVariant='MMFF94', maxIters=MMFF_MAX_ITERS) != 0:
        fail(where, f'MMFF94 did not converge in {MMFF_MAX_ITERS} iterations for {ligand_id}')
    return pdbqt_from_mol(mol, ligand_id, where)


def pdb_atom_key(line):
    return (line[21], line[22:27], line[17:20], line[12:16])


def is_hydrogen(line):
    element = line[76:78].strip().upper()
    if not element:
        element = line[12:16].strip().lstrip('0123456789')[:1].upper()
    return element in ('H', 'D')


def select_altloc(lines):
    """One record per atom: alternate location A (or blank), else the first one given."""
    chosen = {}
    order = []
    for line in lines:
        key = pdb_atom_key(line)
        alt = line[16]
        if key not in chosen:
            chosen[key] = line
            order.append(key)
        elif alt == 'A' and chosen[key][16] not in (' ', 'A'):
            chosen[key] = line
    return [chosen[k][:16] + ' ' + chosen[k][17:] for k in order]


def xyz(line):
    return float(line[30:38]), float(line[38:46]), float(line[46:54])


def receptor_pdbqt(path, spec):
    with open(path) as f:
        lines = f.read().splitlines()
    protein, metals = [], []
    for line in lines:
        rec = line[:6]
        if rec not in ('ATOM  ', 'HETATM'):
            continue
        if len(line) < 54:
            fail(path, f'short coordinate record: {line!r}')
        if spec['chains'] is not None and line[21] not in spec['chains']:
            if rec == 'ATOM  ':
                continue
        resname = line[17:20].strip()
        if rec == 'ATOM  ' and not is_hydrogen(line):
            protein.append(line)
        elif rec == 'HETATM' and resname in spec['metals']:
            metals.append(line)
    protein = select_altloc(protein)
    metals = select_altloc(metals)
    if not protein:
        fail(path, 'no protein atoms selected')
    coords = [xyz(l) for l in protein]
    kept_metals = []
    for m in metals:
        mx, my, mz = xyz(m)
        d2 = min((x - mx) ** 2 + (y - my) ** 2 + (z - mz) ** 2 for x, y, z in coords)
        if d2 <= METAL_CONTACT_A ** 2:
            kept_metals.append(m)
    text = run_obabel(['-ipdb', '-opdbqt', '-p', str(RECEPTOR_PH), '-xr', '--partialcharge', 'gasteiger',
                       '--title', spec['name'] + '_receptor'], '\n'.join(protein) + '\nEND\n', path)
    out = [l for l in text.splitlines()]
    serial = sum(1 for l in out if l.startswith(('ATOM', 'HETATM')))
    for m in kept_metals:
        serial += 1
        element = m[76:78].strip().capitalize() or m[12:14].strip().capitalize()
        out.append('HETATM%5d %-4s %3s %s%4s    %8.3f%8.3f%8.3f  1.00  0.00    %+6.3f %-2s'
                   % (serial, m[12:16].strip(), m[17:20].strip(), m[21], m[22:26], *xyz(m), 2.0, element))
    return '\n'.join(out) + '\n', len(protein), [m[17:20].strip() for m in kept_metals]


def heavy_skeleton(elements, coords, bonds):
    """A molecule of the heavy atoms with single bonds and no charges, for template assignment."""
    rw = Chem.RWMol()
    index = {}
    for i, el in enumerate(elements):
        if el in ('H', 'D'):
            continue
        index[i] = rw.AddAtom(Chem.Atom(el))
    for a, b in bonds:
        if a in index and b in index:
            rw.AddBond(index[a], index[b], Chem.BondType.SINGLE)
    conf = Chem.Conformer(len(index))
    for i, j in index.items():
        conf.SetAtomPosition(j, coords[i])
    rw.AddConformer(conf, assignId=True)
    mol = rw.GetMol()
    mol.UpdatePropertyCache(strict=False)
    return mol


def crystal_skeleton(root, source):
    if ':HETATM ' in source:
        path, resname = source.split(':HETATM ')
        with open(os.path.join(root, path)) as f:
            lines = [l for l in f.read().splitlines() if l.startswith('HETATM') and l[17:20].strip() == resname]
        lines = select_altloc(lines)
        if not lines:
            fail(source, f'no HETATM {resname} records')
        pdb = Chem.MolFromPDBBlock('\n'.join(lines) + '\nEND\n', removeHs=False, sanitize=False,
                                   proximityBonding=True)
        if pdb is None:
            fail(source, 'RDKit cannot read the HETATM records')
        elements = [a.GetSymbol() for a in pdb.GetAtoms()]
        coords = [tuple(pdb.GetConformer().GetAtomPosition(i)) for i in range(pdb.GetNumAtoms())]
        bonds = [(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in pdb.GetBonds()]
    else:
        sdf = Chem.MolFromMolFile(os.path.join(root, source), removeHs=False, sanitize=False)
        if sdf is None:
            fail(source, 'RDKit cannot read the SDF file')
        elements = [a.GetSymbol() for a in sdf.GetAtoms()]
        coords = [tuple(sdf.GetConformer().GetAtomPosition(i)) for i in range(sdf.GetNumAtoms())]
        bonds = [(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in sdf.GetBonds()]
    return heavy_skeleton(elements, coords, bonds)


def chiral_carbons(mol):
    Chem.AssignStereochemistry(mol, cleanIt=True, force=True)
    return sorted((a.GetIdx(), a.GetProp('_CIPCode')) for a in mol.GetAtoms()
                  if a.GetSymbol() == 'C' and a.HasProp('_CIPCode'))


def crystal_pdbqt(root, source, spec, smiles_of):
    template_smiles = spec.get('template_smiles') or smiles_of[spec['template_id']]
    template = Chem.MolFromSmiles(template_smiles)
    skeleton = crystal_skeleton(root, source)
    try:
        mol = AllChem.AssignBondOrdersFromTemplate(template, skeleton)
    except ValueError as err:
        fail(source, f'heavy atoms do not match the template {template_smiles}: {err}')
    Chem.AssignStereochemistryFrom3D(mol)
    # The stereocentres the crystal coordinates give must be the template's (carbon centres; the
    # phosphorus of a P(=O)[O-] group is a centre only through the arbitrary choice of the double bond).
    got = sorted(c for _, c in chiral_carbons(Chem.Mol(mol)))
    want = sorted(c for _, c in chiral_carbons(Chem.AddHs(template)))
    if got != want:
        fail(source, f'crystal stereocentres {got} differ from the template\'s {want}')
    for bond in mol.GetBonds():
        if bond.GetBondType() == Chem.BondType.TRIPLE:
            a, b = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
            if (mol.GetConformer().GetAtomPosition(a) - mol.GetConformer().GetAtomPosition(b)).Length() > 1.25:
                fail(source, 'a template triple bond is longer than 1.25 A in the crystal (wrong template?)')
    mol = Chem.AddHs(mol, addCoords=True)
    return pdbqt_from_mol(mol, spec['name'] + '_crystal_ligand', source)


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--reference', default=os.path.join(repo, 'inputs/kinetics/reference.csv'),
                    help='reference CSV (structure paths are relative to its folder)')
    ap.add_argument('--out', default=os.path.join(repo, 'inputs/kinetics/prepared'),
                    help='output folder (ligands/, receptors/, crystal/, SHA256SUMS)')
    ap.add_argument('--ligands', default='', help='comma-separated ligand ids to prepare (default: all)')
    ap.add_argument('--no-receptors', action='store_true', help='skip receptors and crystal ligands')
    args = ap.parse_args()
    rdBase.DisableLog('rdApp.warning')
    root = os.path.dirname(os.path.abspath(args.reference))
    rows = read_reference(args.reference)
    wanted = [x for x in args.ligands.split(',') if x]
    known = {r['ligand_id'] for r in rows}
    for w in wanted:
        if w not in known:
            fail(args.reference, f'no ligand {w}')
    sums = {}
    for row in rows:
        if wanted and row['ligand_id'] not in wanted:
            continue
        where = f'{args.reference}:{row["_line"]}'
        rel = f'ligands/{row["ligand_id"]}.pdbqt'
        sums[rel] = write_if_changed(os.path.join(args.out, rel),
                                     ligand_pdbqt(row['smiles'], row['ligand_id'], where))
    if not args.no_receptors:
        structures = sorted({r['receptor_structure'] for r in rows})
        for s in structures:
            if s not in RECEPTORS:
                fail(args.reference, f'receptor {s} has no entry in RECEPTORS of {__file__}')
            spec = RECEPTORS[s]
            text, n_heavy, metals = receptor_pdbqt(os.path.join(root, s), spec)
            rel = f'receptors/{spec["name"]}.pdbqt'
            sums[rel] = write_if_changed(os.path.join(args.out, rel), text)
            print(f'{rel}: {n_heavy} protein heavy atoms, metal ions kept: {" ".join(metals) or "none"}')
        smiles_of = {r['ligand_id']: r['smiles'] for r in rows}
        for c in sorted({r['crystal_ligand'] for r in rows}):
            if c not in CRYSTALS:
                fail(args.reference, f'crystal ligand {c} has no entry in CRYSTALS of {__file__}')
            spec = CRYSTALS[c]
            rel = f'crystal/{spec["name"]}_ligand.pdbqt'
            sums[rel] = write_if_changed(os.path.join(args.out, rel), crystal_pdbqt(root, c, spec, smiles_of))
    with open(os.path.join(args.out, 'SHA256SUMS'), 'w') as f:
        for rel in sorted(sums):
            f.write(f'{sums[rel]}  {rel}\n')
    print(f'{len(sums)} PDBQT files written to {args.out}')


if __name__ == '__main__':
    try:
        main()
    except PrepError as err:
        print(f'prepare_reference.py: error: {err}', file=sys.stderr)
        sys.exit(1)
