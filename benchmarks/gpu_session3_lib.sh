# Shared by the GPU session scripts (sourced; $pk and $OUT set):
#   session_start LOG       date, GPU, commit and working-tree state to LOG;
#                           restarts the SECONDS clock
#   cuda_dock_tests LOG     the whole cuda build (log: $OUT/build.log; on
#                           failure its tail to LOG and exit 1), then the dock
#                           tests on the GPU without the four that call
#                           `vina`, which the node lacks ($OUT/tests.log);
#                           "build: S s" and the test summary to LOG
#   dock_build LOG TESTS    builds pandakinetics and the dock test executables
#                           TESTS (cuda preset), build log to $OUT/build.log;
#                           "build: S s" to LOG, or the log's tail and exit 1
#   kmc_rate ARGS...        one `bench kmc` (out-degree 10, 64 x 4096 walkers,
#                           2000 steps, ARGS added): "R steps/s (ran KERNEL)"
#   pipeline_runs LOG EXTRA run.ini and run_defaults.ini three times with the
#                           report and once without (PK_STARTUP_TIMES=1,
#                           /usr/bin/time); one line each to LOG with the stage
#                           times and the log lines matching the regex EXTRA
#   dock_seeds LOG HEADER   HEADER, then `bench dock --exhaustiveness 8 --vina
#                           none` for seeds 1-5, a line each (dock_stages.py)
#   ncu_score LOG REGEX SKIP FILE
#                           Nsight Compute on launch SKIP (0-based) of the
#                           kernels matching REGEX in `bench score --poses
#                           131072 --repeats 2`: report to $OUT/FILE, exit
#                           status and the occupancy and issue figures to LOG
kmc_rate() {
  timeout 60 $pk bench kmc --out-degree 10 --replicas 64 --walkers 4096 --steps 2000 "$@" 2>&1 |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e steps/s (ran %s)" % (r["steps_per_s"], r["variant"]))' 2>&1 | tail -1
}
pipeline_runs() {
  local log=$1 extra_lines=$2 cfg k
  for cfg in run run_defaults; do
    for k in 1 2 3 nr; do
      rm -rf /tmp/pk_run
      local extra=(); [[ $k == nr ]] && extra=(--no-report)
      { PK_STARTUP_TIMES=1 /usr/bin/time -f "whole process %e s" $pk run --config inputs/run_example/$cfg.ini \
          --output /tmp/pk_run "${extra[@]}"; } > "$OUT/${cfg}_$k.log" 2>&1
      echo "$cfg $k: exit $? $(grep -E "stage wall times|whole process|$extra_lines" "$OUT/${cfg}_$k.log" | tr '\n' ' ')" >> "$log"
    done
  done
}
dock_build() {
  local log=$1 tests=$2
  PK_BUILD_TARGETS="pandakinetics $tests" bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 ||
    { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
  echo "build: $SECONDS s" >> "$log"
}
session_start() {
  { date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git rev-parse --short HEAD
    git status --short | head -5; } > "$1" 2>&1
  SECONDS=0
}
cuda_dock_tests() {
  local log=$1
  bash scripts/gpu-node-build.sh cuda > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
  echo "build: $SECONDS s" >> "$log"
  (cd build/cuda && timeout 400 ctest -R dock -E "dock_vina_parity|dock_quality_vs_vina|dock_search_cli|test_dock_poses_out" \
     --output-on-failure -j 4) > "$OUT/tests.log" 2>&1
  echo "dock tests: exit $? $(grep -E 'tests passed|tests failed' "$OUT/tests.log")" >> "$log"
  grep -E "^\s+[0-9]+ - " "$OUT/tests.log" >> "$log"
}
ncu_score() {
  local log=$1 regex=$2 skip=$3 file=$OUT/$4
  local ncu; ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
  timeout 200 $ncu --kernel-name-base demangled --kernel-name "regex:$regex" --launch-skip "$skip" --launch-count 1 \
    --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats \
    --section InstructionStats --section SchedulerStats --section MemoryWorkloadAnalysis \
    $pk bench score --poses 131072 --repeats 2 > "$file" 2>&1
  echo "ncu ($regex, launch $skip): exit $?" >> "$log"
  grep -E "Duration|SM Frequency|Achieved Occupancy|Theoretical Occupancy|Registers Per|Dynamic Shared|Block Limit|Warp Cycles Per Issued|Issued Warp Per|Executed Instructions  |L1/TEX Cache Throughput|L1/TEX Hit|Compute \(SM\) Throughput|Shared Memory Configuration" \
    "$file" | head -40 >> "$log"
}
dock_seeds() {
  local log=$1 seed
  echo "$2" >> "$log"
  for seed in 1 2 3 4 5; do
    timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | python3 benchmarks/dock_stages.py >> "$log"
  done
}
