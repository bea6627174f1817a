#!/usr/bin/env bash
# `pandakinetics dock` in several boxes on the Debian test complex at a tiny
# search budget: two --box boxes (Vina's conf.txt site and a second box on the
# receptor) give /boxes with both, every pose inside its box, and for each box
# exactly the poses that box docked alone with the same seed (box b: seed + b)
# gives, re-ranked together; the same from `box = ...` lines of a config file
# and on 2 MPI ranks; two ligands in the two boxes on 1 and 2 ranks give the
# same poses file; `network` on those poses has states from both sites;
# --blind chooses boxes that hold Vina's own best pose and docks in them;
# malformed --box values stop with a message naming --box.
# usage: check_dock_sites.sh PANDAKINETICS MPIEXEC INPUTS_DOCK PYTHON CHECKER VINA_POSES
set -euo pipefail
pk=$1 mpiexec=$2 inputs=$3 py=$4 checker=$5 vina_poses=$6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$inputs/protein.pdbqt" "$inputs/ligand.pdbqt" "$work/"
cd "$work"
site=11,90.5,57.5,22,24,28   # Vina's conf.txt box (the ATP site of Abl kinase)
other=30,70,48,20,20,20      # a box on another face of the receptor
small=(--exhaustiveness 1 --chains 8 --steps_per_chain 80 --num_modes 40 --energy_range 30)
base=(--receptor protein.pdbqt --ligand ligand.pdbqt "${small[@]}")
common=("${base[@]}" --seed 5)
fail() { echo "FAIL: $*"; exit 1; }

# 1. two boxes, and each box alone (box 1 alone with seed 5 + 1)
"$pk" dock "${common[@]}" --box "$site" --box "$other" --out two.pdbqt --out_h5 two.h5 > two.log 2>&1 ||
  { cat two.log; fail "two-box run"; }
grep -q 'box 1: centre (30.000, 70.000, 48.000) Å, size (20.000, 20.000, 20.000) Å, seed 6' two.log ||
  { cat two.log; fail "box list not printed"; }
"$pk" dock "${common[@]}" --box "$site" --out a.pdbqt --out_h5 a.h5 > a.log 2>&1 || { cat a.log; fail "box 0 alone"; }
"$pk" dock "${base[@]}" --box "$other" --seed 6 --out b.pdbqt --out_h5 b.h5 > b.log 2>&1 ||
  { cat b.log; fail "box 1 alone"; }
"$py" "$checker" two --merged two.h5 --alone a.h5 b.h5 --boxes "$site" "$other" || fail "two boxes"

# 2. the same boxes from a config file (one `box =` line each), and on 2 MPI ranks
cat > boxes.ini <<EOF
receptor = protein.pdbqt
ligand = ligand.pdbqt
box = $site
box = $other
EOF
"$pk" dock --config boxes.ini "${small[@]}" --seed 5 --out cfg.pdbqt > cfg.log 2>&1 || { cat cfg.log; fail "config file"; }
cmp -s two.pdbqt cfg.pdbqt || fail "box = lines of a config file gave other poses than --box"
"$mpiexec" -n 2 --oversubscribe "$pk" dock "${common[@]}" --box "$site" --box "$other" --out np2.pdbqt \
  --out_h5 np2.h5 > np2.log 2>&1 || { cat np2.log; fail "2 ranks"; }
cmp -s two.pdbqt np2.pdbqt || fail "2 ranks gave other poses than 1"
"$py" "$checker" same two.h5 np2.h5 || fail "poses HDF5 differs between 1 and 2 ranks"

# 2b. two ligands x two boxes (a screen): the same poses file on 1 and 2 ranks, each ligand with both sites
cp ligand.pdbqt second.pdbqt
tiny=(--receptor protein.pdbqt --batch ligand.pdbqt --batch second.pdbqt --box "$site" --box "$other"
      --exhaustiveness 1 --chains 4 --steps_per_chain 40 --num_modes 40 --energy_range 30 --seed 3)
"$pk" dock "${tiny[@]}" --dir screen1 > s1.log 2>&1 || { cat s1.log; fail "screen in two boxes"; }
"$mpiexec" -n 2 --oversubscribe "$pk" dock "${tiny[@]}" --dir screen2 > s2.log 2>&1 || { cat s2.log; fail "screen, 2 ranks"; }
"$py" "$checker" same screen1/poses.h5 screen2/poses.h5 || fail "screen: 1 and 2 ranks differ"
"$py" - <<'PY' || fail "screen: sites per ligand"
import h5py
with h5py.File("screen1/poses.h5") as f:
    assert f["boxes/center_angstrom"].shape == (2, 3)
    for name in ("ligand", "second"):
        assert set(f["ligands"][name]["site"][()]) == {0, 1}, name
print("screen in two boxes: both ligands have poses from both sites, the same on 1 and 2 ranks")
PY

# 3. the network on the two-box poses: states carry their poses' sites
"$pk" network two.h5 --output net.h5 --summary net.json --images 2 --relax-steps 2 --drop-unconnected \
  > net.log 2>&1 || { cat net.log; fail "network"; }
"$py" "$checker" network net.json --sites 0 1 --merged two.h5 || { cat net.log; fail "network sites"; }

# 4. --blind: the boxes hold Vina's own best pose; a tiny search in every box
"$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt --blind --exhaustiveness 1 --chains 2 \
  --steps_per_chain 10 --seed 1 --out blind.pdbqt --out_h5 blind.h5 > blind.log 2>&1 || { cat blind.log; fail "--blind"; }
grep -q 'hold receptor surface' blind.log || { cat blind.log; fail "--blind did not print its boxes"; }
"$py" "$checker" blind --merged blind.h5 --log blind.log --vina "$vina_poses" --size 30 || fail "--blind boxes"

# 5. bad --box values and modes that take one box: exit 2, the message names the option
expect_usage() {
  local name=$1 want=$2
  shift 2
  set +e
  "$pk" dock "$@" > bad.out 2> bad.err
  local rc=$?
  set -e
  [[ $rc -eq 2 ]] || { cat bad.out bad.err; fail "$name: exit $rc, expected 2"; }
  grep -Eq -- "$want" bad.err || { cat bad.err; fail "$name: message does not match '$want'"; }
  echo "ok   $name: $(head -1 bad.err)"
}
expect_usage count "--box '1,2,3': expected 6 comma-separated numbers" "${common[@]}" --box 1,2,3
expect_usage number "--box '1,2,x,4,5,6': field 3 'x' is not a finite number" "${common[@]}" --box 1,2,x,4,5,6
expect_usage size "--box '1,2,3,4,0,6': the sizes sx,sy,sz must be positive" "${common[@]}" --box 1,2,3,4,0,6
expect_usage negative "--box '1,2,3,-4,5,6': the sizes" "${common[@]}" --box=1,2,3,-4,5,6
expect_usage empty "option '--box' should follow" "${common[@]}" --box=
expect_usage five "--box '1,2,3,4,5,': field 6 '' is not a finite number" "${common[@]}" --box 1,2,3,4,5,
expect_usage score-only-two "--score_only works in one box" "${common[@]}" --score_only --box "$site" --box "$other"
expect_usage local-only-blind "--local_only works in one box: .* not --blind" "${common[@]}" --local_only --blind
expect_usage overlap "--blind_overlap must be" "${common[@]}" --blind --blind_overlap 30
# in a config file: exit 1 (bad input) with the file and line
printf 'receptor = protein.pdbqt\nligand = ligand.pdbqt\nbox = 1,2,3,4,5\n' > badbox.ini
set +e
"$pk" dock --config badbox.ini > bad.out 2> bad.err
rc=$?
set -e
[[ $rc -eq 1 ]] && grep -q "badbox.ini:3: --box '1,2,3,4,5': expected 6" bad.err ||
  { cat bad.err; fail "bad box line in a config file: exit $rc"; }
echo "ok   config-file: $(head -1 bad.err)"
echo "dock sites: all checks passed"
