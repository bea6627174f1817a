#!/usr/bin/env python3
"""Writes data/parity_set.sdf.gz, the fixed 3-D input of the preparation
parity test (check_prepare_parity.sh): the 46 ligands of the kinetics
reference set (inputs/kinetics/reference.csv; RDKit: hydrogens added, ETKDG v3
seed 7, MMFF94) and imatinib at its pose in Debian's Abl test complex
(inputs/dock/ligand.pdbqt's heavy atoms, bond orders from imatinib's SMILES,
hydrogens placed by RDKit). Both preparations in the test start from these
same coordinates. Needs python3-rdkit and obabel; run from anywhere:
    /usr/bin/python3 tests/prep/make_parity_set.py
"""
import csv, gzip, io, os, subprocess
from rdkit import Chem
from rdkit.Chem import AllChem

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
out = io.StringIO()
w = Chem.SDWriter(out)
for row in csv.DictReader(open(os.path.join(root, 'inputs/kinetics/reference.csv'))):
    m = Chem.AddHs(Chem.MolFromSmiles(row['smiles']))
    p = AllChem.ETKDGv3()
    p.randomSeed = 7
    assert AllChem.EmbedMolecule(m, p) == 0
    AllChem.MMFFOptimizeMolecule(m)
    m.SetProp('_Name', row['ligand_id'])
    m.SetProp('series', row['series'])
    w.write(m)

# Imatinib: heavy atoms of the PDBQT (read by Open Babel), bonds re-typed from the SMILES.
sdf = subprocess.run(['obabel', '-ipdbqt', os.path.join(root, 'inputs/dock/ligand.pdbqt'), '-osdf'],
                     capture_output=True, text=True, check=True).stdout
raw = Chem.MolFromMolBlock(sdf, sanitize=False, removeHs=False)
heavy = Chem.RWMol()
index = {}
for a in raw.GetAtoms():
    if a.GetAtomicNum() > 1:
        index[a.GetIdx()] = heavy.AddAtom(Chem.Atom(a.GetAtomicNum()))
for b in raw.GetBonds():
    i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
    if i in index and j in index:
        heavy.AddBond(index[i], index[j], Chem.BondType.SINGLE)
conf = Chem.Conformer(len(index))
for i, k in index.items():
    conf.SetAtomPosition(k, raw.GetConformer().GetAtomPosition(i))
heavy.AddConformer(conf, assignId=True)
h = heavy.GetMol()
h.UpdatePropertyCache(strict=False)
template = Chem.MolFromSmiles('Cc1ccc(NC(=O)c2ccc(CN3CCN(C)CC3)cc2)cc1Nc1nccc(-c2cccnc2)n1')
h = Chem.AddHs(AllChem.AssignBondOrdersFromTemplate(template, h), addCoords=True)
h.SetProp('_Name', 'imatinib')
h.SetProp('series', 'abl_imatinib')
w.write(h)
w.close()
with gzip.GzipFile(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'parity_set.sdf.gz'), 'wb',
                   mtime=0) as f:
    f.write(out.getvalue().encode())
