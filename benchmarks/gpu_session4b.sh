#!/usr/bin/env bash
# Session 4, second call: the team evaluation's variants in one build, chosen
# at run time: PK_DOCK_PAIR_CHUNK (pairs per force chunk; 1024 = one chunk
# for the test ligand's 498 pairs, the former layout), PK_DOCK_TREE_LEVELS
# (frames and gradient pass a tree level at a time, or on lane 0) and
# PK_DOCK_PAIR_BATCH (pairs a lane evaluates at once). Each: `bench score`
# (team_with_kinematics) and `bench dock` seeds 1-3 at exhaustiveness 8.
# The variants' switches exist at commit 83e9b3a only (reverted in 7059fa1
# after this measurement: benchmarks/RESULTS.md); run it there.
# Output: $OUT/session4b.log. Usage: OUT=... bash benchmarks/gpu_session4b.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source benchmarks/gpu_session3_lib.sh
log=$OUT/session4b.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git rev-parse --short HEAD; } > "$log" 2>&1
SECONDS=0
tests="test_dock_search_team test_dock_grid test_dock_kinematics test_dock_search"
dock_build "$log" "$tests"
pk=build/cuda/src/pandakinetics
for b in 1 2 4; do
  (cd build/cuda && PK_DOCK_PAIR_BATCH=$b PK_DOCK_TREE_LEVELS=0 timeout 300 ctest -R "^(${tests// /|})$" --output-on-failure) > "$OUT/tests_b$b.log" 2>&1
  echo "dock tests, batch $b, levels 0: exit $? $(grep -E 'tests passed|tests failed' "$OUT/tests_b$b.log")" >> "$log"
done
variant() {  # chunk levels batch
  local r
  r=$(PK_DOCK_PAIR_CHUNK=$1 PK_DOCK_TREE_LEVELS=$2 PK_DOCK_PAIR_BATCH=$3 timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 |
      python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e" % r["team_with_kinematics_per_s"])' 2>&1 | tail -1)
  local d="" seed
  for seed in 1 2 3; do
    d+=$(PK_DOCK_PAIR_CHUNK=$1 PK_DOCK_TREE_LEVELS=$2 PK_DOCK_PAIR_BATCH=$3 timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 |
         python3 -c 'import json,sys; t=sys.stdin.read(); r=json.loads(t[t.index("{"):]); print(" %.3f s %.3f;" % (r["dock_s"], r["best_score_kcal_per_mol"]), end="")' 2>&1)
  done
  echo "chunk $1 levels $2 batch $3: team_with_kinematics $r /s; dock (s, kcal/mol) seeds 1-3:$d" >> "$log"
}
variant 1024 0 1
variant 128 0 1
variant 1024 1 1
variant 1024 0 2
variant 1024 0 4
variant 128 0 2
variant 128 0 4
variant 128 1 4
variant 1024 0 1
echo "total $SECONDS s" >> "$log"
cat "$log"
