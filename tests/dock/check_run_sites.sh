#!/usr/bin/env bash
# `pandakinetics run` with states from two docking sites: the example
# inputs/run_example/run_sites.ini ([dock] with two `box =` lines) on 2 MPI
# ranks without the report: the poses file lists both boxes, the network's
# states come from both sites, and KMC's koff and kon agree with the exact
# solver (within 5%). Then the same config with `blind = true` instead of
# the boxes (tiny docking settings, the network's exposure by contacts only):
# the run finishes with the blind cubes in the poses file and finite rates.
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

# blind = true: the [dock] box lines replaced, a tiny search per cube
sed -e '/^box = /d' -e 's/^\[dock\]$/[dock]\nblind = true/' -e 's/^chains = 8$/chains = 2/' \
    -e 's/^steps_per_chain = 200$/steps_per_chain = 30/' -e 's/^exhaustiveness = 2$/exhaustiveness = 1/' \
    -e 's/^surface-margin = 6$/surface-margin = -1/' -e 's/^exposed-contact-fraction = 0.5$/exposed-contact-fraction = 0.8/' \
    inputs/run_example/run_sites.ini > "$work/blind.ini"
grep -q '^blind = true' "$work/blind.ini" && grep -q '^surface-margin = -1' "$work/blind.ini" || { echo "FAIL: blind config"; exit 1; }
"$mpiexec" -n 2 --oversubscribe "$pk" run --config "$work/blind.ini" --output "$work/blind" --no-report \
  > "$work/blind.txt" 2>&1 || { cat "$work/blind.txt"; echo "FAIL: blind run"; exit 1; }
grep -E "^run: .* finished|hold receptor surface" "$work/blind.txt"
"$py" - "$work/blind" <<'PY'
import json, math, sys
import h5py
out = sys.argv[1]
with h5py.File(out + "/poses.h5") as f:
    n_boxes = f["boxes/center_angstrom"].shape[0]
    sites = sorted(set(f["ligands/ligand/site"][()]))
assert n_boxes > 1, n_boxes
states = json.load(open(out + "/network.json"))["state_list"]
c = json.load(open(out + "/analysis.json"))["runs"][0]["conditions"][0]
assert all(math.isfinite(c[q]["value"]) and c[q]["value"] > 0 for q in ("koff_per_s", "kon_per_M_per_s")), c
print(f"blind run: {n_boxes} boxes, poses from boxes {sites}, {len(states)} network states from sites "
      f"{sorted({s['site'] for s in states})}; koff {c['koff_per_s']['value']:.4g} 1/s")
PY
