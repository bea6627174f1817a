#!/usr/bin/env bash
# One GPU-node session for the benchmark suite (issue 6): builds the cuda and
# cpu presets from the carried packages (docs/gpu-build.md), then runs
# benchmarks/run_benchmarks --full: bench gemm (cuBLAS), bench kmc on the GPU
# (walkers and network-size sweeps, the one-GPU throughput), bench io at 1..16
# ranks, CPU strong and weak scaling at 1..16 ranks of the cpu build.
# Brings back at most 8 files in $OUT: session.log, results.json and the CSVs
# (+ scaling.png where the node's python has matplotlib).
#   OUT=DIR bash benchmarks/gpu_hpc.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session.log
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv
  nproc; lscpu | grep -E "Model name|Socket|Core|Thread" ; git log --oneline -1 2>/dev/null
} > "$log" 2>&1
build() {  # the preset; on a failure elsewhere in the tree, the executable alone
  { time bash scripts/gpu-node-build.sh "$1"; } > "$OUT/build-$1.log" 2>&1 && return 0
  tail -30 "$OUT/build-$1.log" >> "$log"
  echo "full $1 build failed; building the pandakinetics target only" >> "$log"
  cmake --build "build/$1" --target pandakinetics -j "$(nproc)" >> "$log" 2>&1
}
SECONDS=0
build cuda && build cpu || { echo "build failed" >> "$log"; tail -40 "$log"; exit 1; }
echo "builds: $SECONDS s" >> "$log"
grep -E "^real" "$OUT"/build-*.log >> "$log"
rm -f "$OUT"/build-*.log
build/cuda/src/pandakinetics --version >> "$log" 2>&1
python3 benchmarks/run_benchmarks --full --output "$OUT/full" --pk build/cpu/src/pandakinetics \
    --pk-cuda build/cuda/src/pandakinetics --max-ranks 16 --io-dir /tmp --timeout 150 \
    --sections gemm,kmc,io,scaling >> "$log" 2>&1
echo "run_benchmarks exit $?, total $SECONDS s" >> "$log"
for f in results.json kmc.csv gemm.csv io.csv scaling_strong.csv scaling_weak.csv scaling.png; do
  [[ -f $OUT/full/$f ]] && mv "$OUT/full/$f" "$OUT/$f"
done
rm -rf "$OUT/full"
tail -45 "$log"
