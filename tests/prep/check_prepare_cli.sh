#!/usr/bin/env bash
# `pandakinetics prepare` as a user meets it: a SMILES file with a malformed
# record and a macrocycle among good ones (each failure logged with file,
# record and line, skipped, counted; exit 0), an SDF with a broken record,
# nothing preparable (exit 1, no output), byte-identical reruns, one file
# with MODEL blocks that the docking reader accepts, an output over an input
# or an unknown format refused (exit 2), hydrogens and heavy atoms against
# Python's RDKit.
# usage: check_prepare_cli.sh PANDAKINETICS PYTHON RECEPTOR.pdbqt
set -uo pipefail
pk=$1 py=$2 receptor=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

cat > lib.smi <<'SMI'
smiles name
CC(=O)Nc1ccc(O)cc1 paracetamol
C1CC(=O broken_one
C1CCCCCCCCCCCCC1 macro14
CN1CCN(Cc2ccc(C(=O)Nc3ccc(C)c(Nc4nccc(-c5cccnc5)n4)c3)cc2)CC1 imatinib
SMI
"$pk" prepare --ligand lib.smi --output out1 > log1.txt 2> err1.txt
rc=$?
cat log1.txt err1.txt
check "exit 0 with bad records skipped" test $rc -eq 0
check "malformed SMILES logged with its record and line" grep -q "lib.smi: record 2 (line 3, 'broken_one'): SMILES not understood.*-- skipped" err1.txt
check "macrocycle refused with its ring size" grep -q "lib.smi: record 3 (line 4, 'macro14'): macrocycle: a ring of 14 atoms" err1.txt
check "summary counts" grep -q "4 record(s) read, 2 prepared (2 embedded by ETKDG, 9 torsions in all), 2 failed and skipped" log1.txt
check "one file per ligand" test -s out1/paracetamol.pdbqt -a -s out1/imatinib.pdbqt
check "torsions of imatinib as Meeko's rules give them" grep -q "^TORSDOF 7$" out1/imatinib.pdbqt

# Rerun: byte-identical output.
"$pk" prepare --ligand lib.smi --output out2 > /dev/null 2>&1
check "same input, same bytes" cmp -s out1/imatinib.pdbqt out2/imatinib.pdbqt
check "same input, same bytes (2)" cmp -s out1/paracetamol.pdbqt out2/paracetamol.pdbqt

# One file: MODEL blocks, read by the docking reader (dock --score_only --batch scores both).
"$pk" prepare --ligand lib.smi --output all.pdbqt > /dev/null 2>&1
check "MODEL blocks" test "$(grep -c '^MODEL' all.pdbqt)" -eq 2
"$pk" dock --score_only --receptor "$receptor" --batch all.pdbqt --dir . --autobox > dock2.txt 2>&1 || cat dock2.txt
check "dock --score_only reads both models" test "$(grep -c 'Estimated Free Energy of Binding' dock2.txt)" -eq 2

# SDF with a broken record in the middle: logged with its number and line, skipped.
printf 'ok1\n  x\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0\nM  END\n$$$$\nbad\n  x\n\n  3  2  0  0  0  0  0  0  0  0999 V2000\nM  END\n$$$$\nok2\n  x\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 N   0  0\nM  END\n$$$$\n' > lib.sdf
"$pk" prepare --ligand lib.sdf --output sdf_out > log2.txt 2> err2.txt
rc=$?
cat err2.txt log2.txt
check "SDF: exit 0" test $rc -eq 0
check "SDF: broken record 2 at line 8 logged" grep -q "lib.sdf: record 2 (line 8, 'bad'): SDF not understood" err2.txt
check "SDF: two prepared" grep -q "3 record(s) read, 2 prepared" log2.txt

# Nothing preparable: exit 1 and no output file.
printf 'C1CC(\nXx\n' > bad.smi
"$pk" prepare --ligand bad.smi --output none.pdbqt > log3.txt 2> err3.txt
rc=$?
check "nothing prepared: exit 1" test $rc -eq 1
check "nothing prepared: no output" test ! -e none.pdbqt
check "nothing prepared: said so" grep -q "no ligand could be prepared (2 record(s) read, 2 failed)" err3.txt

# Outputs never over inputs; unknown formats refused before any work.
cp lib.smi keep.smi
"$pk" prepare --ligand lib.smi --output lib.smi > /dev/null 2> err4.txt
check "output over the input: exit 2" test $? -eq 2
check "input untouched" cmp -s lib.smi keep.smi
"$pk" prepare --ligand x.xyz --output o.pdbqt > /dev/null 2> err5.txt
check "unknown format: exit 2" test $? -eq 2
check "unknown format named" grep -q "unknown ligand format" err5.txt

# Hydrogens and heavy atoms against Python's RDKit (an independent reader).
if "$py" -c "import rdkit" 2> /dev/null; then
  "$py" - out1/imatinib.pdbqt out1/paracetamol.pdbqt <<'PY' || fail=1
import sys
from rdkit import Chem
want = {'imatinib': 'CN1CCN(Cc2ccc(C(=O)Nc3ccc(C)c(Nc4nccc(-c5cccnc5)n4)c3)cc2)CC1',
        'paracetamol': 'CC(=O)Nc1ccc(O)cc1'}
bad = 0
for path in sys.argv[1:]:
    name = path.split('/')[-1][:-6]
    m = Chem.AddHs(Chem.MolFromSmiles(want[name]))
    polar = sum(1 for a in m.GetAtoms() if a.GetAtomicNum() == 1 and a.GetNeighbors()[0].GetAtomicNum() in (7, 8, 9, 15, 16))
    heavy = m.GetNumHeavyAtoms()
    types = [l[77:79].strip() for l in open(path) if l.startswith('ATOM')]
    got_hd, got_heavy = types.count('HD'), len(types) - types.count('HD')
    ok = (got_hd, got_heavy) == (polar, heavy)
    print('%s %s: HD %d (RDKit polar H %d), heavy atoms %d (RDKit %d)' % ('ok  ' if ok else 'FAIL', name, got_hd, polar, got_heavy, heavy))
    bad += not ok
sys.exit(bad)
PY
else
  echo "(python3-rdkit not installed: the hydrogen count against RDKit is skipped)"
fi
exit $fail
