#!/usr/bin/env bash
# `pandakinetics dock --ligand X.sdf|.smi|.mol2`: the ligand is prepared
# in-process by the same code as `prepare`, so docking the molecule file gives
# exactly what docking the PDBQT that `prepare` writes for it gives (the
# docked PDBQT byte for byte: scores, RMSDs, coordinates), and the docked SDF
# keeps the molecule: name, the input's SD properties, bond orders as read,
# every atom where the PDBQT poses put it (check_docked_sdf.py, RDKit).
# --batch of a SMILES library with a broken record: one ligand per record, each
# docked as it is alone, each SDF its record's molecule.
# Also: --score_only of a gzipped SDF and of a MOL2 (written by Open Babel)
# equal to that of prepare's PDBQT of them; of a multi-record SDF with a broken record (skipped with
# file, line and record; the others scored as prepare's MODEL file scores),
# a file with nothing preparable (exit 1, file:line named).
# usage: check_dock_molecule.sh PANDAKINETICS PYTHON SOURCE_DIR
set -uo pipefail
pk=$1 py=$2 src=$3
"$py" -c 'import rdkit' 2>/dev/null || { echo "SKIP: no RDKit for $py"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
rec=$src/inputs/dock/protein.pdbqt
box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
search=(--chains 8 --steps_per_chain 200 --seed 7 --num_modes 4 --cpu 2 --verbosity 0)

# Imatinib in its Abl pose with all hydrogens (the parity set's last record),
# renamed, with SD properties of several lines and a name the docking output uses too.
zcat "$src/tests/prep/data/parity_set.sdf.gz" | awk 'BEGIN{n=0} n==46 && !/^\$\$\$\$/{print} /^\$\$\$\$/{n++}' |
  sed -e '1s/.*/STI-571 (imatinib)/' -e '/^>  <series>/,$d' > imatinib.sdf
cat >> imatinib.sdf <<'SD'
>  <vendor_id>  (1)
CHEMBL941

> <comment>
kinase inhibitor
two-line value

> <minimizedAffinity>
0.0

$$$$
SD

"$pk" prepare --ligand imatinib.sdf --output imatinib.pdbqt > prep.log 2>&1 || { cat prep.log; echo "FAIL prepare"; exit 1; }
"$pk" dock --receptor "$rec" --ligand imatinib.sdf "${box[@]}" "${search[@]}" --out a.pdbqt --out_sdf a.sdf > a.log 2>&1
check "dock --ligand imatinib.sdf exits 0" test $? -eq 0 || cat a.log
"$pk" dock --receptor "$rec" --ligand imatinib.pdbqt "${box[@]}" "${search[@]}" --out b.pdbqt --out_sdf b.sdf > b.log 2>&1
check "dock --ligand imatinib.pdbqt (prepare's) exits 0" test $? -eq 0 || cat b.log
check "docked PDBQT of the SDF equals that of prepare's PDBQT, byte for byte" cmp -s a.pdbqt b.pdbqt
check "the same modes printed" diff <(grep -A12 '^mode' a.log) <(grep -A12 '^mode' b.log)
grep -m1 'REMARK VINA RESULT' a.pdbqt
check "docked SDF keeps the molecule (RDKit)" "$py" "$src/tests/prep/check_docked_sdf.py" imatinib.sdf a.sdf a.pdbqt

# A SMILES file: embedded by ETKDG (seeded) in both paths.
printf 'CC(=O)Nc1ccc(O)cc1 paracetamol\n' > para.smi
"$pk" prepare --ligand para.smi --output para.pdbqt > prep2.log 2>&1 || { cat prep2.log; echo "FAIL prepare para.smi"; exit 1; }
"$pk" dock --receptor "$rec" --ligand para.smi "${box[@]}" "${search[@]}" --out c.pdbqt --out_sdf c.sdf > c.log 2>&1
check "dock --ligand para.smi exits 0" test $? -eq 0 || cat c.log
"$pk" dock --receptor "$rec" --ligand para.pdbqt "${box[@]}" "${search[@]}" --out d.pdbqt > d.log 2>&1
check "docked PDBQT of the SMILES equals that of prepare's PDBQT" cmp -s c.pdbqt d.pdbqt
check "SMILES pose SDF: name, 11 heavy atoms + 9 H, score property" "$py" - c.sdf c.pdbqt <<'PY'
import sys
from rdkit import Chem
ms = list(Chem.SDMolSupplier(sys.argv[1], removeHs=False))
first = open(sys.argv[2]).read().split("REMARK VINA RESULT:")[1].split()[0]
m = ms[0]
ok = (m.GetProp("_Name") == "paracetamol" and m.GetNumHeavyAtoms() == 11 and m.GetNumAtoms() == 20
      and m.GetProp("score_kcal_per_mol") == first and Chem.MolToSmiles(Chem.RemoveHs(m)) == "CC(=O)Nc1ccc(O)cc1")
print(m.GetProp("_Name"), m.GetNumHeavyAtoms(), m.GetNumAtoms(), m.GetProp("score_kcal_per_mol"), first)
sys.exit(0 if ok else 1)
PY

# --batch of a SMILES library: one ligand per preparable record (the broken one
# reported once and skipped); each docks as that molecule alone does.
printf 'CC(=O)Nc1ccc(O)cc1 paracetamol\nC1CC(=O broken\nOC(=O)c1ccccc1 benzoic\n' > lib.smi
"$pk" dock --receptor "$rec" --batch lib.smi --dir lib_out "${box[@]}" "${search[@]}" > h.log 2> h.err
check "dock --batch lib.smi exits 0" test $? -eq 0 || cat h.log h.err
check "... the broken record reported once, with file, line and record" \
  test "$(grep -c 'lib.smi:2: record 2.*skipped' h.err)" -eq 1
check "... two ligands docked, each with its PDBQT and SDF" \
  test -s lib_out/lib_1_out.pdbqt -a -s lib_out/lib_2_out.pdbqt -a -s lib_out/lib_1_out.sdf -a -s lib_out/lib_2_out.sdf
check "... record 1 docks as para.smi alone does (the same modes)" \
  diff <(grep 'REMARK VINA RESULT' c.pdbqt) <(grep 'REMARK VINA RESULT' lib_out/lib_1_out.pdbqt)
check "... each SDF is its record's molecule" "$py" - lib_out/lib_1_out.sdf lib_out/lib_2_out.sdf <<'PY'
import sys
from rdkit import Chem
names = [next(iter(Chem.SDMolSupplier(f))).GetProp("_Name") for f in sys.argv[1:]]
smiles = [Chem.MolToSmiles(next(iter(Chem.SDMolSupplier(f)))) for f in sys.argv[1:]]
print(names, smiles)
sys.exit(0 if names == ["paracetamol", "benzoic"] and smiles == ["CC(=O)Nc1ccc(O)cc1", "O=C(O)c1ccccc1"] else 1)
PY

# Gzipped SDF and MOL2 (Open Babel's, when obabel is there) score as prepare's PDBQT of them.
gzip -c imatinib.sdf > imatinib_gz.sdf.gz
"$pk" dock --score_only --receptor "$rec" --ligand imatinib.pdbqt --autobox > s_ref.log 2>&1
"$pk" dock --score_only --receptor "$rec" --ligand imatinib_gz.sdf.gz --autobox > s_gz.log 2>&1
check "--score_only of the gzipped SDF equals that of prepare's PDBQT" \
  diff <(grep -A9 'Estimated Free' s_ref.log) <(grep -A9 'Estimated Free' s_gz.log)
grep -m1 'Estimated Free' s_gz.log
if command -v obabel > /dev/null; then
  obabel -isdf imatinib.sdf -omol2 -O imatinib.mol2 > /dev/null 2>&1
  "$pk" prepare --ligand imatinib.mol2 --output imatinib_mol2.pdbqt > prep4.log 2>&1
  "$pk" dock --score_only --receptor "$rec" --ligand imatinib_mol2.pdbqt --autobox > s_m2ref.log 2>&1
  "$pk" dock --score_only --receptor "$rec" --ligand imatinib.mol2 --autobox > s_m2.log 2>&1
  check "--score_only of a MOL2 equals that of prepare's PDBQT of it" \
    diff <(grep -A9 'Estimated Free' s_m2ref.log) <(grep -A9 'Estimated Free' s_m2.log)
  check "... and of the SDF it came from (same atoms, types, tree)" \
    diff <(grep -A9 'Estimated Free' s_ref.log) <(grep -A9 'Estimated Free' s_m2.log)
fi

# --score_only of a multi-record SDF with a broken record: skipped with file,
# line and record; the rest scored model by model, as prepare's MODEL file.
{ cat imatinib.sdf; printf 'broken\n  junk\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\nnot an atom line\n$$$$\n'; cat imatinib.sdf; } > two.sdf
"$pk" prepare --ligand two.sdf --output two.pdbqt > prep3.log 2>&1
"$pk" dock --score_only --receptor "$rec" --ligand two.sdf --autobox > e.log 2> e.err
check "score_only of two.sdf exits 0" test $? -eq 0 || cat e.log e.err
check "the broken record is named with file, line and record" grep -q "two.sdf:.*record 2.*skipped" e.err
awk '/^MODEL/{n++; f="two_" n ".pdbqt"; next} /^ENDMDL/{next} {print > f}' two.pdbqt
: > f.log
for m in two_1.pdbqt two_2.pdbqt; do "$pk" dock --score_only --receptor "$rec" --ligand $m --autobox >> f.log 2>&1; done
check "two scores, equal to those of prepare's MODEL file's models" \
  diff <(grep 'Estimated Free' e.log) <(grep 'Estimated Free' f.log)
check "... and there are two of them" test "$(grep -c 'Estimated Free' e.log)" -eq 2
grep 'Estimated Free' e.log | head -1

# Nothing preparable: exit 1 and the file and line named.
printf 'C1CC(=O broken\n' > bad.smi
"$pk" dock --receptor "$rec" --ligand bad.smi "${box[@]}" "${search[@]}" --out g.pdbqt > g.log 2>&1
rc=$?
check "an unpreparable ligand file: exit 1" test $rc -eq 1
check "... naming bad.smi:1 and the reason" grep -q "bad.smi:1.*SMILES" g.log || cat g.log

exit $fail
