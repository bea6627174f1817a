#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs the packages,
# fetches Kokkos, builds the cpu preset, runs every ctest test (unit, MPI at
# 1/2/4 ranks, end to end), builds and tests again against Debian's packaged
# Kokkos (the external-Kokkos path), then compiles and links the cuda preset
# where nvcc exists.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
start=$(date +%s)
bash scripts/install-deps.sh
bash scripts/build.sh cpu
echo "== ctest (cpu preset) =="
set +e
ctest --test-dir build/cpu -j "$(nproc)" --output-on-failure 2>&1 | tee build/cpu/ctest.log
rc=${PIPESTATUS[0]}
set -e
grep -E "tests passed|tests failed" build/cpu/ctest.log | tail -1
if [[ $rc != 0 ]]; then
  echo "test.sh: ctest failed (exit $rc)"
  exit "$rc"
fi
echo "== external Kokkos: Debian's packaged Kokkos 3.4.01 (Serial) through find_package =="
cmake -S . -B build/external -G Ninja -DCMAKE_BUILD_TYPE=Release -DPK_USE_EXTERNAL_KOKKOS=ON \
      -DKokkos_DIR=/usr/lib/x86_64-linux-gnu/cmake/Kokkos > build-external.configure.log 2>&1 ||
  { cat build-external.configure.log; exit 1; }
rm -f build-external.configure.log
cmake --build build/external -j "$(nproc)"
set +e
ctest --test-dir build/external -j "$(nproc)" -LE slurm --output-on-failure > build/external/ctest.log 2>&1
rc=$?
set -e
echo "external Kokkos build: $(grep -E 'tests passed|tests failed' build/external/ctest.log | tail -1)"
if [[ $rc != 0 ]]; then
  cat build/external/ctest.log
  echo "test.sh: ctest of the external-Kokkos build failed (exit $rc)"
  exit "$rc"
fi
if command -v nvcc >/dev/null 2>&1 || [[ -x /usr/local/cuda/bin/nvcc ]]; then
  echo "== cuda preset: compile and link only (no GPU on this machine) =="
  bash scripts/build.sh cuda
  echo "cuda preset: built $(ls build/cuda/src/pandakinetics) and the test binaries"
else
  echo "cuda preset: skipped (no nvcc here; docs/gpu-build.md says how to build on a GPU node)"
fi
echo "test.sh: done in $(( $(date +%s) - start )) s"
