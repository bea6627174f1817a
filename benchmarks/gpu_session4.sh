#!/usr/bin/env bash
# Session 4 on the GPU node: the docking evaluation with pair forces in
# chunks (less shared memory per chain), frames and the gradient pass a tree
# level at a time. Builds the cuda preset (pandakinetics and the dock tests),
# runs the dock tests on the GPU, `bench score` (and its pair-chunk sizes),
# `bench dock` seeds 1-5; then rebuilds with 16 chains per SM
# (PK_DOCK_TEAMS_PER_SM=16, a 128-register cap) and times `bench dock` again.
# The variants' switches exist at commit 83e9b3a only (reverted in 7059fa1
# after this measurement: benchmarks/RESULTS.md); run it there.
# Output: $OUT/session4.log (+ build logs, test log)
# Usage: OUT=... bash benchmarks/gpu_session4.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session4.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git rev-parse --short HEAD; git status --short | head; } > "$log" 2>&1
SECONDS=0
tests="test_dock_search_team test_dock_grid test_dock_kinematics test_dock_search test_dock_sites test_dock_pdbqt test_dock_cluster"
PK_BUILD_TARGETS="pandakinetics $tests" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 ||
  { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
(cd build/cuda && timeout 300 ctest -R "^(${tests// /|})$" --output-on-failure) > "$OUT/tests.log" 2>&1
echo "dock tests: exit $? $(grep -E 'tests passed|tests failed' "$OUT/tests.log")" >> "$log"
score() {
  timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 | python3 -c '
import json,sys; r=json.load(sys.stdin)
print("  team_with_kinematics %.3e/s, with_kinematics (thread) %.3e/s, grid+intra %.3e/s, team diff %.1e" % (
  r["team_with_kinematics_per_s"], r["with_kinematics_per_s"], r["evals_per_s"], r["team_with_kinematics_vs_thread_max_rel_energy_diff"]))' 2>&1 | tail -1
}
dock() {
  local seed
  for seed in 1 2 3 4 5; do
    timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none "$@" 2>&1 | python3 benchmarks/dock_stages.py
  done
}
for r in 1 2; do echo "bench score (pair chunk 128) $r:" >> "$log"; score >> "$log"; done
for k in 64 256 512; do echo "bench score, PK_DOCK_PAIR_CHUNK=$k:" >> "$log"; PK_DOCK_PAIR_CHUNK=$k score >> "$log"; done
echo "bench dock (11 chains per SM):" >> "$log"; dock >> "$log"
echo "bench dock (11 chains per SM), --chains 2112:" >> "$log"; dock --chains 2112 >> "$log"
cp $pk /tmp/pk11
PK_CMAKE_ARGS="-DCMAKE_CXX_FLAGS=-DPK_DOCK_TEAMS_PER_SM=16" PK_BUILD_TARGETS="pandakinetics" \
  bash scripts/gpu-node-build.sh cuda > "$OUT/build16.log" 2>&1 || { tail -40 "$OUT/build16.log" | tee -a "$log"; exit 1; }
echo "build (16 per SM): $SECONDS s" >> "$log"
echo "bench dock (16 chains per SM, 128 registers):" >> "$log"; dock >> "$log"
echo "bench score (16 per SM build):" >> "$log"; score >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
