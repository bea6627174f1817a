#!/usr/bin/env bash
# GPU node: dock the kinetics reference set (scripts/kinetics/dock_reference.sh) and build every ligand's
# binding landscape (scripts/kinetics/build_landscapes.sh), each timed, with the cuda build of
# pandakinetics (scripts/gpu-node-build.sh first). Both scripts skip what is done, so a second call on a
# warm machine continues. Writes $OUT/landscape_gpu.log and $OUT/kinetics.tgz (poses, landscapes, logs,
# wall times) for the calibration and benchmarks/RESULTS.md; `calibrate` then fits the model on them
# (leave-one-out, on PK_CALIBRATE_RANKS MPI ranks, default 8) and times it.
#   bash benchmarks/gpu_landscape.sh [dock|landscapes|calibrate|all]   (default all)
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
what=${1:-all}
pk=$here/build/cuda/src/pandakinetics
export PK_PYTHON=${PK_PYTHON:-python3} OMP_NUM_THREADS=${OMP_NUM_THREADS:-8}
{
  date -u; nvidia-smi -L; "$pk" --version | head -5
  if [[ $what == all || $what == dock ]]; then
    bash scripts/kinetics/dock_reference.sh --pandakinetics "$pk" --out out/kinetics/docked
    echo "dock_reference.sh exit $?"
  fi
  if [[ $what == all || $what == landscapes ]]; then
    bash scripts/kinetics/build_landscapes.sh --pandakinetics "$pk" --docked out/kinetics/docked --out out/kinetics/landscapes
    echo "build_landscapes.sh exit $?"
  fi
  if [[ $what == all || $what == calibrate ]]; then
    c=out/kinetics/calibration
    mkdir -p "$c"
    start=$(date +%s%N)
    OMP_NUM_THREADS=1 mpirun -n "${PK_CALIBRATE_RANKS:-8}" --oversubscribe "$pk" calibrate --reference out/kinetics/landscapes/calibration.csv \
      --folds 0 --concentration 1e-6 --output "$c/parameters.txt" --predictions "$c/predictions.csv" \
      --summary "$c/calibration.json"
    echo "calibrate exit $? in $(( ($(date +%s%N) - start) / 1000000 )) ms wall on ${PK_CALIBRATE_RANKS:-8} ranks"
  fi
  date -u
} 2>&1 | tee -a "$OUT/landscape_gpu.log"
tar czf "$OUT/kinetics.tgz" --exclude='*_out.pdbqt' out/kinetics 2>/dev/null
ls -la "$OUT"
