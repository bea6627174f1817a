#!/usr/bin/env bash
# Session 4: the grid maps and the pair table read through L2 only
# (PK_DOCK_L2_ONLY: 1 the maps, 2 the table, 3 both), so that their random
# reads do not evict the small ligand and tree arrays from L1. One build;
# the dock tests with both hints; then for each setting `bench score`
# (team_with_kinematics) and `bench dock` at exhaustiveness 8, seeds 1-5.
# Output: $OUT/session4d.log. Usage: OUT=... bash benchmarks/gpu_session4d.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source benchmarks/gpu_session3_lib.sh
log=$OUT/session4d.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > "$log" 2>&1
SECONDS=0
tests="test_dock_search_team test_dock_grid test_dock_kinematics test_dock_search"
dock_build "$log" "$tests"
pk=build/cuda/src/pandakinetics
(cd build/cuda && PK_DOCK_L2_ONLY=3 timeout 300 ctest -R "^(${tests// /|})$" --output-on-failure) > "$OUT/tests.log" 2>&1
echo "dock tests, PK_DOCK_L2_ONLY=3: exit $? $(grep -E 'tests passed|tests failed' "$OUT/tests.log")" >> "$log"
setting() {
  local r d="" seed
  r=$(PK_DOCK_L2_ONLY=$1 timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 |
      python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e" % r["team_with_kinematics_per_s"])' 2>&1 | tail -1)
  for seed in 1 2 3 4 5; do
    d+=$(PK_DOCK_L2_ONLY=$1 timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 |
         python3 -c 'import json,sys; t=sys.stdin.read(); r=json.loads(t[t.index("{"):]); s=r["stage_s"]; print(" %.3f s %.3f (MC %.3f);" % (r["dock_s"], r["best_score_kcal_per_mol"], s["search_chains"] + s["search_restarted_chains"]), end="")' 2>&1)
  done
  echo "PK_DOCK_L2_ONLY=$1: team_with_kinematics $r /s; dock seeds 1-5:$d" >> "$log"
}
for v in 0 1 2 3 0 3; do setting $v; done
echo "total $SECONDS s" >> "$log"
cat "$log"
