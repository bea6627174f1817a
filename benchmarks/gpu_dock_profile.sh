#!/usr/bin/env bash
# Where the GPU docking search spends its time: `bench dock` stage times
# (exhaustiveness 8, seeds 1-2, and the pipeline example's 8 chains x 200
# steps) and an Nsight Compute view (speed of light, occupancy, launch
# statistics, warp stalls, source counters) of the team-per-chain Monte
# Carlo kernel on a short search.
# Output: $OUT/dock_profile.log, $OUT/ncu_mc_team.txt, $OUT/build.log.
# Usage: OUT=... bash benchmarks/gpu_dock_profile.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/dock_profile.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > "$log" 2>&1
SECONDS=0
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
stages() { python3 benchmarks/dock_stages.py; }
for seed in 1 2 3; do
  echo "bench dock --exhaustiveness 8 --seed $seed:" >> "$log"
  timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | stages >> "$log" 2>&1
done
for chains in 1536 2048; do
  for seed in 1 2 3; do
    echo "bench dock --exhaustiveness 8 --seed $seed --chains $chains:" >> "$log"
    timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --chains $chains --vina none 2>&1 | stages >> "$log" 2>&1
  done
done
echo "bench dock --exhaustiveness 2 --chains 8 --steps_per_chain 200 --seed 7 (the pipeline example's search):" >> "$log"
timeout 60 $pk bench dock --exhaustiveness 2 --chains 8 --steps_per_chain 200 --seed 7 --vina none 2>&1 | stages >> "$log" 2>&1
ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
timeout 300 $ncu --kernel-name-base demangled --kernel-name regex:run_mc_chains_team --launch-count 1 \
  --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
  --section ComputeWorkloadAnalysis --section InstructionStats --section MemoryWorkloadAnalysis \
  --section SchedulerStats --section SourceCounters \
  $pk bench dock --exhaustiveness 8 --chains 1024 --steps_per_chain 4 --seed 1 --vina none > "$OUT/ncu_mc_team.txt" 2>&1
echo "ncu: exit $?" >> "$log"
grep -E "Duration|Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Stall|Executed Ipc|Issue Slots|Shared Memory|Local Memory|Waves" "$OUT/ncu_mc_team.txt" | head -60 >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
