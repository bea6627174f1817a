#!/usr/bin/env bash
# One GPU-node call for the docking search: build the cuda preset (only the
# executable and the two device tests of the search), run those tests on the
# GPU, then `bench dock` on the Debian test complex at exhaustiveness 8 with
# the default chain count and with more, shorter chains (same total Monte
# Carlo steps), then the same with the opt-in team launch
# (PK_DOCK_CHAINS_PER_BLOCK, not yet measured). Everything lands in $OUT (default ./out): build.log,
# device.txt, tests.log, bench_dock.jsonl. Each run has its own time limit and
# the script stops starting runs after ~330 s so the call ends inside 420 s.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
start=$SECONDS
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > "$OUT/device.txt" 2>&1
PK_BUILD_TARGETS="pandakinetics test_dock_kinematics test_dock_search" \
  bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
echo "build: $((SECONDS - start)) s"
{
  for t in test_dock_kinematics test_dock_search; do
    timeout 60 build/cuda/tests/dock/$t 2>&1 | tail -4
  done
} > "$OUT/tests.log" 2>&1
cat "$OUT/tests.log"
pk=build/cuda/src/pandakinetics
: > "$OUT/bench_dock.jsonl"
# chains option : PK_DOCK_CHAINS_PER_BLOCK (0 = the RangePolicy launch)
for run in 0:0 4096:0 16384:0 0:4 4096:16; do
  chains=${run%%:*} cpb=${run##*:}
  if (( SECONDS - start > 330 )); then
    echo "skipped --chains $chains PK_DOCK_CHAINS_PER_BLOCK=$cpb: time" | tee -a "$OUT/bench_dock.jsonl"
    continue
  fi
  PK_DOCK_CHAINS_PER_BLOCK=$cpb timeout 80 $pk bench dock --exhaustiveness 8 --seed 1 --chains $chains --vina none \
    2>"$OUT/bench_err_${chains}_$cpb.txt" | tr -d '\n' >> "$OUT/bench_dock.jsonl"
  echo " rc=$? chains_option=$chains chains_per_block=$cpb" >> "$OUT/bench_dock.jsonl"
done
cat "$OUT/bench_dock.jsonl"
echo "total: $((SECONDS - start)) s"
