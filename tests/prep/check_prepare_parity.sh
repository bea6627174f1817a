#!/usr/bin/env bash
# `pandakinetics prepare` against Open Babel's PDBQT writer from the same 3-D
# coordinates (tests/prep/data/parity_set.sdf.gz: the 46 ligands of the
# kinetics reference set and imatinib in its Abl pose; make_parity_set.py):
# identical heavy-atom AutoDock types and HD counts, TORSDOF as Meeko's rules
# give it (Open Babel's differences counted independently by
# compare_pdbqt.py), and equal `pandakinetics dock --score_only` energies of
# the two preparations in each series' receptor. Imatinib: `vina
# --score_only` of ours equals that of Debian's AutoDockTools-prepared
# ligand.pdbqt (same heavy-atom coordinates).
# usage: check_prepare_parity.sh PANDAKINETICS SOURCE_DIR PYTHON COMPARE_PY
set -uo pipefail
pk=$1 src=$2 py=$3 compare=$4
. "$src/tests/support/need.sh"
need obabel
need_python_module "$py" rdkit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

zcat "$src/tests/prep/data/parity_set.sdf.gz" > set.sdf
"$pk" prepare --ligand "$src/tests/prep/data/parity_set.sdf.gz" --output ours > prep.log 2>&1 || { cat prep.log; exit 1; }
cat prep.log
mkdir ob
obabel set.sdf -opdbqt -O ob/lig.pdbqt -m > ob.log 2>&1 || { cat ob.log; exit 1; }
"$py" "$compare" structure set.sdf ours ob "$src/inputs/kinetics/reference.csv" place || fail=1

# --score_only of both preparations, one dock call per receptor.
rec_dir=$src/inputs/kinetics/prepared/receptors
for boxfile in place/*.box; do
  read -r rec cx cy cz sx sy sz < "$boxfile"
  ligs=()
  for f in place/"$rec"/*.pdbqt; do ligs+=(--batch "$f"); done
  "$pk" dock --score_only --receptor "$rec_dir/$rec.pdbqt" "${ligs[@]}" --dir . --center_x "$cx" --center_y "$cy" \
    --center_z "$cz" --size_x "$sx" --size_y "$sy" --size_z "$sz" > "score_$rec.log" 2>&1 ||
    { cat "score_$rec.log"; fail=1; }
done
"$pk" dock --score_only --receptor "$src/inputs/dock/protein.pdbqt" --batch place/abl/ours_imatinib.pdbqt \
  --batch place/abl/ob_imatinib.pdbqt --dir . --center_x 20 --center_y 78.5 --center_z 67 --size_x 16 --size_y 14 \
  --size_z 22 > score_abl.log 2>&1 || { cat score_abl.log; fail=1; }
"$py" "$compare" scores score_*.log || fail=1

# Imatinib with AutoDock Vina itself: ours against Debian's AutoDockTools-prepared ligand.
if command -v vina > /dev/null; then
  box=(--center_x 20 --center_y 78.5 --center_z 67 --size_x 16 --size_y 14 --size_z 22)
  a=$(vina --score_only --receptor "$src/inputs/dock/protein.pdbqt" --ligand ours/imatinib.pdbqt "${box[@]}" 2>&1 |
      awk -F: '/Estimated Free Energy of Binding/ {split($2, v, " "); print v[1]}')
  b=$(vina --score_only --receptor "$src/inputs/dock/protein.pdbqt" --ligand "$src/inputs/dock/ligand.pdbqt" "${box[@]}" 2>&1 |
      awk -F: '/Estimated Free Energy of Binding/ {split($2, v, " "); print v[1]}')
  if [[ -z $a || -z $b ]] || ! "$py" -c "import sys; sys.exit(abs($a - $b) > 0.01)"; then
    echo "FAIL imatinib vina --score_only: ours '$a', AutoDockTools-prepared '$b'"; fail=1
  else
    echo "ok   imatinib vina --score_only: ours $a, AutoDockTools-prepared $b kcal/mol"
  fi
else
  echo "(vina not installed: the AutoDockTools comparison is skipped)"
fi
exit $fail
