#!/usr/bin/env bash
# `pandakinetics analyze` on real KMC output, held to the exact solver:
# the bootstrap intervals cover the exact koff, kon and Kd of a two-state
# network; --exact auto and --exact solve.h5 agree; Kd = koff/kon =
# exp(dG/RT); the residence-time ratio of two networks whose barriers
# differ by 0.5 kcal/mol covers exp(0.5/RT); an Eyring fit over four
# temperatures recovers the barrier (dH) and dS = 0 of the Eyring network.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
net=$src/inputs/networks/two_state
fails=0
run() { "$@" > log.txt 2>&1 || { echo "FAIL: $*"; cat log.txt; exit 1; }; }
common="--states $net/states.csv --walkers 512 --seed 11 --keep-trajectories 0"
run "$pk" kmc $common --replicas 16 --time 0.04 --edges $net/edges.csv --output a.h5
# The same network with the barrier 0.5 kcal/mol higher: koff and kon both / exp(0.5/RT).
sed 's/^1,2,7.3214/1,2,7.8214/' $net/edges.csv > slower.csv
grep -q 7.8214 slower.csv || { echo "FAIL: could not write slower.csv"; exit 1; }
run "$pk" kmc $common --replicas 16 --edges slower.csv --time 0.1 --output b.h5
run "$pk" solve --states $net/states.csv --edges $net/edges.csv --output exact.h5
run "$pk" analyze a.h5 --output auto.json --bootstrap 1000
run "$pk" analyze --input a.h5 --exact exact.h5 --output file.json --bootstrap 1000
run "$pk" analyze --input a.h5 --input b.h5 --labels fast,slow --output sel.json --bootstrap 1000
run "$pk" kmc $common --edges $net/edges.csv --replicas 32 --time 0.04 --replica-temperatures 280,300,320,340 --output t.h5
run "$pk" analyze t.h5 --output eyring.json --bootstrap 1000
grep -q "Eyring fit" log.txt || { echo "FAIL: no Eyring line printed"; cat log.txt; fails=$((fails+1)); }
# Bad input: a file that is not KMC output names the file.
if "$pk" analyze exact.h5 --output x.json > bad.txt 2>&1; then echo "FAIL: analyze accepted a solve file"; fails=$((fails+1))
elif grep -q "exact.h5: not a KMC output file" bad.txt; then echo "ok: bad input named"
else echo "FAIL: message"; cat bad.txt; fails=$((fails+1)); fi
"$py" - <<'PY' || fails=$((fails+1))
import json, math
R = 1.380649e-23 * 6.02214076e23 / 4184  # kcal/(mol K), as src/core/units.hpp
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
auto = json.load(open("auto.json"))["runs"][0]["conditions"][0]
file = json.load(open("file.json"))["runs"][0]["conditions"][0]
for q in ("koff_per_s", "kon_per_M_per_s", "kd_M", "residence_time_s"):
    e = auto[q]
    check(e["ci_method"] == "bootstrap-percentile", f"{q} interval by bootstrap")
    check(e["exact_within_ci95"] and e["ci95_low"] <= e["exact"] <= e["ci95_high"],
          f"{q}: exact {e['exact']:.4e} in [{e['ci95_low']:.4e}, {e['ci95_high']:.4e}]")
    check(abs(e["exact"] - file[q]["exact"]) <= 1e-12 * abs(e["exact"]), f"{q}: --exact auto equals the solve file")
# Two states: koff = kB T/h exp(-(G_ts - G_b)/RT), independent of the solver.
kBT_h = 1.380649e-23 * 300 / 6.62607015e-34
koff = kBT_h * math.exp(-(7.3214 + 6.4301) / (R * 300))
check(abs(auto["koff_per_s"]["exact"] / koff - 1) < 1e-6, f"exact koff {auto['koff_per_s']['exact']:.6e} = Eyring {koff:.6e}")
kd, dg = auto["kd_M"]["value"], auto["dG_kcal_per_mol"]["value"]
check(abs(kd / (auto["koff_per_s"]["value"] / auto["kon_per_M_per_s"]["value"]) - 1) < 1e-12, "Kd = koff/kon")
check(abs(math.exp(dg / (R * 300)) / kd - 1) < 1e-9, "Kd = exp(dG/RT) (1 M standard state)")
sel = json.load(open("sel.json"))
s = sel["selectivity"][0]["residence_time_ratio"]
truth = math.exp(0.5 / (R * 300))
runs = sel["runs"]
exact_ratio = runs[0]["conditions"][0]["koff_per_s"]["exact"] / runs[1]["conditions"][0]["koff_per_s"]["exact"]
check(abs(exact_ratio / truth - 1) < 1e-6, f"exact residence ratio {exact_ratio:.5f} = exp(0.5/RT) {truth:.5f}")
check(s["ci95_low"] <= truth <= s["ci95_high"], f"selectivity slow/fast {s['value']:.4f} [{s['ci95_low']:.4f}, {s['ci95_high']:.4f}] covers {truth:.4f}")
check(sel["selectivity"][0]["label"] == "slow" and sel["selectivity"][0]["reference"] == "fast", "labels")
ey = json.load(open("eyring.json"))["eyring"]
check(len(ey) == 1 and len(ey[0]["temperature_K"]) == 4, "one Eyring fit over 4 temperatures")
h, sfit = ey[0]["dH_activation_kcal_per_mol"], ey[0]["dS_activation_cal_per_mol_K"]
check(h["ci95_low"] <= 13.7515 <= h["ci95_high"], f"dH {h['value']:.3f} [{h['ci95_low']:.3f}, {h['ci95_high']:.3f}] kcal/mol covers 13.7515")
check(sfit["ci95_low"] <= 0 <= sfit["ci95_high"], f"dS {sfit['value']:.3f} [{sfit['ci95_low']:.3f}, {sfit['ci95_high']:.3f}] cal/(mol K) covers 0")
raise SystemExit(bad)
PY
echo "$fails failed"
[[ $fails == 0 ]]
