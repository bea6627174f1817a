#!/usr/bin/env bash
# The counted KMC kernel's shared-memory carveout (PK_KMC_CARVEOUT, percent)
# and team shape, and a network small enough for its tables to fit any L1
# (64 states). Output: $OUT/carveout.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
pk=build/cuda/src/pandakinetics
a512="--states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000"
a64="--states 64 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000"
run() { echo "{\"env\": \"$1\", \"args\": \"$2\", \"result\": $(env $1 $pk bench kmc $2 | tr -d '\n')}"; }
{
  run "X=0" "$a64"; run "X=0" "$a64 --no-transition-counts"
  for c in 0 10 25 50 75 100; do run "PK_KMC_CARVEOUT=$c" "$a512"; done
  for c in 10 25 50; do run "PK_KMC_CARVEOUT=$c PK_KMC_TEAM_WALKERS=512 PK_KMC_TEAM_SIZE=512" "$a512"; done
  for c in 10 25 50; do run "PK_KMC_CARVEOUT=$c PK_KMC_TEAM_WALKERS=1024 PK_KMC_TEAM_SIZE=1024" "$a512"; done
} > "$OUT/carveout.jsonl"
python3 - "$OUT/carveout.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"{r['result']['steps_per_s']:.3e} steps/s  {r['env']}  {r['args']}")
PY
