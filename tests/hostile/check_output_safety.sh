#!/usr/bin/env bash
# Output safety of every subcommand (issue 19, classes 1, 2, 6 and 7):
#  - an output that names one of the run's inputs (directly, through a
#    symlink, a hard link or dir/../name) stops with exit 2 and a message
#    naming the path, and the input's sha256 is unchanged;
#  - two outputs of one run on the same file stop with exit 2;
#  - a write that cannot succeed (missing folder, a "folder" that is a file,
#    /dev/full) exits non-zero and leaves a pre-existing output unchanged;
#  - concurrent runs writing the same --output all succeed and leave a valid file;
#  - a missing, truncated or non-HDF5 input gives one line, no HDF5 error stack.
set -u
pk=$1 src=$2
py=${PK_PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Open MPI's session folders of this suite's runs stay apart from other
# jobs' (a singleton's folder removed by another job fails MPI_Init).
mkdir ompi && export TMPDIR=$work/ompi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# refuse CODE TEXT FILE -- command...: exits CODE, stderr holds TEXT in one
# line without an HDF5 error stack, and FILE's checksum is unchanged.
refuse() {
  local code=$1 text=$2 file=$3; shift 4
  local before after rc
  before=$(sum "$file")
  timeout 120 "$@" > out.txt 2> err.txt; rc=$?
  after=$(sum "$file")
  if [[ $rc != "$code" ]]; then fail "'$*' exited $rc, expected $code"; cat out.txt err.txt; return; fi
  if [[ $before != "$after" ]]; then fail "'$*' changed $file"; return; fi
  if ! grep -qF -- "$text" err.txt; then fail "'$*': message lacks '$text'"; cat err.txt; return; fi
  if grep -q "HDF5-DIAG" err.txt; then fail "'$*' printed HDF5's error stack"; cat err.txt; return; fi
  if [[ $(wc -l < err.txt) != 1 ]]; then fail "'$*': message of $(wc -l < err.txt) lines"; cat err.txt; return; fi
  echo "ok ($rc): $* -> $(head -c 200 err.txt)"
}
run() { timeout 300 "$@" > log.txt 2>&1 || { fail "$*"; cat log.txt; }; }

# Inputs: the explicit-rates network as CSV, an HDF5 network (solve's output
# holds /network), a KMC result, the docking example and a poses file.
cp "$src/inputs/networks/explicit_rates/states.csv" "$src/inputs/networks/explicit_rates/edges.csv" .
cp "$src/inputs/dock/protein.pdbqt" "$src/inputs/dock/ligand.pdbqt" .
csv="--states states.csv --edges edges.csv"
kq="--replicas 2 --walkers 32 --time 1e-6 --segments 2 --max-steps 2000 --keep-trajectories 1 --trajectory-length 10"
run "$pk" solve $csv --output net.h5
run "$pk" kmc --network net.h5 $kq --output run.h5
run "$py" "$src/tests/pipeline/vina_to_poses.py" --ligand ligand.pdbqt \
  --vina "$src/tests/pipeline/data/vina_imatinib_e4_seed3.pdbqt" --receptor protein.pdbqt \
  --center 11 90.5 57.5 --size 22 24 28 --output poses.h5
mkdir sub
ln -s states.csv link.csv
ln states.csv hard.csv
cp net.h5 ck.h5
printf 'terms = 1000\n' > demo.ini
: > bench.ini

echo "== 1. an output over an input: exit 2, the input unchanged"
refuse 2 "'states.csv'" states.csv -- "$pk" kmc $csv $kq --output states.csv
refuse 2 "'edges.csv'" edges.csv -- "$pk" kmc $csv $kq --output ./edges.csv
refuse 2 "'link.csv'" states.csv -- "$pk" kmc $csv $kq --summary link.csv
refuse 2 "'sub/../states.csv'" states.csv -- "$pk" kmc $csv $kq --output sub/../states.csv
refuse 2 "'hard.csv'" states.csv -- "$pk" kmc $csv $kq --output hard.csv
refuse 2 "--checkpoint 'states.csv'" states.csv -- "$pk" kmc $csv $kq --checkpoint states.csv
refuse 2 "'net.h5'" net.h5 -- "$pk" kmc --network net.h5 $kq --output "$work/net.h5"
refuse 2 "--restart 'ck.h5'" ck.h5 -- "$pk" kmc --network net.h5 $kq --restart ck.h5 --output ck.h5
refuse 2 "'net.h5'" net.h5 -- "$pk" solve --network net.h5 --output net.h5
refuse 2 "'net.h5'" net.h5 -- "$pk" solve --network net.h5 --summary sub/../net.h5
refuse 2 "'edges.csv'" edges.csv -- "$pk" solve $csv --output edges.csv
refuse 2 "'run.h5'" run.h5 -- "$pk" analyze --input run.h5 --output run.h5
refuse 2 "'run.h5'" run.h5 -- "$pk" analyze run.h5 --output ./run.h5
refuse 2 "--exact 'net.h5'" net.h5 -- "$pk" analyze run.h5 --exact net.h5 --output net.h5
refuse 2 "'poses.h5'" poses.h5 -- "$pk" network poses.h5 --output poses.h5
refuse 2 "'poses.h5'" poses.h5 -- "$pk" network --poses poses.h5 --summary poses.h5
refuse 2 "'protein.pdbqt'" protein.pdbqt -- "$pk" network poses.h5 --receptor protein.pdbqt --output protein.pdbqt
mkdir csvdir && cp poses.h5 csvdir/states.csv
refuse 2 "csvdir/states.csv" csvdir/states.csv -- "$pk" network csvdir/states.csv --output n.h5 --csv-dir csvdir
box="--center_x 11 --center_y 90.5 --center_z 57.5 --size_x 22 --size_y 24 --size_z 28"
refuse 2 "'ligand.pdbqt'" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out ligand.pdbqt
refuse 2 "'protein.pdbqt'" protein.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out protein.pdbqt
refuse 2 "'ligand.pdbqt'" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out_sdf ligand.pdbqt
refuse 2 "'protein.pdbqt'" protein.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out_h5 protein.pdbqt
refuse 2 "'ligand.pdbqt'" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --score_only --json ligand.pdbqt
refuse 2 "'demo.ini'" demo.ini -- "$pk" demo --config demo.ini --output demo.ini
mkdir -p rundir/report && cp poses.h5 rundir/kmc.h5 && printf '[kmc]\nreplicas = 2\n' > rundir/report/run.ini
refuse 2 "'rundir/kmc.h5'" rundir/kmc.h5 -- "$pk" run --poses rundir/kmc.h5 --output rundir --no-report
refuse 2 "rundir/report/run.ini" rundir/report/run.ini -- "$pk" run --config rundir/report/run.ini --poses poses.h5 --output rundir --no-report
refuse 2 "'bench.ini'" bench.ini -- "$pk" bench kmc --config bench.ini --json bench.ini
refuse 2 "'net.h5' exists" net.h5 -- "$pk" bench io --file net.h5

echo "== 1b. two outputs on one file: exit 2"
refuse 2 "the outputs --output 'run.h5' and --summary 'run.h5'" run.h5 -- "$pk" kmc $csv $kq --output run.h5 --summary run.h5
refuse 2 "--checkpoint 'run.h5'" run.h5 -- "$pk" kmc $csv $kq --output run.h5 --checkpoint run.h5
refuse 2 "are the same file" net.h5 -- "$pk" solve $csv --output s.h5 --summary ./s.h5
refuse 2 "are the same file" poses.h5 -- "$pk" network poses.h5 --output n.h5 --summary n.h5
refuse 2 "are the same file" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out x.sdf
refuse 2 "are the same file" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out x.pdbqt --json x.pdbqt

echo "== 2. failed writes: non-zero exit, the earlier output unchanged"
refuse 1 "'missing/x.json'" run.h5 -- "$pk" kmc $csv $kq --output run.h5 --summary missing/x.json
refuse 1 "is not a folder" run.h5 -- "$pk" kmc $csv $kq --output run.h5 --summary states.csv/x.json
refuse 1 "No space left on device" run.h5 -- "$pk" kmc $csv $kq --output run.h5 --summary /dev/full
refuse 1 "/dev/full" states.csv -- "$pk" kmc $csv $kq --output /dev/full
cp net.h5 solve.h5
refuse 1 "'missing/s.json'" solve.h5 -- "$pk" solve $csv --output solve.h5 --summary missing/s.json
refuse 1 "No space left on device" solve.h5 -- "$pk" solve $csv --output solve.h5 --summary /dev/full
refuse 1 "No space left on device" run.h5 -- "$pk" analyze run.h5 --output /dev/full
refuse 1 "'missing/a.json'" run.h5 -- "$pk" analyze run.h5 --output missing/a.json
refuse 1 "'missing/n.h5'" poses.h5 -- "$pk" network poses.h5 --output missing/n.h5
printf 'earlier poses\n' > out.pdbqt
refuse 1 "'missing/p.h5'" out.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt $box --out out.pdbqt --out_h5 missing/p.h5
refuse 1 "No space left on device" ligand.pdbqt -- "$pk" dock --receptor protein.pdbqt --ligand ligand.pdbqt --score_only --autobox --json /dev/full
refuse 1 "is not a folder" states.csv -- "$pk" run --poses poses.h5 --output states.csv --no-report

echo "== 6. a missing, truncated or non-HDF5 input: one line, no HDF5 error stack"
printf 'not an HDF5 file\n' > text.h5
head -c 3000 run.h5 > cut.h5
for bad in text.h5 cut.h5; do
  refuse 1 "$bad" $bad -- "$pk" solve --network $bad
  refuse 1 "$bad" $bad -- "$pk" kmc --network $bad $kq --output k.h5
  refuse 1 "$bad" $bad -- "$pk" analyze $bad --output a.json
  refuse 1 "$bad" $bad -- "$pk" network $bad --output n.h5
  refuse 1 "$bad" $bad -- "$pk" kmc --network net.h5 $kq --restart $bad --output k.h5
done
refuse 1 "missing.h5" states.csv -- "$pk" solve --network missing.h5

echo "== 7. concurrent runs writing one output: all succeed, the file is valid"
for round in 1 2; do
  pids=()
  for k in 1 2 3; do
    mkdir -p ompi/d$k && TMPDIR=$work/ompi/d$k "$pk" demo --terms 3000000 --output shared.h5 > demo$k.txt 2>&1 & pids+=($!)
  done
  for k in 1 2; do
    mkdir -p ompi/s$k && TMPDIR=$work/ompi/s$k "$pk" solve $csv --output shared_solve.h5 > solve$k.txt 2>&1 & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || fail "round $round: a concurrent run (pid $p) failed: $(cat demo*.txt solve*.txt | grep -i error)"; done
  "$py" - <<'PY' || fail "round $round: shared outputs unreadable"
import h5py, math
with h5py.File("shared.h5", "r") as f:
    total = float(f["/demo/total"][0])
    assert abs(total - math.pi ** 2 / 6) < 1e-6, total
with h5py.File("shared_solve.h5", "r") as f:
    assert f["/exact"].attrs or len(f["/exact"]) > 0
print("ok: shared.h5 /demo/total =", total, "and shared_solve.h5 read back")
PY
done
left=$(find . -path ./ompi -prune -o -name '*.tmp.*' -print | head)
[[ -z $left ]] && echo "ok: no temporary left behind" || fail "temporaries left: $left"

echo "$fails failed"
[[ $fails == 0 ]]
