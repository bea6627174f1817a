#!/usr/bin/env bash
# Session 3's first GPU-node call: the cuda build; the pipeline example with
# and without the report, and where the report's time goes
# (benchmarks/probes/report_timing.py, with and without cached bytecode);
# Nsight Compute on the default KMC kernel; then the CPU probe
# (gpu_cpu_probe.sh). Output: $OUT/session3.txt and the probe's files.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session3.txt
SECONDS=0
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git log -1 --format="commit %h"; command -v python3; python3 --version; env | grep -E "^PYTHON|^MPLCONFIG" ; } > "$log" 2>&1
PK_BUILD_TARGETS="pandakinetics" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
for k in 1 2; do
  rm -rf /tmp/abl
  { /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/run.ini --output /tmp/abl; } > "$OUT/run_$k.log" 2>&1
  echo "run $k: exit $? $(grep -E 'stage wall times|whole process' "$OUT/run_$k.log" | tr '\n' ' ')" >> "$log"
done
echo "report_timing (as run):" >> "$log"; python3 benchmarks/probes/report_timing.py /tmp/abl >> "$log" 2>&1
echo "report_timing again:" >> "$log"; python3 benchmarks/probes/report_timing.py /tmp/abl >> "$log" 2>&1
echo "report_timing with bytecode written (PYTHONDONTWRITEBYTECODE unset, PYTHONPYCACHEPREFIX=/tmp/pyc), twice:" >> "$log"
for k in 1 2; do env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=/tmp/pyc python3 benchmarks/probes/report_timing.py /tmp/abl >> "$log" 2>&1; done
echo "python -X importtime, top 12 cumulative:" >> "$log"
python3 -X importtime -c "import sys; sys.path.insert(0, 'analysis'); import report" 2>&1 | sort -t'|' -k2 -n | tail -12 >> "$log"
ls -la ~/.cache/matplotlib ~/.config/matplotlib 2>&1 | head -5 >> "$log"
ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
timeout 200 $ncu --kernel-name-base demangled --kernel-name regex:KmcAdvance --launch-skip 1 --launch-count 1 \
  --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
  --section ComputeWorkloadAnalysis --section InstructionStats --section MemoryWorkloadAnalysis \
  --section SchedulerStats --section SourceCounters \
  $pk bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 500 --repeats 1 > "$OUT/ncu_kmc.txt" 2>&1
echo "ncu kmc: exit $?" >> "$log"
grep -E "Duration|Throughput|Achieved Occupancy|Theoretical Occupancy|Registers Per|Block Size|Grid Size|Stall|Executed Ipc|Issue Slots|Waves|Eligible|Active Warps" "$OUT/ncu_kmc.txt" | head -50 >> "$log"
echo "bench kmc default: $($pk bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000 2>&1 | grep -E 'steps_per_s"' | tr -d '\n ')" >> "$log"
echo "before cpu probe: $SECONDS s" >> "$log"
bash benchmarks/gpu_cpu_probe.sh > /dev/null 2>&1
cat "$OUT/cpu_probe.txt" >> "$log"
echo "total $SECONDS s" >> "$log"
cat "$log"
