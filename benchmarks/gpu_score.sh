#!/usr/bin/env bash
# One GPU-node call for the docking scorer (docs/docking.md): builds
# pandakinetics and the scorer tests (cuda preset), runs the device-scorer
# tests on the GPU, scores Vina's docked modes through the GPU grid path
# (compare with the same command on a CPU build) and runs `bench score` at
# three pose counts and with --near. Results go to $OUT: device.txt, build.log, tests.log,
# score_only.txt, bench_score.jsonl.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total --format=csv > "$OUT/device.txt" 2>&1
{ time PK_BUILD_TARGETS="pandakinetics test_dock_grid test_dock_pdbqt" bash scripts/gpu-node-build.sh cuda; } \
  > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; exit 1; }
gpu=build/cuda/src/pandakinetics
{ build/cuda/tests/dock/test_dock_grid; echo "test_dock_grid exit $?"
  build/cuda/tests/dock/test_dock_pdbqt; echo "test_dock_pdbqt exit $?"; } > "$OUT/tests.log" 2>&1
grep -E "exit|PASSED|FAILED" "$OUT/tests.log"
box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
{ $gpu dock --score_only --grid --receptor inputs/dock/protein.pdbqt \
    --ligand tests/dock/data/vina_imatinib_e2_seed1.pdbqt "${box[@]}"
  $gpu dock --score_only --receptor inputs/dock/protein.pdbqt \
    --ligand tests/dock/data/vina_imatinib_e2_seed1.pdbqt "${box[@]}"; } > "$OUT/score_only.txt" 2>&1
grep -E "Scoring|Estimated" "$OUT/score_only.txt"
{ for n in 65536 262144 1048576; do
    $gpu bench score --poses "$n" --repeats 7 | tr -d '\n'; echo
  done
  $gpu bench score --poses 1048576 --repeats 7 --near --ligand tests/dock/data/vina_imatinib_e2_seed1.pdbqt \
    | tr -d '\n'; echo
} > "$OUT/bench_score.jsonl" 2> "$OUT/bench_score.err"
python3 - "$OUT/bench_score.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"{r['execution_space']} poses {r['poses']}{' near' if r['near_input_pose'] else ''}: {r['evals_per_s']:.3e} evals/s (grid {r['inter_evals_per_s']:.3e}, "
          f"intra {r['intra_evals_per_s']:.3e}), with kinematics {r['with_kinematics_per_s']:.3e}/s, "
          f"grid build {r['grid_build_s']:.3f} s; team of {r['team_size']} per pose {r['team_evals_per_s']:.3e}/s "
          f"(max rel. diff to thread per pose: energy {r['team_vs_thread_max_rel_energy_diff']:.1e}, "
          f"gradient {r['team_vs_thread_max_rel_grad_diff']:.1e})")
PY
