#!/usr/bin/env bash
# Docking launch shape on the GPU node: `bench dock --exhaustiveness 8` for
# chain counts around one wave of resident teams (132 SMs x 8 or 11 teams)
# with and without the team kernel's register cap (PK_DOCK_LAUNCH_BOUNDS),
# seeds 1-3; then the bundled pipeline example with its stage times (with and
# without the report) and `bench kmc` with the default variant.
# Output: $OUT/dock_chains.log (summary), $OUT/run_gpu.log, $OUT/build.log.
# Usage: OUT=... bash benchmarks/gpu_dock_chains.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/dock_chains.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > "$log" 2>&1
SECONDS=0
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
stages() { python3 benchmarks/dock_stages.py; }
for bounds in ${PK_BOUNDS_LIST:-1 0}; do
  for chains in ${PK_CHAINS_LIST:-1024 1056 1452 2048 2904}; do
    for seed in 1 2 3; do
      echo "bench dock --exhaustiveness 8 --seed $seed --chains $chains, PK_DOCK_LAUNCH_BOUNDS=$bounds:" >> "$log"
      PK_DOCK_LAUNCH_BOUNDS=$bounds timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --chains $chains \
        --vina none 2>&1 | stages >> "$log" 2>&1
    done
  done
done
echo "dock matrix: $SECONDS s" >> "$log"
for report in "" "--no-report"; do
  rm -rf /tmp/abl
  { /usr/bin/time -f "run: whole process %e s wall" $pk run --config inputs/run_example/run.ini --output /tmp/abl $report; } \
    > "$OUT/run_gpu.log" 2>&1
  echo "pipeline $report: exit $?" >> "$log"
  grep -E "stage wall times|whole process|finished in" "$OUT/run_gpu.log" | tail -9 >> "$log"
done
timeout 60 $pk bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000 2>&1 \
  | grep -E '"variant"|steps_per_s"' >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
