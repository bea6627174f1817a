#!/usr/bin/env bash
# Session 3's third GPU-node call: the cuda build, the KMC tests on the GPU,
# `bench kmc` (512 and 4096 states) for the packed variants, start-up times
# (PK_STARTUP_TIMES=1), and the two pipeline configs with and without the
# report. Output: $OUT/session3c.txt.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
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
bench() { timeout 60 $pk bench kmc --out-degree 10 --replicas 64 --walkers 4096 --steps 2000 "$@" 2>&1 |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e steps/s (ran %s)" % (r["steps_per_s"], r["variant"]))' 2>&1 | tail -1; }
for round in 1 2 3; do
  for v in ${PK_S3_VARIANTS:-packed packed-int}; do
    echo "bench kmc --states 512 --variant $v (round $round): $(bench --states 512 --variant $v)" >> "$log"
  done
done
for v in ${PK_S3_VARIANTS:-packed packed-int}; do
  echo "bench kmc --states 4096 --variant $v: $(bench --states 4096 --variant $v)" >> "$log"
  echo "bench kmc --states 512 --no-transition-counts --variant $v: $(bench --states 512 --no-transition-counts --variant $v)" >> "$log"
done
echo "bench kmc: $SECONDS s" >> "$log"
echo "start-up: $(PK_STARTUP_TIMES=1 $pk --version 2>&1 >/dev/null | tr '\n' ' ')" >> "$log"
echo "start-up (Open MPI defaults): $(PK_MPI_SINGLETON_DEFAULTS=0 PK_STARTUP_TIMES=1 $pk --version 2>&1 >/dev/null | tr '\n' ' ')" >> "$log"
for cfg in run run_defaults; do
  for k in 1 2 3 nr; do
    rm -rf /tmp/pk_run
    extra=(); [[ $k == nr ]] && extra=(--no-report)
    { PK_STARTUP_TIMES=1 /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/$cfg.ini --output /tmp/pk_run "${extra[@]}"; } > "$OUT/${cfg}_$k.log" 2>&1
    echo "$cfg $k: exit $? $(grep -E 'stage wall times|whole process|pandakinetics: (MPI|Kokkos|device)' "$OUT/${cfg}_$k.log" | tr '\n' ' ')" >> "$log"
  done
done
echo "total $SECONDS s" >> "$log"
cat "$log"
