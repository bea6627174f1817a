#!/usr/bin/env bash
# Where `bench score`'s team-per-conformation evaluation (the GPU search's
# per-step work) spends its time: the bench figures, then Nsight Compute on
# that kernel with source counters (per CUDA source line: instructions and
# warp stall samples), and the kernel's SASS. Built with -lineinfo (the same
# code; only line tables added).
# Output: $OUT/score_profile.log, $OUT/ncu_score_team.txt, $OUT/ncu_source.csv,
#         $OUT/build.log
# Usage: OUT=... bash benchmarks/gpu_score_profile.sh   (PK_PROFILE_ONLY=1: only the profile)
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/score_profile.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git rev-parse --short HEAD; } > "$log" 2>&1
SECONDS=0
PK_CMAKE_ARGS="-DCMAKE_CXX_FLAGS=-lineinfo" PK_BUILD_TARGETS="pandakinetics" \
  bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
[[ ${PK_PROFILE_ONLY:-0} == 1 ]] || for r in 1 2; do
  timeout 120 $pk bench score --poses 1048576 --repeats 5 2>&1 | grep -E "per_s|_s\"|launch" >> "$log"
done
[[ ${PK_PROFILE_ONLY:-0} == 1 ]] || for seed in 1 2 3; do
  echo "bench dock --exhaustiveness 8 --seed $seed:" >> "$log"
  timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | python3 benchmarks/dock_stages.py >> "$log" 2>&1
done
ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
timeout 300 $ncu --kernel-name-base demangled --kernel-name regex:launch_full_team --launch-skip 1 --launch-count 1 \
  --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
  --section InstructionStats --section SchedulerStats --section SourceCounters --section MemoryWorkloadAnalysis \
  --import-source yes -o "$OUT/score_team" \
  $pk bench score --poses 131072 --repeats 2 > "$OUT/ncu_run.txt" 2>&1
echo "ncu: exit $?" >> "$log"
$ncu --import "$OUT/score_team.ncu-rep" > "$OUT/ncu_score_team.txt" 2>&1
$ncu --import "$OUT/score_team.ncu-rep" --page source --csv --print-source cuda > "$OUT/ncu_source.csv" 2>&1 ||
  $ncu --import "$OUT/score_team.ncu-rep" --page source --csv > "$OUT/ncu_source.csv" 2>&1
echo "source page: exit $? $(wc -l < "$OUT/ncu_source.csv") lines" >> "$log"
$ncu --import "$OUT/score_team.ncu-rep" --page source --csv --print-source sass > "$OUT/ncu_sass.csv" 2>&1
echo "sass page: exit $? $(wc -l < "$OUT/ncu_sass.csv") lines" >> "$log"
gzip -f "$OUT/ncu_sass.csv"
rm -f "$OUT/score_team.ncu-rep.gz"; gzip -k -f "$OUT/score_team.ncu-rep"; rm -f "$OUT/score_team.ncu-rep"
grep -E "Duration|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Issue Slots|Shared Memory Config|Dynamic Shared|Local Memory|Waves|L1/TEX Hit|L2 Hit|Executed Ipc" "$OUT/ncu_score_team.txt" | head -40 >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
