"""Writes benchmarks/VALIDATION.md from `pandakinetics calibrate` outputs.

usage: validation_report.py --summary CAL.json --predictions PRED.csv [--uncalibrated NONE.json]
                            --landscapes DIR --output VALIDATION.md

Every figure comes from the files named: the calibration summary (cross-validated and in-sample
figures, baselines on the same folds), its per-complex predictions, optionally a `--fit none`
summary at the model's default parameters (the bare Vina score on the same landscapes), and the
landscape folders (states per network, build wall times).
"""
import argparse
import csv
import glob
import json
import os
import statistics

import h5py

ap = argparse.ArgumentParser()
ap.add_argument("--summary", required=True)
ap.add_argument("--predictions", required=True)
ap.add_argument("--uncalibrated")
ap.add_argument("--landscapes", required=True)
ap.add_argument("--notes", help="a markdown file appended as the section 'How these were made'")
ap.add_argument("--output", required=True)
a = ap.parse_args()

s = json.load(open(a.summary))
rows = list(csv.DictReader(open(a.predictions)))
unc = json.load(open(a.uncalibrated)) if a.uncalibrated else None


def fig(f, key):
    return f.get(key, {})


def line(name, f):
    return (f"| {name} | {f['n']} | {f['spearman_rho_log10_residence_time']:+.2f} | "
            f"{f['pearson_r_log10_residence_time']:+.2f} | {f['median_abs_log10_koff_error']:.2f} |")


out = []
w = out.append
w("# Validation of the kinetic model on the kinetics reference set")
w("")
w(f"Written by `scripts/kinetics/validation_report.py` from `{os.path.basename(a.summary)}` "
  f"(`{s['command_line']}`, commit {s['commit']}). Reference: {s['complexes']} complexes of "
  "`inputs/kinetics/reference.csv` (measured koff as compiled in the KineticsBeyondPose dataset; "
  "attribution in inputs/kinetics/README.md). Other series of that compilation are held out and "
  "were never fitted on.")
w("")
cv = "leave-one-out" if s.get("leave_one_out") else f"{s['folds']}-fold"
w(f"**Cross-validation**: {cv}, stratified by series. A complex's cross-validated prediction uses only "
  "parameters fitted without it; the two baselines (log10 koff = α + β × best Vina score, and α + β × "
  "heavy-atom count) are fitted on the same training folds. ρ: Spearman, r: Pearson, both of log10 "
  "predicted against measured residence time τ = 1/koff; |err|: median |log10(predicted / measured koff)|.")
w("")
w("| series / model | n | ρ | r | median abs log10 koff error |")
w("| --- | --- | --- | --- | --- |")
for f in s["figures"]:
    ser = f["series"]
    w(line(f"**{ser}**: model, cross-validated", f["model_cv"]))
    w(line(f"{ser}: baseline Vina score, cross-validated", f["baseline_vina_score_cv"]))
    w(line(f"{ser}: baseline heavy atoms, cross-validated", f["baseline_heavy_atoms_cv"]))
    if unc:
        uf = [g for g in unc["figures"] if g["series"] == ser]
        if uf:
            w(line(f"{ser}: model at default parameters (bare Vina score on the landscape, no fit)",
                   uf[0]["model_in_sample_not_a_validation_figure"]))
w("")
w("Verdict (cross-validated figures against both baselines):")
w("")
for f in s["figures"]:
    m, b1, b2 = f["model_cv"], f["baseline_vina_score_cv"], f["baseline_heavy_atoms_cv"]
    beats = []
    loses = []
    for key, label, better in (("spearman_rho_log10_residence_time", "ρ", max),
                               ("pearson_r_log10_residence_time", "r", max),
                               ("median_abs_log10_koff_error", "median error", min)):
        ok = better(m[key], b1[key], b2[key]) == m[key] and m[key] not in (b1[key], b2[key])
        (beats if ok else loses).append(label)
    w(f"- {f['series']}: the model beats both baselines on {', '.join(beats) if beats else 'no figure'}"
      + (f"; it does **not** on {', '.join(loses)}." if loses else "."))
w("")
w("Targets of the issue (cross-validated): within-series ρ ≥ 0.5; median |log10 koff error| ≤ 1.0 across the set.")
w("")
for f in s["figures"]:
    if f["series"] == "pooled":
        continue
    r = f["model_cv"]["spearman_rho_log10_residence_time"]
    w(f"- {f['series']}: ρ = {r:+.2f}: {'met' if r >= 0.5 else '**not met**'}.")
pooled = [f for f in s["figures"] if f["series"] == "pooled"][0]["model_cv"]
e = pooled["median_abs_log10_koff_error"]
w(f"- median |log10 koff error| over the set = {e:.2f}: {'met' if e <= 1.0 else '**not met**'}.")
w("")
w("## Fitted parameters (all complexes; the shipped `inputs/kinetics/parameters.txt`)")
w("")
w("| parameter | value |")
w("| --- | --- |")
for k, v in s["fitted_parameters"].items():
    w(f"| `{k}` | {v:.4g} |")
w("")
w("Spread over the cross-validation folds (min .. max):")
w("")
for k in s["fitted_parameters"]:
    vals = [ff["parameters"][k] for ff in s["fold_fits"]]
    w(f"- `{k}`: {min(vals):.4g} .. {max(vals):.4g}")
w("")
w("## Per complex (cross-validated predictions)")
w("")
w("| series | ligand | measured koff (1/s) | predicted koff, CV (1/s) | predicted kon, CV (1/(M s)) | best Vina score (kcal/mol) |")
w("| --- | --- | --- | --- | --- | --- |")
for r in rows:
    w(f"| {r['series']} | {r['ligand_id']} | {float(r['koff_measured_per_s']):.3g} | {float(r['koff_cv_per_s']):.3g} | "
      f"{float(r['kon_cv_per_M_per_s']):.3g} | {float(r['best_score_kcal_per_mol']):.2f} |")
w("")
kons = [float(r["kon_cv_per_M_per_s"]) for r in rows]
w(f"Predicted kon (cross-validated, no kon data in the set): median {statistics.median(kons):.3g}, range "
  f"{min(kons):.3g} .. {max(kons):.3g} 1/(M s).")
w("")
w("## The landscapes")
w("")
states, times = [], []
for d in sorted(glob.glob(os.path.join(a.landscapes, "*", "network.h5"))):
    with h5py.File(d, "r") as f:
        states.append(len(f["builder/states/layer"]))
    t = os.path.join(os.path.dirname(d), "wall_time_s")
    if os.path.exists(t):
        times.append(float(open(t).read()))
w(f"{len(states)} landscapes: {min(states)} .. {max(states)} states (median {statistics.median(states):.0f}).")
if a.notes:
    w("")
    w(open(a.notes).read().rstrip())
open(a.output, "w").write("\n".join(out) + "\n")
print(f"wrote {a.output}")
