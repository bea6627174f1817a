#!/usr/bin/env bash
# Session 3's third GPU-node call: the cuda build, the KMC tests on the GPU,
# `bench kmc` (512 and 4096 states) for the packed variants, start-up times
# (PK_STARTUP_TIMES=1), and the two pipeline configs with and without the
# report. Output: $OUT/session3c.txt.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
log=$OUT/session3c.txt
SECONDS=0
{ date -u; git log -1 --format="commit %h"; } > "$log" 2>&1
PK_BUILD_TARGETS="pandakinetics test_kmc_variants test_kmc_engine test_kmc_vs_exact" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 ||
  { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
pk=build/cuda/src/pandakinetics
for test in test_kmc_variants test_kmc_engine test_kmc_vs_exact; do
  timeout 300 build/cuda/tests/kmc/$test > "$OUT/$test.log" 2>&1
  echo "$test (GPU): exit $? $(grep -E '^\[  (PASSED|FAILED)' "$OUT/$test.log" | tr '\n' ' ')" >> "$log"
done
for round in 1 2 3; do
  for v in ${PK_S3_VARIANTS:-packed packed-int}; do
    echo "bench kmc --states 512 --variant $v (round $round): $(kmc_rate --states 512 --variant $v)" >> "$log"
  done
done
for v in ${PK_S3_VARIANTS:-packed packed-int}; do
  echo "bench kmc --states 4096 --variant $v: $(kmc_rate --states 4096 --variant $v)" >> "$log"
  echo "bench kmc --states 512 --no-transition-counts --variant $v: $(kmc_rate --states 512 --no-transition-counts --variant $v)" >> "$log"
done
echo "bench kmc: $SECONDS s" >> "$log"
echo "start-up: $(PK_STARTUP_TIMES=1 $pk --version 2>&1 >/dev/null | tr '\n' ' ')" >> "$log"
echo "start-up (Open MPI defaults): $(PK_MPI_SINGLETON_DEFAULTS=0 PK_STARTUP_TIMES=1 $pk --version 2>&1 >/dev/null | tr '\n' ' ')" >> "$log"
pipeline_runs "$log" 'pandakinetics: (MPI|Kokkos|device)'
echo "total $SECONDS s" >> "$log"
cat "$log"
