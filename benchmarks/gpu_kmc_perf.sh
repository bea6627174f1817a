#!/usr/bin/env bash
# KMC engine on the GPU node: build only what the KMC needs, run the KMC tests
# on the GPU build, then `bench kmc` at the standard shape (512 states,
# out-degree 10, 64 replicas x 4096 walkers, 2000 steps) with and without
# transition counts, with a table per replica (--distinct-conditions), and at
# 4096 states. Output: $OUT/build.log, $OUT/ctest.log, $OUT/kmc_perf.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$OUT/device.txt" 2>&1
PK_BUILD_TARGETS="pandakinetics test_kmc_engine test_kmc_estimates test_kmc_vs_exact test_kmc_philox test_kmc_alias" \
  bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
ctest --test-dir build/cuda -R kmc --output-on-failure > "$OUT/ctest.log" 2>&1
echo "ctest -R kmc (cuda build) exit $?: $(grep -E 'tests passed|tests failed' "$OUT/ctest.log")"
pk=build/cuda/src/pandakinetics
s512="--states 512 --out-degree 10 --steps 2000"
{
  for args in "$s512 --replicas 64 --walkers 4096" "$s512 --replicas 64 --walkers 4096 --no-transition-counts" \
              "$s512 --replicas 64 --walkers 4096 --distinct-conditions" \
              "$s512 --replicas 64 --walkers 4096 --distinct-conditions --no-transition-counts" \
              "$s512 --replicas 256 --walkers 4096" "$s512 --replicas 256 --walkers 4096 --no-transition-counts" \
              "--states 4096 --out-degree 10 --steps 2000 --replicas 64 --walkers 4096"; do
    echo "{\"args\": \"$args\", \"result\": $($pk bench kmc $args | tr -d '\n')}"
  done
  args="$s512 --replicas 64 --walkers 4096"
  echo "{\"args\": \"PK_KMC_TEAM_WALKERS=1024 PK_KMC_TEAM_SIZE=1024 $args\", \"result\": $(PK_KMC_TEAM_WALKERS=1024 PK_KMC_TEAM_SIZE=1024 $pk bench kmc $args | tr -d '\n')}"
  for args in "$s512 --replicas 64 --walkers 4096" "$s512 --replicas 64 --walkers 4096 --no-transition-counts"; do
    echo "{\"args\": \"PK_KMC_LAUNCH_BOUNDS=1 $args\", \"result\": $(PK_KMC_LAUNCH_BOUNDS=1 $pk bench kmc $args | tr -d '\n')}"
  done
} > "$OUT/kmc_perf.jsonl"
python3 - "$OUT/kmc_perf.jsonl" "$(cat "$OUT/device.txt")" <<'PY'
import json, sys
print("device:", sys.argv[2])
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"{r['result']['steps_per_s']:.3e} steps/s  {r['args']}")
PY
