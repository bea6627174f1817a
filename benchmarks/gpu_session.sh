#!/usr/bin/env bash
# One session on the GPU node: build the cuda and cpu presets from the carried
# packages (docs/gpu-build.md), run the whole test suite on the GPU build, and
# the KMC benchmarks on the GPU and on the node's CPU cores. Logs go to $OUT
# (default ./out): build.log, ctest.log, bench.jsonl, kmc_example.txt.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > "$OUT/device.txt" 2>&1
{ time bash scripts/gpu-node-build.sh cuda; } > "$OUT/build.log" 2>&1 || { tail -50 "$OUT/build.log"; exit 1; }
{ time bash scripts/gpu-node-build.sh cpu; } >> "$OUT/build.log" 2>&1 || { tail -50 "$OUT/build.log"; exit 1; }
ctest --test-dir build/cuda -j4 --output-on-failure > "$OUT/ctest.log" 2>&1
echo "ctest (cuda build) exit $?: $(grep -E 'tests passed' "$OUT/ctest.log")"
gpu=build/cuda/src/pandakinetics cpu=build/cpu/src/pandakinetics
bench() { echo "== $*" >&2; "$@" | tr -d '\n' ; echo; }
{
  bench $gpu bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000
  bench $gpu bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000 --no-transition-counts
  bench $gpu bench kmc --states 4096 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000
  bench $gpu bench kmc --states 512 --out-degree 10 --replicas 512 --walkers 4096 --steps 2000
  bench $gpu bench kmc --states 512 --out-degree 10 --replicas 1 --walkers 4096 --steps 2000
  OMP_NUM_THREADS=1 bench $cpu bench kmc --states 512 --out-degree 10 --replicas 4 --walkers 4096 --steps 2000
  OMP_NUM_THREADS=1 bench $cpu bench kmc --states 512 --out-degree 10 --replicas 4 --walkers 4096 --steps 2000 --no-transition-counts
  OMP_NUM_THREADS=16 OMP_PROC_BIND=spread OMP_PLACES=threads bench $cpu bench kmc --states 512 --out-degree 10 --replicas 64 --walkers 4096 --steps 2000
} > "$OUT/bench.jsonl" 2>"$OUT/bench.err"
cat "$OUT/bench.jsonl"
# A microsecond of a 500-state network with rates 1e3..1e12 1/s, default 64 x 4096 walkers.
python3 benchmarks/make_random_network.py 500 700 1 /tmp/rn500 > /dev/null
{ /usr/bin/time -v $gpu kmc --states /tmp/rn500/states.csv --edges /tmp/rn500/edges.csv --time 1e-6 \
    --output /tmp/rn.h5 --summary /tmp/rn.json --progress-every 2
  $gpu solve --states /tmp/rn500/states.csv --edges /tmp/rn500/edges.csv --output /tmp/rns.h5; } > "$OUT/kmc_500.txt" 2>&1
grep -E "steps in|koff|residence|Elapsed" "$OUT/kmc_500.txt"
N=inputs/networks/two_state
{ $gpu kmc --states $N/states.csv --edges $N/edges.csv --time 1e-1 --output /tmp/k.h5 --progress-every 5
  $gpu solve --states $N/states.csv --edges $N/edges.csv --output /tmp/s.h5; } > "$OUT/kmc_example.txt" 2>&1
tail -12 "$OUT/kmc_example.txt"
