#!/usr/bin/env bash
# GPU-node session for the team-per-chain docking search
# (kernels/dock_search_team.hpp): builds the cuda preset, runs the docking
# kernel tests on the GPU (team kernel against the thread kernel, search,
# kinematics, grid), `bench score` (team_with_kinematics_per_s is the GPU
# search's evaluation), `bench dock` at exhaustiveness 8 for three seeds with
# the default (a warp per chain) and wider teams, the bundled pipeline
# example, and then the KMC variants script when present.
# Output: $OUT/dock_team.log (summary), $OUT/build.log, $OUT/ctest-dock.log,
# $OUT/score.json, $OUT/run_gpu.log.
# Usage: OUT=... bash benchmarks/gpu_dock_team.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/dock_team.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; git log -1 --format="commit %h %s"; } > "$log" 2>&1
SECONDS=0
{ time bash scripts/gpu-node-build.sh cuda; } > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" | tee -a "$log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
ctest --test-dir build/cuda -R "test_dock_(search_team|search|kinematics|grid)$" --timeout 300 --output-on-failure \
  > "$OUT/ctest-dock.log" 2>&1
echo "dock kernel tests on the GPU: exit $?: $(grep -E 'tests passed' "$OUT/ctest-dock.log")" >> "$log"
grep -E "\*\*\*|Failure" "$OUT/ctest-dock.log" | head -20 >> "$log"
pk=build/cuda/src/pandakinetics
timeout 120 $pk bench score --poses 262144 --repeats 5 > "$OUT/score.json" 2>&1
echo "bench score (262,144 poses): exit $?" >> "$log"
/usr/bin/python3 - "$OUT/score.json" >> "$log" <<'PY'
import json, sys
try:
    text = open(sys.argv[1]).read()
    r = json.loads(text[text.index("{"):])
    for k in ("evals_per_s", "with_kinematics_per_s", "team_evals_per_s", "team_with_kinematics_per_s",
              "team_with_kinematics_vs_thread_max_rel_energy_diff", "team_size"):
        print(f"  {k}: {r.get(k)}")
except Exception as e:
    print("  score.json unreadable:", e)
PY
for team in 32 64; do
  for seed in 1 2 3; do
    t0=$SECONDS
    out=$(PK_DOCK_TEAM_SIZE=$team timeout 120 $pk bench dock --exhaustiveness 8 --seed $seed --vina none 2>&1 | tr -d '\n')
    echo "bench dock --exhaustiveness 8 --seed $seed, team $team (process $((SECONDS - t0)) s): $(echo "$out" | tail -c 700)" >> "$log"
  done
done
for chains in 2048 4096; do
  out=$(timeout 120 $pk bench dock --exhaustiveness 8 --seed 1 --vina none --chains $chains 2>&1 | tr -d '\n')
  echo "bench dock --exhaustiveness 8 --seed 1 --chains $chains: $(echo "$out" | tail -c 700)" >> "$log"
done
rm -rf /tmp/abl
{ /usr/bin/time -f "run: whole process %e s wall" $pk run --config inputs/run_example/run.ini --output /tmp/abl; } \
  > "$OUT/run_gpu.log" 2>&1
echo "pipeline on the GPU: exit $?" >> "$log"
grep -E "stage wall times|whole process|koff|dock" "$OUT/run_gpu.log" | tail -8 >> "$log"
echo "dock part: $SECONDS s" >> "$log"
if [[ -f benchmarks/gpu_kmc_variants.sh && ${PK_WITH_KMC:-1} == 1 ]]; then
  PK_KMC_VARIANTS_CPU=${PK_KMC_VARIANTS_CPU:-1} bash benchmarks/gpu_kmc_variants.sh > "$OUT/kmc_variants.out" 2>&1
  echo "kmc variants: exit $? (see kmc_variants.txt)" >> "$log"
fi
echo "total $SECONDS s" >> "$log"
cat "$log"
