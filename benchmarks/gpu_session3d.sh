#!/usr/bin/env bash
# Session 3's closing GPU-node calls.
#   tests: the whole cuda build and its test suite on the GPU (ctest -LE
#          slurm, without the tests that call AutoDock Vina's programs, which
#          the node lacks);
#   bench: `bench kmc` (default kernel, 512 and 4096 states, with and without
#          counts, and packed), `bench score`, `bench dock` at exhaustiveness 8
#          (seeds 1-5), and the pipeline: run.ini and run_defaults.ini, three
#          times with the report and once without.
# Usage: OUT=... bash benchmarks/gpu_session3d.sh tests|bench
# Output: $OUT/session3d_<mode>.txt and logs next to it.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
source "$(dirname "$0")/gpu_session3_lib.sh"
mode=${1:?tests or bench}
log=$OUT/session3d_$mode.txt
SECONDS=0
{ date -u; nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader; git log -1 --format="commit %h" 2>/dev/null; } > "$log" 2>&1
pk=build/cuda/src/pandakinetics
if [[ $mode == tests ]]; then
  bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
  echo "cuda build (all targets): $SECONDS s" >> "$log"
  ctest --test-dir build/cuda -LE slurm -E "dock_vina_parity|dock_quality_vs_vina|dock_search_cli|test_dock_poses_out" \
    -j 8 --timeout 400 > "$OUT/ctest.log" 2>&1
  echo "ctest exit $?" >> "$log"
  grep -E "tests passed|tests failed|\*\*\*|Failed|Not Run" "$OUT/ctest.log" >> "$log"
  grep -E "Label Time|Total Test time" -A0 "$OUT/ctest.log" >> "$log"
else
  PK_BUILD_TARGETS=pandakinetics bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
  echo "cuda build: $SECONDS s" >> "$log"
  for round in 1 2 3; do
    echo "bench kmc --states 512 (default kernel, round $round): $(kmc_rate --states 512)" >> "$log"
    echo "bench kmc --states 512 --variant packed (round $round): $(kmc_rate --states 512 --variant packed)" >> "$log"
  done
  echo "bench kmc --states 512 --no-transition-counts: $(kmc_rate --states 512 --no-transition-counts)" >> "$log"
  echo "bench kmc --states 512 --distinct-conditions: $(kmc_rate --states 512 --distinct-conditions)" >> "$log"
  echo "bench kmc --states 4096: $(kmc_rate --states 4096)" >> "$log"
  echo "bench kmc --states 4096 --no-transition-counts: $(kmc_rate --states 4096 --no-transition-counts)" >> "$log"
  timeout 120 $pk bench score --poses 1048576 --repeats 5 > "$OUT/score.json" 2>&1
  python3 - "$OUT/score.json" >> "$log" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("bench score:", ", ".join(f"{k} {r[k]:.3e}" for k in
      ("evals_per_s", "with_kinematics_per_s", "team_evals_per_s", "team_with_kinematics_per_s") if k in r))
PY
  for seed in 1 2 3 4 5; do
    echo "bench dock --exhaustiveness 8 --seed $seed: $(timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | python3 benchmarks/dock_stages.py 2>&1 | tr '\n' ' ')" >> "$log"
  done
  pipeline_runs "$log" 'pandakinetics: (MPI_Init|Kokkos::init)|T = 300.0 K'
  ls /tmp/pk_run >> "$log"
fi
echo "total $SECONDS s" >> "$log"
cat "$log"
