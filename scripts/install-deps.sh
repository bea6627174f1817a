#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12 packages. Safe to
# re-run: it does nothing when everything is present.
set -euo pipefail
packages=(
  build-essential cmake ninja-build git ca-certificates xz-utils patch
  libopenmpi-dev openmpi-bin                 # MPI
  libhdf5-openmpi-dev hdf5-tools             # parallel HDF5 + h5dump
  libboost-program-options-dev               # command line
  libgtest-dev libgmock-dev googletest       # tests
  libbenchmark-dev libeigen3-dev librandom123-dev
  python3 python3-h5py python3-numpy         # independent readers in tests, analysis/
  libtrilinos-kokkos-dev                     # Debian's packaged Kokkos: the external-Kokkos build is tested too
  python3-matplotlib python3-scipy           # analysis/ plots and reports
  autodock-vina openbabel                    # reference scores for docking parity tests, SDF/PDBQT readers
  python3-rdkit                              # second independent SDF reader in the docking output tests
  librdkit-dev                               # prepare: SMILES/SDF/MOL2 ligands to PDBQT (src/prep/)
  slurmctld slurmd slurm-client munge        # a real one-node Slurm for the jobscript tests
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} == 0 ]]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi
sudo=""
[[ $(id -u) == 0 ]] || sudo=sudo
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
