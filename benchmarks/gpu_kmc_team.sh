#!/usr/bin/env bash
# Team shape of the counted KMC path on the GPU node: walkers per team and
# threads per team (PK_KMC_TEAM_WALKERS, PK_KMC_TEAM_SIZE), which set how much
# shared memory a block takes and so how much of the SM's 256 KiB stays L1
# cache for the network tables. Output: $OUT/team.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
pk=build/cuda/src/pandakinetics
args="--states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000"
for shape in "128 128" "256 256" "512 512" "1024 1024" "256 128" "512 256"; do
  set -- $shape
  echo "{\"team_walkers\": $1, \"team_size\": $2, \"result\": $(PK_KMC_TEAM_WALKERS=$1 PK_KMC_TEAM_SIZE=$2 $pk bench kmc $args | tr -d '\n')}"
done > "$OUT/team.jsonl"
python3 - "$OUT/team.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"team_walkers={r['team_walkers']:5d} team_size={r['team_size']:5d} {r['result']['steps_per_s']:.3e} steps/s")
PY
