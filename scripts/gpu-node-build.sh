#!/usr/bin/env bash
# Build and test the `cuda` preset on an offline GPU node (docs/gpu-build.md).
# Needs, prepared on a connected Debian 12 machine and copied next to the
# checkout: third_party/kokkos (scripts/fetch-kokkos.sh) and the Debian
# packages the node lacks in $PK_CARRY/debs (scripts/prepare-gpu-carry.sh).
#   PK_GPU_ARCH=HOPPER90|AMPERE86|AMPERE80   (default HOPPER90)
#   PK_CARRY=folder holding debs/            (default .device-carry)
#   first argument: the preset (default cuda; cpu builds the OpenMP version)
#   PK_BUILD_TARGETS="t1 t2"                 (default: everything)
#   PK_CMAKE_ARGS="-DX=Y ..."                (extra configure arguments, e.g.
#                                             -DCMAKE_CXX_FLAGS=-lineinfo for profiling)
#   PK_BUILD_DIR=folder                      (default: the preset's, build/<preset>)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
carry=${PK_CARRY:-$here/.device-carry}
arch=${PK_GPU_ARCH:-HOPPER90}
case $arch in
  HOPPER90) sm=sm_90 ;; AMPERE86) sm=sm_86 ;; AMPERE80) sm=sm_80 ;;
  *) echo "gpu-node-build: unknown PK_GPU_ARCH=$arch" >&2; exit 2 ;;
esac
root=$carry/root
if [[ ! -d $root/usr ]]; then
  mkdir -p "$root"
  for deb in "$carry"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi
lib=$root/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$lib:$lib/hdf5/openmpi:$lib/hdf5/serial:${LD_LIBRARY_PATH:-}
export PATH=/usr/local/cuda/bin:$root/usr/bin:$PATH
export NVCC_WRAPPER_DEFAULT_ARCH=$sm
[[ -f third_party/kokkos/.pk-fetched ]] || { echo "gpu-node-build: third_party/kokkos missing (copy it from the build machine)" >&2; exit 1; }
preset=${1:-cuda}
extra=()
[[ $preset == cuda ]] && extra=(-DPK_GPU_ARCH="$arch")
[[ -n ${PK_CMAKE_ARGS:-} ]] && extra+=(${PK_CMAKE_ARGS})
dir=${PK_BUILD_DIR:-build/$preset}
cmake --preset "$preset" -B "$dir" "${extra[@]}" -DPK_HDF5_ROOT="$root/usr" \
      -DBoost_DIR="$lib/cmake/Boost-1.74.0" -DBoost_NO_SYSTEM_PATHS=ON \
      -DPK_RANDOM123_INCLUDE_DIR="$root/usr/include"
targets=()
[[ -n ${PK_BUILD_TARGETS:-} ]] && targets=(--target ${PK_BUILD_TARGETS})
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
