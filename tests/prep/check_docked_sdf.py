"""Checks a docked SDF written by `pandakinetics dock --ligand X.sdf` against
the input molecule and the docked PDBQT of the same run, with RDKit:
name, the input's SD properties (one the run writes anew, minimizedAffinity,
replaced by the pose's score), the bond orders and charges as read (the
unsanitized molfiles compared bond by bond), one record per PDBQT model with
its score and rank, every PDBQT atom at the coordinates of the SDF atom of
its element (3-decimal PDBQT rounding), each hydrogen at the input's bond
length and 1-3 distances (carried rigidly), and the same molecule (canonical
SMILES) after sanitization.
usage: check_docked_sdf.py INPUT.sdf DOCKED.sdf DOCKED.pdbqt"""
import sys

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")
NEW = {"score_kcal_per_mol", "minimizedAffinity", "pose_rank", "inter_kcal_per_mol", "intra_kcal_per_mol",
       "rmsd_lb_angstrom", "rmsd_ub_angstrom", "site"}
inp_path, sdf_path, pdbqt_path = sys.argv[1:4]
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL", msg)


def models(path):
    out, cur, score = [], None, None
    for line in open(path):
        if line.startswith("MODEL"):
            cur = []
        elif line.startswith("REMARK VINA RESULT:"):
            score = float(line.split()[3])
        elif line.startswith(("ATOM", "HETATM")) and cur is not None:
            t = line[77:79].strip()
            el = {"A": "C", "NA": "N", "OA": "O", "SA": "S", "HD": "H"}.get(t, t)
            cur.append((el, float(line[30:38]), float(line[38:46]), float(line[46:54])))
        elif line.startswith("ENDMDL"):
            out.append((score, cur))
            cur = None
    return out


def dist(conf, i, j):
    return (conf.GetAtomPosition(i) - conf.GetAtomPosition(j)).Length()


inp_raw = Chem.MolFromMolBlock(open(inp_path).read().split("$$$$")[0], sanitize=False, removeHs=False)
inp = next(iter(Chem.SDMolSupplier(inp_path, removeHs=False)))
out_raw = [m for m in Chem.SDMolSupplier(sdf_path, sanitize=False, removeHs=False)]
out = [m for m in Chem.SDMolSupplier(sdf_path, removeHs=False)]
poses = models(pdbqt_path)
if len(out) != len(poses) or not poses or any(m is None for m in out):
    fail(f"{len(out)} SDF records (RDKit-readable: {sum(m is not None for m in out)}), {len(poses)} PDBQT models")
    sys.exit(1)

want_smiles = Chem.MolToSmiles(Chem.RemoveHs(inp))
n_in = inp_raw.GetNumAtoms()
for k, (m, raw, (score, atoms)) in enumerate(zip(out, out_raw, poses), 1):
    tag = f"pose {k}"
    if m.GetProp("_Name") != inp.GetProp("_Name"):
        fail(f"{tag}: name {m.GetProp('_Name')!r}, input {inp.GetProp('_Name')!r}")
    for key in inp.GetPropNames():  # the input's properties, except those the docking run writes anew
        if key not in NEW and (not m.HasProp(key) or m.GetProp(key) != inp.GetProp(key)):
            fail(f"{tag}: input property {key!r} = {inp.GetProp(key)!r} not kept")
    if m.GetProp("minimizedAffinity") != m.GetProp("score_kcal_per_mol"):
        fail(f"{tag}: minimizedAffinity {m.GetProp('minimizedAffinity')} is not this pose's score")
    if abs(float(m.GetProp("score_kcal_per_mol")) - score) > 5e-4:
        fail(f"{tag}: score_kcal_per_mol {m.GetProp('score_kcal_per_mol')} != REMARK VINA RESULT {score}")
    if int(m.GetProp("pose_rank")) != k:
        fail(f"{tag}: pose_rank {m.GetProp('pose_rank')}")
    # Bond orders and charges as read: the unsanitized molfiles agree bond by bond.
    for b in inp_raw.GetBonds():
        i, j = b.GetBeginAtomIdx(), b.GetEndAtomIdx()
        ob = raw.GetBondBetweenAtoms(i, j)
        if ob is None or ob.GetBondType() != b.GetBondType():
            fail(f"{tag}: bond {i + 1}-{j + 1} is {b.GetBondType()} in the input, "
                 f"{None if ob is None else ob.GetBondType()} in the output")
    for a in inp_raw.GetAtoms():
        oa = raw.GetAtomWithIdx(a.GetIdx())
        if oa.GetSymbol() != a.GetSymbol() or oa.GetFormalCharge() != a.GetFormalCharge():
            fail(f"{tag}: atom {a.GetIdx() + 1} {a.GetSymbol()}{a.GetFormalCharge():+d} became "
                 f"{oa.GetSymbol()}{oa.GetFormalCharge():+d}")
    if Chem.MolToSmiles(Chem.RemoveHs(m)) != want_smiles:
        fail(f"{tag}: molecule {Chem.MolToSmiles(Chem.RemoveHs(m))} is not the input's {want_smiles}")
    # Every PDBQT atom sits on an SDF atom of its element; every heavy atom is matched once.
    conf = m.GetConformer()
    used = set()
    for el, x, y, z in atoms:
        best = min(((conf.GetAtomPosition(a.GetIdx()) - Chem.rdGeometry.Point3D(x, y, z)).Length(), a.GetIdx())
                   for a in m.GetAtoms() if a.GetSymbol() == el)
        if best[0] > 1e-3 or best[1] in used:
            fail(f"{tag}: PDBQT {el} at ({x}, {y}, {z}): nearest SDF {el} {best[0]:.4f} A away")
        used.add(best[1])
    heavy = sum(1 for a in m.GetAtoms() if a.GetAtomicNum() > 1)
    if heavy != sum(1 for a in atoms if a[0] != "H"):
        fail(f"{tag}: {heavy} heavy atoms in the SDF, {sum(1 for a in atoms if a[0] != 'H')} in the PDBQT")
    # Hydrogens keep the input's bond lengths and 1-3 distances.
    worst = 0.0
    cin = inp.GetConformer()
    for h in m.GetAtoms():
        if h.GetAtomicNum() != 1 or h.GetIdx() >= n_in:
            continue
        (p,) = h.GetNeighbors()
        pairs = [(h.GetIdx(), p.GetIdx())] + [(h.GetIdx(), q.GetIdx()) for q in p.GetNeighbors() if q.GetIdx() != h.GetIdx()]
        for i, j in pairs:
            worst = max(worst, abs(dist(conf, i, j) - dist(cin, i, j)))
    if worst > 0.01:
        fail(f"{tag}: a hydrogen's bond length or 1-3 distance moved by {worst:.4f} A")
    if k == 1:
        print(f"pose 1: score {score}, {len(atoms)} PDBQT atoms matched, {m.GetNumAtoms()} SDF atoms, "
              f"hydrogen geometry within {worst:.4f} A of the input")
print(f"{len(out)} poses checked, {len(fails)} failure(s)")
sys.exit(1 if fails else 0)
