#!/usr/bin/env bash
# `pandakinetics kmc` with superbasins (docs/superbasins.md) on a stiff
# network (pose flicker at 1e11-1e12 1/s, residence time of seconds):
# basins found and reported; koff against the exact solver's renewal koff;
# identical results on 1 and 2 ranks and through checkpoint + restart;
# --superbasins none gives the walks without basins; a bad basin file stops
# with its name and line.
set -u
SECONDS=0
pk=$1 mpiexec=$2 nets=$3 here=$(cd "$(dirname "$0")" && pwd)
py=${PK_PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
net="--states $nets/stiff_superbasin/states.csv --edges $nets/stiff_superbasin/edges.csv"
common="--replicas 4 --walkers 256 --time 40 --seed 5 --segments 8 --progress-every 1000"
mpi() { local n=$1; shift; timeout 300 "$mpiexec" -n "$n" --oversubscribe "$pk" "$@"; }

echo "[$SECONDS s] exact"
mpi 1 solve $net --output exact.h5 --summary exact.json >log_solve.txt 2>&1 || { fail "solve"; cat log_solve.txt; }

echo "[$SECONDS s] 1 and 2 ranks"
for n in 1 2; do
  mpi "$n" kmc $net $common --output np$n.h5 --summary np$n.json >log_np$n.txt 2>&1 || { fail "kmc on $n ranks"; cat log_np$n.txt; }
done
"$py" "$here/compare_h5.py" np1.h5 np2.h5 || fail "1 vs 2 ranks differ"
grep -q "bound-phase walkers: 1 superbasin(s) holding 9 states" log_np1.txt || { fail "basins not reported"; cat log_np1.txt; }
"$py" - <<'PY' || fail "koff against the exact solver, or the output's basin records"
import json, h5py
ex = json.load(open("exact.json"))
exact = ex["koff_renewal_per_s"]  # solve --summary: a number at the top level
k = json.load(open("np1.json"))["conditions"][0]["koff_per_s"]
print("koff KMC", k["value"], "95% CI", [k["ci95_low"], k["ci95_high"]], "exact renewal", exact, "1/s")
half = (k["ci95_high"] - k["ci95_low"]) / 2
assert abs(k["value"] - exact) <= 1.5 * half + 1e-12, "KMC koff off the exact one"
assert half / k["value"] < 0.2, "CI too wide"
with h5py.File("np1.h5", "r") as f:
    of = list(f["/results/superbasin_of_bound_phase"][...])
    assert f["/results"].attrs["superbasins"] >= 2, f["/results"].attrs["superbasins"]
    assert "inside a basin" in str(f["/results"].attrs["superbasin_note"])
    assert of[0] == of[8] and of[0] >= 0 and of[9] == -1, of
    kernel = f["/run_info"].attrs["kmc_kernel"]
    kernel = kernel.decode() if isinstance(kernel, bytes) else str(kernel)
    assert kernel == "baseline", kernel
print("basins", sorted(set(of)))
PY

echo "[$SECONDS s] checkpoint + restart"
mpi 2 kmc $net $common --checkpoint-every sim:15 --checkpoint ck.h5 --output withck.h5 >log_ck.txt 2>&1 || fail "run with checkpoints"
"$py" "$here/compare_h5.py" np1.h5 withck.h5 || fail "checkpointing changed the results"
mpi 1 kmc $net $common --restart ck.h5 --output restarted.h5 >log_rs.txt 2>&1 || { fail "restart"; cat log_rs.txt; }
"$py" "$here/compare_h5.py" np1.h5 restarted.h5 || fail "restart differs from one run"

echo "[$SECONDS s] no basins"
# Without basins the walk flickers: within a 1e-9 s horizon both runs agree
# bit for bit with a run whose auto rule finds no basin.
short="--replicas 2 --walkers 64 --time 1e-9 --seed 3 --progress-every 1000"
mpi 1 kmc $net $short --superbasins none --output none.h5 >log_none.txt 2>&1 || fail "--superbasins none"
mpi 1 kmc $net $short --superbasin-rate 1e15 --output high.h5 >log_high.txt 2>&1 || fail "--superbasin-rate 1e15"
grep -q "superbasin(s)" log_none.txt && fail "--superbasins none still reports basins"
"$py" - <<'PY' || fail "no-basin runs differ"
import h5py, numpy as np
with h5py.File("none.h5", "r") as a, h5py.File("high.h5", "r") as b:
    for k in ["/results/occupancy", "/results/transitions"]:
        if k in a:
            assert np.array_equal(a[k][...], b[k][...]), k
    assert a["/results"].attrs["superbasins"] == 0
PY

echo "[$SECONDS s] basin file"
printf 'state,basin\n1,0\n2,0\n3,0\n4,0\n' > basins.csv
mpi 1 kmc $net $short --superbasins basins.csv --output file.h5 >log_file.txt 2>&1 || { fail "basin file"; cat log_file.txt; }
grep -q "bound-phase walkers: 1 superbasin(s) holding 4 states" log_file.txt || { fail "basin file not used"; cat log_file.txt; }
printf 'state,basin\n1,0\n10,0\n' > mixed.csv
mpi 1 kmc $net $short --superbasins mixed.csv --output bad.h5 >log_bad.txt 2>&1 && fail "a basin mixing macrostates accepted"
grep -q "mixed.csv.*bound and unbound" log_bad.txt || { fail "mixed-basin message"; cat log_bad.txt; }
printf 'state,basin\n1,0\n1,x\n' > garbled.csv
mpi 1 kmc $net $short --superbasins garbled.csv --output bad.h5 >log_bad2.txt 2>&1 && fail "a garbled basin file accepted"
grep -q "garbled.csv:3" log_bad2.txt || { fail "garbled file message lacks file:line"; cat log_bad2.txt; }
[[ ! -e bad.h5 ]] || fail "refused run wrote an output"
cp basins.csv basins_keep.csv
mpi 1 kmc $net $short --superbasins basins.csv --output basins.csv >log_over.txt 2>&1 && fail "--output over the --superbasins file accepted"
grep -q "is the input --superbasins" log_over.txt || { fail "output-over-input message"; cat log_over.txt; }
cmp -s basins.csv basins_keep.csv || fail "the --superbasins file was changed"
echo "[$SECONDS s] $fails failed"
[[ $fails == 0 ]]
