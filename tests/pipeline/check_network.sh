#!/usr/bin/env bash
# `pandakinetics network` on real docked poses (AutoDock Vina's own output for
# the Debian Abl kinase + imatinib complex, tests/pipeline/data, turned into
# a poses HDF5 file by vina_to_poses.py): the network is built, its rates
# satisfy detailed balance with pi ~ exp(-G/RT), the states and edges do not
# depend on the order of the poses in the file, the HDF5 and CSV outputs give
# the same exact kinetics, transition states lie above both states and above
# the endpoint scores, and bad input is named.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fails=0
run() { "$@" > log.txt 2>&1 || { echo "FAIL: $*"; cat log.txt; exit 1; }; }
expect_fail() {  # expect_fail PATTERN -- command...
  local pattern=$1; shift 2
  if "$@" > bad.txt 2>&1; then echo "FAIL: '$*' succeeded"; fails=$((fails+1))
  elif grep -qE -- "$pattern" bad.txt; then echo "ok: $* -> $(head -c 160 bad.txt)"
  else echo "FAIL: '$*' message lacks /$pattern/"; cat bad.txt; fails=$((fails+1)); fi
}
run "$py" $src/tests/pipeline/vina_to_poses.py --ligand $src/inputs/dock/ligand.pdbqt \
  --vina $src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt --receptor $src/inputs/dock/protein.pdbqt \
  --center 11 90.5 57.5 --size 22 24 28 --output poses.h5
cat log.txt
small="--images 4 --relax-steps 10"
mkdir a b
run "$pk" network poses.h5 $small --output a/net.h5 --summary a/net.json
cat log.txt
# The same poses in another order.
"$py" - <<'PY' || { echo "FAIL: shuffling"; exit 1; }
import h5py, numpy as np
src = h5py.File("poses.h5", "r")
perm = np.random.default_rng(4).permutation(len(src["ligands/ligand/score_kcal_per_mol"]))
with h5py.File("shuffled.h5", "w") as f:
    for k, v in src.attrs.items(): f.attrs[k] = v
    g = f.create_group("ligands/ligand")
    for k, v in src["ligands/ligand"].attrs.items(): g.attrs[k] = v
    for k, d in src["ligands/ligand"].items():
        g[k] = d[:][perm] if d.shape and d.shape[0] == len(perm) and k not in ("xs_type", "element") else d[:]
    src.copy("boxes", f)
PY
run "$pk" network shuffled.h5 $small --output b/net.h5
for f in states.csv edges.csv; do
  if cmp -s a/$f b/$f; then echo "ok: $f identical for shuffled poses"; else echo "FAIL: $f depends on the pose order"; diff a/$f b/$f | head; fails=$((fails+1)); fi
done
# The host scoring reference (direct pairwise, numerical gradients) builds a network too.
mkdir h
run "$pk" network poses.h5 --images 3 --relax-steps 2 --path-scorer host --max-barrier 1000 --output h/net.h5
grep -q "host Vina scoring" log.txt && echo "ok: host path scorer" || { echo "FAIL: host scorer"; cat log.txt; fails=$((fails+1)); }
# Unrelaxed paths: the device grid scorer and the host pairwise reference give the same transition states.
mkdir d0 h0
run "$pk" network poses.h5 --images 4 --relax-steps 0 --max-barrier 1e9 --output d0/net.h5 --csv-dir d0
run "$pk" network poses.h5 --images 4 --relax-steps 0 --max-barrier 1e9 --path-scorer host --output h0/net.h5 --csv-dir h0
"$py" - <<'PY' || fails=$((fails+1))
import csv
rows = lambda f: {(r[0], r[1]): float(r[2]) for r in csv.reader(l for l in open(f) if not l.startswith("#")) if r[0] != "from"}
d, h = rows("d0/edges.csv"), rows("h0/edges.csv")
worst = max(abs(d[k] - h[k]) for k in d)
ok = d.keys() == h.keys() and worst < 1.0
print(("ok: " if ok else "FAIL: ") + f"device and host scorers agree on {len(d)} unrelaxed transition states within {worst:.3f} kcal/mol")
raise SystemExit(not ok)
PY
run "$pk" solve --network a/net.h5 --output s1.h5 --summary s1.json
run "$pk" solve --states a/states.csv --edges a/edges.csv --output s2.h5 --summary s2.json
mkdir c
run "$pk" network poses.h5 $small --lump-barrier 12 --output c/net.h5 --csv-dir c
grep -q "merged .* exact koff" log.txt && echo "ok: lumping reports both koffs" || { echo "FAIL: lumping line"; cat log.txt; fails=$((fails+1)); }
"$py" - <<'PY' || fails=$((fails+1))
import h5py, json, math, numpy as np
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond
R = 1.380649e-23 * 6.02214076e23 / 4184
f = h5py.File("a/net.h5", "r")
G = f["network/states/free_energy_kcal_per_mol"][:]
macro = f["network/states/macrostate"][:]
fr, to, kind, val = (f["network/edges/" + k][:] for k in ("from", "to", "kind", "value"))
check((kind == 0).all(), "Eyring edges only")
check(macro[-1] == 1 and (macro[:-1] == 0).all() and G[-1] == 0, "bound states, then unbound at G = 0")
for T in (280.0, 300.0, 330.0):
    rt = R * T
    k = {(a, b): math.exp(-(v - G[a]) / rt) for a, b, v in zip(fr, to, val)}
    worst = max(abs(math.exp(-G[a] / rt) * k[(a, b)] / (math.exp(-G[b] / rt) * k[(b, a)]) - 1) for a, b in k)
    check(worst < 1e-12, f"detailed balance at {T:.0f} K (worst relative {worst:.1e})")
check(all(v >= max(G[a], G[b]) for a, b, v in zip(fr, to, val)), "transition states at or above both states")
b = f["builder"]
score = b["states/score_kcal_per_mol"][:]
ea, eb, bulk = b["edges/a"][:], b["edges/b"][:], b["edges/bulk"][:]
top = b["edges/path_max_score_kcal_per_mol"][:]
check(all(top[i] >= max(score[ea[i]], score[eb[i]]) for i in range(len(top)) if not bulk[i]), "path maxima at or above the endpoint scores")
check(bulk.sum() >= 1, f"{bulk.sum()} bulk connection(s)")
kD = b.attrs["k_diffusion_per_M_per_s"]
check(abs(kD / (4 * math.pi * 6e-10 * 5e-10 * 6.02214076e23 * 1000) - 1) < 1e-12, f"k_D = {kD:.4e} 1/(M s)")
s1, s2 = json.load(open("s1.json")), json.load(open("s2.json"))
for q in ("koff_renewal_per_s", "kon_renewal_per_M_per_s", "kd_M"):
    check(abs(s1[q] / s2[q] - 1) < 1e-9, f"{q}: HDF5 {s1[q]:.6e} = CSV {s2[q]:.6e}")
summary = json.load(open("a/net.json"))
check(summary["states"] == len(G) - 1, "summary lists the states")
check("internal-coordinate path" in summary["barrier_method"] and "device scorer" in summary["barrier_method"],
      "barrier method recorded")
raise SystemExit(bad)
PY
# Bad input is named.
expect_fail "s1.h5: not a poses file" -- "$pk" network s1.h5 --output x.h5
expect_fail "no ligand 'nope'" -- "$pk" network poses.h5 --ligand nope --output x.h5
expect_fail "no path to the unbound state from c[0-9]" -- "$pk" network poses.h5 $small --surface-margin -100 \
  --exposed-contact-fraction 0 --output x.h5
expect_fail "missing\.pdbqt: cannot open" -- "$pk" network poses.h5 --receptor missing.pdbqt --output x.h5
[[ ! -e x.h5 ]] && echo "ok: nothing written on errors" || { echo "FAIL: x.h5 written"; fails=$((fails+1)); }
echo "$fails failed"
[[ $fails == 0 ]]
