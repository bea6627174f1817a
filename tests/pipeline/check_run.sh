#!/usr/bin/env bash
# `pandakinetics run` end to end on the Debian Abl kinase + imatinib complex
# with the documented example config (inputs/run_example/run.ini, small
# settings) on 2 MPI ranks: dock -> network -> solve -> kmc -> analyze ->
# report; finite kon and koff with 95% intervals held to the exact solver;
# each stage's wall time printed; a second run skips every stage and leaves
# the results as they were; deleting kmc.h5 recomputes kmc and the stages
# after it only; a temperature scan from the docked poses gives an Eyring fit
# with units; a poses file with two ligands is screened on 2 ranks (one
# network each, built at the same time) and ranked.
set -u
pk=$1 src=$2 mpiexec=$3
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
cd "$src"  # the example config's paths are relative to the repository root
out=$work/abl
run() { "$@" > "$work/log.txt" 2>&1 || { echo "FAIL: $*"; cat "$work/log.txt"; exit 1; }; }
run "$mpiexec" -n 2 --oversubscribe "$pk" run --config inputs/run_example/run.ini --output "$out" --python "$py"
grep -E "^run:" "$work/log.txt"
for stage in dock network solve kmc analyze report; do
  grep -qE "^run: $stage finished in [0-9.]+ s wall" "$work/log.txt" && echo "ok: $stage timed" || { echo "FAIL: no wall time for $stage"; fails=$((fails+1)); }
done
for f in poses.h5 poses.pdbqt network.h5 states.csv edges.csv network.json solve.h5 solve.json kmc.h5 kmc.json analysis.json report/report.html report/survival.png report/network.png report/poses.png; do
  [[ -s $out/$f ]] && echo "ok: $f" || { echo "FAIL: missing $f"; fails=$((fails+1)); }
done
cp "$out/analysis.json" "$work/first.json"
"$py" - "$out/analysis.json" <<'PY' || fails=$((fails+1))
import json, math, sys
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
c = json.load(open(sys.argv[1]))["runs"][0]["conditions"][0]
for q in ("koff_per_s", "kon_per_M_per_s", "residence_time_s", "kd_M"):
    e = c[q]
    finite = all(isinstance(e[k], float) and math.isfinite(e[k]) and e[k] > 0 for k in ("value", "ci95_low", "ci95_high"))
    check(finite and e["ci95_low"] <= e["value"] <= e["ci95_high"],
          f"{q} = {e['value']:.4e} [{e['ci95_low']:.4e}, {e['ci95_high']:.4e}] ({e['ci_method']})")
    check(e.get("exact") is not None and abs(e["relative_difference"]) < 0.05,
          f"{q}: exact {e.get('exact')}, relative difference {e.get('relative_difference')}")
check(c["unbinding_events"] >= 20 and c["binding_events"] >= 20, f"{c['unbinding_events']:.0f} unbinding, {c['binding_events']:.0f} binding events")
raise SystemExit(bad)
PY
# Resume: everything skipped, results unchanged.
run "$mpiexec" -n 2 --oversubscribe "$pk" run --config inputs/run_example/run.ini --output "$out" --python "$py"
n=$(grep -cE "^run: \[[0-9]/6\] [a-z]+: skipped" "$work/log.txt")
[[ $n == 6 ]] && echo "ok: second run skipped all 6 stages" || { echo "FAIL: $n stages skipped"; cat "$work/log.txt"; fails=$((fails+1)); }
cmp -s "$out/analysis.json" "$work/first.json" && echo "ok: results unchanged" || { echo "FAIL: analysis.json changed"; fails=$((fails+1)); }
# A deleted kmc.h5: kmc and the stages after it run again, the earlier ones not.
rm "$out/kmc.h5"
run "$pk" run --config inputs/run_example/run.ini --output "$out" --no-report
if grep -qE "^run: \[3/6\] solve: skipped" "$work/log.txt" && grep -qE "^run: kmc finished" "$work/log.txt" &&
   grep -qE "^run: analyze finished" "$work/log.txt"; then echo "ok: resumed at kmc"; else echo "FAIL: resume at kmc"; cat "$work/log.txt"; fails=$((fails+1)); fi
# Temperature scan from the same docked poses.
run "$pk" run --config inputs/run_example/run.ini --poses "$out/poses.h5" --output "$work/scan" --temperatures 290,310 --no-report
grep -E "Eyring fit over 2 temperatures: dH_act = -?[0-9.]+ kcal/mol \[.*\], dS_act = -?[0-9.]+ cal/\(mol K\)" "$work/log.txt" \
  && echo "ok: Eyring fit printed with units" || { echo "FAIL: no Eyring fit"; cat "$work/log.txt"; fails=$((fails+1)); }
# Screening: a poses file with two ligands (the docked imatinib poses under two names) -> a folder each, ranked.
"$py" - "$out/poses.h5" "$work/two.h5" <<'PY'
import h5py, sys
with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "w") as b:
    for k, v in a.attrs.items(): b.attrs[k] = v
    a.copy("boxes", b)
    a.copy("ligands/ligand", b, name="ligands/imatinib_a")
    a.copy("ligands/ligand", b, name="ligands/imatinib_b")
PY
run "$mpiexec" -n 2 --oversubscribe "$pk" run --config inputs/run_example/run.ini --poses "$work/two.h5" \
  --output "$work/screen" --no-report
if [[ -s $work/screen/imatinib_a/analysis.json && -s $work/screen/imatinib_b/analysis.json ]] &&
   grep -qE "ranking by residence time \(longest first\): 1\. imatinib_[ab] 2\. imatinib_[ab]" "$work/log.txt"; then
  echo "ok: two ligands screened and ranked"; else echo "FAIL: screening"; cat "$work/log.txt"; fails=$((fails+1)); fi
# The two networks were built by the two ranks at once, and are the same network (the same poses).
if grep -q "network of every ligand finished" "$work/log.txt" && grep -q "wrote" "$work/screen/imatinib_a/network.log" &&
   grep -q "wrote" "$work/screen/imatinib_b/network.log" &&
   cmp -s "$work/screen/imatinib_a/edges.csv" "$work/screen/imatinib_b/edges.csv"; then
  echo "ok: networks spread over the ranks"; else echo "FAIL: spread networks"; cat "$work/log.txt"; fails=$((fails+1)); fi
echo "$fails failed"
[[ $fails == 0 ]]
