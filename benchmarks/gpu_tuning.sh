#!/usr/bin/env bash
# KMC launch-shape variants on the GPU node (speed only: results are the same,
# which the KMC tests check under the chosen variants). Output: $OUT/tuning.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
pk=build/cuda/src/pandakinetics
args="--states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000"
for lb in 0 1; do
  for tw in 32 64 128 256 512; do
    echo "{\"launch_bounds\": $lb, \"team_walkers\": $tw, \"result\": $(PK_KMC_LAUNCH_BOUNDS=$lb PK_KMC_TEAM_WALKERS=$tw $pk bench kmc $args | tr -d '\n')}"
  done
  echo "{\"launch_bounds\": $lb, \"team_walkers\": 0, \"result\": $(PK_KMC_LAUNCH_BOUNDS=$lb $pk bench kmc $args --no-transition-counts | tr -d '\n')}"
done > "$OUT/tuning.jsonl"
python3 - "$OUT/tuning.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"launch_bounds={r['launch_bounds']} team_walkers={r['team_walkers']:4d} counts={r['result']['transition_counts']!s:5s} "
          f"{r['result']['steps_per_s']:.3e} steps/s")
PY
for v in "PK_KMC_LAUNCH_BOUNDS=1 PK_KMC_TEAM_WALKERS=64" "PK_KMC_LAUNCH_BOUNDS=0 PK_KMC_TEAM_WALKERS=128"; do
  for t in test_kmc_engine test_kmc_vs_exact; do
    echo "$v $t: $(env $v mpirun -n 1 build/cuda/tests/kmc/$t 2>&1 | tail -1)"
  done
done
