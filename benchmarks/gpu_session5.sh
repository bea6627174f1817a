#!/usr/bin/env bash
# Session 5: the cuda build (both team forms of the energy, lane-parallel
# frames and torsion derivatives); the dock tests on the GPU (without the
# four that call `vina`, which the node lacks); for each PK_DOCK_TEAM_FORM in
# FORMS (default "pairs atoms"): `bench score` twice and `bench dock` at
# exhaustiveness 8, seeds 1-5 (ROUNDS rounds, default 1); Nsight Compute's
# occupancy and issue figures for one `bench score` team launch (NCU_SKIP
# launches skipped, default 3: the atoms form's first; PK_NCU=0 skips).
# Output: $OUT/session5.log (+ build, test and ncu logs)
# Usage: OUT=... bash benchmarks/gpu_session5.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
log=$OUT/session5.log
session_start "$log"
cuda_dock_tests "$log"
pk=build/cuda/src/pandakinetics
for form in ${FORMS:-pairs atoms}; do
  export PK_DOCK_TEAM_FORM=$form
  for r in 1 2; do
    timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 | python3 -c '
import json,os,sys; r=json.load(sys.stdin)
print("PK_DOCK_TEAM_FORM=%s bench score: team_with_kinematics %.3e/s (form %s; pairs form %.3e/s, atoms form %.3e/s; max rel diff to thread %.1e), with_kinematics (thread) %.3e/s, grid+intra %.3e/s" % (
  os.environ["PK_DOCK_TEAM_FORM"], r["team_with_kinematics_per_s"], r["team_form"], r["team_with_kinematics_pairs_form_per_s"],
  r["team_with_kinematics_atoms_form_per_s"], r["team_with_kinematics_vs_thread_max_rel_energy_diff"],
  r["with_kinematics_per_s"], r["evals_per_s"]))' >> "$log" 2>&1
  done
  for round in $(seq 1 "${ROUNDS:-1}"); do
    dock_seeds "$log" "PK_DOCK_TEAM_FORM=$form bench dock --exhaustiveness 8 --vina none, round $round:"
  done
done
unset PK_DOCK_TEAM_FORM
if [[ ${PK_NCU:-1} == 1 ]]; then
  ncu_score "$log" launch_full_team "${NCU_SKIP:-3}" ncu_score_team.txt
fi
echo "total $SECONDS s" >> "$log"
cat "$log"
