#!/usr/bin/env bash
# Best score and docking time of `bench dock` (exhaustiveness 8, the Debian
# test complex) over seeds 1..SEEDS (default 20), for each "label=binary"
# argument, with the environment given by optional "label=binary=VAR=value".
# Vina's best at exhaustiveness 8 for comparison is in RESULTS.md (the node
# has no vina). Output: one line per run, then per label the scores' median,
# range and how many are within 0.3 kcal/mol of REF (default -13.01).
# Usage: bash benchmarks/gpu_seeds.sh new=build/cuda/src/pandakinetics \
#          old=old/build/cuda/src/pandakinetics
set -uo pipefail
seeds=${SEEDS:-20} ref=${REF:--13.01}
for spec in "$@"; do
  label=${spec%%=*} rest=${spec#*=}
  bin=${rest%%=*} envset=""
  [[ $rest == *=* ]] && envset=${rest#*=}
  for seed in $(seq 1 "$seeds"); do
    env $envset timeout 60 "$bin" bench dock --exhaustiveness 8 --seed "$seed" --vina none 2>/dev/null | python3 -c '
import json,sys
r=json.load(sys.stdin)
print(sys.argv[1], sys.argv[2], "%.3f" % r["best_score_kcal_per_mol"], "%.3f" % r["dock_s"])' "$label" "$seed" ||
      echo "$label $seed failed"
  done
done | tee /dev/stderr | python3 -c '
import sys,statistics
ref=float(sys.argv[1]); by={}
for line in sys.stdin:
    f=line.split()
    if len(f)==4: by.setdefault(f[0],[]).append((float(f[2]),float(f[3])))
for k,v in by.items():
    s=[x[0] for x in v]; t=[x[1] for x in v]
    print("%s: %d seeds, best score median %.3f, range %.3f..%.3f kcal/mol, within 0.3 of %.2f: %d; dock_s median %.3f, range %.3f..%.3f" % (
        k,len(s),statistics.median(s),min(s),max(s),ref,sum(1 for x in s if x<=ref+0.3),statistics.median(t),min(t),max(t)))' "$ref"
