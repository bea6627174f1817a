#!/usr/bin/env bash
# AutoDock Vina's own energy + gradient evaluation rate on one core, measured
# with Vina's --max_evals (each BFGS function call is one evaluation: the
# conformation to coordinates, grid + intramolecular energy and gradient, the
# gradient back to the conformation). One Monte Carlo run (--cpu 1
# --exhaustiveness 1) docks the Debian test ligand at two evaluation budgets;
# the rate is the difference in evaluations over the difference in CPU time,
# so the fixed costs (reading, grid maps, final refinement) cancel. Medians of
# REPEATS runs. Prints one JSON object.
# usage: vina_eval_rate.sh [LOW_EVALS] [HIGH_EVALS] [REPEATS]
set -euo pipefail
low=${1:-50000} high=${2:-450000} repeats=${3:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
box=(--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28)
run() {  # prints "user_s wall_s"
  /usr/bin/time -f "%U %e" -o "$work/t" vina --receptor "$here/inputs/dock/protein.pdbqt" \
    --ligand "$here/inputs/dock/ligand.pdbqt" "${box[@]}" --cpu 1 --exhaustiveness 1 --seed 7 \
    --max_evals "$1" --out "$work/out.pdbqt" > "$work/log" 2>&1
  cat "$work/t"
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for n in "$low" "$high"; do
  for ((r = 0; r < repeats; ++r)); do run "$n"; done > "$work/times_$n"
done
ul=$(cut -d' ' -f1 "$work/times_$low" | median) uh=$(cut -d' ' -f1 "$work/times_$high" | median)
wl=$(cut -d' ' -f2 "$work/times_$low" | median) wh=$(cut -d' ' -f2 "$work/times_$high" | median)
python3 - "$low" "$high" "$ul" "$uh" "$wl" "$wh" "$repeats" "$(vina --version | tail -1)" <<'EOF'
import json, sys
low, high = int(sys.argv[1]), int(sys.argv[2])
ul, uh, wl, wh = map(float, sys.argv[3:7])
print(json.dumps({"benchmark": "vina_eval_rate", "vina": sys.argv[8], "low_evals": low, "high_evals": high,
                  "repeats": int(sys.argv[7]), "median_user_s": [ul, uh], "median_wall_s": [wl, wh],
                  "evals_per_cpu_s": (high - low) / (uh - ul), "evals_per_wall_s": (high - low) / (wh - wl)}))
EOF
