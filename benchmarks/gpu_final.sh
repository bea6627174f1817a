#!/usr/bin/env bash
# Closing GPU-node session: the whole cuda build and its test suite (without
# the Slurm label) on the GPU, the bundled pipeline example on the GPU build
# with its stage times, and CPU weak scaling at the issue's per-rank size
# (4 replicas x 4096 walkers per rank, 1..16 ranks) with the cpu build.
# Output: $OUT/final.log, $OUT/ctest-cuda.log, $OUT/run_gpu.log, $OUT/weak.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/final.log
{ date -u; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; lscpu | grep -E "Model name|^CPU\(s\)|Core|Socket"; } > "$log" 2>&1
SECONDS=0
{ time bash scripts/gpu-node-build.sh cuda; } > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
echo "cuda build: $SECONDS s" >> "$log"
ctest --test-dir build/cuda -LE slurm -j 8 --timeout 600 --output-on-failure > "$OUT/ctest-cuda.log" 2>&1
echo "ctest -LE slurm (cuda build, GPU) exit $?: $(grep -E 'tests passed' "$OUT/ctest-cuda.log")" >> "$log"
grep -E "\*\*\*|Not Run" "$OUT/ctest-cuda.log" >> "$log"
rm -rf /tmp/abl
{ /usr/bin/time -f "run: whole process %e s wall" build/cuda/src/pandakinetics run --config inputs/run_example/run.ini \
    --output /tmp/abl; } > "$OUT/run_gpu.log" 2>&1
echo "pipeline on the GPU: exit $?" >> "$log"
grep -E "stage wall times|whole process|koff" "$OUT/run_gpu.log" | tail -4 >> "$log"
# Docking at exhaustiveness 8 with the default launch and a few chains per block.
for cpb in 0 4; do
  echo "bench dock --exhaustiveness 8 --seed 1, PK_DOCK_CHAINS_PER_BLOCK=$cpb: $(PK_DOCK_CHAINS_PER_BLOCK=$cpb timeout 60 \
      build/cuda/src/pandakinetics bench dock --exhaustiveness 8 --seed 1 --vina none 2>&1 | tr -d '\n' | tail -c 600)" >> "$log"
done
PK_BUILD_TARGETS=pandakinetics bash scripts/gpu-node-build.sh cpu >> "$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; exit 1; }
for n in 1 2 4 8 16; do
  r=$((4 * n))
  echo "{\"ranks\": $n, \"result\": $(OMP_NUM_THREADS=1 mpirun -n $n --bind-to core --map-by core \
      build/cpu/src/pandakinetics bench kmc --states 512 --walkers 4096 --steps 1000 --repeats 3 --replicas $r | tr -d '\n')}"
done > "$OUT/weak.jsonl"
python3 - "$OUT/weak.jsonl" >> "$log" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
base = rows[0]["result"]["steps_per_s"]
for r in rows:
    s = r["result"]["steps_per_s"]
    print(f"weak: {r['ranks']:2d} ranks x 4 replicas x 4096 walkers: {s:.3e} steps/s, efficiency {s / (r['ranks'] * base):.3f}")
PY
echo "total $SECONDS s" >> "$log"
cat "$log"
