#!/usr/bin/env bash
# Closing GPU-node session (team-per-chain docking, packed KMC tables): the
# whole cuda build and its tests on the GPU (without the Slurm label and the
# four tests that call AutoDock Vina, which the node lacks), `bench score`,
# `bench dock --exhaustiveness 8` for seeds 1-5 with the default chains, the
# bundled pipeline example three times (cold, warm, warm without the report),
# the pipeline's kmc stage with fewer segments / Kokkos' carveout / NCCL on
# one rank, and `bench kmc` (default variant) at 512 and 4096 states.
# Output: $OUT/session2.log (summary), $OUT/build.log, $OUT/ctest-cuda.log,
# $OUT/run_*.log, $OUT/score.json.
# Usage: OUT=... bash benchmarks/gpu_session2.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session2.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; } > "$log" 2>&1
SECONDS=0
{ time bash scripts/gpu-node-build.sh cuda; } > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
t0=$SECONDS
ctest --test-dir build/cuda -LE slurm -E "dock_vina_parity|dock_quality_vs_vina|dock_search_cli|test_dock_poses_out" \
  -j 8 --timeout 300 --output-on-failure > "$OUT/ctest-cuda.log" 2>&1
echo "ctest (GPU, without slurm and the 4 vina tests): exit $?: $(grep -E 'tests passed' "$OUT/ctest-cuda.log") in $((SECONDS - t0)) s" >> "$log"
grep -E "\*\*\*|Not Run" "$OUT/ctest-cuda.log" >> "$log"
pk=build/cuda/src/pandakinetics
timeout 120 $pk bench score --poses 1048576 --repeats 5 > "$OUT/score.json" 2>&1
python3 - "$OUT/score.json" >> "$log" <<'PY'
import json, sys
t = open(sys.argv[1]).read(); r = json.loads(t[t.index("{"):])
print("bench score (1,048,576 poses):", ", ".join("%s %.4g" % (k, r[k]) for k in
      ("evals_per_s", "with_kinematics_per_s", "team_evals_per_s", "team_with_kinematics_per_s",
       "team_with_kinematics_vs_thread_max_rel_energy_diff")))
PY
stages() { python3 benchmarks/dock_stages.py; }
for seed in 1 2 3 4 5; do
  echo "bench dock --exhaustiveness 8 --seed $seed (default chains):" >> "$log"
  timeout 60 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | stages >> "$log" 2>&1
done
rm -rf /tmp/abl
for k in cold warm; do
  rm -rf /tmp/abl
  { /usr/bin/time -f "run: whole process %e s wall" $pk run --config inputs/run_example/run.ini --output /tmp/abl; } \
    > "$OUT/run_$k.log" 2>&1
  echo "pipeline ($k report): exit $?" >> "$log"
  grep -E "stage wall times|whole process" "$OUT/run_$k.log" | tail -2 >> "$log"
done
rm -rf /tmp/abl
{ /usr/bin/time -f "run: whole process %e s wall" $pk run --config inputs/run_example/run.ini --output /tmp/abl --no-report; } \
  > "$OUT/run_noreport.log" 2>&1
echo "pipeline (--no-report): exit $?" >> "$log"
grep -E "stage wall times|whole process" "$OUT/run_noreport.log" | tail -2 >> "$log"
h=$(grep -o -- "--time [0-9.e+-]*" "$OUT/run_noreport.log" | head -1)
for opts in "--segments 100" "--segments 10" "--segments 100 CARVEOUT" "--segments 100 NCCL"; do
  env=(); args=${opts% CARVEOUT}; args=${args% NCCL}
  [[ $opts == *CARVEOUT ]] && env=(PK_KMC_CARVEOUT=-1)
  [[ $opts == *NCCL ]] && env=(PK_KMC_NCCL=1)
  out=$( { /usr/bin/time -f "process %e s" env "${env[@]}" $pk kmc --config inputs/run_example/run.ini --network /tmp/abl/network.h5 \
      --output /tmp/abl/kmc_$RANDOM.h5 --concentration 1e-6 $h $args; } 2>&1 | grep -E "steps in|process|reductions via" | tr '\n' ' ')
  echo "kmc stage ($opts): $out" >> "$log"
done
for states in 512 4096; do
  echo "bench kmc --states $states: $(timeout 60 $pk bench kmc --states $states --out-degree 10 --replicas 64 --walkers 4096 \
      --steps 2000 2>&1 | grep -E '"variant"|steps_per_s"' | tr -d '\n ')" >> "$log"
done
echo "total $SECONDS s" >> "$log"
cat "$log"
