#!/usr/bin/env bash
# `pandakinetics dock` on bad input: every case exits 1 with the file, line
# and what was expected on one line, and never crashes. Also: Vina's conf.txt
# works unchanged (it reads it and reaches the ligand, which lies outside that
# box, exactly as vina 1.2.3 reports), --autobox scores that ligand as Vina
# does (pairwise and grid path), and one bad ligand among several is skipped.
# usage: check_dock_errors.sh PANDAKINETICS INPUTS_DOCK
set -uo pipefail
pk=$1 inputs=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$inputs/protein.pdbqt" "$inputs/ligand.pdbqt" "$inputs/conf.txt" .
box=(--center_x 20 --center_y 78.5 --center_z 67 --size_x 16 --size_y 14 --size_z 22)
fail=0

# expect_error NAME EXPECTED-MESSAGE-REGEX ARGS...
expect_error() {
  local name=$1 want=$2
  shift 2
  "$pk" dock --score_only "$@" > out.txt 2> err.txt
  local rc=$?
  if [[ $rc -ne 1 ]]; then
    echo "FAIL $name: exit $rc, expected 1"; cat out.txt err.txt; fail=1; return
  fi
  if ! grep -Eq "$want" err.txt; then
    echo "FAIL $name: message does not match '$want':"; cat err.txt; fail=1; return
  fi
  echo "ok   $name: $(head -1 err.txt)"
}

# A malformed coordinate on line 15 (atom 4).
sed '15s/15.604/15.6x4/' ligand.pdbqt > malformed.pdbqt
expect_error malformed 'malformed.pdbqt:15: expected a number for x' --receptor protein.pdbqt --ligand malformed.pdbqt "${box[@]}"
# An unknown AutoDock type on line 20.
sed '20s/ A $/ Qx/' ligand.pdbqt > unknown.pdbqt
expect_error unknown-type "unknown.pdbqt:20: unknown AutoDock atom type 'Qx'" --receptor protein.pdbqt --ligand unknown.pdbqt "${box[@]}"
# An empty ligand and an empty receptor.
: > empty.pdbqt
expect_error empty-ligand 'empty.pdbqt: empty file' --receptor protein.pdbqt --ligand empty.pdbqt "${box[@]}"
expect_error empty-receptor 'empty.pdbqt: no ATOM/HETATM records' --receptor empty.pdbqt --ligand ligand.pdbqt "${box[@]}"
# Unbalanced BRANCH: drop the last ENDBRANCH (line 65), so BRANCH 5 7 (line 19) stays open.
sed '65d' ligand.pdbqt > unbalanced.pdbqt
expect_error unbalanced 'unbalanced.pdbqt:19: BRANCH is never closed: expected ENDBRANCH 5 7' --receptor protein.pdbqt --ligand unbalanced.pdbqt "${box[@]}"
# Unknown atom type in the receptor (line 3).
sed '3s/ HD$/ Hx/' protein.pdbqt > badrec.pdbqt
expect_error receptor-type "badrec.pdbqt:3: unknown AutoDock atom type 'Hx'" --receptor badrec.pdbqt --ligand ligand.pdbqt "${box[@]}"
# A missing file.
expect_error missing 'nothere.pdbqt: cannot open file' --receptor protein.pdbqt --ligand nothere.pdbqt "${box[@]}"
# Outside the box: Vina's conf.txt box does not hold the input pose (atom C2, line 13).
expect_error outside-box 'ligand.pdbqt:13: ligand atom C2 .* is outside the search box' --config conf.txt

# --autobox scores the same input (Vina 1.2.3 prints 226.902 / 319.755 / -0.645).
"$pk" dock --score_only --receptor protein.pdbqt --ligand ligand.pdbqt --autobox > auto.txt 2>&1 || { cat auto.txt; fail=1; }
grep -q 'Estimated Free Energy of Binding   : 226.902 (kcal/mol)' auto.txt || { echo "FAIL autobox"; cat auto.txt; fail=1; }
# The grid path with --autobox: Vina 1.2.3 (--no_refine --autobox) prints 227.321 / 320.345; the
# interpolated value depends on where the grid lies, so this checks Vina's autobox geometry.
"$pk" dock --score_only --grid --receptor protein.pdbqt --ligand ligand.pdbqt --autobox > autogrid.txt 2>&1 ||
  { cat autogrid.txt; fail=1; }
grep -q 'Estimated Free Energy of Binding   : 227.321 (kcal/mol)' autogrid.txt ||
  { echo "FAIL autobox grid"; cat autogrid.txt; fail=1; }
# Several ligands (--batch), one bad: the good one is scored, the bad one reported with file:line, exit 1.
"$pk" dock --score_only --receptor protein.pdbqt --batch ligand.pdbqt --batch unknown.pdbqt --dir . --autobox \
  > two.txt 2> two.err
rc=$?
if [[ $rc -ne 1 ]] || ! grep -q '226.902' two.txt || ! grep -q "skipping unknown.pdbqt: unknown.pdbqt:20:" two.err; then
  echo "FAIL one bad ligand of two: exit $rc"; cat two.txt two.err; fail=1
else
  echo "ok   one bad ligand of two: $(head -1 two.err)"
fi
# A box too large for memory stops with a usage error (exit 2), before allocating.
"$pk" dock --score_only --grid --receptor protein.pdbqt --ligand ligand.pdbqt --center_x 20 --center_y 78 \
  --center_z 67 --size_x 2000 --size_y 2000 --size_z 2000 > big.txt 2>&1
rc=$?
if [[ $rc -ne 2 ]] || ! grep -q 'GB of grid maps' big.txt; then echo "FAIL huge box: exit $rc"; cat big.txt; fail=1; fi
# Malformed tuning settings in the environment stop the search with a usage
# error naming the variable (a team wider than the backend's threads would
# otherwise abort inside Kokkos).
for bad in "PK_DOCK_TEAM_SIZE=abc" "PK_DOCK_TEAM_SIZE=999" "PK_DOCK_LAUNCH_BOUNDS=yes" "PK_DOCK_CHAINS_PER_BLOCK=-3" \
           "PK_DOCK_L2_ONLY=4" "PK_DOCK_L2_ONLY=1x" "PK_DOCK_TEAM_FORM=pair"; do
  env "$bad" "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt "${box[@]}" --exhaustiveness 1 --chains 2 \
    --steps_per_chain 2 --out tune.pdbqt > tune.txt 2>&1
  rc=$?
  if [[ $rc -ne 2 ]] || ! grep -q "${bad%%=*}='${bad#*=}': expected " tune.txt; then
    echo "FAIL $bad: exit $rc"; cat tune.txt; fail=1
  else
    echo "ok   $bad: $(grep -m1 expected tune.txt)"
  fi
done
exit $fail
