#!/usr/bin/env bash
# Multi-rank failures and hangs (issue 19, class 4): every case ends every
# rank within seconds (each command runs under `timeout 30`), with one
# message and a non-zero exit code, and an earlier output stays unchanged.
#  - one rank with a bad config file while the other's is good (MPMD);
#  - ranks whose options differ, ranks whose network files differ in a rate
#    (same path in different working directories): refused by fingerprint;
#  - solve with one rank's states.csv broken (its set-up is agreed too);
#  - a checkpoint whose time is NaN, in the other rank's replicas or in
#    /checkpoint@reached_s;
#  - absurd sizes: --replicas, --time-grid-points or --segments so large
#    that allocation or the loop would never end, and solve --time-points:
#    refused before allocating;
#  - a ligand with 1,201 torsions given to dock (1 and 2 ranks): refused.
set -u
pk=$1 src=$2 mpirun=$3
py=${PK_PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir ompi && export TMPDIR=$work/ompi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# refuse CODE LINES TEXT -- command...: exits CODE within 30 s (124: hung),
# stderr holds TEXT, at most LINES lines of stderr mention "error", and kept.h5
# is unchanged.
refuse() {
  local code=$1 lines=$2 text=$3; shift 4
  local before after rc t0 t1 n
  before=$(sum kept.h5)
  t0=$(date +%s.%N)
  timeout -k 5 30 "$@" > out.txt 2> err.txt; rc=$?
  t1=$(date +%s.%N)
  after=$(sum kept.h5)
  n=$(grep -c "error" err.txt)
  if [[ $rc == 124 || $rc == 137 ]]; then fail "'$*' hung (killed after 30 s)"; cat out.txt err.txt; return; fi
  if [[ $rc != "$code" ]]; then fail "'$*' exited $rc, expected $code"; cat out.txt err.txt; return; fi
  if [[ $before != "$after" ]]; then fail "'$*' changed kept.h5"; return; fi
  if ! grep -qF -- "$text" err.txt; then fail "'$*': message lacks '$text'"; cat err.txt; return; fi
  if (( n < 1 || n > lines )); then fail "'$*': $n error lines, expected 1..$lines"; cat err.txt; return; fi
  printf 'ok (exit %s, %.1f s): %s\n' "$rc" "$(echo "$t1 - $t0" | bc)" "$(grep -m1 error err.txt | head -c 240)"
}

mkdir a b
cp "$src/inputs/networks/explicit_rates/states.csv" "$src/inputs/networks/explicit_rates/edges.csv" a/
cp a/states.csv a/edges.csv b/
cp a/states.csv a/edges.csv .
csv="--states states.csv --edges edges.csv"
kq="--replicas 4 --walkers 32 --time 1e-6 --segments 2 --max-steps 2000"
mp="$mpirun --oversubscribe"
timeout 60 $mp -n 2 "$pk" kmc $csv $kq --output kept.h5 --checkpoint ck.h5 --checkpoint-every sim:5e-7 > log.txt 2>&1 ||
  { fail "the reference run"; cat log.txt; }
[[ -f ck.h5 ]] || fail "the reference run wrote no checkpoint"

echo "== one rank with a bad config file, the other with a good one"
printf '[kmc]\nwalkers = 32\n' > good.ini
printf '[kmc]\nwalkers = -5\n' > bad.ini
refuse 2 1 "the ranks do not agree on the options of pandakinetics kmc (command line and --config): rank 1 differ" -- \
  $mp -n 1 "$pk" kmc $csv $kq --config good.ini --output kept.h5 : -n 1 "$pk" kmc $csv $kq --config bad.ini --output kept.h5
printf '[kmc]\nwalkerz = 32\n' > typo.ini
refuse 1 1 "typo.ini:2: unknown key 'walkerz'" -- \
  $mp -n 1 "$pk" kmc $csv $kq --config good.ini --output kept.h5 : -n 1 "$pk" kmc $csv $kq --config typo.ini --output kept.h5
refuse 1 1 "nothere.ini" -- \
  $mp -n 1 "$pk" kmc $csv $kq --config nothere.ini --output kept.h5 : -n 1 "$pk" kmc $csv $kq --config good.ini --output kept.h5

echo "== ranks with different options, or different network files at the same path"
refuse 2 1 "the ranks do not agree on the options of pandakinetics kmc (command line and --config): rank 1 differ" -- \
  $mp -n 1 "$pk" kmc $csv $kq --seed 1 --output kept.h5 : -n 1 "$pk" kmc $csv $kq --seed 2 --output kept.h5
# one rate doubled (the first data row)
awk -F, 'BEGIN { OFS = "," } !done && $1 ~ /^[0-9]+$/ { $3 = $3 * 2; done = 1 } { print }' a/edges.csv > b/edges.csv
cmp -s a/edges.csv b/edges.csv && fail "b/edges.csv was not changed"
refuse 1 1 "the ranks do not agree on the network and the sampling options (edges.csv" -- \
  $mp -n 1 --wdir a "$pk" kmc $csv $kq --output ../kept.h5 : -n 1 --wdir b "$pk" kmc $csv $kq --output ../kept.h5

echo "== solve with a states file broken on one rank only: every rank stops, one message"
printf 'id,free_energy_kcal_per_mol,macrostate\n0,zero,bound\n' > b/states.csv
refuse 1 1 "on rank 1 of 2 (the other ranks stopped): states.csv:2" -- \
  $mp -n 1 --wdir a "$pk" solve $csv --output s.h5 : -n 1 --wdir b "$pk" solve $csv --output s.h5

echo "== a checkpoint whose time is NaN (on rank 1's replicas, and its reached_s)"
cp ck.h5 nan_time.h5 && cp ck.h5 nan_reached.h5
"$py" -c "
import h5py
with h5py.File('nan_time.h5', 'r+') as f: f['/checkpoint/time'][100] = float('nan')
with h5py.File('nan_reached.h5', 'r+') as f: f['/checkpoint'].attrs['reached_s'] = float('nan')
"
restart="$pk kmc $csv $kq --output kept.h5 --checkpoint ck2.h5"
refuse 1 1 "on rank 1 of 2 (the other ranks stopped): nan_time.h5: tampered or damaged checkpoint: /checkpoint/time[100] = nan" -- \
  $mp -n 2 $restart --restart nan_time.h5
refuse 1 1 "nan_reached.h5: tampered or damaged checkpoint: /checkpoint@reached_s = nan" -- $mp -n 2 $restart --restart nan_reached.h5
refuse 1 1 "nan_reached.h5: tampered or damaged checkpoint: /checkpoint@reached_s = nan" -- $restart --restart nan_reached.h5

echo "== absurd sizes: refused before allocating, naming the memory needed and available"
k1="--time 1e-6 --max-steps 2000 --output kept.h5"
refuse 2 1 "needs" -- $mp -n 2 "$pk" kmc $csv $k1 --replicas 2000000000 --walkers 4096
grep -qE "walkers 4096 x --replicas 2000000000 \(1000000000 on this rank of 2\).*needs [0-9.e+]+ GB of (host|device) memory, .* has [0-9.e+]+ GB available" err.txt ||
  { fail "the memory message lacks the sizes"; cat err.txt; }
refuse 2 1 "--time-grid-points 2000000000 over 4 states" -- "$pk" kmc $csv $k1 --replicas 4 --time-grid-points 2000000000
refuse 2 1 "--segments 1000000000000 is more than 1000000" -- "$pk" kmc $csv $k1 --replicas 4 --segments 1000000000000
refuse 2 1 "needs" -- "$pk" kmc $csv $k1 --replicas 4 --walkers 32 --keep-trajectories 32 --trajectory-length 2000000000
refuse 2 1 "pandakinetics solve: --time-points 2000000000 over 4 states needs" -- \
  $mp -n 2 "$pk" solve $csv --time-points 2000000000 --output kept.h5

echo "== a ligand with 1,201 torsions: refused at once, naming the file (the search would not end)"
cp "$src/inputs/dock/protein.pdbqt" .
"$py" - <<'PY'
n = 1202
atom = lambda i: "ATOM  %5d  C   LIG     1    %8.3f%8.3f%8.3f  0.00  0.00    +0.000 C" % (i, (1.25 * i) % 20 - 10, 0.8 * (i % 2) + 0.9 * (i // 16), 1.5 * ((i // 16) % 2))
lines = ["ROOT", atom(1), "ENDROOT"]
for i in range(2, n + 1): lines += ["BRANCH %4d %4d" % (i - 1, i), atom(i)]
lines += ["ENDBRANCH %4d %4d" % (i - 1, i) for i in range(n, 1, -1)] + ["TORSDOF %d" % (n - 1)]
open("torsions.pdbqt", "w").write("\n".join(lines) + "\n")
PY
box="--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28"
for ranks in 1 2; do
  t0=$(date +%s)
  timeout -k 5 30 $mp -n $ranks "$pk" dock --receptor protein.pdbqt --ligand torsions.pdbqt $box --out kept.h5.pdbqt > out.txt 2> err.txt; rc=$?
  if [[ $rc == 1 ]] && grep -q "torsions.pdbqt: a ligand with 1201 torsions: at most 256 are supported" out.txt err.txt &&
     [[ $(cat out.txt err.txt | grep -c "1201 torsions") == 1 ]]; then
    echo "ok (exit 1, $(( $(date +%s) - t0 )) s, $ranks rank(s)): $(grep -h "1201 torsions" out.txt err.txt | head -c 200)"
  else fail "1,201 torsions on $ranks rank(s): exit $rc"; cat out.txt err.txt; fi
done

echo "$fails failed"
[[ $fails == 0 ]]
