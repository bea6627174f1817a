#!/bin/bash
# usage: check_prepare_reference.sh PANDAKINETICS REPO_ROOT
# Prepares hsp90_5lny_01, thermolysin_5lwd_01 and thrombin_3utu_01, the three receptors and the three
# crystal ligands into a temporary folder with scripts/kinetics/prepare_reference.py, then holds them
# (scripts/kinetics/check_prepared.py) to: the committed files (SHA-256), RDKit's heavy-atom formula and
# an independent torsion count, the formal charge, and vina --score_only = pandakinetics dock --score_only
# within 0.01 kcal/mol on the crystal poses. Exit 77 when vina, obabel or RDKit is missing.
set -u
pk=$1
repo=$2
for tool in vina obabel; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found (Debian: autodock-vina, openbabel)"; exit 77; }
done
python=""
for cand in "${PK_PYTHON:-}" /usr/bin/python3 python3; do
  if [ -n "$cand" ] && "$cand" -c 'import rdkit' 2>/dev/null; then python=$cand; break; fi
done
[ -n "$python" ] || { echo "SKIP: no python3 with RDKit (Debian: python3-rdkit)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ligands=hsp90_5lny_01,thermolysin_5lwd_01,thrombin_3utu_01
"$python" "$repo/scripts/kinetics/prepare_reference.py" --out "$tmp/prepared" --ligands "$ligands" || exit 1
n=$(find "$tmp/prepared" -name '*.pdbqt' | wc -l)
[ "$n" -eq 9 ] || { echo "FAIL: expected 9 PDBQT files (3 ligands, 3 receptors, 3 crystal ligands), got $n"; exit 1; }
"$python" "$repo/scripts/kinetics/check_prepared.py" --prepared "$tmp/prepared" --ligands "$ligands" \
  --pandakinetics "$pk" --compare "$repo/inputs/kinetics/prepared" || exit 1
echo "PASS"
