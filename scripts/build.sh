#!/usr/bin/env bash
# scripts/build.sh [PRESET]: fetch Kokkos (cached), configure and build a
# preset (cpu by default; cuda needs nvcc, see docs/gpu-build.md).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-cpu}
cd "$here"
bash scripts/fetch-kokkos.sh
if [[ $preset == cuda ]]; then
  export PATH=/usr/local/cuda/bin:$PATH
fi
jobs=$(nproc)
cmake --preset "$preset" >"build-$preset.configure.log" 2>&1 || { cat "build-$preset.configure.log"; exit 1; }
rm -f "build-$preset.configure.log"
cmake --build --preset "$preset" -j "$jobs"
