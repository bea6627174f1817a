#!/usr/bin/env bash
# analysis/ on real output: kmc + solve + analyze on the four-state example,
# then every script (--help, and a PNG each) and report.py; the numbers in
# report.html must be the JSON summary's numbers.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
net=$src/inputs/networks/explicit_rates
an=$src/analysis
fails=0
run() { "$@" > log.txt 2>&1 || { echo "FAIL: $*"; cat log.txt; exit 1; }; }
run "$pk" kmc --states $net/states.csv --edges $net/edges.csv --replicas 8 --walkers 512 --time 0.1 --output run.h5
run "$pk" solve --states $net/states.csv --edges $net/edges.csv --output solve.h5
run "$pk" analyze run.h5 --output analysis.json --bootstrap 500
for s in plot_survival plot_occupancy plot_fpt plot_network plot_poses report; do
  if "$py" $an/$s.py --help | grep -q "usage:"; then echo "ok: $s.py --help"; else echo "FAIL: $s.py --help"; fails=$((fails+1)); fi
done
run "$py" $an/plot_survival.py run.h5 --exact solve.h5 --output s.png
run "$py" $an/plot_survival.py solve.h5 --output s_exact_only.png
run "$py" $an/plot_occupancy.py run.h5 --exact solve.h5 --output o.png
run "$py" $an/plot_fpt.py run.h5 --exact solve.h5 --output f.png
run "$py" $an/plot_network.py solve.h5 --output n.png
# A poses file in the documented layout (docs/pipeline.md), two sites.
"$py" - <<'PY'
import h5py, numpy as np
with h5py.File("poses.h5", "w") as f:
    f.attrs["format"] = "pandakinetics-poses"; f.attrs["format_version"] = 1; f.attrs["receptor"] = "r.pdbqt"
    g = f.create_group("ligands/lig")
    s = np.array([-9.1, -8.7, -8.2, -7.9, -6.0])
    g["score_kcal_per_mol"] = s; g["inter_kcal_per_mol"] = s * 1.2; g["intra_kcal_per_mol"] = -0.5 + 0 * s
    g["site"] = np.array([0, 1, 0, 1, 1], dtype=np.int32)
PY
run "$py" $an/plot_poses.py poses.h5 --output p.png
run "$py" $an/report.py --summary analysis.json --exact solve.h5 --poses poses.h5 --output-dir rep
# The figures one at a time give the same page; the --serve protocol that
# `pandakinetics run` uses answers "ok"/"failed" per request and exits at the
# end of its input.
run "$py" $an/report.py --summary analysis.json --exact solve.h5 --poses poses.h5 --output-dir rep1 --jobs 1
if cmp -s rep/report.html rep1/report.html; then echo "ok: --jobs 1 writes the same page"; else echo "FAIL: --jobs 1 page differs"; fails=$((fails+1)); fi
"$py" - "$an/report.py" <<'PY' || fails=$((fails+1))
import json, socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.Popen([sys.executable, sys.argv[1], "--serve", str(b.fileno())], pass_fds=[b.fileno()],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
b.close()
f = a.makefile("rw")
def ask(args):
    f.write(json.dumps(args) + "\n")
    f.flush()
    return f.readline().split()
good = ask(["--summary", "analysis.json", "--exact", "solve.h5", "--poses", "poses.h5", "--output-dir", "rep_served", "--jobs", "3"])
bad = ask(["--summary", "analysis.json", "--kmc", "solve.h5", "--output-dir", "rep_bad"])
a.shutdown(socket.SHUT_WR)
code = p.wait(timeout=60)
checks = [(good[0] == "ok" and float(good[1]) > 0, f"served report: {good}"),
          (bad[0] == "failed", f"served report of a solve file as KMC fails: {bad}"),
          (code == 0, f"server exits 0 at the end of its input ({code})"),
          (open("rep_served/report.html").read() == open("rep/report.html").read(), "served page is the same page")]
for ok, what in checks:
    print(("ok: " if ok else "FAIL: ") + what)
raise SystemExit(sum(not ok for ok, _ in checks))
PY
if "$py" $an/plot_fpt.py solve.h5 --output x.png > bad.txt 2>&1; then echo "FAIL: plot_fpt accepted a solve file"; fails=$((fails+1))
elif grep -q "solve.h5: not a KMC output" bad.txt; then echo "ok: plot_fpt names a wrong file"; else echo "FAIL: message"; cat bad.txt; fails=$((fails+1)); fi
"$py" - <<'PY' || fails=$((fails+1))
import json, os, re
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
for png in ["s.png", "s_exact_only.png", "o.png", "f.png", "n.png", "p.png"] + \
           [f"rep/{n}" for n in ("survival.png", "occupancy.png", "fpt.png", "network.png", "poses.png")]:
    ok = os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 5000
    check(ok, f"{png} is a PNG")
page = open("rep/report.html").read()
for png in ("survival.png", "occupancy.png", "fpt.png", "network.png", "poses.png"):
    check(f'src="{png}"' in page, f"report shows {png}")
cond = json.load(open("analysis.json"))["runs"][0]["conditions"][0]
rows = dict(re.findall(r'<tr data-key="(\w+)">(.*?)</tr>', page))
keys = ["koff_per_s", "kon_per_M_per_s", "residence_time_s", "kd_M", "dG_kcal_per_mol",
        "mfpt_bound_to_unbound_s", "mfpt_unbound_to_bound_s"]
check(sorted(rows) == sorted(keys), "report has one row per estimate")
compared = 0
for k in keys:
    cells = re.findall(r'<td data-value="([^"]*)">([^<]*)</td>', rows.get(k, ""))
    for (raw, shown), field in zip(cells, ["value", "ci95_low", "ci95_high", "exact", "relative_difference", "exact_within_ci95"]):
        want = cond[k].get(field)
        if raw == "null":
            check(want is None, f"{k}.{field} empty in report and null in JSON")
        elif raw in ("true", "false"):
            check(want == (raw == "true"), f"{k}.{field} = {raw}")
        else:
            check(float(raw) == want, f"{k}.{field}: report {raw} == JSON {want}")
            if field != "relative_difference":
                check(abs(float(shown) - want) <= 1e-5 * abs(want), f"{k}.{field}: shown {shown} rounds JSON {want}")
            compared += 1
check(compared >= 20, f"{compared} numbers compared")
raise SystemExit(bad)
PY
echo "$fails failed"
[[ $fails == 0 ]]
