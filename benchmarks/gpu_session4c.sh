#!/usr/bin/env bash
# Session 4, closing call: the cuda build at the session's last code change;
# the dock tests on the GPU (without the four that call `vina`, which the
# node lacks); `bench dock` at exhaustiveness 8, seeds 1-5, twice; `bench
# score` twice; the pipeline example once.
# Output: $OUT/session4c.log (+ build and test logs)
# Usage: OUT=... bash benchmarks/gpu_session4c.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
log=$OUT/session4c.log
session_start "$log"
cuda_dock_tests "$log"
pk=build/cuda/src/pandakinetics
for round in 1 2; do
  dock_seeds "$log" "bench dock --exhaustiveness 8 --vina none, round $round:"
done
for r in 1 2; do
  timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 | python3 -c '
import json,sys; r=json.load(sys.stdin)
print("bench score: team_with_kinematics %.3e/s, with_kinematics (thread) %.3e/s, grid+intra %.3e/s" % (
  r["team_with_kinematics_per_s"], r["with_kinematics_per_s"], r["evals_per_s"]))' >> "$log" 2>&1
done
rm -rf /tmp/pk_run
{ /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/run.ini --output /tmp/pk_run; } > "$OUT/run.log" 2>&1
echo "run.ini: exit $? $(grep -E 'stage wall times|whole process' "$OUT/run.log" | tr '\n' ' ')" >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
