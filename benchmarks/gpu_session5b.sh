#!/usr/bin/env bash
# Session 5, second look: the cuda build as committed (dock tests on the GPU
# without the four that call `vina`), then variants of the search kernel's
# register cap, each in its own build folder (pandakinetics only):
# VARIANTS="T ..." with T = PK_DOCK_TEAMS_PER_SM (the CMake cache variable).
# (At `0ef96d5`, where it was run, a variant also set PK_DOCK_PAIR_BATCH, a
# knob removed since.)
# For each build: `bench score` once and `bench dock` at exhaustiveness 8,
# seeds 1-5.
# Output: $OUT/session5b.log (+ build and test logs)
# Usage: OUT=... VARIANTS="16 20" bash benchmarks/gpu_session5b.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
log=$OUT/session5b.log
session_start "$log"
benches() {
  local pk=$1 label=$2
  timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 | python3 -c '
import json,sys; r=json.load(sys.stdin)
print("%s bench score: team_with_kinematics %.3e/s (max rel diff to thread %.1e), with_kinematics (thread) %.3e/s" % (
  sys.argv[1], r["team_with_kinematics_per_s"], r["team_with_kinematics_vs_thread_max_rel_energy_diff"],
  r["with_kinematics_per_s"]))' "$label" >> "$log" 2>&1
  dock_seeds "$log" "$label bench dock --exhaustiveness 8 --vina none:"
}
cuda_dock_tests "$log"
benches build/cuda/src/pandakinetics "default"
for v in ${VARIANTS:-}; do
  PK_BUILD_DIR=build/cuda_t$v PK_BUILD_TARGETS=pandakinetics PK_CMAKE_ARGS="-DPK_DOCK_TEAMS_PER_SM=$v" \
    bash scripts/gpu-node-build.sh cuda > "$OUT/build_t$v.log" 2>&1 || { tail -20 "$OUT/build_t$v.log" >> "$log"; continue; }
  echo "variant $v built at $SECONDS s" >> "$log"
  benches build/cuda_t$v/src/pandakinetics "teams/SM $v"
done
echo "total $SECONDS s" >> "$log"
cat "$log"
