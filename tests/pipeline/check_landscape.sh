#!/usr/bin/env bash
# The binding landscape (`pandakinetics network --channel-rays N`) on AutoDock
# Vina's own poses of imatinib in Abl kinase (tests/pipeline/data): channel and
# surface states are generated, the rates satisfy detailed balance with
# pi ~ exp(-G/RT), every state reaches the unbound state, only surface states
# exchange with the bulk (none buried at the diffusion limit), the Berg-Purcell
# association rates add up as the formula says, pocket states are the bound
# macrostate, and the exact koff/kon of the HDF5 and CSV outputs agree.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { "$@" > log.txt 2>&1 || { echo "FAIL: $*"; cat log.txt; exit 1; }; }
run "$py" $src/tests/pipeline/vina_to_poses.py --ligand $src/inputs/dock/ligand.pdbqt \
  --vina $src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt --receptor $src/inputs/dock/protein.pdbqt \
  --center 11 90.5 57.5 --size 22 24 28 --output poses.h5
opts="--images 3 --relax-steps 12 --channel-rays 16 --channel-step 2 --channel-length 16 --edge-rmsd 3 --edge-centroid 3.5 --drop-unconnected"
run "$pk" network poses.h5 $opts --output net.h5 --summary net.json
cat log.txt
grep -q "landscape: layer" log.txt || { echo "FAIL: no landscape summary printed"; exit 1; }
run "$pk" solve --network net.h5 --output solve.h5
cat log.txt
"$py" $src/tests/pipeline/check_landscape.py net.h5 solve.h5 states.csv edges.csv
