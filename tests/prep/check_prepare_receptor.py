"""`pandakinetics prepare --receptor` against Open Babel and AutoDock Vina on
the three public complexes of inputs/kinetics/structures (wwPDB 5TMN, 3UTU,
5LNY, CC0): each crystal ligand (inputs/kinetics/prepared/crystal/) is scored
by `pandakinetics dock --score_only` in our receptor and by `vina
--score_only` in the same receptor prepared by Open Babel 3.1.1 (`obabel -xr`; its protein atoms chosen here independently:
the chains, per residue the most occupied alternate location, and the kept
metal ions appended typed by element, as scripts/kinetics/prepare_reference.py
does, because obabel mangles ions), with the file's hydrogens (5TMN, 3UTU
give them) and with our hydrogens added at pH 7 (Open Babel then typing our
protonated protein; with PK_RECEPTOR_OBABEL_P74=1 the score with Open
Babel's own `-p 7.4` hydrogens is printed, not asserted: its histidine
tautomers differ from ours).
Asserted: our `dock --score_only` total on our receptor within 0.05
kcal/mol of vina's on Open Babel's, the same heavy atoms, vina on our 5TMN
receptor files equal to our score (0.01), the notes for
waters, hetero groups, insertion codes and metal ions, the geometry of every
added hydrogen (bond length, angles to its atom's bonds, no clash within its
residue), thermolysin's zinc histidines on ND1 and thrombin's disulfide
cysteines without SG hydrogen; on an edited copy
alternate locations (the more occupied kept), a missing side chain, mmCIF
input (our own writer's and Open Babel's, which lacks group_PDB) giving the
same atoms as PDB, a malformed coordinate (exit 1, file:line).
usage: check_prepare_receptor.py PANDAKINETICS SOURCE_DIR"""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

pk, src = sys.argv[1:3]
if not shutil.which("obabel") or not shutil.which("vina"):
    print("SKIP: needs obabel and vina (Debian openbabel, autodock-vina)")
    sys.exit(77)
S = os.path.join(src, "inputs/kinetics/structures")
C = os.path.join(src, "inputs/kinetics/prepared/crystal")
COMPLEXES = [("5tmn", "5tmn_protein.pdb", ["E"]), ("3utu", "3utu_protein.pdb", []), ("5lny", "5lny.pdb", [])]
work = tempfile.mkdtemp()
os.chdir(work)
fails = []


def check(name, ok, detail=""):
    print(("ok   " + name) if ok else ("FAIL " + name + (": " + detail if detail else "")))
    if not ok:
        fails.append(name)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def atoms(path):
    return [l for l in open(path) if l.startswith(("ATOM", "HETATM"))]


def element(l):
    e = l[76:78].strip()
    return e.capitalize() if e else l[12:14].strip()[0]


def protein(lines, chains, keep_h):
    """ATOM records of the chains, per residue the most occupied altloc (first on a tie), altloc blanked."""
    res = collections.OrderedDict()
    for l in lines:
        if not l.startswith("ATOM") or (chains and l[21] not in chains):
            continue
        if not keep_h and element(l) in ("H", "D"):
            continue
        res.setdefault((l[21], l[22:27]), []).append(l)
    out = []
    for rl in res.values():
        occ = collections.OrderedDict()
        for l in rl:
            if l[16] != " ":
                occ[l[16]] = occ.get(l[16], 0.0) + float(l[54:60])
        keep = max(occ, key=lambda k: (occ[k], -list(occ).index(k))) if occ else " "
        out += [l[:16] + " " + l[17:] for l in rl if l[16] in (" ", keep)]
    return out


def obabel_receptor(pdb_lines, metal_lines, name, add_h):
    open(name + ".pdb", "w").write("".join(pdb_lines) + "END\n")
    args = ["obabel", "-ipdb", name + ".pdb", "-xr", "-opdbqt", "-O", name + ".pdbqt"] + (["-p", "7.4"] if add_h else [])
    r = run(args)
    if r.returncode:
        sys.exit("obabel failed: " + r.stderr)
    text = open(name + ".pdbqt").read()
    for m in metal_lines:  # typed by element (Vina: Zn Ca Mg Fe Mn by name, Na K ... Met_D)
        text += m[:66] + "    +0.000 " + m[77:79].strip().ljust(2) + "\n"
    open(name + ".pdbqt", "w").write(text)
    return name + ".pdbqt"


def score(prog, receptor, ligand):
    args = ([pk, "dock"] if prog == "pk" else ["vina"]) + ["--score_only", "--receptor", receptor, "--ligand", ligand, "--autobox"]
    r = run(args)
    m = re.search(r"Estimated Free Energy of Binding\s*:\s*(-?[\d.]+)", r.stdout)
    if not m:
        sys.exit(f"{prog} --score_only failed on {receptor}: {r.stdout[-500:]} {r.stderr[-500:]}")
    return float(m.group(1))


def heavy_set(path):
    return collections.Counter((l[30:54], element(l) if l.startswith("HETATM") else l[77:79].strip() not in ("HD", "H"))
                               for l in atoms(path) if l[77:79].strip() not in ("HD", "H"))


def hydrogen_geometry(path):
    """Problems of the HD atoms' placement: bond length, angles to the host's other bonds, clashes in the residue."""
    import math
    recs = atoms(path)
    xyz = [(float(l[30:38]), float(l[38:46]), float(l[46:54])) for l in recs]
    bad = []
    by_res = collections.defaultdict(list)
    for i, l in enumerate(recs):
        by_res[l[17:27]].append(i)
    for i, l in enumerate(recs):
        if l[77:79].strip() != "HD":
            continue
        heavy = [j for j in by_res[l[17:27]] if recs[j][77:79].strip() != "HD"]
        near = sorted((math.dist(xyz[i], xyz[j]), j) for j in heavy)
        d, host = near[0]
        el = recs[host][77:79].strip()[0]
        want = {"N": 1.01, "O": 0.96, "S": 1.34}.get(el)
        if want is None or abs(d - want) > 0.01:
            bad.append(f"{l[12:27]}: {d:.3f} Å from {recs[host][12:16].strip()}")
        if len(near) > 1 and near[1][0] < 1.5:
            bad.append(f"{l[12:27]}: {near[1][0]:.2f} Å from {recs[near[1][1]][12:16].strip()}")
        for dd, j in near[1:]:
            if j != host and math.dist(xyz[host], xyz[j]) < 1.9:  # a bond of the host
                v1 = [a - b for a, b in zip(xyz[i], xyz[host])]
                v2 = [a - b for a, b in zip(xyz[j], xyz[host])]
                cos = sum(a * b for a, b in zip(v1, v2)) / (math.hypot(*v1) * math.hypot(*v2))
                if math.degrees(math.acos(max(-1, min(1, cos)))) < 100:
                    bad.append(f"{l[12:27]}: {math.degrees(math.acos(cos)):.0f}° to {recs[j][12:16].strip()}")
    return bad


def prepare(inp, out, extra=()):
    r = run([pk, "prepare", "--receptor", inp, "--output", out] + list(extra))
    return r


for name, fname, chains in COMPLEXES:
    raw = os.path.join(S, fname)
    lig = os.path.join(C, name + "_ligand.pdbqt")
    lines = atoms(raw)
    has_h = any(element(l) in ("H", "D") for l in lines if l.startswith("ATOM"))
    chain_args = ["--chains", ",".join(chains)] if chains else []
    variants = []
    if has_h:
        variants.append(("given", raw))
    # hydrogens removed from the deposited file (waters, hetero groups, ions kept): ours adds them
    noh = name + "_noH.pdb"
    open(noh, "w").write("".join(l for l in open(raw) if not (l.startswith(("ATOM", "HETATM")) and element(l) in ("H", "D"))))
    variants.append(("added", noh))
    for kind, inp in variants:
        ours = f"{name}_{kind}_ours.pdbqt"
        r = prepare(inp, ours, chain_args)
        check(f"{name} ({kind} H): prepare --receptor exits 0", r.returncode == 0, r.stderr[-400:] if r.returncode else "")
        if r.returncode:
            continue
        notes = r.stderr
        metals = [l for l in atoms(ours) if l.startswith("HETATM")]
        if kind == "given":
            ob = obabel_receptor(protein(lines, chains, True), metals, f"{name}_{kind}_obabel", False)
        else:
            # Open Babel types the same protonated protein: our atoms and added hydrogens as PDB
            pdb = [l[:66] + " " * 10 + ("H" if l[77:79].strip() == "HD" else l[12:14].strip()[0]).rjust(2) + "\n"
                   for l in atoms(ours) if l.startswith("ATOM")]
            ob = obabel_receptor(pdb, metals, f"{name}_{kind}_obabel", False)
            if os.environ.get("PK_RECEPTOR_OBABEL_P74"):  # its own protonation, for the record (docs/prepare.md)
                own = obabel_receptor(protein(lines, chains, False), metals, f"{name}_{kind}_obabel_p74", True)
                print(f"     {name}: Open Babel's own hydrogens (-p 7.4): vina --score_only {score('vina', own, lig):.3f}")
        v_ob, p_ours = score("vina", ob, lig), score("pk", ours, lig)
        print(f"     {name} ({kind} hydrogens): pandakinetics dock --score_only {p_ours:.3f} on ours, "
              f"vina --score_only {v_ob:.3f} on Open Babel's; {len(metals)} metal ion(s)")
        check(f"{name} ({kind} H): our --score_only on ours vs vina on Open Babel's within 0.05 kcal/mol "
              f"({p_ours - v_ob:+.3f})", abs(p_ours - v_ob) <= 0.05)
        if name == "5tmn":  # vina reads our receptor file as we do (the metals included)
            v_ours = score("vina", ours, lig)
            check(f"{name} ({kind} H): vina on our receptor equals our score within 0.01 ({v_ours - p_ours:+.3f})",
                  abs(v_ours - p_ours) <= 0.01)
        ho, hb = heavy_set(ours), heavy_set(ob)
        check(f"{name} ({kind} H): the same heavy atoms as Open Babel's", ho == hb,
              f"{sum((ho - hb).values())} only ours, {sum((hb - ho).values())} only Open Babel's")
        diff = collections.Counter()
        ob_type = {l[30:54]: l[77:79].strip() for l in atoms(ob)}
        for l in atoms(ours):
            t = l[77:79].strip()
            if t not in ("HD",) and ob_type.get(l[30:54], t) != t:
                diff[f"{l[17:20]} {l[12:16].strip()} {t} (obabel {ob_type[l[30:54]]})"] += 1
        if diff:
            print("     AutoDock types that differ:", dict(diff))
        if name == "5lny":
            check("5lny: waters removed (noted)", re.search(r"\d+ water molecule\(s\) removed", notes) is not None)
            check("5lny: the ligand 70K removed (noted with file:line)", re.search(r"5lny_noH.pdb:\d+: 70K A \d+: removed HETATM", notes) is not None, notes[:300])
        if name == "3utu":
            check("3utu: insertion codes noted", "insertion codes" in notes)
        if name == "5tmn":
            check("5tmn: Zn and Ca of chain A kept for chain E (noted)", "metal ion of another chain kept" in notes
                  and any(l[77:79].strip() == "Zn" for l in metals) and any(l[77:79].strip() == "Ca" for l in metals))
        if kind == "added":
            check(f"{name}: the protonation summary is printed", "polar hydrogens added at pH 7" in notes)
            if name == "5tmn":  # His142 and His146 bind the zinc by NE2: their hydrogen goes on ND1
                zn_his = [l[12:16].strip() for l in atoms(ours) if l[17:26] in ("HIS E 142", "HIS E 146") and l[12:14] == " H"]
                check("5tmn: the zinc's histidines 142 and 146 protonated on ND1 (HID), by the metal contact",
                      sorted(zn_his) == ["H", "H", "HD1", "HD1"] and "2 chosen by a metal contact" in notes, str(zn_his))
            if name == "3utu":  # thrombin's four disulfides: no SG hydrogen on their 8 cysteines
                check("3utu: 8 cysteines in disulfides without SG hydrogen", "8 in disulfides" in notes
                      and not any(l[17:20] == "CYS" and l[12:16].strip() == "HG" for l in atoms(ours)))
            bad = hydrogen_geometry(ours)
            check(f"{name}: every added hydrogen 0.96/1.01/1.34 Å from one N/O/S, >= 100° from its bonds, "
                  f"no heavy atom of its residue within 1.5 Å", not bad, "; ".join(bad[:5]))

# Edits on 5LNY: alternate locations (B more occupied), a side chain cut short,
# mmCIF input, a malformed coordinate.
raw = atoms(os.path.join(S, "5lny.pdb"))
lys = [l for l in raw if l[17:20] == "LYS"][0][22:27]
phe = [l for l in raw if l[17:20] == "PHE"][0][22:27]
edited, n_alt = [], 0
for l in raw:
    if l[17:20] == "LYS" and l[22:27] == lys and l[12:16].strip() in ("CE", "NZ"):
        continue
    if l[17:20] == "PHE" and l[22:27] == phe and l[12:16].strip() not in ("N", "CA", "C", "O"):
        edited.append(l[:16] + "A" + l[17:54] + "  0.40" + l[60:])
        edited.append(l[:16] + "B" + l[17:30] + f"{float(l[30:38]) + 0.5:8.3f}" + l[38:54] + "  0.60" + l[60:])
        n_alt += 1
        continue
    edited.append(l)
open("edited.pdb", "w").write("".join(edited))
r = prepare("edited.pdb", "edited.pdbqt")
check("edited 5lny: exit 0", r.returncode == 0, r.stderr[-300:])
check("alternate locations noted, the more occupied (B) kept",
      re.search(rf"PHE A +{int(phe[:4])}: alternate locations AB: kept B", r.stderr) is not None)
cz = [l for l in edited if l[17:20] == "PHE" and l[22:27] == phe and l[12:16].strip() == "CZ" and l[16] == "B"][0]
check("... at B's coordinates", any(l[30:54] == cz[30:54] and l[12:16].strip() == "CZ" for l in atoms("edited.pdbqt")))
check("missing side-chain atoms noted", re.search(rf"LYS A +{int(lys[:4])}: missing atoms CE, NZ", r.stderr) is not None)

# mmCIF: the same atoms written as an _atom_site loop give the same receptor.
cif = ["data_5lny\n", "loop_\n"] + [f"_atom_site.{k}\n" for k in (
    "group_PDB", "id", "type_symbol", "label_atom_id", "label_alt_id", "label_comp_id", "label_asym_id",
    "auth_seq_id", "pdbx_PDB_ins_code", "Cartn_x", "Cartn_y", "Cartn_z", "occupancy", "auth_asym_id",
    "pdbx_PDB_model_num")]
for i, l in enumerate(raw):
    nm = l[12:16].strip()
    cif.append(f"{l[:6].strip()} {i + 1} {element(l).upper()} \"{nm}\" {l[16] if l[16] != ' ' else '.'} {l[17:20].strip()} "
               f"{l[21]} {int(l[22:26])} {l[26] if l[26] != ' ' else '?'} {l[30:38].strip()} {l[38:46].strip()} "
               f"{l[46:54].strip()} {l[54:60].strip()} {l[21]} 1\n")
cif.append("#\n")
open("5lny.cif", "w").write("".join(cif))
r1, r2 = prepare("5lny.cif", "cif.pdbqt"), prepare(os.path.join(S, "5lny.pdb"), "pdb.pdbqt")
check("mmCIF input: exit 0", r1.returncode == 0, r1.stderr[-300:])
check("mmCIF and PDB give the same receptor atoms", r1.returncode == 0 and atoms("cif.pdbqt") == atoms("pdb.pdbqt"))
# Open Babel's mmCIF writer: no group_PDB (hetero groups told by residue name), no chain
r = run(["obabel", "-ipdb", os.path.join(S, "5lny.pdb"), "-ommcif", "-O", "ob.cif"])
r3 = prepare("ob.cif", "obcif.pdbqt")
same = r3.returncode == 0 and [l[12:20] + l[30:] for l in atoms("obcif.pdbqt")] == [l[12:20] + l[30:] for l in atoms("pdb.pdbqt")]
check("Open Babel's mmCIF of 5LNY gives the same atoms, types and coordinates (70K and waters removed)", same,
      r3.stderr[-300:])

bad = list(raw)
bad[100] = bad[100][:30] + "   x.abc" + bad[100][38:]
open("bad.pdb", "w").write("".join(bad))
r = prepare("bad.pdb", "bad.pdbqt")
check("a malformed coordinate: exit 1, file:line and the column named",
      r.returncode == 1 and re.search(r"bad\.pdb:101: malformed x coordinate \(columns 31-38\)", r.stderr) is not None,
      r.stderr.strip()[-200:])
check("... and nothing written", not os.path.exists("bad.pdbqt"))
r = run([pk, "prepare", "--receptor", os.path.join(S, "5lny.pdb"), "--receptor", "x.xyz", "--output", "outdir"])
check("an unknown receptor format: exit 2 before any work (no folder made)",
      r.returncode == 2 and "unknown receptor format" in r.stderr and not os.path.exists("outdir"), r.stderr[-200:])
shutil.rmtree(work)
print(f"{len(fails)} failure(s)")
sys.exit(1 if fails else 0)
