#!/usr/bin/env bash
# `pandakinetics dock` end to end on the Debian test complex at a tiny search
# budget: outputs read back by vina_split / Open Babel / RDKit / h5py
# (check_dock_outputs.py), the written best pose re-scored by `vina
# --score_only` equals our printed score, a seed fixes the result, --local_only
# and --autobox, and a screening run over 1 and 2 MPI ranks with one bad
# ligand (reported and skipped, others identical across rank counts).
# usage: check_dock_search_cli.sh PANDAKINETICS MPIEXEC RECEPTOR LIGAND PYTHON CHECKER
set -euo pipefail
pk=$1 mpiexec=$2 receptor=$3 ligand=$4 py=$5 checker=$6
source "${BASH_SOURCE%/*}/../support/need.sh"
need vina vina_split obabel
need_python_module "$py" rdkit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $receptor in
  *.gz) zcat "$receptor" > "$work/receptor.pdbqt" ;;
  *) cp "$receptor" "$work/receptor.pdbqt" ;;
esac
cp "$ligand" "$work/ligand.pdbqt"
cd "$work"
box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
small=(--exhaustiveness 2 --chains 8 --steps_per_chain 60)
fail() { echo "FAIL: $*"; exit 1; }

# 1. one ligand: outputs agree across independent readers
"$pk" dock --receptor receptor.pdbqt --ligand ligand.pdbqt "${box[@]}" "${small[@]}" --seed 5 \
  --out a.pdbqt --out_h5 a.h5 --json a.json > a.log 2>&1 || { cat a.log; fail "dock run"; }
n=$(grep -c '^MODEL' a.pdbqt)
[[ $n -ge 1 ]] || fail "no model written"
"$py" "$checker" --pdbqt a.pdbqt --sdf a.sdf --h5 a.h5 --ligand ligand --poses "$n" || fail "outputs disagree"

# 2. the written best pose re-scored by Vina gives our score (Vina prints 3 decimals)
vina_split --input a.pdbqt --ligand mode_ > /dev/null
vina --score_only --receptor receptor.pdbqt --ligand mode_1.pdbqt "${box[@]}" > rescore.log 2>&1
"$py" - <<'EOF' || fail "score differs from vina --score_only"
import re
ours = float(open("a.pdbqt").readline() and [l for l in open("a.pdbqt") if l.startswith("REMARK VINA RESULT")][0].split()[3])
vina = float(re.search(r"Estimated Free Energy of Binding\s*:\s*(-?[0-9.]+)", open("rescore.log").read()).group(1))
print(f"best pose: ours {ours:.3f}, vina --score_only {vina:.3f} kcal/mol")
assert abs(ours - vina) <= 0.011, (ours, vina)
EOF

# 2b. --json per pose: Vina's score formula from its own parts; terms present
"$py" - "$n" <<'EOF' || fail "--json"
import json, sys
j = json.load(open("a.json"))
poses = j["ligands"][0]["poses"]
assert len(poses) == int(sys.argv[1])
remarks = [float(l.split()[3]) for l in open("a.pdbqt") if l.startswith("REMARK VINA RESULT")]
for p, r in zip(poses, remarks):
    formula = (p["inter"] + p["intra"] - p["unbound_intra"]) / p["torsional_normalisation"]
    assert abs(p["score"] - formula) < 1e-9 and abs(p["score"] - r) < 6e-4, (p, r)
    assert set(p["inter_terms_unweighted"]) == {"gauss1", "gauss2", "repulsion", "hydrophobic", "hydrogen"}
    assert set(p["intra_terms_unweighted"]) == set(p["inter_terms_unweighted"])
print("json: score = (inter + intra - unbound) / normalisation for", len(poses), "poses")
EOF

# 3. same seed, same poses; another seed, other poses
"$pk" dock --receptor receptor.pdbqt --ligand ligand.pdbqt "${box[@]}" "${small[@]}" --seed 5 --out b.pdbqt > b.log 2>&1
cmp -s a.pdbqt b.pdbqt || fail "same seed gave different poses"
"$pk" dock --receptor receptor.pdbqt --ligand ligand.pdbqt "${box[@]}" "${small[@]}" --seed 6 --out c.pdbqt > c.log 2>&1
cmp -s a.pdbqt c.pdbqt && fail "another seed gave the same poses"

# 4. --local_only from the best pose: one model, score not above the input's
"$pk" dock --receptor receptor.pdbqt --ligand mode_1.pdbqt "${box[@]}" --local_only --out local.pdbqt > local.log 2>&1 \
  || { cat local.log; fail "--local_only"; }
[[ $(grep -c '^MODEL' local.pdbqt) == 1 ]] || fail "--local_only must write one model"
"$py" - <<'EOF' || fail "--local_only raised the score"
s0 = float([l for l in open("a.pdbqt") if l.startswith("REMARK VINA RESULT")][0].split()[3])
s1 = float([l for l in open("local.pdbqt") if l.startswith("REMARK VINA RESULT")][0].split()[3])
print(f"local_only: from {s0:.3f} to {s1:.3f} kcal/mol")
assert s1 <= s0 + 1e-3
EOF

# 4b. --autobox (with --local_only, as Vina): the box recorded in the poses HDF5 follows Vina 1.2's rule
"$pk" dock --receptor receptor.pdbqt --ligand mode_1.pdbqt --autobox --local_only --out auto.pdbqt \
  --out_h5 auto.h5 > auto.log 2>&1 || { cat auto.log; fail "--autobox --local_only"; }
"$py" - <<'EOF' || fail "--autobox box"
import h5py, math
xyz = [[float(l[30:38]), float(l[38:46]), float(l[46:54])] for l in open("mode_1.pdbqt")
       if l.startswith(("ATOM", "HETATM"))]
c = [sum(p[d] for p in xyz) / len(xyz) for d in range(3)]
size = [math.ceil(2 * (max(abs(p[d] - c[d]) for p in xyz) + 4.0)) for d in range(3)]
with h5py.File("auto.h5", "r") as f:
    bc, bs = f["boxes/center_angstrom"][0], f["boxes/size_angstrom"][0]
    assert int(f["ligands/mode_1/site"][0]) == 0
print("autobox centre", [round(x, 3) for x in bc], "size", list(bs), "expected", [round(x, 3) for x in c], size)
assert all(abs(bc[d] - c[d]) < 1e-6 and bs[d] == size[d] for d in range(3))
EOF

# 5. screening: three ligands, one bad; 1 and 2 ranks give the same results
mkdir -p ligs
cp ligand.pdbqt ligs/imatinib.pdbqt
cp mode_1.pdbqt ligs/imatinib_docked.pdbqt
printf 'ROOT\nHETATM    1  C1  LIG     1      1.000   2.000 not-a-number  1.00  0.00     0.000 C \nENDROOT\nTORSDOF 0\n' > ligs/bad.pdbqt
for np in 1 2; do
  set +e
  "$mpiexec" -n $np --oversubscribe "$pk" dock --receptor receptor.pdbqt --ligand_directory ligs "${box[@]}" \
    "${small[@]}" --seed 9 --dir screen$np > screen$np.log 2>&1
  rc=$?
  set -e
  [[ $rc == 1 ]] || { cat screen$np.log; fail "a screen with a bad ligand must exit 1 (got $rc)"; }
  grep -q $'^bad\tfailed' screen$np/summary.tsv || fail "bad ligand not reported"
  grep -q 'bad.pdbqt:2' screen$np/summary.tsv || fail "the report must name the file and line"
  [[ $(grep -c $'\tok\t' screen$np/summary.tsv) == 2 ]] || fail "the good ligands must finish"
done
for f in imatinib_out.pdbqt imatinib_docked_out.pdbqt; do
  cmp -s screen1/$f screen2/$f || fail "$f differs between 1 and 2 ranks"
done
cut -f1-4 screen1/summary.tsv > s1.tsv
cut -f1-4 screen2/summary.tsv > s2.tsv
cmp -s s1.tsv s2.tsv || fail "summary differs between 1 and 2 ranks"
echo "ok"
