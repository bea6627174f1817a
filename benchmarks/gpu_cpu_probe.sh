#!/usr/bin/env bash
# Is the CPU weak-scaling loss of the GPU node in its cores? (issue 6)
#  1. the CPU topology: lscpu, and which logical CPUs share a core
#     (thread_siblings_list);
#  2. a compute-bound loop with a register-sized working set
#     (benchmarks/probes/alu_loop.c): N copies pinned to CPUs 0..N-1
#     (N = 1, 2, 4, 8, 16), and 8 copies on the even CPUs: the rate per copy;
#  3. `bench kmc` weak scaling with the cpu build at 1, 8 and 16 ranks, and 8
#     ranks on the even CPUs (Open MPI --cpu-list).
# Output: $OUT/cpu_probe.txt. Usage: OUT=... bash benchmarks/gpu_cpu_probe.sh
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
sum=$OUT/cpu_probe.txt
SECONDS=0
{
  date -u
  lscpu
  for c in /sys/devices/system/cpu/cpu[0-9]*; do
    echo "$(basename $c): siblings $(cat $c/topology/thread_siblings_list 2>/dev/null) core $(cat $c/topology/core_id 2>/dev/null)"
  done | sort -V
  gcc -O2 -o /tmp/alu_loop benchmarks/probes/alu_loop.c
  iters=${PK_PROBE_ITERS:-600000000}
  run_copies() {  # cpus...: one pinned copy per CPU at once, prints the rates
    local pids=() c
    for c in "$@"; do taskset -c "$c" /tmp/alu_loop "$iters" > /tmp/alu_$c.txt & pids+=($!); done
    wait "${pids[@]}"
    for c in "$@"; do cut -d' ' -f1 /tmp/alu_$c.txt; done | awk '{s += $1; n++; if (!m || $1 < m) m = $1} END {printf "mean %.1f min %.1f Mit/s per copy", s / n, m}'
  }
  for n in 1 2 4 8 16; do echo "alu_loop x$n on cpus 0-$((n - 1)): $(run_copies $(seq 0 $((n - 1))))"; done
  echo "alu_loop x8 on even cpus: $(run_copies 0 2 4 6 8 10 12 14)"
  echo "alu_loop x8 on odd cpus: $(run_copies 1 3 5 7 9 11 13 15)"
  echo "alu_loop x1 again: $(run_copies 0)"
} > "$sum" 2>&1
if [[ ${PK_PROBE_KMC:-1} != 0 ]]; then
  PK_BUILD_TARGETS=pandakinetics bash scripts/gpu-node-build.sh cpu > "$OUT/cpu_build.log" 2>&1 || echo "cpu build failed" >> "$sum"
  pk=build/cpu/src/pandakinetics
  kmc() {  # ranks, mpirun placement options...
    local n=$1; shift
    OMP_NUM_THREADS=1 timeout 90 mpirun -n "$n" "$@" $pk bench kmc --states 512 --walkers 4096 --steps 1000 --repeats 3 \
      --replicas $((4 * n)) 2>&1 | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3e steps/s; per-rank advance median s: fastest %.4f mean %.4f slowest %.4f; barrier-to-barrier %.4f" % (r["steps_per_s"], r["rank_median_s_fastest"], r["rank_median_s_mean"], r["rank_median_s_slowest"], r["median_s"]))' 2>&1 | tail -1
  }
  {
    echo "bench kmc weak (4 replicas x 4096 walkers per rank, 1000 steps), steps/s:"
    one=$(kmc 1 --bind-to core --map-by core); echo "  1 rank: $one"
    for n in 2 4 8 16; do echo "  $n ranks (--bind-to core): $(kmc $n --bind-to core --map-by core)"; done
    echo "  16 ranks again: $(kmc 16 --bind-to core --map-by core)"
    echo "  1 rank again: $(kmc 1 --bind-to core --map-by core)"
    echo "  8 ranks on even cpus: $(kmc 8 --cpu-list 0,2,4,6,8,10,12,14 --bind-to cpu-list:ordered)"
    echo "  8 ranks on cpus 0-7: $(kmc 8 --cpu-list 0,1,2,3,4,5,6,7 --bind-to cpu-list:ordered)"
  } >> "$sum" 2>&1
fi
echo "total $SECONDS s" >> "$sum"
cat "$sum"
