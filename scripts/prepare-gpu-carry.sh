#!/usr/bin/env bash
# On a connected Debian 12 machine: download the Debian packages an offline
# GPU node lacks (parallel HDF5 + h5dump, Boost.Program_options 1.74) into
# .device-carry/debs, and fetch Kokkos into third_party/kokkos. Copy both
# folders next to the checkout on the node (docs/gpu-build.md).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$here/.device-carry/debs"
cd "$here/.device-carry/debs"
apt-get download libhdf5-openmpi-103-1 libhdf5-openmpi-dev libsz2 libaec0 hdf5-tools libhdf5-103-1 \
  libboost-program-options1.74.0 libboost-program-options1.74-dev libboost1.74-dev librandom123-dev
bash "$here/scripts/fetch-kokkos.sh"
du -sh "$here/.device-carry" "$here/third_party/kokkos"
