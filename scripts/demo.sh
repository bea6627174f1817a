#!/usr/bin/env bash
# The main job on the bundled example, from a fresh Debian 12 machine:
# installs the packages, builds the cpu preset, prints the configuration and
# runs the installation check on 2 MPI ranks (Kokkos + MPI + parallel HDF5).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/install-deps.sh
bash scripts/build.sh cpu
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
mkdir -p out
build/cpu/src/pandakinetics --version
mpirun -n 2 --oversubscribe build/cpu/src/pandakinetics demo --config inputs/demo.ini --output out/demo.h5
echo "wrote out/demo.h5 (h5dump out/demo.h5 shows it)"
