#!/usr/bin/env bash
# Bad values inside inputs (issue 19, classes 3, 5 and 6): each case exits
# with the project's code (1 bad input, 2 bad command line) and one line
# naming the file (and line) and the problem, never a crash or exit 0, and a
# pre-existing output stays unchanged.
#  3: NaN/inf coordinates in a ligand or receptor PDBQT; a NaN/inf box (dock
#     options, a poses file's boxes); a tampered checkpoint; more ranks than replicas;
#  5: duplicate INI keys, unknown or wrong-case INI sections; temperature or
#     concentration out of range; NaN times in a KMC output given to analyze;
#     stdout on a full device (`> /dev/full`);
#  6: an INI file starting with a UTF-8 byte-order mark is read; a network
#     whose states cannot reach unbound names them.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-python3}
mpirun=${3:-mpirun}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir ompi && export TMPDIR=$work/ompi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# refuse CODE TEXT -- command...: exits CODE (not a signal), stderr holds TEXT
# on one line, and the earlier output kept.h5 is unchanged.
refuse() {
  local code=$1 text=$2; shift 3
  local before after rc
  before=$(sum kept.h5)
  timeout 60 "$@" > out.txt 2> err.txt; rc=$?
  after=$(sum kept.h5)
  if [[ $rc != "$code" ]]; then fail "'$*' exited $rc, expected $code"; cat out.txt err.txt; return; fi
  if [[ $before != "$after" ]]; then fail "'$*' changed kept.h5"; return; fi
  if ! grep -qF -- "$text" err.txt; then fail "'$*': message lacks '$text'"; cat err.txt; return; fi
  if [[ $(grep -c . err.txt) != 1 ]]; then fail "'$*': message of $(grep -c . err.txt) lines"; cat err.txt; return; fi
  echo "ok ($rc): $(head -c 220 err.txt)"
}
run() { timeout 120 "$@" > log.txt 2>&1 || { fail "$*"; cat log.txt; }; }

cp "$src/inputs/networks/explicit_rates/states.csv" "$src/inputs/networks/explicit_rates/edges.csv" .
cp "$src/inputs/dock/protein.pdbqt" "$src/inputs/dock/ligand.pdbqt" .
csv="--states states.csv --edges edges.csv"
kq="--replicas 2 --walkers 32 --time 1e-6 --segments 2 --max-steps 2000"
run "$pk" kmc $csv $kq --output run.h5 --checkpoint ck.h5 --checkpoint-every sim:5e-7
cp run.h5 kept.h5
[[ -f ck.h5 ]] || fail "kmc --checkpoint-every sim:5e-7 wrote no checkpoint"

# set_column FILE RECORD_INDEX COLUMN VALUE OUT: the RECORD_INDEX-th ATOM/HETATM
# line with the 8-character coordinate field at COLUMN (31, 39 or 47) replaced.
set_column() {
  "$py" - "$@" <<'PY'
import sys
path, which, col, value, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
lines = open(path).read().split("\n")
atoms = [i for i, s in enumerate(lines) if s.startswith(("ATOM", "HETATM"))]
i = atoms[which]
s = lines[i]
lines[i] = s[:col - 1] + value.rjust(8) + s[col + 7:]
open(out, "w").write("\n".join(lines))
print(i + 1)
PY
}

echo "== 3. NaN/inf in a PDBQT, a NaN/inf box: exit 1 or 2, file and line named"
box="--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28"
dock="$pk dock --receptor protein.pdbqt --score_only --out kept.h5.pdbqt"
ln=$(set_column ligand.pdbqt 2 31 nan nan_lig.pdbqt)
refuse 1 "nan_lig.pdbqt:$ln: expected a finite number for x" -- $dock --ligand nan_lig.pdbqt $box
ln=$(set_column ligand.pdbqt 0 47 -inf inf_lig.pdbqt)
refuse 1 "inf_lig.pdbqt:$ln: expected a finite number for z" -- $dock --ligand inf_lig.pdbqt --autobox
ln=$(set_column ligand.pdbqt 1 39 1e30 far_lig.pdbqt)
refuse 1 "far_lig.pdbqt:$ln: coordinate y" -- $dock --ligand far_lig.pdbqt $box
ln=$(set_column protein.pdbqt 10 39 inf inf_rec.pdbqt)
refuse 1 "inf_rec.pdbqt:$ln: expected a finite number for y" -- \
  "$pk" dock --receptor inf_rec.pdbqt --ligand ligand.pdbqt --score_only $box
refuse 2 "--center_y must be a finite number" -- $dock --ligand ligand.pdbqt ${box/90.5/nan}
refuse 2 "--size_z must be a finite number > 0" -- $dock --ligand ligand.pdbqt ${box/28/inf}
refuse 2 "is not a finite number" -- $dock --ligand ligand.pdbqt --box 11,nan,57.5,22,24,28
printf '[dock]\ncenter_x = 11\ncenter_y = 90.5\ncenter_z = nan\nsize_x = 22\nsize_y = 24\nsize_z = 28\n' > nanbox.ini
refuse 2 "--center_z must be a finite number" -- $dock --ligand ligand.pdbqt --config nanbox.ini
run "$py" "$src/tests/pipeline/vina_to_poses.py" --ligand ligand.pdbqt \
  --vina "$src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt" --receptor protein.pdbqt \
  --center 11 90.5 57.5 --size 22 24 28 --output poses.h5
"$py" -c "import h5py; f = h5py.File('poses.h5', 'r+'); f['/boxes/center_angstrom'][0, 1] = float('nan')"
refuse 1 "poses.h5: /boxes[0]: expected a finite centre" -- "$pk" network poses.h5 --output n.h5

echo "== 3. a tampered checkpoint: exit 1 naming the dataset"
tamper() {  # tamper OUT DATASET INDEX VALUE (or @segment VALUE)
  cp ck.h5 "$1"
  "$py" - "$@" <<'PY'
import sys, h5py
out, name, index, value = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
with h5py.File(out, "r+") as f:
    if name == "@segment":
        f["/checkpoint"].attrs["segment"] = value
    else:
        d = f["/checkpoint/" + name]
        d[int(index)] = value
PY
}
restart="$pk kmc $csv $kq --output kept.h5.new --checkpoint ck2.h5"
tamper bad_state.h5 state 3 999
refuse 1 "bad_state.h5: tampered or damaged checkpoint: /checkpoint/state[3] = 999, expected a state index in [0, 4)" -- \
  $restart --restart bad_state.h5
tamper bad_time.h5 time 40 nan
refuse 1 "/checkpoint/time[40] = nan" -- $restart --restart bad_time.h5
tamper bad_grid.h5 next_grid 0 -5
refuse 1 "/checkpoint/next_grid[0] = -5" -- $restart --restart bad_grid.h5
tamper bad_segment.h5 @segment 0 1e6
refuse 1 "segment 1000000 is beyond the run's 2 segments" -- $restart --restart bad_segment.h5
tamper bad_segment2.h5 @segment 0 nan
refuse 1 "/checkpoint@segment = nan" -- $restart --restart bad_segment2.h5

echo "== 3. more MPI ranks than replicas: a usage error (exit 2), one message"
timeout 60 "$mpirun" --oversubscribe -n 3 "$pk" kmc $csv $kq --output kept.h5.mpi > out.txt 2> err.txt; rc=$?
n=$(grep -c "error: pandakinetics kmc: 3 MPI ranks for 2 replicas: every rank needs at least one replica" err.txt)
if [[ $rc == 2 && $n == 1 && ! -e kept.h5.mpi ]]; then echo "ok ($rc): $(grep "3 MPI ranks" err.txt)"
else fail "3 ranks, 2 replicas: exit $rc, $n messages"; cat out.txt err.txt; fi

echo "== 5. INI files: duplicate keys and unknown sections are errors with file and line"
printf '[kmc]\nwalkers = 32\nreplicas = 2\nwalkers = 64\n' > dup.ini
refuse 1 "dup.ini:4: duplicate key 'walkers' in [kmc] (first given on line 2)" -- \
  "$pk" kmc $csv --config dup.ini --output kept.h5.ini
printf 'terms = 10\n\n[KMC]\nwalkers = 32\n' > case.ini
refuse 1 "case.ini:3: unknown section [KMC]: expected one of" -- "$pk" demo --config case.ini --output d.h5
printf '[slove]\ntime-points = 5\n' > typo.ini
refuse 1 "typo.ini:1: unknown section [slove]" -- "$pk" solve $csv --config typo.ini --output s.h5
printf '[dock]\nbox = 1,2,3,4,5,6\nbox = 7,8,9,4,5,6\n' > boxes.ini
run "$pk" solve $csv --config boxes.ini --output s_boxes.h5  # a repeatable option may repeat

echo "== 5. temperature and concentration out of range: exit 2"
refuse 2 "--temperature 1e+300 K: expected a temperature in (0, 10000] K" -- "$pk" solve $csv --temperature 1e300 --output s.h5
refuse 2 "--concentration 1e+300 M: expected a concentration in (0, 1000] M" -- \
  "$pk" kmc $csv $kq --concentration 1e300 --output kept.h5.c
refuse 2 "--replica-temperatures: 1e+300 is outside (0, 1e4] K" -- \
  "$pk" kmc $csv $kq --replica-temperatures 300,1e300 --output kept.h5.c
refuse 2 "--temperature 1e+300 K" -- "$pk" run --poses poses.h5 --output rundir --temperature 1e300 --no-report

echo "== 5. NaN times in a KMC output given to analyze: exit 1 naming the dataset"
cp run.h5 nan_run.h5
"$py" -c "import h5py; f = h5py.File('nan_run.h5', 'r+'); f['/results/walkers/observation_end_s'][5] = float('nan')"
refuse 1 "nan_run.h5: /results/walkers/observation_end_s[5] = nan" -- "$pk" analyze nan_run.h5 --output a.json

echo "== 5. stdout on a full device: exit 1"
refuse 1 "cannot write the standard output: No space left on device" -- bash -c "'$pk' --version > /dev/full"
refuse 1 "cannot write the standard output" -- bash -c "'$pk' solve $csv --output s_full.h5 > /dev/full"

echo "== 6. a UTF-8 byte-order mark before the first key is skipped"
printf '\xef\xbb\xbfterms = 1000\n' > bom.ini
run "$pk" demo --config bom.ini --output bom.h5
grep -q "N = 1000 terms" log.txt && echo "ok: the BOM file's terms = 1000 applied" ||
  { fail "the BOM file's 'terms = 1000' was not applied"; cat log.txt; }

echo "== 6. states that cannot reach unbound are named"
printf 'from,to,rate_per_s\n1,2,50\n1,3,600\n3,1,1e5\n3,4,2e4\n4,3,5e8\n' > trap_edges.csv
refuse 1 "trap_edges.csv: 1 state(s) cannot reach any unbound state along edges with a positive rate or probability, ids: 2" -- \
  "$pk" solve --states states.csv --edges trap_edges.csv --output s.h5

echo "$fails failed"
[[ $fails == 0 ]]
