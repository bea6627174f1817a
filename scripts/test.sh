#!/usr/bin/env bash
# The whole test suite from a fresh Debian 12 machine: installs the packages,
# fetches Kokkos, builds the cpu preset (bundled Kokkos 3.4.01), runs every
# ctest test (unit, MPI at 1/2/4 ranks, end to end), builds Kokkos 4.6.01 from
# vendor/ and builds and tests the project against it (the external-Kokkos
# path, as on a cluster's Kokkos 4.x module; no deprecation warning allowed),
# smoke-tests Debian's packaged Kokkos 3.4.01, then compiles and links the
# cuda preset where nvcc exists.
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
bash scripts/test-external-kokkos.sh all
if command -v nvcc >/dev/null 2>&1 || [[ -x /usr/local/cuda/bin/nvcc ]]; then
  echo "== cuda preset: compile and link only (no GPU on this machine) =="
  bash scripts/build.sh cuda
  echo "cuda preset: built $(ls build/cuda/src/pandakinetics) and the test binaries"
else
  echo "cuda preset: skipped (no nvcc here; docs/gpu-build.md says how to build on a GPU node)"
fi
echo "test.sh: done in $(( $(date +%s) - start )) s"
