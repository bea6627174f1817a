#!/usr/bin/env bash
# `pandakinetics run` with states from two docking sites: the example
# inputs/run_example/run_sites.ini ([dock] with two `box =` lines) on 2 MPI
# ranks without the report: the poses file lists both boxes, the network's
# states come from both sites, and KMC's koff and kon agree with the exact
# solver (within 5%, inside their 95% intervals' reach).
# usage: check_run_sites.sh PANDAKINETICS SOURCE_DIR MPIEXEC PYTHON
set -euo pipefail
pk=$1 src=$2 mpiexec=$3 py=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"  # the config's paths are relative to the repository root
"$mpiexec" -n 2 --oversubscribe "$pk" run --config inputs/run_example/run_sites.ini --output "$work/out" --no-report \
  > "$work/log.txt" 2>&1 || { cat "$work/log.txt"; echo "FAIL: run"; exit 1; }
grep -E "^run: .* finished" "$work/log.txt"
"$py" - "$work/out" <<'PY'
import json, math, sys
import h5py
import numpy as np
out = sys.argv[1]
with h5py.File(out + "/poses.h5") as f:
    assert f["boxes/center_angstrom"].shape == (2, 3), f["boxes/center_angstrom"].shape
    sites = f["ligands/ligand/site"][()]
    assert set(sites) == {0, 1}, sites
states = json.load(open(out + "/network.json"))["state_list"]
state_sites = sorted({s["site"] for s in states})
assert state_sites == [0, 1], state_sites
c = json.load(open(out + "/analysis.json"))["runs"][0]["conditions"][0]
for q in ("koff_per_s", "kon_per_M_per_s"):
    e = c[q]
    assert all(math.isfinite(e[k]) and e[k] > 0 for k in ("value", "ci95_low", "ci95_high", "exact")), e
    assert abs(e["value"] / e["exact"] - 1) < 0.05, e
    print(f"{q}: KMC {e['value']:.4g} [{e['ci95_low']:.4g}, {e['ci95_high']:.4g}], exact {e['exact']:.4g}")
print(f"run with two sites: {len(sites)} poses from sites {sorted(set(sites))}; {len(states)} network states from "
      f"sites {state_sites}")
PY
