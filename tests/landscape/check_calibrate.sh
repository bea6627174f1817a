#!/usr/bin/env bash
# `pandakinetics calibrate` on a small reference set: eight landscapes in two
# series written with h5py in the layout `network` writes (/builder), plus a
# real network built by `pandakinetics network` from the Vina poses of
# tests/pipeline/data. Checks: the outputs exist; the figures of the summary
# match an independent numpy computation from the predictions CSV; the
# parameter file reads back (--parameters) and, evaluated with --fit none,
# reproduces the in-sample figures; 1 and 2 MPI ranks write identical
# outputs; at the builder's own parameters the predicted koff and kon equal
# `solve`'s; every class of bad input exits 1 naming the file and line.
set -u
pk=$1 src=$2 mpiexec=${3:-mpiexec}
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
run() { "$@" > log.txt 2>&1 || { echo "FAIL: $*"; cat log.txt; exit 1; }; }
expect_fail() {  # expect_fail CODE PATTERN -- command...
  local code=$1 pattern=$2; shift 3
  "$@" > bad.txt 2>&1
  local rc=$?
  if [ $rc -ne "$code" ]; then echo "FAIL: '$*' exited $rc, expected $code"; cat bad.txt; fails=$((fails+1))
  elif grep -qE -- "$pattern" bad.txt; then echo "ok: exit $rc: $(tail -n 1 bad.txt | head -c 200)"
  else echo "FAIL: '$*' message lacks /$pattern/"; cat bad.txt; fails=$((fails+1)); fi
}

mkdir nets
"$py" - <<'PY' || { echo "FAIL: writing the test networks"; exit 1; }
import h5py, numpy as np
rng = np.random.default_rng(15)
rows = ["series,ligand_id,koff_per_s,network,kon_per_M_per_s,comment"]
for k in range(8):
    series = "alpha" if k % 2 == 0 else "beta"
    n_pocket, n_chan = 3 + k % 3, 4
    depth = rng.uniform(-12, -7)
    score = np.r_[depth + rng.uniform(0, 2, n_pocket), np.linspace(depth * 0.6, -2.5, n_chan)]
    layer = np.r_[np.zeros(n_pocket), np.ones(n_chan - 1), [2]].astype(np.int32)
    contact = np.r_[rng.uniform(0.8, 1, n_pocket), np.linspace(0.7, 0.2, n_chan)]
    heavy = 20 + 3 * k
    polar = np.floor(contact * rng.uniform(0, 6, contact.size))
    apolar = np.floor(contact * 0.7 * heavy)
    n = score.size
    a, b, top, bulk, assoc = [], [], [], [], []
    for i in range(1, n_pocket):
        a.append(i - 1); b.append(i); top.append(max(score[i - 1], score[i]) + rng.uniform(0.5, 3)); bulk.append(0); assoc.append(0)
    prev = 0
    for i in range(n_pocket, n):
        a.append(prev); b.append(i); top.append(max(score[prev], score[i]) + rng.uniform(0.5, 3)); bulk.append(0); assoc.append(0)
        prev = i
    a.append(n - 1); b.append(n); top.append(0); bulk.append(1); assoc.append(10 ** rng.uniform(8, 9))
    with h5py.File(f"nets/c{k}.h5", "w") as f:
        g = f.create_group("builder")
        for key, v in dict(n_rot=float(2 + k % 4), heavy_atoms=float(heavy), temperature_K=300.0, kappa=1.0, landscape=1.0).items():
            g.attrs[key] = v
        s = g.create_group("states")
        s["score_kcal_per_mol"] = score; s["contact_fraction"] = contact; s["polar_buried"] = polar
        s["apolar_buried"] = apolar; s["layer"] = layer
        e = g.create_group("edges")
        e["a"] = np.array(a, np.int32); e["b"] = np.array(b, np.int32); e["bulk"] = np.array(bulk, np.int32)
        e["path_max_score_kcal_per_mol"] = np.array(top, float); e["association_per_M_per_s"] = np.array(assoc, float)
    koff = 10 ** (-2.0 - 0.4 * (depth + 9.5) + rng.normal(0, 0.5))
    kon = f"{10 ** rng.uniform(5, 7):.4g}" if k % 3 == 0 else ""
    rows.append(f"{series},L{k},{koff:.6g},nets/c{k}.h5,{kon},\"note, {k}\"")
open("ref.csv", "w").write("\n".join(rows) + "\n")
PY

# 1. A calibration with every output.
run "$pk" calibrate --reference ref.csv --folds 2 --output fit.txt --predictions pred.csv --summary summary.json
cat log.txt
for f in fit.txt pred.csv summary.json; do [ -s $f ] && echo "ok: $f written" || { echo "FAIL: $f missing"; fails=$((fails+1)); }; done
grep -q "beats both baselines\|does NOT beat both" log.txt && echo "ok: verdict printed" || { echo "FAIL: no verdict"; fails=$((fails+1)); }
grep -q "in-sample (not a validation figure)" log.txt && echo "ok: in-sample labelled" || { echo "FAIL: in-sample label"; fails=$((fails+1)); }
grep -q "commit" fit.txt && grep -q "command: .*calibrate" fit.txt && grep -q "series alpha: L0, L2, L4, L6" fit.txt \
  && echo "ok: provenance" || { echo "FAIL: provenance"; cat fit.txt; fails=$((fails+1)); }

# 1b. The same set from a CSV without a network column, the networks named by --network-pattern.
mkdir by_id
for k in 0 1 2 3 4 5 6 7; do cp nets/c$k.h5 by_id/L$k.h5; done
"$py" -c "import csv; r = list(csv.reader(open('ref.csv'))); csv.writer(open('nonet.csv', 'w')).writerows([x[:3] + x[4:] for x in r])"
run "$pk" calibrate --reference nonet.csv --network-pattern 'by_id/{ligand_id}.h5' --folds 2 --output fit2.txt --predictions pred2.csv
cmp -s pred.csv pred2.csv && echo "ok: --network-pattern gives the same predictions" || { echo "FAIL: --network-pattern"; diff pred.csv pred2.csv | head; fails=$((fails+1)); }

# 2. The figures against numpy, from the predictions CSV.
"$py" - <<'PY' || fails=$((fails+1))
import csv, json, numpy as np
rows = list(csv.DictReader(open("pred.csv")))
s = json.load(open("summary.json"))
def ranks(v):
    order = np.argsort(v, kind="stable"); r = np.empty(len(v)); sv = np.asarray(v)[order]; i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and sv[j + 1] == sv[i]: j += 1
        r[order[i:j + 1]] = 0.5 * (i + j) + 1; i = j + 1
    return r
def figures(sel, col):
    meas = np.array([float(r["koff_measured_per_s"]) for r in sel]); pred = np.array([float(r[col]) for r in sel])
    x, y = -np.log10(pred), -np.log10(meas); err = np.log10(pred) - np.log10(meas)
    return dict(spearman=np.corrcoef(ranks(x), ranks(y))[0, 1], pearson=np.corrcoef(x, y)[0, 1],
                median=np.median(np.abs(err)), rmse=np.sqrt(np.mean(err ** 2)))
keys = dict(spearman="spearman_rho_log10_residence_time", pearson="pearson_r_log10_residence_time",
            median="median_abs_log10_koff_error", rmse="rmse_log10_koff")
cols = dict(model_cv="koff_cv_per_s", model_in_sample_not_a_validation_figure="koff_in_sample_per_s",
            baseline_vina_score_cv="koff_baseline_score_cv_per_s", baseline_heavy_atoms_cv="koff_baseline_heavy_atoms_cv_per_s")
bad = 0
for fig in s["figures"]:
    sel = [r for r in rows if fig["series"] in ("pooled", r["series"])]
    for part, col in cols.items():
        want = figures(sel, col)
        for k, key in keys.items():
            got = fig[part][key]
            if got is None or abs(got - want[k]) > 1e-9 * max(1, abs(want[k])):
                print(f"FAIL: {fig['series']} {part} {key}: summary {got}, numpy {want[k]}"); bad += 1
# Folds: stratified round-robin in ligand order (alpha L0 L2 L4 L6, beta L1 L3 L5 L7) -> 1 2 1 2 1 2 1 2.
folds = {r["ligand_id"]: int(r["fold"]) for r in rows}
want = {"L0": 1, "L2": 2, "L4": 1, "L6": 2, "L1": 1, "L3": 2, "L5": 1, "L7": 2}
if folds != want: print("FAIL: folds", folds); bad += 1
print("ok: summary figures equal numpy's from the predictions CSV" if not bad else "FAIL: figures")
raise SystemExit(bad)
PY

# 3. The parameter file reads back and reproduces the in-sample figures.
run "$pk" calibrate --reference ref.csv --folds 2 --parameters fit.txt --fit none --output again.txt --summary again.json \
  --predictions again.csv
"$py" - <<'PY' || fails=$((fails+1))
import json, csv
a, b = json.load(open("summary.json")), json.load(open("again.json"))
bad = 0
for x, y in zip(a["figures"], b["figures"]):
    for k, v in x["model_in_sample_not_a_validation_figure"].items():
        w = y["model_cv"][k]
        if (v is None) != (w is None) or (v is not None and abs(v - w) > 1e-12 * max(1, abs(v))):
            print("FAIL: in-sample", x["series"], k, v, "re-evaluated", w); bad += 1
for name, v in a["fitted_parameters"].items():
    if b["fitted_parameters"][name] != v: print("FAIL: parameter", name, v, b["fitted_parameters"][name]); bad += 1
p1 = [float(r["koff_in_sample_per_s"]) for r in csv.DictReader(open("pred.csv"))]
p2 = [float(r["koff_in_sample_per_s"]) for r in csv.DictReader(open("again.csv"))]
if p1 != p2: print("FAIL: in-sample koff differ", p1, p2); bad += 1
print("ok: the fitted parameter file reproduces the in-sample figures" if not bad else "FAIL: re-evaluation")
raise SystemExit(bad)
PY

# 4. 1 and 2 ranks: identical outputs (the parameter files differ only in their date line).
mkdir np1 np2
(cd np1 && run "$mpiexec" -n 1 "$pk" calibrate --reference ../ref.csv --folds 0 --output fit.txt --predictions pred.csv --summary s.json)
(cd np2 && run "$mpiexec" -n 2 "$pk" calibrate --reference ../ref.csv --folds 0 --output fit.txt --predictions pred.csv --summary s.json)
if cmp -s np1/pred.csv np2/pred.csv && cmp -s np1/s.json np2/s.json && \
   diff <(grep -v "^# Fitted by" np1/fit.txt) <(grep -v "^# Fitted by" np2/fit.txt) > /dev/null; then
  echo "ok: leave-one-out on 1 and 2 ranks gives identical outputs"
else echo "FAIL: 1 and 2 ranks differ"; diff np1/pred.csv np2/pred.csv | head; fails=$((fails+1)); fi

# 5. A real network from `pandakinetics network`: at the builder's parameters calibrate's koff and kon are solve's.
if "$py" $src/tests/pipeline/vina_to_poses.py --ligand $src/inputs/dock/ligand.pdbqt \
     --vina $src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt --receptor $src/inputs/dock/protein.pdbqt \
     --center 11 90.5 57.5 --size 22 24 28 --output poses.h5 > log.txt 2>&1; then
  run "$pk" network poses.h5 --images 3 --relax-steps 5 --output real.h5
  run "$pk" solve --network real.h5 --concentration 1 --summary solve.json --output solve.h5
  printf 'series,ligand_id,koff_per_s,network\nA,1,1e-3,real.h5\nA,2,1e-2,real.h5\nB,1,1e-3,real.h5\nB,2,1e-1,real.h5\n' > real.csv
  run "$pk" calibrate --reference real.csv --fit none --folds 2 --output real.txt --predictions real_pred.csv
  "$py" - <<'PY' || fails=$((fails+1))
import csv, json
s = json.load(open("solve.json"))
row = next(csv.DictReader(open("real_pred.csv")))
koff, kon = float(row["koff_in_sample_per_s"]), float(row["kon_in_sample_per_M_per_s"])
ok = abs(koff / s["koff_per_s"] - 1) < 1e-8 and abs(kon / s["kon_per_M_per_s"] - 1) < 1e-8
print(("ok" if ok else "FAIL") + f": real network: calibrate koff {koff:.10g} 1/s, kon {kon:.10g} 1/(M s); "
      f"solve koff {s['koff_per_s']:.10g} 1/s, kon {s['kon_per_M_per_s']:.10g} 1/(M s)")
raise SystemExit(0 if ok else 1)
PY
else
  echo "FAIL: vina_to_poses.py"; cat log.txt; fails=$((fails+1))
fi

# 6. Bad input: exit 1 with the file and line.
head -n 9 ref.csv > ok.csv
bad() { { head -n 1 ref.csv; tail -n +2 ok.csv | head -n 7; echo "$1"; } > bad.csv; }
sed 's/koff_per_s/k_off/' ok.csv > nocol.csv
expect_fail 1 "nocol.csv:1: header: missing column 'koff_per_s'" -- "$pk" calibrate --reference nocol.csv --folds 2 --output o.txt
bad "beta,L9,1e-3,nets/c1.h5,,x,extra"
expect_fail 1 "bad.csv:9: the row has 7 fields, the header 6" -- "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
bad "beta,L9,0,nets/c1.h5,,"
expect_fail 1 "bad.csv:9: koff_per_s must be a finite number > 0" -- "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
bad "beta,L9,inf,nets/c1.h5,,"
expect_fail 1 "bad.csv:9: koff_per_s must be a finite number > 0" -- "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
bad "beta,L9,1e-3,nets/none.h5,,"
expect_fail 1 "bad.csv:9: network file '(.*/)?nets/none.h5' does not exist" -- "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
bad "gamma,L9,1e-3,nets/c1.h5,,"
expect_fail 1 "bad.csv:9: series 'gamma' has one complex: a series of one complex cannot be cross-validated" -- \
  "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
bad "beta,L1,1e-3,nets/c1.h5,,"
expect_fail 1 "bad.csv:9: duplicate ligand_id 'L1' in series 'beta' \(first on line 3\)" -- \
  "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
expect_fail 1 "ok.csv: 8 complexes are too few: 5 folds need at least 10" -- "$pk" calibrate --reference ok.csv --folds 5 --output o.txt
echo "not hdf5" > nets/broken.h5
bad "beta,L9,1e-3,nets/broken.h5,,"
expect_fail 1 "bad.csv:9: network of ligand 'L9': .*broken.h5" -- "$pk" calibrate --reference bad.csv --folds 2 --output o.txt
expect_fail 2 "--output.*ok.csv|ok.csv.*--output" -- "$pk" calibrate --reference ok.csv --folds 2 --output ok.csv
expect_fail 2 "nets/c0.h5" -- "$pk" calibrate --reference ok.csv --folds 2 --output o.txt --summary nets/c0.h5
expect_fail 2 "unknown model parameter 'sclae'" -- "$pk" calibrate --reference ok.csv --folds 2 --fit sclae,offset_kcal_per_mol
[ -e o.txt ] && { echo "FAIL: a failed run left o.txt"; fails=$((fails+1)); }
cmp -s ok.csv <(head -n 9 ref.csv) && echo "ok: the reference is untouched" || { echo "FAIL: ok.csv changed"; fails=$((fails+1)); }

[ $fails -eq 0 ] && echo "calibrate CLI: all checks passed" || echo "calibrate CLI: $fails check(s) FAILED"
exit $((fails > 0))
