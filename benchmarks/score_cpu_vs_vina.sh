#!/usr/bin/env bash
# Per-core scoring rate on this machine: AutoDock Vina's own energy + gradient
# evaluations per CPU second (benchmarks/vina_eval_rate.sh, which counts
# Vina's BFGS function calls: kinematics + grid + intra + gradient) next to
# `pandakinetics bench score` on one OpenMP thread, whose comparable figure is
# with_kinematics_per_cpu_s: random poses anywhere in the box, and --near
# (poses around Vina's best pose, the access pattern of a local search, which
# is what Vina's count measures). Alternates the two programs ROUNDS times.
# usage: score_cpu_vs_vina.sh PANDAKINETICS [ROUNDS]   (one JSON object per line)
set -euo pipefail
pk=$1 rounds=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vina_split --input "$here/tests/dock/data/vina_imatinib_e2_seed1.pdbqt" --ligand "$work/mode_" > /dev/null
for ((r = 0; r < rounds; ++r)); do
  bash "$here/benchmarks/vina_eval_rate.sh" 50000 450000 3
  for near in "" --near; do
    OMP_NUM_THREADS=1 OMP_PROC_BIND=false "$pk" bench score --poses 8192 --repeats 7 \
      --ligand "$work/mode_1.pdbqt" $near | tr -d '\n'
    echo
  done
done
