#!/usr/bin/env bash
# Session 6: lane groups (several conformations per warp, each evaluated by
# its own group of lanes). Builds pandakinetics and the dock tests named in
# TESTS (default test_dock_search_team) with the cuda preset, runs them on the
# GPU, then `bench score` ROUNDS times (default 2; the grouped atoms-form
# figures for 32, 16, 8 and 4 lanes per conformation, and the team forms),
# and `bench dock` at exhaustiveness 8, seeds 1-5 (DOCK=0 skips); Nsight
# Compute on the grouped launch number NCU_SKIP (0-based, among the grouped
# launches of `bench score --repeats 2`: three per variant, in the JSON's
# order; unset: skipped).
# Output: $OUT/session6.log (+ build, test and ncu logs)
# Usage: OUT=... bash benchmarks/gpu_session6.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
log=$OUT/session6.log
session_start "$log"
tests=${TESTS:-test_dock_search_team}
dock_build "$log" "$tests"
for t in $tests; do
  PK_DOCK_INPUTS=$PWD/inputs/dock timeout 300 build/cuda/tests/dock/$t > "$OUT/$t.log" 2>&1
  echo "$t: exit $? $(grep -E '^\[  (PASSED|FAILED)' "$OUT/$t.log" | tr '\n' ' ')" >> "$log"
done
pk=build/cuda/src/pandakinetics
for r in $(seq 1 "${ROUNDS:-2}"); do
  timeout 200 $pk bench score --poses 1048576 --repeats 5 --json "$OUT/score_$r.json" > /dev/null 2>&1
  python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
g=" ".join("%d lanes (bounds %d) %.3e/s;" % (x["lanes_per_conformation"], x["launch_bounds_teams_per_sm"], x["per_s"]) for x in r["team_with_kinematics_atoms_form_grouped"])
print("bench score: grouped atoms form: %s max rel diff to thread: energy %.1e, conformation gradient %.1e; team forms: pairs %.3e/s, atoms %.3e/s; thread %.3e/s" % (
  g, r["grouped_vs_thread_max_rel_energy_diff"], r["grouped_vs_thread_max_rel_conformation_gradient_diff"],
  r["team_with_kinematics_pairs_form_per_s"], r["team_with_kinematics_atoms_form_per_s"], r["with_kinematics_per_s"]))' "$OUT/score_$r.json" >> "$log" 2>&1
done
if [[ ${DOCK:-1} == 1 ]]; then
  dock_seeds "$log" "bench dock --exhaustiveness 8 --vina none:"
fi
if [[ -n ${NCU_SKIP:-} ]]; then
  ncu_score "$log" evaluations_grouped "$NCU_SKIP" ncu_grouped.txt
fi
echo "total $SECONDS s" >> "$log"
cat "$log"
