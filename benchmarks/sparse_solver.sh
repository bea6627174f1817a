#!/usr/bin/env bash
# The sparse exact solver (issue 17): wall time of all first-moment quantities
# of exact_kinetics (stationary distribution, MFPTs and second moments to the
# bound and to the unbound states, committor, koff/kon/Kd, renewal rates; no
# curves) against network size, and the dense/sparse crossover, on the CPU.
#
#   benchmarks/sparse_solver.sh [BUILD_DIR] [SIZES...]
#
# BUILD_DIR (default build/sparse) must hold tests/solve/solve_sparse_tool
# (cmake --build BUILD_DIR --target solve_sparse_tool). Sizes default to
# 1000 10000 100000. Networks (tests/solve/random_networks.hpp): `landscape`,
# a 3-D grid of states with random free energies and barriers (rates
# 1e3..1e12 1/s, detailed balance), at every size; `random`, the network of
# `bench kmc` (10 random out-edges per state), whose LU fill grows like n^2,
# at 1000 and 3000 states only. Records the machine's load (other jobs share it).
set -euo pipefail
build=${1:-build/sparse}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
tool=$build/tests/solve/solve_sparse_tool
[ -x "$tool" ] || { echo "no $tool: cmake --build $build --target solve_sparse_tool" >&2; exit 2; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "## crossover: dense against sparse linear solves (stationary, both MFPTs, committor)"
for n in 125 216 343 512 729 1000; do echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"; "$tool" crossover landscape "$n"; done
for n in 200 300 400 600 1000; do "$tool" crossover random "$n"; done
echo "## first-moment quantities (median of 3 below 10^5 states, 1 run from 10^5)"
for n in "${sizes[@]}"; do
  repeats=3
  [ "$n" -ge 100000 ] && repeats=1
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$tool" bench landscape "$n" "$repeats" || echo "landscape $n failed (exit $?)"
done
for n in 1000 3000; do
  echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout 600 "$tool" bench random "$n" 1 || echo "random $n failed or timed out (exit $?)"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
