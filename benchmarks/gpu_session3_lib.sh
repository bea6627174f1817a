# Shared by the GPU session scripts (sourced; $pk and $OUT set):
#   dock_build LOG TESTS    builds pandakinetics and the dock test executables
#                           TESTS (cuda preset), build log to $OUT/build.log;
#                           "build: S s" to LOG, or the log's tail and exit 1
#   kmc_rate ARGS...        one `bench kmc` (out-degree 10, 64 x 4096 walkers,
#                           2000 steps, ARGS added): "R steps/s (ran KERNEL)"
#   pipeline_runs LOG EXTRA run.ini and run_defaults.ini three times with the
#                           report and once without (PK_STARTUP_TIMES=1,
#                           /usr/bin/time); one line each to LOG with the stage
#                           times and the log lines matching the regex EXTRA
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
