#!/usr/bin/env bash
# Nsight Compute view of the KMC advance kernel (speed-of-light, occupancy,
# launch, warp stalls) for the standard bench shape with and without
# transition counts. Output: $OUT/profile_counts.txt, $OUT/profile_nocounts.txt.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
pk=build/cuda/src/pandakinetics
shape="--states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 500 --repeats 1"
for v in counts nocounts; do
  extra=""; [[ $v == nocounts ]] && extra=--no-transition-counts
  $ncu --kernel-name-base demangled --kernel-name regex:KmcAdvance --launch-skip 1 --launch-count 1 \
       --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
       --section ComputeWorkloadAnalysis --section InstructionStats --section MemoryWorkloadAnalysis \
       --section SchedulerStats --section SourceCounters \
       $pk bench kmc $shape $extra > "$OUT/profile_$v.txt" 2>&1
  grep -E "Duration|Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Stall|Executed Ipc|Issue Slots|Shared Memory Configuration Size|Dynamic Shared" "$OUT/profile_$v.txt" | head -40
done
