#!/usr/bin/env bash
# Vina 1.2.3's meaning for its ligand options and scoring functions (issue
# 21), against Debian's `vina` run here:
#  1. --batch (repeatable) with --dir: ligands one by one, outputs named as
#     Vina names them (<name>_out.pdbqt in --dir, compared with the files
#     `vina --batch --local_only` writes); each batch ligand gets exactly the
#     result of docking it alone; --batch without --dir and --ligand with
#     --batch are refused, as Vina refuses them;
#  2. a multi-MODEL ligand file: --ligand refuses it (score_only and
#     docking) as Vina does; --batch reads each MODEL as a ligand of its
#     own (scored as each alone; outputs <name>_<model>_out.pdbqt);
#  3. repeated --ligand: the ligands of one complex together (5x72 with
#     Vina's own two-ligand pose): --score_only total, ligand-receptor,
#     ligand-ligand and intra within 0.01 kcal/mol of `vina --score_only`,
#     Vina (--autobox over both ligands) and Vinardo; --local_only within
#     0.02 kcal/mol and 0.05 Å of `vina --local_only`; a short docking run
#     whose best pose `vina --score_only` scores as we do (within 0.01);
#  4. --scoring vinardo: --score_only total, inter and intra within 0.01
#     kcal/mol of `vina --scoring vinardo --score_only` on five complexes
#     (Abl/imatinib, thermolysin 5tmn, thrombin 3utu, HSP90 5lny, and 5x72's
#     two ligands above) and the best pose of a short Vinardo docking run
#     re-scored by Vina within 0.01; --scoring ad4 refused.
# usage: check_vina_dropin.sh PANDAKINETICS SOURCE_DIR
set -u
pk=$1
src=$2
. "$src/tests/support/need.sh"
need vina
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t)}'; }
# grab LABEL < output: the number after "LABEL :" in a Vina score block
grab() { sed -n "s/^ *$1 *: *\([-0-9.]*\).*/\1/p" | head -1; }
best_score() { awk '/^REMARK VINA RESULT:/{print $4; exit}' "$1"; }
first_model() { awk '/^MODEL/{n++; next} /^ENDMDL/{if (n == 1) exit; next} n == 1' "$1"; }
heavy_rmsd() {  # heavy-atom RMSD (Å) between the first models (or whole files) of two PDBQT files, same atom order
  awk '/^ENDMDL/{f++; next} FNR == 1{f = (FILENAME == ARGV[1]) ? 0 : 10}
       /^(ATOM|HETATM)/ && f % 10 == 0 && substr($0, 78, 2) !~ /^(H |HD)/ {
         k = (f < 10) ? n1++ : n2++; x[f < 10, k] = substr($0, 31, 8); y[f < 10, k] = substr($0, 39, 8); z[f < 10, k] = substr($0, 47, 8)}
       END{if (n1 != n2 || n1 == 0) {print 99; exit}
           for (i = 0; i < n1; i++) s += (x[1, i] - x[0, i])^2 + (y[1, i] - y[0, i])^2 + (z[1, i] - z[0, i])^2
           printf "%.3f\n", sqrt(s / n1)}' "$1" "$2"
}

rec=$src/inputs/dock/protein.pdbqt
box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
# Vina's best imatinib pose (inside the box) and the halogenated test ligand.
first_model "$src/tests/dock/data/vina_imatinib_e8_seed1.pdbqt" | grep -v '^REMARK' > imat.pdbqt
cp "$src/tests/dock/data/halophenol_thiomethyl.pdbqt" halo.pdbqt
x=$src/tests/dock/data/5x72
xbox=(--center_x -15 --center_y 15 --center_z 129 --size_x 30 --size_y 24 --size_z 24)
prep=$src/inputs/kinetics/prepared

# Vina's reference runs (one core each) start now, in the background, next to ours.
mkdir vina_dir
vina --receptor "$rec" --batch imat.pdbqt --batch halo.pdbqt --dir vina_dir "${box[@]}" --local_only --cpu 1 \
  > vina_batch.log 2>&1 &
vina_batch=$!
vpair=(--receptor "$x/receptor.pdbqt" --ligand "$x/vina_pose_p59.pdbqt" "$x/vina_pose_p69.pdbqt" --cpu 1)
vina "${vpair[@]}" --autobox --score_only > v_pair_vina.log 2>&1 &
vina "${vpair[@]}" "${xbox[@]}" --scoring vinardo --score_only > v_pair_vinardo.log 2>&1 &
vina "${vpair[@]}" "${xbox[@]}" --local_only --out vina_lo2.pdbqt > vina_lo2.log 2>&1 &
vina --receptor "$rec" --ligand imat.pdbqt --autobox --score_only --scoring vinardo --cpu 1 > v_abl.log 2>&1 &
for c in 5tmn 3utu 5lny; do
  vina --receptor "$prep/receptors/$c.pdbqt" --ligand "$prep/crystal/${c}_ligand.pdbqt" --autobox --score_only \
    --scoring vinardo --cpu 1 > v_$c.log 2>&1 &
done

# 1. --batch
"$pk" dock --receptor "$rec" --batch imat.pdbqt --batch halo.pdbqt --dir ours_dir "${box[@]}" --local_only \
  > batch_lo.log 2>&1 || { cat batch_lo.log; bad "dock --batch --local_only failed"; }
wait $vina_batch || { cat vina_batch.log; bad "vina --batch --local_only failed"; }
theirs=$(cd vina_dir && ls ./*_out.pdbqt | sort | tr '\n' ' ')
ours=$(cd ours_dir 2> /dev/null && ls ./*_out.pdbqt | sort | tr '\n' ' ')
[[ -n $theirs && $theirs == "$ours" ]] && ok "--batch --local_only writes Vina's file names in --dir: $ours" ||
  bad "--batch output names: ours '$ours', vina '$theirs'"
small=(--chains 4 --steps_per_chain 40 --seed 3 --num_modes 3 --cpu 2 --verbosity 0)
"$pk" dock --receptor "$rec" --batch imat.pdbqt halo.pdbqt --dir dock_dir "${box[@]}" "${small[@]}" \
  > batch_dock.log 2>&1 || { cat batch_dock.log; bad "dock --batch failed"; }
for l in imat halo; do
  "$pk" dock --receptor "$rec" --ligand $l.pdbqt "${box[@]}" "${small[@]}" --out alone_$l.pdbqt > alone_$l.log 2>&1 ||
    { cat alone_$l.log; bad "dock --ligand $l failed"; }
  a=$(best_score dock_dir/${l}_out.pdbqt)
  b=$(best_score alone_$l.pdbqt)
  [[ -n $a && $a == "$b" ]] && ok "--batch docks $l one by one: best $a kcal/mol, as --ligand $l alone" ||
    bad "--batch $l best '$a', alone '$b'"
done
"$pk" dock --receptor "$rec" --batch imat.pdbqt "${box[@]}" --score_only > nodir.log 2>&1
rc=$?
vina --receptor "$rec" --batch imat.pdbqt "${box[@]}" --score_only > vina_nodir.log 2>&1
vrc=$?
[[ $rc == 2 && $vrc != 0 ]] && grep -q -- '--dir' nodir.log && ok "--batch without --dir refused (exit 2), as vina (exit $vrc)" ||
  { cat nodir.log; bad "--batch without --dir: exit $rc, vina exit $vrc"; }
"$pk" dock --receptor "$rec" --ligand imat.pdbqt --batch halo.pdbqt --dir x "${box[@]}" --score_only > both.log 2>&1
rc=$?
[[ $rc == 2 ]] && grep -q -- '--ligand cannot be combined with --batch' both.log &&
  ok "--ligand with --batch refused (exit 2), as vina" || { cat both.log; bad "--ligand with --batch: exit $rc"; }

# 2. a multi-MODEL ligand file
{ echo "MODEL 1"; cat imat.pdbqt; echo "ENDMDL"; echo "MODEL 2"; cat halo.pdbqt; echo "ENDMDL"; } > two_models.pdbqt
vina --receptor "$rec" --ligand two_models.pdbqt "${box[@]}" --score_only > vina_mm.log 2>&1
grep -q 'multi-MODEL' vina_mm.log || { cat vina_mm.log; bad "vina accepted a multi-MODEL --ligand file"; }
for mode in --score_only ""; do
  "$pk" dock --receptor "$rec" --ligand two_models.pdbqt "${box[@]}" $mode "${small[@]}" --out mm.pdbqt > mm.log 2>&1
  rc=$?
  [[ $rc == 1 ]] && grep -q 'two_models.pdbqt:1: .*several MODELs.*--batch' mm.log &&
    ok "--ligand with a multi-MODEL file ${mode:-(docking)}: refused with file:line, as vina" ||
    { cat mm.log; bad "multi-MODEL --ligand ${mode:-(docking)}: exit $rc"; }
done
"$pk" dock --receptor "$rec" --batch two_models.pdbqt --dir mm_dir "${box[@]}" --score_only > mm_batch.log 2>&1 ||
  { cat mm_batch.log; bad "--batch of a multi-MODEL file failed"; }
s=($(sed -n 's/^Estimated Free Energy of Binding *: *\([-0-9.]*\).*/\1/p' mm_batch.log))
# The same two ligands as two files (dock_vina_parity holds our --score_only to vina's).
"$pk" dock --receptor "$rec" --batch imat.pdbqt halo.pdbqt --dir mm_dir "${box[@]}" --score_only > files.log 2>&1
f=($(sed -n 's/^Estimated Free Energy of Binding *: *\([-0-9.]*\).*/\1/p' files.log))
[[ ${#s[@]} == 2 && "${s[*]}" == "${f[*]}" ]] &&
  ok "--batch of a 2-MODEL file scores each MODEL: ${s[*]} (as two files: ${f[*]})" ||
  { cat mm_batch.log files.log; bad "--batch 2-MODEL scores '${s[*]}', as two files '${f[*]}'"; }
"$pk" dock --receptor "$rec" --batch two_models.pdbqt --dir mm_dir "${box[@]}" --local_only > mm_lo.log 2>&1 ||
  { cat mm_lo.log; bad "--batch --local_only of a multi-MODEL file failed"; }
[[ -s mm_dir/two_models_1_out.pdbqt && -s mm_dir/two_models_2_out.pdbqt ]] &&
  ok "--batch optimises each MODEL: two_models_1_out.pdbqt, two_models_2_out.pdbqt" || bad "--batch MODEL outputs missing"

# 3. repeated --ligand: scored together (5x72, Vina's two-ligand pose)
wait  # Vina's reference runs
together() {  # together LABEL VINA_LOG ARGS...: ours against vina's run, each line of the score block
  local label=$1 vlog=$2
  shift 2
  cp "$vlog" v.log
  "$pk" dock --receptor "$x/receptor.pdbqt" --ligand "$x/vina_pose_p59.pdbqt" --ligand "$x/vina_pose_p69.pdbqt" "$@" \
    --score_only > p.log 2>&1 || { cat p.log; bad "$label: dock --score_only with two --ligand failed"; return; }
  local k good=1 line=""
  for k in "Estimated Free Energy of Binding" "    Ligand - Receptor" "    Ligand - Flex side chains" \
           "(2) Final Total Internal Energy"; do
    local a b
    a=$(grab "$k" < p.log)
    b=$(grab "$k" < v.log)
    near "$a" "$b" 0.01 || good=0
    line+=" ${k## }: $a/$b;"
  done
  [[ $good == 1 ]] && ok "$label (ours/vina):$line" || { cat v.log p.log; bad "$label:$line"; }
}
together "5x72 two ligands together, --autobox (over both)" v_pair_vina.log --autobox
together "5x72 two ligands together, vinardo" v_pair_vinardo.log "${xbox[@]}" --scoring vinardo
# --local_only together: Vina's stopping rule on all the ligands' conformations at once.
lo=(--receptor "$x/receptor.pdbqt" "${xbox[@]}" --local_only)
"$pk" dock "${lo[@]}" --ligand "$x/vina_pose_p59.pdbqt" --ligand "$x/vina_pose_p69.pdbqt" --out lo2.pdbqt > lo2.log 2>&1 ||
  { cat lo2.log; bad "--local_only of two ligands failed"; }
a=$(grab "Estimated Free Energy of Binding" < lo2.log)
b=$(grab "Estimated Free Energy of Binding" < vina_lo2.log)
r=$(heavy_rmsd lo2.pdbqt vina_lo2.pdbqt)
near "$a" "$b" 0.02 && near "$r" 0 0.05 && ok "--local_only of two ligands together: $a kcal/mol, vina $b, poses $r Å apart" ||
  bad "--local_only of two ligands: ours '$a', vina '$b', RMSD '$r' Å (tolerances 0.02 kcal/mol, 0.05 Å)"
# Docking together (a short seeded search): every written pose inside the box, and vina --score_only of
# the best one, each ligand a file, gives our score.
"$pk" dock --receptor "$x/receptor.pdbqt" --ligand "$x/vina_pose_p59.pdbqt" --ligand "$x/vina_pose_p69.pdbqt" \
  "${xbox[@]}" --chains 8 --steps_per_chain 150 --seed 2 --cpu 2 --out d2.pdbqt > d2.log 2>&1 ||
  { cat d2.log; bad "docking two ligands together failed"; }
first_model d2.pdbqt | grep -v '^REMARK VINA\|^REMARK INTER\|^REMARK INTRA\|^REMARK UNBOUND' |
  awk 'BEGIN{f="d2_a.pdbqt"} {print > f} /^TORSDOF/{f="d2_b.pdbqt"}'
a=$(best_score d2.pdbqt)
b=$(vina --receptor "$x/receptor.pdbqt" --ligand d2_a.pdbqt d2_b.pdbqt "${xbox[@]}" --score_only --cpu 1 2>&1 |
  grab "Estimated Free Energy of Binding")
n=$(grep -c '^MODEL' d2.pdbqt)
near "$a" "$b" 0.01 && ok "docking two ligands together: $n modes, best $a kcal/mol, vina --score_only on it $b" ||
  { cat d2.log; bad "docking two ligands together: best '$a', vina on it '$b'"; }

# 4. --scoring vinardo
vinardo() {  # vinardo LABEL VINA_LOG RECEPTOR LIGAND BOX...: ours against vina's run
  local label=$1 r=$3 l=$4
  cp "$2" v.log
  shift 4
  "$pk" dock --receptor "$r" --ligand "$l" "$@" --score_only --scoring vinardo > p.log 2>&1 ||
    { cat p.log; bad "vinardo $label: dock failed"; return; }
  local k good=1 line=""
  for k in "Estimated Free Energy of Binding" "(1) Final Intermolecular Energy" "(2) Final Total Internal Energy"; do
    local a b
    a=$(grab "$k" < p.log)
    b=$(grab "$k" < v.log)
    near "$a" "$b" 0.01 || good=0
    line+=" $a/$b"
  done
  [[ $good == 1 ]] && ok "vinardo $label total, inter, intra (ours/vina):$line" || { cat v.log p.log; bad "vinardo $label:$line"; }
}
vinardo abl_imatinib v_abl.log "$rec" imat.pdbqt --autobox
for c in 5tmn 3utu 5lny; do vinardo "$c" v_$c.log "$prep/receptors/$c.pdbqt" "$prep/crystal/${c}_ligand.pdbqt" --autobox; done
hbox=(--center_x 3.3 --center_y 91 --center_z 65 --size_x 14 --size_y 14 --size_z 14)  # around halo.pdbqt
"$pk" dock --receptor "$rec" --ligand halo.pdbqt "${hbox[@]}" --scoring vinardo "${small[@]}" --out vd.pdbqt \
  > vd.log 2>&1 || { cat vd.log; bad "vinardo docking failed"; }
first_model vd.pdbqt > vd_best.pdbqt
a=$(best_score vd.pdbqt)
b=$(vina --receptor "$rec" --ligand vd_best.pdbqt "${hbox[@]}" --score_only --scoring vinardo --cpu 1 2>&1 |
  grab "Estimated Free Energy of Binding")
near "$a" "$b" 0.01 && ok "vinardo docking: best pose $a kcal/mol, vina --scoring vinardo on it $b" ||
  bad "vinardo docking: ours '$a', vina on our pose '$b'"
"$pk" dock --receptor "$rec" --ligand imat.pdbqt "${box[@]}" --score_only --scoring ad4 > ad4.log 2>&1
rc=$?
[[ $rc == 2 ]] && grep -q 'ad4.*not supported' ad4.log && ok "--scoring ad4 refused: $(cat ad4.log)" ||
  { cat ad4.log; bad "--scoring ad4: exit $rc"; }
exit $fail
