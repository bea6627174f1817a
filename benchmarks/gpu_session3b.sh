#!/usr/bin/env bash
# Session 3's measuring call on the GPU node: the cuda build (pandakinetics
# and the KMC tests), the KMC tests on the GPU, `bench kmc` for each kernel
# variant (PK_S3_VARIANTS), the pipeline example with its report (the report's
# Python now starts with the run) and without, `bench dock` at
# exhaustiveness 8 (seeds 1-5), then the CPU probe (gpu_cpu_probe.sh) unless
# PK_S3_CPU=0. Output: $OUT/session3b.txt and the logs next to it.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session3b.txt
SECONDS=0
{ date -u; nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader; git log -1 --format="commit %h"; } > "$log" 2>&1
PK_BUILD_TARGETS="pandakinetics test_kmc_variants test_kmc_engine test_kmc_vs_exact" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 ||
  { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
t=build/cuda/tests/kmc
for test in test_kmc_variants test_kmc_engine test_kmc_vs_exact; do
  [[ -x $t/$test ]] || { echo "$test not built" >> "$log"; continue; }
  timeout 300 $t/$test > "$OUT/$test.log" 2>&1
  echo "$test (GPU): exit $? $(grep -E '^\[  (PASSED|FAILED)' "$OUT/$test.log" | tr '\n' ' ')" >> "$log"
done
echo "tests: $SECONDS s" >> "$log"
s512="--states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000"
for round in 1 2; do
  for v in ${PK_S3_VARIANTS:-baseline packed packed-int}; do
    for extra in "" "--states 4096"; do
      r=$(timeout 60 $pk bench kmc $s512 $extra --variant $v 2>&1 | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e steps/s (ran %s)" % (r["steps_per_s"], r["variant"]))' 2>&1 | tail -1)
      echo "bench kmc $extra --variant $v (round $round): $r" >> "$log"
    done
  done
done
echo "bench kmc: $SECONDS s" >> "$log"
for k in 1 2 3 4 5; do
  rm -rf /tmp/abl
  { /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/run.ini --output /tmp/abl; } > "$OUT/run_$k.log" 2>&1
  echo "run $k (report): exit $? $(grep -E 'stage wall times|whole process' "$OUT/run_$k.log" | tr '\n' ' ')" >> "$log"
done
for k in 1 2; do
  rm -rf /tmp/abl
  { /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/run.ini --output /tmp/abl --no-report; } > "$OUT/run_nr$k.log" 2>&1
  echo "run $k (--no-report): exit $? $(grep -E 'stage wall times|whole process' "$OUT/run_nr$k.log" | tr '\n' ' ')" >> "$log"
done
ls /tmp/abl/report 2>/dev/null | head -1 >> "$log"
# The production protocol (docking and KMC at their defaults).
for k in 1 2 3 nr; do
  rm -rf /tmp/abd
  extra=(); [[ $k == nr ]] && extra=(--no-report)
  { /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/run_defaults.ini --output /tmp/abd "${extra[@]}"; } > "$OUT/run_defaults_$k.log" 2>&1
  echo "run_defaults $k: exit $? $(grep -E 'stage wall times|whole process|steps in|koff [0-9]' "$OUT/run_defaults_$k.log" | tr '\n' ' ')" >> "$log"
done
echo "process start and end: $( { /usr/bin/time -f "%e s" $pk --version > /dev/null; } 2>&1 | tail -1) for --version"  >> "$log"
echo "pipeline: $SECONDS s" >> "$log"
for seed in 1 2 3 4 5; do
  echo "bench dock --exhaustiveness 8 --seed $seed: $(timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | python3 benchmarks/dock_stages.py 2>&1 | tr '\n' ' ')" >> "$log"
done
echo "dock: $SECONDS s" >> "$log"
if [[ ${PK_S3_CPU:-1} != 0 ]]; then
  bash benchmarks/gpu_cpu_probe.sh > /dev/null 2>&1
  grep -A20 "bench kmc weak" "$OUT/cpu_probe.txt" >> "$log"
fi
echo "total $SECONDS s" >> "$log"
cat "$log"
