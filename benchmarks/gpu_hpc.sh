#!/usr/bin/env bash
# One GPU-node session for the benchmark suite (issue 6): builds the cuda and
# cpu presets from the carried packages (docs/gpu-build.md), then runs
# benchmarks/run_benchmarks --full: bench gemm (cuBLAS), bench kmc on the GPU
# (walkers and network-size sweeps, the one-GPU throughput), bench io at 1..16
# ranks, CPU strong and weak scaling at 1..16 ranks of the cpu build, and
# bench score (docking evaluations/s) on the GPU with its defaults.
# Leaves at most 8 files in $OUT: session.log, results.json (written after
# every section, so a run cut short keeps what it measured) and the CSVs.
#   OUT=DIR bash benchmarks/gpu_hpc.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
log=$OUT/session.log
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv
  nproc; lscpu | grep -E "Model name|Socket|Core|Thread" ; git log --oneline -1 2>/dev/null
} >> "$log" 2>&1
build() {  # build PRESET SECONDS: the whole preset; if that fails or takes longer, the executable alone
  { time timeout "$2" bash scripts/gpu-node-build.sh "$1"; } > "$OUT/build-$1.log" 2>&1 && return 0
  tail -30 "$OUT/build-$1.log" >> "$log"
  echo "full $1 build failed or took over $2 s; building the pandakinetics target only" >> "$log"
  cmake --build "build/$1" --target pandakinetics -j "$(nproc)" >> "$log" 2>&1
}
SECONDS=0
build cuda 180 && build cpu 90 || { echo "build failed" >> "$log"; tail -40 "$log"; exit 1; }
echo "builds: $SECONDS s" >> "$log"
grep -E "^real" "$OUT"/build-*.log >> "$log"
rm -f "$OUT"/build-*.log
build/cuda/src/pandakinetics --version >> "$log" 2>&1
python3 benchmarks/run_benchmarks --full --output "$OUT" --pk build/cpu/src/pandakinetics \
    --pk-cuda build/cuda/src/pandakinetics --max-ranks 16 --io-dir /tmp --timeout 150 \
    --sections gemm,scaling,io,kmc,dock >> "$log" 2>&1
echo "run_benchmarks exit $?, total $SECONDS s" >> "$log"
{
  # The strong-scaling run as 1 rank x 16 OpenMP threads (against 16 ranks x 1 thread).
  echo "== 1 rank x 16 threads: bench kmc --replicas 64 --states 512 --walkers 1024 --steps 1000 --repeats 3"
  OMP_NUM_THREADS=16 OMP_PROC_BIND=spread OMP_PLACES=threads build/cpu/src/pandakinetics bench kmc \
      --replicas 64 --states 512 --walkers 1024 --steps 1000 --repeats 3 | tr -d '\n'; echo
  # A whole `kmc` run on the GPU: 500 states, 1 us, 64 x 4096 walkers (load, run, write).
  python3 benchmarks/make_random_network.py 500 700 1 /tmp/rn500 > /dev/null
  echo "== kmc 500 states, --time 1e-6, 64 x 4096 walkers (GPU)"
  /usr/bin/time -f "whole process: %e s wall, %M kB max RSS" build/cuda/src/pandakinetics kmc \
      --states /tmp/rn500/states.csv --edges /tmp/rn500/edges.csv --time 1e-6 --output /tmp/rn.h5 \
      --progress-every 1000 2>&1 | grep -E "steps in|whole process"
} >> "$log" 2>&1
echo "total $SECONDS s" >> "$log"
# At most 8 files come back: the plots are redrawn from the CSVs.
rm -f "$OUT"/*.png "$OUT/scaling_efficiency.json"
tail -45 "$log"
